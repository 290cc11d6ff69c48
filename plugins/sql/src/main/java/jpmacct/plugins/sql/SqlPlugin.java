package jpmacct.plugins.sql;

import java.io.IOException;
import java.nio.file.Path;
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
    /** Purged caches not yet written, oldest first; only the writer thread touches them and the journal. */
    private final Deque<AggregationTable> pending = new ArrayDeque<>();
    private final Journal journal;
    private final long journalThreshold;

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
        String db = cfg.isSet(SqlKeys.DB) ? Path.of(cfg.get(SqlKeys.DB)).getFileName().toString() : "default";
        this.journal = new Journal(Path.of(cfg.isSet(SqlKeys.JOURNAL) ? cfg.get(SqlKeys.JOURNAL)
                : System.getProperty("java.io.tmpdir") + "/jpmacct-sql-" + (cfg.type() + "-" + db + "-" + table + "-"
                        + cfg.name()).replaceAll("[^A-Za-z0-9._-]", "_") + ".journal"), aggregation);
        this.journalThreshold = cfg.get(SqlKeys.JOURNAL_THRESHOLD);
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

    /**
     * On the writer thread: writes the journal (older), then the queued purges in order, stopping at the first
     * failure; what fails stays queued, and past {@code sql_journal_threshold} entries goes to the journal.
     */
    private boolean write(AggregationTable full) {
        MDC.put("pm", cfg.id());
        if (full.size() > 0) {
            pending.addLast(full);
        }
        boolean ok = writeJournal();
        while (ok && !pending.isEmpty()) {
            ok = writer.write(pending.peekFirst(), System.currentTimeMillis() / 1000);
            if (ok) {
                pending.removeFirst();
            }
        }
        long held = 0;
        for (AggregationTable t : pending) {
            held += t.size();
        }
        while (held > journalThreshold && !pending.isEmpty()) {
            AggregationTable oldest = pending.peekFirst();
            if (!spill(oldest)) {
                break;
            }
            held -= oldest.size();
            pending.removeFirst();
        }
        return ok;
    }

    /** Writes the whole journal in one transaction (merged), then removes it; true when there is none left. */
    private boolean writeJournal() {
        if (!journal.exists()) {
            return true;
        }
        AggregationTable merged;
        try {
            List<AggregationTable> chunks = journal.read();
            merged = aggregation.newTable(cacheEntries, 0);
            for (AggregationTable t : chunks) {
                for (int s = 0, cap = t.capacity(); s < cap; s++) {
                    if (t.used(s)) {
                        merged.addFrom(t, s);
                    }
                }
            }
        } catch (IOException e) {
            // a journal this plugin cannot read must not stop it writing: set it aside for a person to look at
            Path aside = journal.file().resolveSibling(journal.file().getFileName() + ".rejected-" + System.currentTimeMillis());
            try {
                java.nio.file.Files.move(journal.file(), aside);
                LOG.error("{}; moved to {}", e.getMessage(), aside);
                return true;
            } catch (IOException moveFailure) {
                LOG.error("{}; and it cannot be moved aside ({})", e.getMessage(), moveFailure.getMessage());
                return false;
            }
        }
        if (!writer.write(merged, System.currentTimeMillis() / 1000)) {
            return false;
        }
        try {
            journal.delete();
            LOG.info("journal {} written to the database ({} entries)", journal.file(), merged.size());
        } catch (IOException e) {
            LOG.error("journal {} was written but cannot be removed ({}): remove it by hand, or it is written again",
                    journal.file(), e.getMessage());
        }
        return true;
    }

    private boolean spill(AggregationTable t) {
        try {
            journal.append(t);
            LOG.warn("{} entries the database could not take went to the journal {}", t.size(), journal.file());
            return true;
        } catch (IOException e) {
            LOG.error("cannot write the journal {}: {}; {} entries stay in memory", journal.file(), e.getMessage(), t.size());
            return false;
        }
    }

    @Override
    public void close() {
        AggregationTable last = aggregation.aggregator().table();
        writerThread.execute(() -> {
            if (!write(last)) {
                long held = 0;
                while (!pending.isEmpty() && spill(pending.peekFirst())) {
                    held += pending.removeFirst().size();
                }
                if (held > 0) {
                    LOG.warn("the database is away: {} entries are in the journal {}, written when it is back (at the "
                            + "next start)", held, journal.file());
                }
            }
        });
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
            LOG.error("{} entries could be neither written nor journalled at exit", lost);
        }
        writer.close();
    }
}
