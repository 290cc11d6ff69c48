package jpmacct.plugins.sql;

import java.util.List;

import jpmacct.core.config.PluginConfig;

/**
 * PostgreSQL through the official driver. Values go as text the server converts to the column's type (inet,
 * macaddr, timestamp), which is what {@code stringtype=unspecified} asks for; protocols are numbers (SMALLINT).
 */
final class PgsqlDialect implements Dialect {
    @Override
    public String jdbcUrl(PluginConfig cfg) {
        return "jdbc:postgresql://" + cfg.get(SqlKeys.HOST) + ":" + port(cfg) + "/" + db(cfg)
                + "?stringtype=unspecified&connectTimeout=5&socketTimeout=60&reWriteBatchedInserts=true";
    }

    @Override
    public String user(PluginConfig cfg) {
        return cfg.get(SqlKeys.USER);
    }

    @Override
    public String password(PluginConfig cfg) {
        return cfg.get(SqlKeys.PASSWD);
    }

    @Override
    public String describe(PluginConfig cfg) {
        return "pgsql database " + db(cfg) + " at " + cfg.get(SqlKeys.HOST) + ":" + port(cfg) + " (user "
                + cfg.get(SqlKeys.USER) + ")";
    }

    @Override
    public List<SqlColumn> columns(int version) {
        return TableVersion.pgsqlColumns(version);
    }

    @Override
    public boolean errorAbortsTransaction() {
        return true;
    }

    @Override
    public boolean numericProtocols() {
        return true;
    }

    private static long port(PluginConfig cfg) {
        return cfg.isSet(SqlKeys.PORT) ? cfg.get(SqlKeys.PORT) : 5432;
    }

    private static String db(PluginConfig cfg) {
        return cfg.isSet(SqlKeys.DB) ? cfg.get(SqlKeys.DB) : "pmacct";
    }
}
