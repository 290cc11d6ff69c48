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
        for (int v = TableVersion.MIN; v <= TableVersion.MAX; v++) {
            if (v == 7) {
                out.add(new String[] {"pmacct-create-table_v7_v8.pgsql", pgsql(7) + "\n" + pgsqlTable(8)});
                v++;
            } else {
                out.add(new String[] {"pmacct-create-table_v" + v + ".pgsql", pgsql(v)});
            }
        }
        out.add(new String[] {"pmacct-create-db.pgsql", "-- the pmacct database and user of the pgsql plugin's defaults (sql_db, sql_user, "
                + "sql_passwd)\n-- usage: psql -d template1 -f pmacct-create-db.pgsql\n\n"
                + "DROP DATABASE IF EXISTS pmacct;\nCREATE DATABASE pmacct;\n\nCREATE USER pmacct;\n"
                + "ALTER USER pmacct WITH PASSWORD 'arealsmartpwd';\n"});
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

    static String pgsql(int v) {
        return "-- pmacct table version " + v + " for PostgreSQL (jpmacct, same layout as pmacct 1.7.7's typed tables)\n"
                + "-- usage: psql -d pmacct -f pmacct-create-table_v" + (v == 7 ? "7_v8" : v) + ".pgsql\n\n" + pgsqlTable(v);
    }

    /** The typed table of version {@code v} (inet, macaddr), its key named like pmacct's, and the grant to pmacct. */
    private static String pgsqlTable(int v) {
        String table = TableVersion.defaultTable(v);
        StringBuilder sb = new StringBuilder();
        sb.append("DROP TABLE IF EXISTS ").append(table).append(";\n");
        sb.append("CREATE TABLE ").append(table).append(" (\n");
        List<String> pk = new ArrayList<>();
        for (SqlColumn c : TableVersion.pgsqlColumns(v)) {
            String type = c.pgsqlType();
            if (v == 1 && c == SqlColumn.STAMP_INSERTED) {
                type = "timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP(0)";
            }
            sb.append("    ").append(c.columnName()).append(' ').append(type).append(",\n");
            if (c.isKey() || c == SqlColumn.STAMP_INSERTED) {
                pk.add(c.columnName());
            }
        }
        sb.append("    CONSTRAINT ").append(table).append("_pk PRIMARY KEY (").append(String.join(", ", pk)).append(")\n);\n");
        sb.append("GRANT SELECT, INSERT, UPDATE, DELETE ON ").append(table).append(" TO pmacct;\n");
        return sb.toString();
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
