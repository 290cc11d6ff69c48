package jpmacct.plugins.sql.dialect;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Locale;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableName;
import jpmacct.plugins.sql.schema.TableVersion;

/**
 * What differs between databases: how to connect, how some values and statements are written, and what their
 * errors mean.
 */
public interface Dialect {
    /** JDBC URL of the configured database. */
    String jdbcUrl(PluginConfig cfg) throws ConfigException;

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
    default List<SqlColumn> columns(int version) {
        return TableVersion.columns(version);
    }

    /** The columns of pmacct's BGP table in this database. */
    default List<SqlColumn> bgpColumns(int version) {
        return TableVersion.bgpColumns(version, false);
    }

    /**
     * A table name as it goes into statements. pmacct pastes it unquoted (so {@code schema.table} works and
     * PostgreSQL folds case); only a name with other characters than letters, digits, '_' and '$' is quoted.
     */
    default String quoteTable(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (String part : name.split("\\.", -1)) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(TableName.plainIdentifier(part) ? part : '"' + part + '"');
        }
        return sb.toString();
    }

    /**
     * The database's default isolation, set explicitly: HikariCP otherwise asks the first connection for it, and when
     * that connection breaks meanwhile (an outage) it sets an invalid level on every later one.
     */
    default String transactionIsolation() {
        return "TRANSACTION_SERIALIZABLE";
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

    /** The databases pmacct's sql_multi_values and sql_num_hosts apply to (mysql, sqlite3). */
    default boolean takesMultiValuesAndNumericHosts() {
        return false;
    }

    /** Whether this database has COPY (sql_use_copy, sql_delimiter). */
    default boolean hasCopy() {
        return false;
    }

    /**
     * The statement that locks the tables of a purge for {@code sql_locking_style}, run first in its transaction,
     * or null for none. {@code insertOnly}: the purge only INSERTs (sql_dont_try_update).
     */
    default String lock(List<String> quotedTables, LockingStyle style, boolean insertOnly) {
        return null;
    }

    /** Run after the commit or rollback when {@link #lock} locked anything (MySQL's LOCK TABLES outlives both). */
    default String unlock() {
        return null;
    }

    /** The values of sql_locking_style this database takes; the others are noted and ignored. */
    default List<LockingStyle> lockingStyles() {
        return List.of();
    }

    /**
     * A connection problem (worth retrying: the database is away), as opposed to a refusal (credentials, a missing
     * table or column), which the operator must fix.
     */
    default boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof NoRouteToHostException
                    || t instanceof EOFException) {
                return true;
            }
            if (t instanceof SQLException se && se.getSQLState() != null && se.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof SQLTransientConnectionException && t.getCause() == null) {
                // the pool's wait for a connection timed out and nothing refused one: a server that does not answer
                return true;
            }
        }
        return false;
    }

    /** A row that exists already, anywhere in the exception's chain (also inside a batch). */
    default boolean duplicate(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            for (Throwable t = s; t != null; t = t.getCause()) {
                if (t instanceof SQLException se && existingRow(se)) {
                    return true;
                }
            }
            if (s.getNextException() == s) {
                break;
            }
        }
        return false;
    }

    /** One exception of a chain says the row exists already: SQLSTATE class 23 (integrity constraint violation). */
    default boolean existingRow(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    /** The database refused a value (SQLSTATE class 22, e.g. one too long for its column), not the statement. */
    default boolean refusedAsData(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    /** pmacct's sql_locking_style. */
    enum LockingStyle {
        TABLE, ROW, NONE;

        public static LockingStyle parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
