package jpmacct.plugins.sql.schema;

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
        out.add(new String[] {"pmacct-create-db_bgp_v1.mysql", mysqlDb("bgp_v1", "BGP table (sql_table_type: bgp)")
                + table(TableVersion.BGP_TABLE, TableVersion.bgpColumns(1, false), SqlColumn::mysqlType, false)});
        out.add(new String[] {"pmacct-create-table_bgp_v1.sqlite3", sqliteHeader("bgp_v1", "BGP table (sql_table_type: bgp)")
                + table(TableVersion.BGP_TABLE, TableVersion.bgpColumns(1, true), SqlColumn::sqliteType, true)});
        out.add(new String[] {"pmacct-create-table_bgp_v1.pgsql", pgsqlHeader("bgp_v1", "BGP table (sql_table_type: bgp)")
                + pgsqlTable(TableVersion.BGP_TABLE, TableVersion.bgpColumns(1, false), false)});
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
        return mysqlDb("v" + v, "table version " + v) + table(TableVersion.defaultTable(v), TableVersion.columns(v),
                SqlColumn::mysqlType, false);
    }

    private static String mysqlDb(String suffix, String what) {
        return "-- pmacct " + what + " for MySQL/MariaDB (jpmacct, same layout as pmacct 1.7.7)\n"
                + "-- usage: mysql -u root -p < pmacct-create-db_" + suffix + ".mysql; then pmacct-grant-db.mysql\n\n"
                + "DROP DATABASE IF EXISTS pmacct;\nCREATE DATABASE pmacct;\n\nUSE pmacct;\n\n";
    }

    static String sqlite(int v) {
        return sqliteHeader("v" + v, "table version " + v) + table(TableVersion.defaultTable(v), TableVersion.columns(v),
                SqlColumn::sqliteType, true);
    }

    private static String sqliteHeader(String suffix, String what) {
        return "-- pmacct " + what + " for SQLite (jpmacct, same layout as pmacct 1.7.7)\n"
                + "-- usage: sqlite3 /tmp/pmacct.db < pmacct-create-table_" + suffix + ".sqlite3\n\n";
    }

    static String pgsql(int v) {
        return pgsqlHeader(v == 7 ? "v7_v8" : "v" + v, "table version " + v) + pgsqlTable(v);
    }

    private static String pgsqlHeader(String suffix, String what) {
        return "-- pmacct " + what + " for PostgreSQL (jpmacct, same layout as pmacct 1.7.7's typed tables)\n"
                + "-- usage: psql -d pmacct -f pmacct-create-table_" + suffix + ".pgsql\n\n";
    }

    /** The typed table of version {@code v} (inet, macaddr), its key named like pmacct's, and the grant to pmacct. */
    private static String pgsqlTable(int v) {
        return pgsqlTable(TableVersion.defaultTable(v), TableVersion.pgsqlColumns(v), v == 1);
    }

    /** Version 1 alone defaults stamp_inserted to the current time, as pmacct's script does. */
    private static String pgsqlTable(String table, List<SqlColumn> columns, boolean stampDefaultNow) {
        StringBuilder sb = new StringBuilder();
        sb.append("DROP TABLE IF EXISTS ").append(table).append(";\n");
        sb.append("CREATE TABLE ").append(table).append(" (\n");
        List<String> pk = new ArrayList<>();
        for (SqlColumn c : columns) {
            String type = c.pgsqlType();
            if (stampDefaultNow && c == SqlColumn.STAMP_INSERTED) {
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

    /** DROP and CREATE of a table, with the dialect's column types (and SQLite's defaults). */
    private static String table(String table, List<SqlColumn> columns, Function<SqlColumn, String> type, boolean defaults) {
        StringBuilder sb = new StringBuilder();
        sb.append("DROP TABLE IF EXISTS ").append(table).append(";\n");
        sb.append("CREATE TABLE ").append(table).append(" (\n");
        List<String> pk = new ArrayList<>();
        for (SqlColumn c : columns) {
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
