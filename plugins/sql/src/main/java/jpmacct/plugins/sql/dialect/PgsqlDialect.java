package jpmacct.plugins.sql.dialect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.plugins.sql.SqlKeys;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableVersion;

/**
 * PostgreSQL through the official driver. Values go as text the server converts to the column's type (inet,
 * macaddr, timestamp), which is what {@code stringtype=unspecified} asks for; protocols are numbers (SMALLINT).
 */
public final class PgsqlDialect extends ServerDialect {
    public PgsqlDialect() {
        super("postgresql", "pgsql", 5432, "stringtype=unspecified&connectTimeout=5&socketTimeout=60&reWriteBatchedInserts=true");
    }

    @Override
    String verifiedTls(PluginConfig cfg) throws ConfigException {
        String ca = cfg.get(SqlKeys.CONN_CA_FILE);
        if (!Files.isReadable(Path.of(ca))) {
            throw cfg.error(SqlKeys.CONN_CA_FILE, "cannot read " + ca);
        }
        return "sslmode=verify-ca&sslrootcert=" + urlEncode(ca);
    }

    @Override
    public String transactionIsolation() {
        return "TRANSACTION_READ_COMMITTED";
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

    @Override
    public String upsert(String insert, List<String> keyColumns, List<String> adds) {
        return insert + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET " + String.join(", ", adds);
    }

    @Override
    public String existing(String table, String column) {
        return table + "." + column; // unqualified is ambiguous in ON CONFLICT DO UPDATE
    }

    @Override
    public boolean hasCopy() {
        return true;
    }

    @Override
    public List<LockingStyle> lockingStyles() {
        return List.of(LockingStyle.TABLE, LockingStyle.ROW, LockingStyle.NONE);
    }

    @Override
    public String lock(List<String> quotedTables, LockingStyle style, boolean insertOnly) {
        if (insertOnly) {
            return null; // as pmacct: INSERTs alone need no lock
        }
        return switch (style) {
            case TABLE -> "LOCK TABLE " + String.join(", ", quotedTables) + " IN EXCLUSIVE MODE";
            case ROW -> "LOCK TABLE " + String.join(", ", quotedTables) + " IN ROW EXCLUSIVE MODE";
            case NONE -> null;
        };
    }
}
