package jpmacct.plugins.sql.write;

import java.sql.Connection;
import java.sql.SQLException;

import jpmacct.core.output.TableRow;
import jpmacct.plugins.sql.schema.TableName;

/** One upsert per row (in batches), where the table's primary key is the aggregation key and bin. */
final class Upsert implements WriteStrategy {
    private final RowWriter rows;

    Upsert(RowWriter rows) {
        this.rows = rows;
    }

    @Override
    public void write(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, Counts counts)
            throws SQLException {
        rows.insert(c, ts, true, g.slots(), 0, g.size(), row, now);
        counts.inserted += g.size();
    }
}
