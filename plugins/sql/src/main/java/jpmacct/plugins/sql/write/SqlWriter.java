package jpmacct.plugins.sql.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.TableRow;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.plugins.sql.SqlKeys;
import jpmacct.plugins.sql.dialect.ConnectionPool;
import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.dialect.PgCopy;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableName;
import jpmacct.plugins.sql.schema.TableSchema;

/**
 * Writes purged caches in one transaction per purge, over every table its entries go to: per entry an UPDATE adding
 * the counters and an INSERT when no row matched; one upsert per entry when the table's primary key is the
 * aggregation key and bin; or INSERTs (COPY) first with sql_dont_try_update.
 */
public final class SqlWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SqlWriter.class);

    private final Dialect dialect;
    private final PluginConfig cfg;
    private final TableName tableName;
    private final PluginAggregation aggregation;
    private final boolean insertFirst;
    private final Dialect.LockingStyle locking;
    private final RateLimitedLog failures;
    private final Tables tables;
    private final ValueBinder binder;
    private final WriteStrategy updateThenInsert;
    private final WriteStrategy upsert;
    private final WriteStrategy insertsFirst;
    private final WriteStrategy rowByRow;
    private HikariDataSource pool;
    private Outcome last = new Outcome(0, 0, 0, 0, 0, null);

    /** What the last successful write did, for the trigger's variables. */
    public record Outcome(int written, int inserted, int updated, int skipped, long millis, String lastTable) {
    }

    public SqlWriter(Dialect dialect, PluginConfig cfg, TableName tableName, TableSchema schema, List<SqlColumn> columns,
                     PluginAggregation aggregation, Dialect.LockingStyle locking, long failureLogMillis) {
        this.dialect = dialect;
        this.cfg = cfg;
        this.tableName = tableName;
        this.aggregation = aggregation;
        this.locking = locking;
        boolean history = aggregation.bins() != null;
        this.insertFirst = cfg.get(SqlKeys.DONT_TRY_UPDATE);
        this.failures = new RateLimitedLog(LOG, failureLogMillis);
        this.tables = new Tables(dialect, columns, schema, history, insertFirst);
        this.binder = new ValueBinder(dialect, cfg, columns, history, aggregation.timestamps().zone());
        RowWriter rows = new RowWriter(dialect, cfg, columns, binder);
        PgCopy copy = dialect.hasCopy() && insertFirst && cfg.get(SqlKeys.USE_COPY)
                ? new PgCopy(cfg.get(SqlKeys.DELIMITER).charAt(0)) : null;
        this.updateThenInsert = new UpdateThenInsert(rows, binder);
        this.upsert = new Upsert(rows);
        this.insertsFirst = new InsertFirst(dialect, rows, binder, columns, copy);
        this.rowByRow = new RowByRow(rows, insertFirst, failures);
    }

    /**
     * Connects and checks that the table takes our statements (creating it from sql_table_schema when missing); with
     * a dynamic name, that the database takes the credentials. A database that cannot be reached is not an error
     * here (the plugin keeps accounting and retries); anything else (credentials, a missing database, table or
     * column, an unwritable SQLite file) is, naming database and table.
     */
    public void open() throws ConfigException {
        pool = ConnectionPool.create(dialect, cfg);
        String table = tableName.isDynamic() ? null : tableName.template();
        try (Connection c = pool.getConnection()) {
            if (table == null) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
            } else {
                tables.get(c, table);
            }
        } catch (SQLException e) {
            if (dialect.unreachable(e)) {
                LOG.warn("{} is not reachable ({}); accounting goes on and purges are written once it is", dialect.describe(cfg),
                        rootMessage(e));
                return;
            }
            pool.close();
            pool = null;
            throw new ConfigException(dialect.describe(cfg) + (table == null ? "" : ", table " + table) + ": "
                    + rootMessage(e) + (table == null ? "" : " (create the table with the scripts in sql/, see "
                    + "sql/README.md, or name a CREATE TABLE file in sql_table_schema)"));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : e.getMessage() + ": " + t.getMessage();
    }

    public Outcome lastOutcome() {
        return last;
    }

    /**
     * Writes one purged cache in one transaction; false (logged at most once per interval) when the database is
     * unreachable or refused it. A row the database refuses as data (SQLSTATE class 22, e.g. a value too long) is
     * skipped and logged, the rest written: one bad value must not hold back a whole purge forever.
     */
    public boolean write(AggregationTable t, long nowSeconds) {
        long start = System.nanoTime();
        Object now = binder.stamp(nowSeconds);
        Counts counts;
        String lastTable;
        TableRow row = new TableRow(t, aggregation.layout(), aggregation.aggregator().labels(),
                aggregation.aggregator().classes());
        try {
            List<TableName.Group> groups = groups(t, row, nowSeconds);
            lastTable = groups.isEmpty() ? null : groups.get(groups.size() - 1).table();
            try {
                counts = writeAll(groups, row, now, false);
            } catch (SQLException e) {
                if (!dialect.refusedAsData(e)) {
                    throw e;
                }
                counts = writeAll(groups, row, now, true);
            }
        } catch (SQLException e) {
            tables.forget();
            failures.warn("write", "writing " + t.size() + " entries to " + dialect.describe(cfg) + ", table "
                    + tableName.template() + " failed: " + rootMessage(e) + "; kept and retried");
            return false;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        int written = t.size() - counts.skipped;
        last = new Outcome(written, counts.inserted, counts.updated, counts.skipped, millis, lastTable);
        LOG.info("*** Purging cache - END (QN: {}/{}, inserted {}, updated {}, skipped {}, ET: {} ms) ***",
                written, t.size(), counts.inserted, counts.updated, counts.skipped, millis);
        return true;
    }

    /** The purge's entries by table; those whose table name cannot be used are dropped, logged. */
    private List<TableName.Group> groups(AggregationTable t, TableRow row, long nowSeconds) {
        List<TableName.Group> groups = new ArrayList<>(tableName.group(t, row, nowSeconds));
        groups.removeIf(g -> {
            String why = TableName.invalid(g.table());
            if (why != null) {
                LOG.error("{} entries not written: table name '{}' (from '{}') has {}", g.size(), g.table(),
                        tableName.template(), why);
            }
            return why != null;
        });
        return groups;
    }

    /** One transaction over every table of the purge, which sql_locking_style may lock first. */
    private Counts writeAll(List<TableName.Group> groups, TableRow row, Object now, boolean rowByRow) throws SQLException {
        Counts counts = new Counts();
        if (groups.isEmpty()) {
            return counts;
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            List<TableStatements> targets = new ArrayList<>();
            List<String> quoted = new ArrayList<>();
            for (TableName.Group g : groups) {
                TableStatements ts = tables.get(c, g.table());
                targets.add(ts);
                quoted.add(ts.quoted);
            }
            c.setAutoCommit(false);
            String lock = dialect.lock(quoted, locking, insertFirst);
            try {
                if (lock != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(lock);
                    }
                }
                for (int i = 0; i < groups.size(); i++) {
                    TableStatements ts = targets.get(i);
                    strategy(ts, rowByRow).write(c, ts, groups.get(i), row, now, counts);
                }
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                if (lock != null && dialect.unlock() != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(dialect.unlock());
                    } catch (SQLException e) {
                        LOG.debug("unlock: {}", e.getMessage());
                    }
                }
            }
        }
        return counts;
    }

    private WriteStrategy strategy(TableStatements ts, boolean rowByRowAfterRefusal) {
        if (rowByRowAfterRefusal) {
            return rowByRow;
        }
        if (insertFirst) {
            return insertsFirst;
        }
        return ts.useUpsert ? upsert : updateThenInsert;
    }

    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
