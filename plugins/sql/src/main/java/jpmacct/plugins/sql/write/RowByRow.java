package jpmacct.plugins.sql.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;

import jpmacct.core.output.TableRow;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.plugins.sql.schema.TableName;

/**
 * One row at a time, each under a savepoint, for a purge the database refused as data: a row refused is skipped
 * and logged, the others written.
 */
final class RowByRow implements WriteStrategy {
    private final RowWriter rows;
    /** sql_dont_try_update: INSERT then UPDATE, not the reverse. */
    private final boolean insertFirst;
    private final RateLimitedLog failures;

    RowByRow(RowWriter rows, boolean insertFirst, RateLimitedLog failures) {
        this.rows = rows;
        this.insertFirst = insertFirst;
        this.failures = failures;
    }

    @Override
    public void write(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, Counts counts)
            throws SQLException {
        try (PreparedStatement u = c.prepareStatement(ts.update); PreparedStatement i = c.prepareStatement(ts.insert(1, false))) {
            for (int k = 0; k < g.size(); k++) {
                row.moveTo(g.slots()[k]);
                Savepoint sp = c.setSavepoint();
                try {
                    counts.row(insertFirst ? rows.insertThenUpdate(u, i, ts, row, now)
                            : rows.updateThenInsert(u, i, ts, row, now));
                    c.releaseSavepoint(sp);
                } catch (SQLException e) {
                    c.rollback(sp);
                    counts.skipped++;
                    failures.warn("row", "table " + ts.name + ": a row was refused and skipped (" + e.getMessage() + ")");
                }
            }
        }
    }
}
