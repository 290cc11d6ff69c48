package jpmacct.plugins.sql;

import jpmacct.core.config.PluginConfig;

/** MySQL and MariaDB through mysql-connector-j; stamps are DATETIME text in the local time zone, as pmacct writes them. */
final class MysqlDialect implements Dialect {
    @Override
    public String jdbcUrl(PluginConfig cfg) {
        return "jdbc:mysql://" + cfg.get(SqlKeys.HOST) + ":" + port(cfg) + "/" + db(cfg)
                + "?connectTimeout=5000&socketTimeout=60000&rewriteBatchedStatements=true";
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
        return "mysql database " + db(cfg) + " at " + cfg.get(SqlKeys.HOST) + ":" + port(cfg) + " (user "
                + cfg.get(SqlKeys.USER) + ")";
    }

    @Override
    public int protocolNameLength() {
        return 6;
    }

    private static long port(PluginConfig cfg) {
        return cfg.isSet(SqlKeys.PORT) ? cfg.get(SqlKeys.PORT) : 3306;
    }

    private static String db(PluginConfig cfg) {
        return cfg.isSet(SqlKeys.DB) ? cfg.get(SqlKeys.DB) : "pmacct";
    }
}
