package jpmacct.plugins.sql;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import jpmacct.core.plugin.Preprocess;
import jpmacct.core.plugin.RefreshTimer;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.TriggerExec;
import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.dialect.SqliteDialect;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableName;
import jpmacct.plugins.sql.schema.TableSchema;
import jpmacct.plugins.sql.schema.TableVersion;
import jpmacct.plugins.sql.schema.WrittenColumns;
import jpmacct.plugins.sql.write.PendingPurges;
import jpmacct.plugins.sql.write.SqlWriter;

/**
 * pmacct's SQL plugins: aggregate into a cache and, every {@code sql_refresh_time}, write it to the table (UPDATE
 * then INSERT per entry, one transaction per purge) on a writer thread, with a fresh cache swapped in so accounting
 * never waits for the database; what the database cannot take yet waits in {@link PendingPurges}.
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
    /** Only the writer thread touches them. */
    private final PendingPurges pending;
    private final Preprocess preprocess;
    private final TriggerExec trigger;
    /** When the trigger runs with sql_trigger_time; null: after every purge. */
    private final TriggerSchedule triggerSchedule;
    private boolean started;

    SqlPlugin(PluginContext ctx, Dialect dialect) throws ConfigException {
        this.ctx = ctx;
        this.cfg = ctx.config();
        this.cacheEntries = cfg.get(SqlKeys.CACHE_ENTRIES).intValue();
        this.aggregation = PluginAggregation.create(ctx, cacheEntries, 0);
        this.timer = new RefreshTimer(cfg.get(CoreKeys.REFRESH_TIME));
        this.refreshMillis = timer.refreshMillis();
        this.startupDelayMillis = cfg.get(CoreKeys.STARTUP_DELAY) * 1000;
        int version = cfg.get(SqlKeys.TABLE_VERSION).intValue();
        boolean bgp = bgpTable(cfg, aggregation);
        String template = cfg.isSet(SqlKeys.TABLE) ? cfg.get(SqlKeys.TABLE)
                : bgp ? TableVersion.BGP_TABLE : TableVersion.defaultTable(version);
        List<SqlColumn> columns = WrittenColumns.of(cfg, aggregation, bgp ? dialect.bgpColumns(version)
                : dialect.columns(version), version, bgp);
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
        if (aggregation.stitching() && !cfg.get(SqlKeys.DONT_TRY_UPDATE)) {
            // pmacct warns alike: the times are part of the row's key
            LOG.warn("nfacctd_stitching without sql_dont_try_update: timestamp_min and timestamp_max are part of a "
                    + "row's key, so a purge's UPDATE only adds to a row with the same times; set "
                    + "sql_dont_try_update: true and put them in the table's primary key");
        }
        this.writer = new SqlWriter(dialect, cfg, tableName, schema, columns, aggregation, locking, refreshMillis);
        this.preprocess = Preprocess.configured(cfg, aggregation.aggregate().has(Primitive.FLOWS));
        this.trigger = TriggerExec.configured(cfg);
        this.triggerSchedule = trigger != null && cfg.isSet(SqlKeys.TRIGGER_TIME)
                ? new TriggerSchedule(cfg.get(SqlKeys.TRIGGER_TIME)) : null;
        this.writerThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, ctx.threadName() + " writer");
            t.setDaemon(true);
            return t;
        });
        writerThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.pending = new PendingPurges(writer, journalFile(template), cfg.get(SqlKeys.JOURNAL_THRESHOLD), aggregation,
                cacheEntries, refreshMillis, writerThread, cfg.id());
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
            noteIfSet(CoreKeys.MULTI_VALUES, "applies to mysql and sqlite3 (this driver sends batches as multi-row "
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
    }

    private void noteIfSet(KeyDef<?> key, String why) {
        if (cfg.isSet(key)) {
            note(key, why);
        }
    }

    private void note(KeyDef<?> key, String why) {
        LOG.warn("{} ({}) {}; ignored", key.name(), cfg.whereSet(key), why);
    }

    /** sql_journal, or a file in the temporary directory named by the plugin, its database and table. */
    private Path journalFile(String template) {
        if (cfg.isSet(SqlKeys.JOURNAL)) {
            return Path.of(cfg.get(SqlKeys.JOURNAL));
        }
        String db = cfg.isSet(SqlKeys.DB) ? Path.of(cfg.get(SqlKeys.DB)).getFileName().toString() : "default";
        return Path.of(System.getProperty("java.io.tmpdir") + "/jpmacct-sql-" + (cfg.type() + "-" + db + "-" + template
                + "-" + cfg.name()).replaceAll("[^A-Za-z0-9._-]", "_") + ".journal");
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
        if (pending.journalExists()) {
            writerThread.execute(() -> pending.write(null)); // a previous run's journal need not wait for the first purge
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
                pending.write(kept);
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
        AggregationTable kept = preprocess.apply(full, () -> aggregation.newTable(cacheEntries, 0));
        if (kept.size() < full.size()) {
            LOG.debug("sql_preprocess: {} of {} entries pass", kept.size(), full.size());
        }
        return kept;
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
            pending.cancelRetry();
            int total = last.size();
            AggregationTable kept = preprocessed(last);
            if (!pending.write(kept)) {
                pending.spillAll();
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
        long lost = pending.entries();
        if (lost > 0) {
            LOG.error("{} entries could be neither written nor journalled at exit", lost);
        }
        writer.close();
    }
}
