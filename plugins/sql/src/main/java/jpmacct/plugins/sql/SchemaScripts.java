package jpmacct.plugins.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The table scripts in sql/, generated from {@link TableVersion} so the plugin and the scripts cannot disagree.
 * Column names, types, defaults and primary keys are those of pmacct 1.7.7's scripts of the same names.
 */
public final class SchemaScripts {
    private SchemaScripts() {
    }

    /** File name and text of every script. */
    public static List<String[]> all() {
        List<String[]> out = new ArrayList<>();
        for (int v = TableVersion.MIN; v <= TableVersion.MAX; v++) {
            out.add(new String[] {"pmacct-create-table_v" + v + ".sqlite3", sqlite(v)});
            out.add(new String[] {"pmacct-create-db_v" + v + ".mysql", mysql(v)});
        }
        out.add(new String[] {"pmacct-grant-db.mysql", "-- the pmacct user of the mysql plugin's defaults (sql_user, sql_passwd)\n"
                + "CREATE USER 'pmacct'@'localhost' IDENTIFIED BY 'arealsmartpwd';\n"
                + "GRANT ALL PRIVILEGES ON pmacct.* TO pmacct@localhost;\n"});
        return out;
    }

    static String mysql(int v) {
        StringBuilder sb = new StringBuilder();
        sb.append("-- pmacct table version ").append(v).append(" for MySQL/MariaDB (jpmacct, same layout as pmacct 1.7.7)\n");
        sb.append("-- usage: mysql -u root -p < pmacct-create-db_v").append(v).append(".mysql; then pmacct-grant-db.mysql\n\n");
        sb.append("DROP DATABASE IF EXISTS pmacct;\nCREATE DATABASE pmacct;\n\nUSE pmacct;\n\n");
        return table(sb, v, SqlColumn::mysqlType, false);
    }

    static String sqlite(int v) {
        StringBuilder sb = new StringBuilder();
        sb.append("-- pmacct table version ").append(v).append(" for SQLite (jpmacct, same layout as pmacct 1.7.7)\n");
        sb.append("-- usage: sqlite3 /tmp/pmacct.db < pmacct-create-table_v").append(v).append(".sqlite3\n\n");
        return table(sb, v, SqlColumn::sqliteType, true);
    }

    /** DROP and CREATE of version {@code v}'s table, with the dialect's column types (and SQLite's defaults). */
    private static String table(StringBuilder sb, int v, Function<SqlColumn, String> type, boolean defaults) {
        String table = TableVersion.defaultTable(v);
        sb.append("DROP TABLE IF EXISTS ").append(table).append(";\n");
        sb.append("CREATE TABLE ").append(table).append(" (\n");
        List<String> pk = new ArrayList<>();
        for (SqlColumn c : TableVersion.columns(v)) {
            sb.append("    ").append(c.columnName()).append(' ').append(type.apply(c));
            if (c != SqlColumn.STAMP_UPDATED) {
                sb.append(" NOT NULL");
            }
            if (defaults && c.sqliteDefault() != null) {
                sb.append(" DEFAULT ").append(c.sqliteDefault());
            }
            sb.append(",\n");
            if (c.isKey() || c == SqlColumn.STAMP_INSERTED) {
                pk.add(c.columnName());
            }
        }
        sb.append("    PRIMARY KEY (").append(String.join(", ", pk)).append(")\n);\n");
        return sb.toString();
    }
}
