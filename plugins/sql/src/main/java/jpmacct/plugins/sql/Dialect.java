package jpmacct.plugins.sql;

import jpmacct.core.config.PluginConfig;

/** What differs between databases: how to connect, and how some values are written. */
interface Dialect {
    /** JDBC URL of the configured database. */
    String jdbcUrl(PluginConfig cfg);

    /** User to connect as, or null (SQLite). */
    default String user(PluginConfig cfg) {
        return null;
    }

    default String password(PluginConfig cfg) {
        return null;
    }

    /** Where the data goes, for messages: {@code sqlite3 database /var/spool/pmacct.db}. */
    String describe(PluginConfig cfg);

    /** The columns of a table version in this database. */
    default java.util.List<SqlColumn> columns(int version) {
        return TableVersion.columns(version);
    }

    /** A failed statement aborts the whole transaction (PostgreSQL): retries inside one need a savepoint. */
    default boolean errorAbortsTransaction() {
        return false;
    }

    /** IP protocols as numbers (pgsql's SMALLINT column) rather than names. */
    default boolean numericProtocols() {
        return false;
    }

    /**
     * The longest protocol name the ip_proto column takes: MySQL enforces pmacct's CHAR(6) (strict mode refuses
     * 'ipv6-icmp'), SQLite does not.
     */
    default int protocolNameLength() {
        return Integer.MAX_VALUE;
    }
}
