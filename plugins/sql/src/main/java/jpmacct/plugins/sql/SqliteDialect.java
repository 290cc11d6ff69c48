package jpmacct.plugins.sql;

import java.util.List;

import jpmacct.core.config.PluginConfig;

/** SQLite through sqlite-jdbc: the database is a file; stamps are text in the local time zone, as pmacct writes them. */
final class SqliteDialect implements Dialect {
    static final String DEFAULT_DB = "/tmp/pmacct.db";

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

    @Override
    public String upsert(String insert, List<String> keyColumns, List<String> adds) {
        return insert + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET " + String.join(", ", adds);
    }
}
