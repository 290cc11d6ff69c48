package jpmacct.plugins.sql.write;

import java.sql.Connection;
import java.sql.SQLException;

import jpmacct.core.output.TableRow;
import jpmacct.plugins.sql.schema.TableName;

/** How one table's part of a purge is written, inside the purge's transaction. */
interface WriteStrategy {
    /** Writes the entries of {@code g} (read through {@code row}), adding what it did to {@code counts}. */
    void write(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, Counts counts)
            throws SQLException;
}
