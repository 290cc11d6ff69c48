package jpmacct.plugins.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.History;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.DynamicName;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.RefreshTimer;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.TriggerExec;

/**
 * pmacct's SQL plugins: aggregate into a cache and, every {@code sql_refresh_time}, write it to the table (UPDATE
 * then INSERT per entry, one transaction per purge) on a writer thread, with a fresh cache swapped in so accounting
 * never waits for the database. A purge that fails stays queued, in order, and is retried with a back-off (sooner
 * than the next purge, doubling up to sql_refresh_time): a failed transaction is rolled back whole, so nothing is
 * lost or counted twice.
 */
final class SqlPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(SqlPlugin.class);

    private final PluginContext ctx;
    private final PluginConfig cfg;
    private final PluginAggregation aggregation;
    private final RefreshTimer timer;
    private final long refreshMillis;
    private final long startupDelayMillis;
    private final int cacheEntries;
    private final TableName tableName;
    private final SqlWriter writer;
    private final ScheduledThreadPoolExecutor writerThread;
    /** Purged caches not yet written, oldest first; only the writer thread touches them and the journal. */
    private final Deque<AggregationTable> pending = new ArrayDeque<>();
    private final Journal journal;
    private final long journalThreshold;
    private final Preprocess preprocess;
    private final boolean preprocessAll;
    private final TriggerExec trigger;
    /** When the trigger runs with sql_trigger_time; null: after every purge. */
    private final TriggerSchedule triggerSchedule;
    // retries while the database is away (writer thread only)
    private final Backoff backoff;
    private ScheduledFuture<?> retry;
    private int failedAttempts;
    private boolean started;

    SqlPlugin(PluginContext ctx, Dialect dialect) throws ConfigException {
        this.ctx = ctx;
        this.cfg = ctx.config();
        this.cacheEntries = cfg.get(SqlKeys.CACHE_ENTRIES).intValue();
        this.aggregation = PluginAggregation.create(ctx, cacheEntries, 0);
        this.timer = new RefreshTimer(cfg.get(CoreKeys.REFRESH_TIME));
        this.refreshMillis = timer.refreshMillis();
        this.startupDelayMillis = cfg.get(SqlKeys.STARTUP_DELAY) * 1000;
        int version = cfg.get(SqlKeys.TABLE_VERSION).intValue();
        boolean bgp = bgpTable(cfg, aggregation);
        String template = cfg.isSet(SqlKeys.TABLE) ? cfg.get(SqlKeys.TABLE)
                : bgp ? TableVersion.BGP_TABLE : TableVersion.defaultTable(version);
        List<SqlColumn> columns = columns(cfg, aggregation, bgp ? dialect.bgpColumns(version) : dialect.columns(version),
                version, bgp);
        History history = cfg.get(CoreKeys.HISTORY);
        ZoneId zone = aggregation.timestamps().zone();
        this.tableName = new TableName(new DynamicName(template, refreshMillis / 1000, history == null ? 0 : history.seconds(),
                0, 0), zone, aggregation.bins() != null);
        String sample = tableName.resolve(null, System.currentTimeMillis() / 1000);
        String invalid = TableName.invalid(sample);
        if (invalid != null) {
            throw cfg.error(SqlKeys.TABLE, "'" + template + "' gives table names like '" + sample + "', which has "
                    + invalid);
        }
        TableSchema schema = cfg.isSet(SqlKeys.TABLE_SCHEMA) ? TableSchema.read(cfg) : null;
        if (schema != null && !schema.leftOut().isEmpty()) {
            LOG.info("sql_table_schema {}: only its CREATE TABLE statement is run, not {}", schema.file(),
                    String.join(", ", schema.leftOut()));
        }
        Dialect.LockingStyle locking = lockingStyle(dialect);
        noteKeysThatDoNotApply(dialect);
        this.writer = new SqlWriter(dialect, cfg, tableName, schema, columns, aggregation, locking, refreshMillis);
        String db = cfg.isSet(SqlKeys.DB) ? Path.of(cfg.get(SqlKeys.DB)).getFileName().toString() : "default";
        this.journal = new Journal(Path.of(cfg.isSet(SqlKeys.JOURNAL) ? cfg.get(SqlKeys.JOURNAL)
                : System.getProperty("java.io.tmpdir") + "/jpmacct-sql-" + (cfg.type() + "-" + db + "-" + template + "-"
                        + cfg.name()).replaceAll("[^A-Za-z0-9._-]", "_") + ".journal"), aggregation);
        this.journalThreshold = cfg.get(SqlKeys.JOURNAL_THRESHOLD);
        this.preprocess = cfg.get(SqlKeys.PREPROCESS);
        this.preprocessAll = cfg.get(SqlKeys.PREPROCESS_TYPE).equals("all");
        String program = cfg.get(CoreKeys.TRIGGER_EXEC);
        this.trigger = program == null ? null : new TriggerExec(program, cfg.id());
        this.triggerSchedule = trigger != null && cfg.isSet(SqlKeys.TRIGGER_TIME)
                ? new TriggerSchedule(cfg.get(SqlKeys.TRIGGER_TIME)) : null;
        this.backoff = new Backoff(Math.max(100, Math.min(1000, refreshMillis / 4)), refreshMillis);
        this.writerThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, ctx.threadName() + " writer");
            t.setDaemon(true);
            return t;
        });
        writerThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        LOG.info("cache entries={}; writing {} table {} ({}version {}, locking {})", cacheEntries, dialect.describe(cfg),
                template, bgp ? "bgp, " : "", version, locking);
    }

    /** pmacct switches to its BGP table when a BGP primitive beyond src_as/dst_as is aggregated. */
    private static boolean bgpTable(PluginConfig cfg, PluginAggregation aggregation) {
        if (cfg.isSet(SqlKeys.TABLE_TYPE)) {
            return cfg.get(SqlKeys.TABLE_TYPE).equals("bgp");
        }
        for (Primitive p : List.of(Primitive.PEER_SRC_IP, Primitive.PEER_DST_IP)) {
            if (aggregation.aggregate().has(p)) {
                LOG.info("sql_table_type set to 'bgp' (aggregate includes {})", p.configName());
                return true;
            }
        }
        return false;
    }

    /** sql_locking_style as this database takes it; the values it has not are noted and mean no lock. */
    private Dialect.LockingStyle lockingStyle(Dialect dialect) {
        Dialect.LockingStyle style = Dialect.LockingStyle.parse(cfg.get(SqlKeys.LOCKING_STYLE));
        if (dialect.lockingStyles().contains(style)) {
            return style;
        }
        if (cfg.isSet(SqlKeys.LOCKING_STYLE)) {
            note(SqlKeys.LOCKING_STYLE, dialect.lockingStyles().isEmpty() ? "does not apply to " + cfg.type()
                    + " (a transaction locks the database file)" : "'" + style + "' is not one of " + cfg.type() + "'s "
                    + dialect.lockingStyles() + "; no lock is taken");
        }
        return Dialect.LockingStyle.NONE;
    }

    /** Keys pmacct gives some databases only: accepted by all, noted where they do nothing (as pmacct ignores them). */
    private void noteKeysThatDoNotApply(Dialect dialect) {
        if (!dialect.takesMultiValuesAndNumericHosts()) {
            noteIfSet(SqlKeys.MULTI_VALUES, "applies to mysql and sqlite3 (this driver sends batches as multi-row "
                    + "INSERTs anyway)");
            noteIfSet(SqlKeys.NUM_HOSTS, "applies to mysql and sqlite3 (" + cfg.type() + " tables have inet columns)");
        }
        boolean copy = dialect.hasCopy() && cfg.get(SqlKeys.USE_COPY) && cfg.get(SqlKeys.DONT_TRY_UPDATE);
        if (!dialect.hasCopy()) {
            noteIfSet(SqlKeys.USE_COPY, "applies to pgsql only");
        } else if (cfg.get(SqlKeys.USE_COPY) && !copy) {
            note(SqlKeys.USE_COPY, "needs sql_dont_try_update: true (as in pmacct)");
        }
        if (!copy) {
            noteIfSet(SqlKeys.DELIMITER, "applies to sql_use_copy only");
        }
        if (dialect.user(cfg) == null) {
            noteIfSet(SqlKeys.CONN_CA_FILE, "applies to mysql and pgsql only");
        }
        if (cfg.get(CoreKeys.TRIGGER_EXEC) == null) {
            noteIfSet(SqlKeys.TRIGGER_TIME, "has no sql_trigger_exec to run");
        }
        Preprocess p = cfg.get(SqlKeys.PREPROCESS);
        if (p != null && p.needsFlows() && !aggregation.aggregate().has(Primitive.FLOWS)) {
            note(SqlKeys.PREPROCESS, "minppf/maxppf need the flows primitive in aggregate; those checks are skipped");
        }
        if (p == null) {
            noteIfSet(SqlKeys.PREPROCESS_TYPE, "has no sql_preprocess to apply to");
        }
    }

    private void noteIfSet(KeyDef<?> key, String why) {
        if (cfg.isSet(key)) {
            note(key, why);
        }
    }

    private void note(KeyDef<?> key, String why) {
        LOG.warn("{} ({}) {}; ignored", key.name(), cfg.whereSet(key), why);
    }

    /**
     * The columns written: every column of the table version (pmacct fills those not aggregated with zero values),
     * or with {@code sql_optimize_clauses} only the aggregated ones; plus a column for each aggregated primitive the
     * version lacks.
     */
    static List<SqlColumn> columns(PluginConfig cfg, PluginAggregation aggregation, List<SqlColumn> versionColumns,
                                   int version, boolean bgp) throws ConfigException {
        boolean optimize = cfg.get(SqlKeys.OPTIMIZE_CLAUSES);
        EnumSet<Primitive> aggregated = EnumSet.noneOf(Primitive.class);
        aggregated.addAll(aggregation.aggregate().primitives());
        List<SqlColumn> out = new ArrayList<>();
        EnumSet<Primitive> covered = EnumSet.noneOf(Primitive.class);
        for (SqlColumn c : versionColumns) {
            boolean mine = c.primitives().length == 0 && c.kind() != SqlColumn.Kind.NO_VALUE_NUMBER
                    && c.kind() != SqlColumn.Kind.NO_VALUE_TEXT;
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
                String message;
                if (bgp && needed > 0) {
                    message = "sql_table_type bgp has no column for '" + p.configName() + "'; use sql_table_type "
                            + "original, or a custom table with sql_optimize_clauses";
                } else if (needed > 0) {
                    message = "sql_table_version " + version + " has no column for '" + p.configName() + "'; use "
                            + "version " + needed + " or later, or a custom table with sql_optimize_clauses";
                } else {
                    message = "primitive '" + p.configName() + "' has no SQL column yet; remove it from aggregate or "
                            + "use the print or memory plugin";
                }
                throw cfg.error(CoreKeys.AGGREGATE, message);
            }
            out.add(out.indexOf(SqlColumn.PACKETS), extra);
        }
        return out;
    }

    @Override
    public void start() throws Exception {
        writer.open();
        long now = System.currentTimeMillis();
        String roundoff = cfg.get(CoreKeys.HISTORY_ROUNDOFF);
        ZoneId zone = aggregation.timestamps().zone();
        timer.start(now, roundoff, zone, startupDelayMillis);
        if (triggerSchedule != null) {
            triggerSchedule.start(now, roundoff, zone, startupDelayMillis);
        }
        started = true;
        if (journal.exists()) {
            writerThread.execute(() -> write(null)); // a previous run's journal need not wait for the first purge
        }
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
            boolean fire = trigger != null && (triggerSchedule == null || triggerSchedule.due(nowMillis));
            long basetime = fire && full.size() > 0 ? currentBin(nowMillis) : 0;
            writerThread.execute(() -> {
                int total = full.size();
                AggregationTable kept = preprocessed(full);
                write(kept);
                if (fire) {
                    runTrigger(basetime, triggerSchedule == null ? new int[] {total, kept.size()} : null);
                }
            });
        } else if (triggerSchedule != null && triggerSchedule.due(nowMillis)) {
            long basetime = aggregation.aggregator().table().size() > 0 ? currentBin(nowMillis) : 0;
            writerThread.execute(() -> runTrigger(basetime, null));
        }
    }

    /**
     * Start of the history bin now, or 0 without sql_history. Plugin thread only, and only once records came: the
     * bins are the aggregation's, and the first call anchors them.
     */
    private long currentBin(long nowMillis) {
        return aggregation.bins() == null ? 0 : aggregation.bins().binStart(nowMillis / 1000);
    }

    /** sql_preprocess: the entries that pass, with its actions applied. */
    private AggregationTable preprocessed(AggregationTable full) {
        if (preprocess == null) {
            return full;
        }
        AggregationTable kept = preprocess.apply(full, preprocessAll, aggregation.aggregate().has(Primitive.FLOWS),
                () -> aggregation.newTable(cacheEntries, 0));
        if (kept.size() < full.size()) {
            LOG.debug("sql_preprocess: {} of {} entries pass", kept.size(), full.size());
        }
        return kept;
    }

    /**
     * On the writer thread: writes the journal (older), then the queued purges in order, stopping at the first
     * failure; what fails stays queued (past {@code sql_journal_threshold} entries it goes to the journal) and a
     * retry is scheduled. {@code full} is a new purge, or null for a retry.
     */
    private boolean write(AggregationTable full) {
        MDC.put("pm", cfg.id());
        if (full != null && full.size() > 0) {
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
        if (ok) {
            if (failedAttempts > 0) {
                LOG.info("the database took what was pending after {} failed attempts", failedAttempts);
            }
            failedAttempts = 0;
            backoff.reset();
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
        } else {
            failedAttempts++;
            scheduleRetry();
        }
        return ok;
    }

    /** One retry at a time, sooner than the next purge at first, then doubling up to sql_refresh_time. */
    private void scheduleRetry() {
        if (retry != null && !retry.isDone() || writerThread.isShutdown()) {
            return;
        }
        long delay = backoff.next();
        LOG.debug("retrying in {} ms ({} entries pending)", delay, pendingEntries());
        retry = writerThread.schedule(() -> {
            retry = null;
            if (!pending.isEmpty() || journal.exists()) {
                write(null);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private long pendingEntries() {
        long n = 0;
        for (AggregationTable t : pending) {
            n += t.size();
        }
        return n;
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
                Files.move(journal.file(), aside);
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

    /**
     * Runs sql_trigger_exec with pmacct's variables; {@code elements} (total, written after sql_preprocess) is given
     * when it runs after a purge without sql_trigger_time, which adds the purge's figures.
     */
    private void runTrigger(long basetime, int[] elements) {
        MDC.put("pm", cfg.id());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SQL_DB", cfg.isSet(SqlKeys.DB) ? cfg.get(SqlKeys.DB) : cfg.type().equals("sqlite3")
                ? SqliteDialect.DEFAULT_DB : "pmacct");
        env.put("SQL_TABLE", tableName.template());
        SqlWriter.Outcome last = writer.lastOutcome();
        if (tableName.isDynamic() && last.lastTable() != null) {
            env.put("EFFECTIVE_SQL_TABLE", last.lastTable());
        }
        if (!cfg.type().equals("sqlite3")) {
            env.put("SQL_HOST", cfg.get(SqlKeys.HOST));
            env.put("SQL_USER", cfg.get(SqlKeys.USER));
        }
        env.put("SQL_REFRESH_TIME", Long.toString(refreshMillis / 1000));
        if (cfg.get(CoreKeys.SAMPLING_RATE) != null) {
            env.put("SAMPLING_RATE", Long.toString(cfg.get(CoreKeys.SAMPLING_RATE)));
        }
        if (basetime > 0) {
            History h = aggregation.bins().history();
            long slot = h.monthly() ? Instant.ofEpochSecond(basetime).atZone(aggregation.timestamps().zone())
                    .plusMonths(h.count()).toEpochSecond() - basetime : h.seconds();
            env.put("SQL_HISTORY_BASETIME", Long.toString(basetime));
            env.put("SQL_HISTORY_TIMESLOT", Long.toString(slot));
        }
        if (elements != null) {
            env.put("INSERT_QUERIES_NUMBER", Integer.toString(last.inserted()));
            env.put("UPDATE_QUERIES_NUMBER", Integer.toString(last.updated()));
            env.put("TOTAL_ELEM_NUMBER", Integer.toString(elements[0]));
            env.put("EFFECTIVE_ELEM_NUMBER", Integer.toString(elements[1]));
            env.put("ELAPSED_TIME", Long.toString(last.millis() / 1000));
        }
        trigger.run(env);
    }

    @Override
    public void close() {
        if (!started) {
            writer.close();
            return;
        }
        AggregationTable last = aggregation.aggregator().table();
        boolean fire = trigger != null && triggerSchedule == null;
        long basetime = fire && last.size() > 0 ? currentBin(System.currentTimeMillis()) : 0;
        writerThread.execute(() -> {
            if (retry != null) {
                retry.cancel(false);
            }
            int total = last.size();
            AggregationTable kept = preprocessed(last);
            if (!write(kept)) {
                long held = 0;
                while (!pending.isEmpty() && spill(pending.peekFirst())) {
                    held += pending.removeFirst().size();
                }
                if (held > 0) {
                    LOG.warn("the database is away: {} entries are in the journal {}, written when it is back (at the "
                            + "next start)", held, journal.file());
                }
            } else if (fire) {
                runTrigger(basetime, new int[] {total, kept.size()});
            }
        });
        writerThread.shutdown();
        try {
            if (!writerThread.awaitTermination(10, TimeUnit.MINUTES)) {
                LOG.error("the final purge is still writing after 10 minutes");
            }
            if (trigger != null) {
                trigger.awaitAll(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long lost = pendingEntries();
        if (lost > 0) {
            LOG.error("{} entries could be neither written nor journalled at exit", lost);
        }
        writer.close();
    }
}
