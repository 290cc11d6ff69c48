package jpmacct.plugins.sql.write;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.schema.SqlColumn;

/** The statements of one table, their text built once per table (and per row count of a multi-row INSERT). */
final class TableStatements {
    final String name;
    /** The name as the statements have it. */
    final String quoted;
    /** Adds a row's counters to the row of the same key (and bin). */
    final String update;
    /** The primary key the UPDATE's WHERE amounts to: the key columns and stamp_inserted. */
    final List<String> primaryKey;
    /** The ON CONFLICT / ON DUPLICATE KEY part of the upsert, or null when the database or the key has none. */
    final String upsertTail;
    private final String insertHead;
    private final String rowMarks;
    private final Map<Integer, String> multiRow = new HashMap<>();
    /** Per column: it stores bytes (sql_num_hosts into VARBINARY/BLOB); set once the table is checked. */
    boolean[] binary;
    /** Rows go as one upsert each; set once the table's primary key is known. */
    boolean useUpsert;

    TableStatements(Dialect dialect, String name, List<SqlColumn> columns, boolean history) {
        this.name = name;
        this.quoted = dialect.quoteTable(name);
        this.binary = new boolean[columns.size()];
        List<String> columnNames = new ArrayList<>();
        List<String> where = new ArrayList<>();
        this.primaryKey = new ArrayList<>();
        for (SqlColumn c : columns) {
            columnNames.add(c.columnName());
            if (c.isKey()) {
                where.add(c.columnName() + "=?");
                primaryKey.add(c.columnName());
            }
        }
        primaryKey.add("stamp_inserted");
        if (history) {
            where.add("stamp_inserted=?");
        }
        StringBuilder sb = new StringBuilder("UPDATE ").append(quoted).append(" SET packets=packets+?, bytes=bytes+?");
        if (columns.contains(SqlColumn.FLOWS)) {
            sb.append(", flows=flows+?");
        }
        if (columns.contains(SqlColumn.TCP_FLAGS)) {
            sb.append(", tcp_flags=tcp_flags|?");
        }
        this.update = sb.append(", stamp_updated=? WHERE ").append(String.join(" AND ", where)).toString();
        this.insertHead = "INSERT INTO " + quoted + " (" + String.join(", ", columnNames) + ") VALUES ";
        this.rowMarks = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        // without bins the key ignores stamp_inserted, which every pmacct primary key includes: no upsert
        this.upsertTail = history ? upsertTail(dialect, columns) : null;
    }

    private String upsertTail(Dialect dialect, List<SqlColumn> columns) {
        List<String> adds = new ArrayList<>();
        for (SqlColumn c : List.of(SqlColumn.PACKETS, SqlColumn.BYTES, SqlColumn.FLOWS, SqlColumn.TCP_FLAGS)) {
            if (columns.contains(c)) {
                String n = c.columnName();
                adds.add(n + "=" + dialect.existing(quoted, n) + (c == SqlColumn.TCP_FLAGS ? "|" : "+") + dialect.proposed(n));
            }
        }
        adds.add("stamp_updated=" + dialect.proposed("stamp_updated"));
        String insert = insertHead + rowMarks;
        String upsert = dialect.upsert(insert, primaryKey, adds);
        return upsert == null ? null : upsert.substring(insert.length());
    }

    /** INSERT (or upsert) of {@code rows} rows in one statement. */
    String insert(int rows, boolean upsert) {
        return multiRow.computeIfAbsent(upsert ? -rows : rows, k -> {
            StringBuilder sb = new StringBuilder(insertHead);
            for (int r = 0; r < rows; r++) {
                sb.append(r == 0 ? "" : ", ").append(rowMarks);
            }
            return upsert ? sb.append(upsertTail).toString() : sb.toString();
        });
    }
}
