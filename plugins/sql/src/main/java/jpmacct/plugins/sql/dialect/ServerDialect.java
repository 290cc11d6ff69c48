package jpmacct.plugins.sql.dialect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.plugins.sql.SqlKeys;

/** A database reached over the network: sql_host, sql_port, sql_db, sql_user, sql_passwd, sql_conn_ca_file. */
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
    public String jdbcUrl(PluginConfig cfg) throws ConfigException {
        String url = "jdbc:" + scheme + "://" + cfg.get(SqlKeys.HOST) + ":" + port(cfg) + "/" + db(cfg) + "?" + urlOptions;
        return cfg.isSet(SqlKeys.CONN_CA_FILE) ? url + "&" + verifiedTls(cfg) : url;
    }

    /** URL options that make the driver use TLS and verify the server's certificate against sql_conn_ca_file. */
    abstract String verifiedTls(PluginConfig cfg) throws ConfigException;

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

    static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A server that refuses TLS as sql_conn_ca_file asks for it is refused, not away: retrying will not help. */
    @Override
    public boolean unreachable(Throwable e) {
        return !tlsRefused(e) && Dialect.super.unreachable(e);
    }

    /** The server's certificate refused, or a server without TLS while sql_conn_ca_file asks for it (Connector/J, pgJDBC). */
    private static boolean tlsRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SSLHandshakeException || t instanceof CertificateException
                    || t instanceof CertPathValidatorException
                    || m.contains("SSL Connection required") || m.contains("does not support SSL")) {
                return true;
            }
        }
        return false;
    }
}
