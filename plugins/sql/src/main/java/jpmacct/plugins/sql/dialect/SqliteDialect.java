package jpmacct.plugins.sql.dialect;

import java.sql.SQLException;
import java.util.List;

import jpmacct.core.config.PluginConfig;
import jpmacct.plugins.sql.SqlKeys;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableVersion;

/** SQLite through sqlite-jdbc: the database is a file; stamps are text in the local time zone, as pmacct writes them. */
public final class SqliteDialect implements Dialect {
    public static final String DEFAULT_DB = "/tmp/pmacct.db";

    @Override
    public String jdbcUrl(PluginConfig cfg) {
        return "jdbc:sqlite:" + db(cfg);
    }

    @Override
    public String describe(PluginConfig cfg) {
        return "sqlite3 database " + db(cfg);
    }

    private static String db(PluginConfig cfg) {
        return cfg.isSet(SqlKeys.DB) ? cfg.get(SqlKeys.DB) : DEFAULT_DB;
    }

    @Override
    public List<SqlColumn> bgpColumns(int version) {
        return TableVersion.bgpColumns(version, true); // pmacct's SQLite BGP table alone has flows
    }

    @Override
    public boolean takesMultiValuesAndNumericHosts() {
        return true;
    }

    /**
     * sqlite-jdbc sets no SQLSTATE: SQLITE_CONSTRAINT (19) is in the low byte of the error code, or its extended
     * code in the message.
     */
    @Override
    public boolean existingRow(SQLException e) {
        return Dialect.super.existingRow(e)
                || (e.getErrorCode() & 0xFF) == 19 && e.getClass().getName().startsWith("org.sqlite")
                || String.valueOf(e.getMessage()).contains("SQLITE_CONSTRAINT_PRIMARYKEY")
                || String.valueOf(e.getMessage()).contains("SQLITE_CONSTRAINT_UNIQUE");
    }

    @Override
    public String upsert(String insert, List<String> keyColumns, List<String> adds) {
        return insert + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET " + String.join(", ", adds);
    }
}
