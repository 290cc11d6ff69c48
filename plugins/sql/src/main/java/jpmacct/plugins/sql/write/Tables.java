package jpmacct.plugins.sql.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableProbe;
import jpmacct.plugins.sql.schema.TableSchema;

/** The tables a writer has checked, with their statements, the most recently used kept. */
final class Tables {
    private static final Logger LOG = LoggerFactory.getLogger(Tables.class);
    /** Checked tables remembered; a dynamic name per day needs few, per tag more. */
    private static final int REMEMBERED = 256;

    private final Dialect dialect;
    private final List<SqlColumn> columns;
    private final boolean history;
    private final boolean insertFirst;
    private final TableProbe probe;
    private final Map<String, TableStatements> checked = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TableStatements> eldest) {
            return size() > REMEMBERED;
        }
    };

    Tables(Dialect dialect, List<SqlColumn> columns, TableSchema schema, boolean history, boolean insertFirst) {
        this.dialect = dialect;
        this.columns = columns;
        this.history = history;
        this.insertFirst = insertFirst;
        this.probe = new TableProbe(dialect, columns, schema);
    }

    /** The statements of {@code name}, checking (and creating) the table on first use; autocommit must be on. */
    TableStatements get(Connection c, String name) throws SQLException {
        TableStatements ts = checked.get(name);
        if (ts != null) {
            return ts;
        }
        ts = new TableStatements(dialect, name, columns, history);
        ts.binary = probe.check(c, name, ts.quoted);
        Set<String> primaryKey = TableProbe.primaryKey(c, name);
        ts.useUpsert = !insertFirst && ts.upsertTail != null && primaryKey.equals(new HashSet<>(ts.primaryKey));
        if (ts.useUpsert) {
            LOG.info("table {}: its primary key is the aggregation key and bin, so rows are written with one upsert each",
                    name);
        }
        if (columns.contains(SqlColumn.TIMESTAMP_MIN) && !primaryKey.isEmpty()
                && !primaryKey.containsAll(List.of("timestamp_min", "timestamp_max"))) {
            LOG.warn("table {}: nfacctd_stitching writes timestamp_min and timestamp_max as part of a row's key, and "
                    + "the table's primary key lacks them: an entry of a later purge with other times collides with "
                    + "its earlier row on that key and cannot be written (see pmacct's sql/README.timestamp)", name);
        }
        checked.put(name, ts);
        return ts;
    }

    /** Every table is checked again at its next use (after a failure: a table dropped meanwhile is created again). */
    void forget() {
        checked.clear();
    }
}
