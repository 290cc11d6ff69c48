package jpmacct.plugins.sql.dialect;

import java.util.ArrayList;
import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.plugins.sql.SqlKeys;

/** MySQL and MariaDB through mysql-connector-j; stamps are DATETIME text in the local time zone, as pmacct writes them. */
public final class MysqlDialect extends ServerDialect {
    public MysqlDialect() {
        super("mysql", "mysql", 3306, "connectTimeout=5000&socketTimeout=60000&rewriteBatchedStatements=true");
    }

    @Override
    String verifiedTls(PluginConfig cfg) throws ConfigException {
        // Connector/J reads a key store, not PEM: the CA goes into a PKCS12 store of this process
        PemTrustStore store = PemTrustStore.of(cfg, SqlKeys.CONN_CA_FILE);
        return "sslMode=VERIFY_CA&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStoreUrl="
                + urlEncode(store.file().toUri().toString()) + "&trustCertificateKeyStorePassword=" + store.password();
    }

    @Override
    public String transactionIsolation() {
        return "TRANSACTION_REPEATABLE_READ";
    }

    @Override
    public int protocolNameLength() {
        return 6;
    }

    /** As pmacct: the whole name in backquotes, so a name with dots is one table, not database.table. */
    @Override
    public String quoteTable(String name) {
        return '`' + name + '`';
    }

    @Override
    public String upsert(String insert, List<String> keyColumns, List<String> adds) {
        return insert + " ON DUPLICATE KEY UPDATE " + String.join(", ", adds);
    }

    @Override
    public String proposed(String column) {
        return "VALUES(" + column + ")";
    }

    @Override
    public boolean takesMultiValuesAndNumericHosts() {
        return true;
    }

    @Override
    public List<LockingStyle> lockingStyles() {
        return List.of(LockingStyle.TABLE, LockingStyle.NONE);
    }

    @Override
    public String lock(List<String> quotedTables, LockingStyle style, boolean insertOnly) {
        if (style != LockingStyle.TABLE) {
            return null;
        }
        List<String> each = new ArrayList<>();
        for (String t : quotedTables) {
            each.add(t + " WRITE");
        }
        return "LOCK TABLES " + String.join(", ", each);
    }

    @Override
    public String unlock() {
        return "UNLOCK TABLES";
    }
}
