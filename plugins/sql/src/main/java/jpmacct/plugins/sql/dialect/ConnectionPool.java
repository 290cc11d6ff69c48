package jpmacct.plugins.sql.dialect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;

/** The pool of a plugin: one connection (one writer), and a database that is away does not fail its creation. */
public final class ConnectionPool {
    private ConnectionPool() {
    }

    public static HikariDataSource create(Dialect dialect, PluginConfig cfg) throws ConfigException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(dialect.jdbcUrl(cfg));
        if (dialect.user(cfg) != null) {
            hc.setUsername(dialect.user(cfg));
            hc.setPassword(dialect.password(cfg));
        }
        hc.setMaximumPoolSize(1);
        hc.setPoolName(cfg.id());
        hc.setInitializationFailTimeout(-1);
        hc.setConnectionTimeout(5000);
        hc.setTransactionIsolation(dialect.transactionIsolation());
        return new HikariDataSource(hc);
    }
}
