package jpmacct.plugins.sql;

import java.util.ArrayList;
import java.util.List;

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
        }
        return out;
    }

    static String sqlite(int v) {
        String table = TableVersion.defaultTable(v);
        StringBuilder sb = new StringBuilder();
        sb.append("-- pmacct table version ").append(v).append(" for SQLite (jpmacct, same layout as pmacct 1.7.7)\n");
        sb.append("-- usage: sqlite3 /tmp/pmacct.db < pmacct-create-table_v").append(v).append(".sqlite3\n\n");
        sb.append("DROP TABLE IF EXISTS ").append(table).append(";\n");
        sb.append("CREATE TABLE ").append(table).append(" (\n");
        List<String> pk = new ArrayList<>();
        for (SqlColumn c : TableVersion.columns(v)) {
            sb.append("    ").append(c.columnName()).append(' ').append(c.sqliteType());
            if (c != SqlColumn.STAMP_UPDATED) {
                sb.append(" NOT NULL");
            }
            if (c.sqliteDefault() != null) {
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
