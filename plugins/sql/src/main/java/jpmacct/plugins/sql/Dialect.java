package jpmacct.plugins.sql;

import jpmacct.core.config.PluginConfig;

/** What differs between databases: how to connect, and how some values are written. */
interface Dialect {
    /** JDBC URL of the configured database. */
    String jdbcUrl(PluginConfig cfg);

    /** Where the data goes, for messages: {@code sqlite3 database /var/spool/pmacct.db}. */
    String describe(PluginConfig cfg);

    /** IP protocols as numbers (pgsql's SMALLINT column) rather than names. */
    default boolean numericProtocols() {
        return false;
    }
}
