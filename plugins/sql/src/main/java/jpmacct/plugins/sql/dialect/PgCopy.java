package jpmacct.plugins.sql.dialect;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import jpmacct.core.output.TableRow;
import jpmacct.plugins.sql.schema.SqlColumn;

/** PostgreSQL's COPY ... FROM STDIN in text format (sql_use_copy), the rows formatted into one reused buffer. */
public final class PgCopy {
    private static final int CHUNK = 1 << 16;

    /** The value of column {@code column} for the row under the cursor (counters are read here, unboxed). */
    public interface Values {
        Object value(int column, TableRow row);
    }

    private final char delimiter;
    private final StringBuilder buffer = new StringBuilder(CHUNK + 1024);

    public PgCopy(char delimiter) {
        this.delimiter = delimiter;
    }

    /** Copies the rows at {@code slots[0..n)} into {@code quotedTable}; returns the rows the server took. */
    public long copy(Connection c, String quotedTable, List<SqlColumn> columns, int[] slots, int n, TableRow row, Values values)
            throws SQLException {
        String d = delimiter == '\'' ? "''" : String.valueOf(delimiter);
        List<String> names = new ArrayList<>();
        for (SqlColumn col : columns) {
            names.add(col.columnName());
        }
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + quotedTable + " ("
                + String.join(", ", names) + ") FROM STDIN WITH (FORMAT text, DELIMITER '" + d + "')");
        try {
            buffer.setLength(0);
            for (int i = 0; i < n; i++) {
                row.moveTo(slots[i]);
                for (int col = 0; col < columns.size(); col++) {
                    if (col > 0) {
                        buffer.append(delimiter);
                    }
                    switch (columns.get(col).kind()) {
                        case PACKETS -> buffer.append(row.packets());
                        case BYTES -> buffer.append(row.bytes());
                        case FLOWS -> buffer.append(row.flows());
                        case TCP_FLAGS -> buffer.append(row.tcpFlags());
                        default -> append(values.value(col, row));
                    }
                }
                buffer.append('\n');
                if (buffer.length() >= CHUNK) {
                    flush(in);
                }
            }
            flush(in);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void append(Object v) {
        if (v instanceof Long l) {
            buffer.append(l.longValue());
            return;
        }
        String s = String.valueOf(v);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> buffer.append("\\\\");
                case '\n' -> buffer.append("\\n");
                case '\r' -> buffer.append("\\r");
                case '\t' -> buffer.append("\\t");
                default -> {
                    if (ch == delimiter) {
                        buffer.append('\\');
                    }
                    buffer.append(ch);
                }
            }
        }
    }

    private void flush(CopyIn in) throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }
}
