package jpmacct.plugins.sql;

import java.util.List;

/**
 * PostgreSQL through the official driver. Values go as text the server converts to the column's type (inet,
 * macaddr, timestamp), which is what {@code stringtype=unspecified} asks for; protocols are numbers (SMALLINT).
 */
final class PgsqlDialect extends ServerDialect {
    PgsqlDialect() {
        super("postgresql", "pgsql", 5432, "stringtype=unspecified&connectTimeout=5&socketTimeout=60&reWriteBatchedInserts=true");
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
}
