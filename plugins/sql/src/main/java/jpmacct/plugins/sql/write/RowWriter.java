package jpmacct.plugins.sql.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.TableRow;
import jpmacct.plugins.sql.SqlKeys;
import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.schema.SqlColumn;

/** What the write strategies share: INSERTs (or upserts) of many rows, and one row's UPDATE and INSERT. */
final class RowWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RowWriter.class);
    /** Rows per JDBC batch: one round trip per batch instead of one per statement. */
    static final int BATCH = 1000;
    /** Placeholders of one multi-row statement at most (SQLite takes 32766, MySQL 65535). */
    private static final int MAX_PARAMETERS = 30_000;

    private final Dialect dialect;
    private final ValueBinder binder;
    /** Rows per multi-row INSERT (sql_multi_values), 0 for JDBC batches. */
    private final int rowsPerInsert;

    RowWriter(Dialect dialect, PluginConfig cfg, List<SqlColumn> columns, ValueBinder binder) {
        this.dialect = dialect;
        this.binder = binder;
        long multiValues = dialect.takesMultiValuesAndNumericHosts() ? cfg.get(CoreKeys.MULTI_VALUES) : 0;
        int rowBytes = rowTextBytes(columns, binder.sinceEpoch());
        this.rowsPerInsert = multiValues == 0 ? 0
                : (int) Math.max(1, Math.min(multiValues / rowBytes, MAX_PARAMETERS / columns.size()));
        if (multiValues > 0 && multiValues < rowBytes) {
            LOG.warn("sql_multi_values {} is smaller than one row (about {} bytes): one row per INSERT", multiValues, rowBytes);
        } else if (multiValues > 0) {
            LOG.info("sql_multi_values {}: INSERTs of up to {} rows", multiValues, rowsPerInsert);
        }
    }

    /** About the bytes of one row in a VALUES list, as pmacct fills its multi-values buffer. */
    private static int rowTextBytes(List<SqlColumn> columns, boolean sinceEpoch) {
        int n = 2;
        for (SqlColumn c : columns) {
            n += 2 + switch (c.kind()) {
                case IP -> 17;
                case MAC -> 19;
                case STAMP_INSERTED, STAMP_UPDATED, TIME_MIN, TIME_MAX -> sinceEpoch ? 10 : 21;
                case CLASS, LABEL -> 18;
                case PACKETS, BYTES, FLOWS -> 10;
                default -> 5;
            };
        }
        return n;
    }

    /**
     * INSERTs (or upserts) of the rows at {@code slots[from..from+n)}: JDBC batches, which the drivers send as
     * multi-row statements, or with sql_multi_values statements of {@link #rowsPerInsert} rows.
     */
    void insert(Connection c, TableStatements ts, boolean upsert, int[] slots, int from, int n, TableRow row, Object now)
            throws SQLException {
        if (rowsPerInsert == 0) {
            try (PreparedStatement p = c.prepareStatement(ts.insert(1, upsert))) {
                int pending = 0;
                for (int k = from; k < from + n; k++) {
                    row.moveTo(slots[k]);
                    binder.bindInsert(p, 1, ts, row, now);
                    p.addBatch();
                    if (++pending == BATCH) {
                        p.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    p.executeBatch();
                }
            }
            return;
        }
        int k = from;
        int end = from + n;
        while (k < end) {
            int rows = Math.min(rowsPerInsert, end - k);
            try (PreparedStatement p = c.prepareStatement(ts.insert(rows, upsert))) {
                int param = 1;
                for (int r = 0; r < rows; r++) {
                    row.moveTo(slots[k++]);
                    param = binder.bindInsert(p, param, ts, row, now);
                }
                p.executeUpdate();
            }
        }
    }

    /** The row under the cursor: UPDATE, and INSERT when no row matched; true when it was inserted. */
    boolean updateThenInsert(PreparedStatement u, PreparedStatement i, TableStatements ts, TableRow row, Object now)
            throws SQLException {
        binder.bindUpdate(u, ts, row, now);
        if (u.executeUpdate() > 0) {
            return false;
        }
        binder.bindInsert(i, 1, ts, row, now);
        i.executeUpdate();
        return true;
    }

    /** The row under the cursor: INSERT, and UPDATE when it exists already; true when it was inserted. */
    boolean insertThenUpdate(PreparedStatement u, PreparedStatement i, TableStatements ts, TableRow row, Object now)
            throws SQLException {
        if (tryInsert(i, ts, row, now)) {
            return true;
        }
        binder.bindUpdate(u, ts, row, now);
        u.executeUpdate();
        return false;
    }

    /** An INSERT that may meet an existing row; false then, and the transaction is still usable. */
    private boolean tryInsert(PreparedStatement i, TableStatements ts, TableRow row, Object now) throws SQLException {
        binder.bindInsert(i, 1, ts, row, now);
        Savepoint sp = dialect.errorAbortsTransaction() ? i.getConnection().setSavepoint() : null;
        try {
            i.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (sp != null) {
                i.getConnection().rollback(sp);
            }
            if (!dialect.duplicate(e)) {
                throw e;
            }
            return false; // the row exists: add to it
        }
    }
}
