package jpmacct.plugins.sql;

import java.util.List;

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

    /**
     * One statement that inserts a row or adds to the existing one with the same primary key, or null when the
     * database has none. {@code adds} are the assignments of the update part.
     */
    default String upsert(String insert, List<String> keyColumns, List<String> adds) {
        return null;
    }

    /** In an upsert's update part: the value the row to insert proposes for a column. */
    default String proposed(String column) {
        return "excluded." + column;
    }

    /** In an upsert's update part: the existing row's column. */
    default String existing(String table, String column) {
        return column;
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
