package jpmacct.plugins.sql.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.output.TableRow;
import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.dialect.PgCopy;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableName;

/**
 * sql_dont_try_update: the rows as INSERTs (or COPY with sql_use_copy); when one exists already, this table's part
 * is written again row by row, INSERT then UPDATE, instead of being lost.
 */
final class InsertFirst implements WriteStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(InsertFirst.class);

    private final Dialect dialect;
    private final RowWriter rows;
    private final ValueBinder binder;
    private final List<SqlColumn> columns;
    /** COPY instead of INSERTs, or null. */
    private final PgCopy copy;

    InsertFirst(Dialect dialect, RowWriter rows, ValueBinder binder, List<SqlColumn> columns, PgCopy copy) {
        this.dialect = dialect;
        this.rows = rows;
        this.binder = binder;
        this.columns = columns;
        this.copy = copy;
    }

    @Override
    public void write(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, Counts counts)
            throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            if (copy != null) {
                long copied = copy.copy(c, ts.quoted, columns, g.slots(), g.size(), row,
                        (col, r) -> binder.copyValue(col, r, ts, now));
                LOG.debug("COPY of {} rows into {}", copied, ts.name);
            } else {
                rows.insert(c, ts, false, g.slots(), 0, g.size(), row, now);
            }
            c.releaseSavepoint(sp);
            counts.inserted += g.size();
        } catch (SQLException e) {
            if (!dialect.duplicate(e)) {
                throw e;
            }
            c.rollback(sp);
            LOG.info("table {}: some rows exist already; writing this purge's {} rows INSERT then UPDATE", ts.name, g.size());
            try (PreparedStatement u = c.prepareStatement(ts.update); PreparedStatement i = c.prepareStatement(ts.insert(1, false))) {
                for (int k = 0; k < g.size(); k++) {
                    row.moveTo(g.slots()[k]);
                    counts.row(rows.insertThenUpdate(u, i, ts, row, now));
                }
            }
        }
    }
}
