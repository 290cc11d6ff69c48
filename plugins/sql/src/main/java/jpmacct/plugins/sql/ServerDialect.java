package jpmacct.plugins.sql;

import jpmacct.core.config.PluginConfig;

/** A database reached over the network: sql_host, sql_port, sql_db, sql_user, sql_passwd. */
abstract class ServerDialect implements Dialect {
    private final String scheme;
    private final String label;
    private final long defaultPort;
    private final String urlOptions;

    ServerDialect(String scheme, String label, long defaultPort, String urlOptions) {
        this.scheme = scheme;
        this.label = label;
        this.defaultPort = defaultPort;
        this.urlOptions = urlOptions;
    }

    @Override
    public String jdbcUrl(PluginConfig cfg) {
        return "jdbc:" + scheme + "://" + cfg.get(SqlKeys.HOST) + ":" + port(cfg) + "/" + db(cfg) + "?" + urlOptions;
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
        return label + " database " + db(cfg) + " at " + cfg.get(SqlKeys.HOST) + ":" + port(cfg) + " (user "
                + cfg.get(SqlKeys.USER) + ")";
    }

    private long port(PluginConfig cfg) {
        return cfg.isSet(SqlKeys.PORT) ? cfg.get(SqlKeys.PORT) : defaultPort;
    }

    private static String db(PluginConfig cfg) {
        return cfg.isSet(SqlKeys.DB) ? cfg.get(SqlKeys.DB) : "pmacct";
    }
}
