package jpmacct.plugins.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.RefreshTimer;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.RecordBatch;

/**
 * pmacct's SQL plugins: aggregate into a cache and, every {@code sql_refresh_time}, write it to the table (UPDATE
 * then INSERT per entry, one transaction per purge) on a writer thread, with a fresh cache swapped in so accounting
 * never waits for the database. A purge that fails stays queued, in order, and is written again at the next purge:
 * a failed transaction is rolled back whole, so nothing is lost or counted twice.
 */
final class SqlPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(SqlPlugin.class);

    private final PluginContext ctx;
    private final PluginConfig cfg;
    private final PluginAggregation aggregation;
    private final RefreshTimer timer;
    private final int cacheEntries;
    private final SqlWriter writer;
    private final ExecutorService writerThread;
    /** Purged caches not yet written, oldest first; only the writer thread touches it. */
    private final Deque<AggregationTable> pending = new ArrayDeque<>();

    SqlPlugin(PluginContext ctx, Dialect dialect) throws ConfigException {
        this.ctx = ctx;
        this.cfg = ctx.config();
        this.cacheEntries = cfg.get(SqlKeys.CACHE_ENTRIES).intValue();
        this.aggregation = PluginAggregation.create(ctx, cacheEntries, 0);
        this.timer = new RefreshTimer(cfg.get(CoreKeys.REFRESH_TIME));
        int version = cfg.get(SqlKeys.TABLE_VERSION).intValue();
        String table = cfg.isSet(SqlKeys.TABLE) ? cfg.get(SqlKeys.TABLE) : TableVersion.defaultTable(version);
        List<SqlColumn> columns = columns(cfg, aggregation, dialect.columns(version), version);
        this.writer = new SqlWriter(dialect, cfg, table, columns, aggregation);
        this.writerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, ctx.threadName() + " writer");
            t.setDaemon(true);
            return t;
        });
        LOG.info("cache entries={}; writing {} table {} (version {})", cacheEntries, dialect.describe(cfg), table, version);
    }

    /**
     * The columns written: every column of the table version (pmacct fills those not aggregated with zero values),
     * or with {@code sql_optimize_clauses} only the aggregated ones; plus a column for each aggregated primitive the
     * version lacks.
     */
    static List<SqlColumn> columns(PluginConfig cfg, PluginAggregation aggregation, List<SqlColumn> versionColumns,
                                   int version) throws ConfigException {
        boolean optimize = cfg.get(SqlKeys.OPTIMIZE_CLAUSES);
        EnumSet<Primitive> aggregated = EnumSet.noneOf(Primitive.class);
        aggregated.addAll(aggregation.aggregate().primitives());
        List<SqlColumn> out = new ArrayList<>();
        EnumSet<Primitive> covered = EnumSet.noneOf(Primitive.class);
        for (SqlColumn c : versionColumns) {
            boolean mine = c.primitives().length == 0;
            for (Primitive p : c.primitives()) {
                if (aggregated.contains(p)) {
                    mine = true;
                    covered.add(p);
                }
            }
            if (mine || !optimize) {
                out.add(c);
            }
        }
        for (Primitive p : aggregated) {
            if (covered.contains(p)) {
                continue;
            }
            SqlColumn extra = SqlColumn.extraFor(p);
            if (extra == null) {
                int needed = TableVersion.firstWith(p);
                throw cfg.error(CoreKeys.AGGREGATE, needed > 0
                        ? "sql_table_version " + version + " has no column for '" + p.configName() + "'; use version "
                                + needed + " or later, or a custom table with sql_optimize_clauses"
                        : "primitive '" + p.configName() + "' has no SQL column yet; remove it from aggregate or use "
                                + "the print or memory plugin");
            }
            out.add(out.indexOf(SqlColumn.PACKETS), extra);
        }
        return out;
    }

    @Override
    public void start() throws Exception {
        writer.open();
        timer.start(System.currentTimeMillis(), cfg.get(CoreKeys.HISTORY_ROUNDOFF), aggregation.timestamps().zone());
    }

    @Override
    public void onBatch(RecordBatch batch) {
        aggregation.addBatch(batch, ctx);
    }

    @Override
    public long tickIntervalMillis() {
        return timer.tickIntervalMillis(System.currentTimeMillis());
    }

    @Override
    public void onTick(long nowMillis) {
        if (timer.due(nowMillis)) {
            AggregationTable full = aggregation.aggregator().swap(aggregation.newTable(cacheEntries, 0));
            writerThread.execute(() -> write(full));
        }
    }

    /** On the writer thread: writes the queued purges in order, stopping at the first failure. */
    private void write(AggregationTable full) {
        MDC.put("pm", cfg.id());
        if (full.size() > 0) {
            pending.addLast(full);
        }
        while (!pending.isEmpty()) {
            if (!writer.write(pending.peekFirst(), System.currentTimeMillis() / 1000)) {
                return;
            }
            pending.removeFirst();
        }
    }

    @Override
    public void close() {
        AggregationTable last = aggregation.aggregator().table();
        writerThread.execute(() -> write(last));
        writerThread.shutdown();
        try {
            if (!writerThread.awaitTermination(10, TimeUnit.MINUTES)) {
                LOG.error("the final purge is still writing after 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long lost = 0;
        for (AggregationTable t : pending) {
            lost += t.size();
        }
        if (lost > 0) {
            LOG.error("{} entries could not be written at exit", lost);
        }
        writer.close();
    }
}
