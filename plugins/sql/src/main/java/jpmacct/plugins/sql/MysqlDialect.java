package jpmacct.plugins.sql;

import java.util.List;

/** MySQL and MariaDB through mysql-connector-j; stamps are DATETIME text in the local time zone, as pmacct writes them. */
final class MysqlDialect extends ServerDialect {
    MysqlDialect() {
        super("mysql", "mysql", 3306, "connectTimeout=5000&socketTimeout=60000&rewriteBatchedStatements=true");
    }

    @Override
    public int protocolNameLength() {
        return 6;
    }

    @Override
    public String upsert(String insert, List<String> keyColumns, List<String> adds) {
        return insert + " ON DUPLICATE KEY UPDATE " + String.join(", ", adds);
    }

    @Override
    public String proposed(String column) {
        return "VALUES(" + column + ")";
    }
}
