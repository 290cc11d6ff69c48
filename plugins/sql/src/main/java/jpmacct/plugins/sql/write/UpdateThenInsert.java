package jpmacct.plugins.sql.write;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jpmacct.core.output.TableRow;
import jpmacct.plugins.sql.schema.TableName;

/** pmacct's way: UPDATEs adding the counters, in batches; the rows no UPDATE matched are INSERTed after each batch. */
final class UpdateThenInsert implements WriteStrategy {
    private final RowWriter rows;
    private final ValueBinder binder;

    UpdateThenInsert(RowWriter rows, ValueBinder binder) {
        this.rows = rows;
        this.binder = binder;
    }

    @Override
    public void write(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, Counts counts)
            throws SQLException {
        int[] slots = g.slots();
        int[] misses = new int[Math.min(RowWriter.BATCH, g.size())];
        try (PreparedStatement u = c.prepareStatement(ts.update)) {
            for (int from = 0; from < g.size(); from += RowWriter.BATCH) {
                int n = Math.min(RowWriter.BATCH, g.size() - from);
                for (int k = from; k < from + n; k++) {
                    row.moveTo(slots[k]);
                    binder.bindUpdate(u, ts, row, now);
                    u.addBatch();
                }
                int[] updated = u.executeBatch();
                int missed = 0;
                for (int k = 0; k < n; k++) {
                    if (updated[k] == 0) {
                        misses[missed++] = slots[from + k];
                    }
                }
                if (missed > 0) {
                    rows.insert(c, ts, false, misses, 0, missed, row, now);
                }
                counts.inserted += missed;
                counts.updated += n - missed;
            }
        } catch (BatchUpdateException e) {
            throw e.getNextException() != null ? e.getNextException() : e;
        }
    }
}
