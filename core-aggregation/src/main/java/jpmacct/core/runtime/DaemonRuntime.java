package jpmacct.core.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.DatagramConsumer;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.record.BatchPool;
import jpmacct.core.record.RecordStage;
import jpmacct.core.redis.RedisHeartbeat;
import jpmacct.core.redis.RedisSettings;

/**
 * What every daemon shares once its configuration is resolved: the plugins and their threads, the batch pool and
 * dispatcher, signals (INT/TERM stop after a final flush, HUP reopens logs, USR1 prints counters, USR2 reloads
 * maps), the pidfile, and an orderly shutdown. Daemons reach it only through {@link DaemonAssembly}, which calls
 * its steps in their order.
 */
final class DaemonRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonRuntime.class);
    /** Bytes one record stands for when sizing batches and queues from plugin_buffer_size/plugin_pipe_size. */
    public static final int RECORD_BYTES = 256;
    /** Reading a savefile the core waits for the plugins, so a deeper queue only costs memory. */
    private static final int SAVEFILE_QUEUE_BATCHES = 32;
    private static final long FLUSH_DELAY_MILLIS = 100;

    private final DaemonConfig config;
    private final DaemonInfo info;
    private final Map<String, PluginFactory> factories;
    private final Metrics metrics = new Metrics();
    private final MapRegistry maps = new MapRegistry();
    private final List<PluginRunner> runners = new ArrayList<>();
    private final List<Plugin> plugins = new ArrayList<>();
    private final FilePermissions files;
    private BatchPool pool;
    private Dispatcher dispatcher;
    private int batchSize;
    private volatile boolean stopRequested;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Path pidfile;
    private Supplier<RecordStage> stages;
    /** redis_host, or null. */
    private RedisSettings redis;
    private RedisHeartbeat coreHeartbeat;

    DaemonRuntime(DaemonConfig config, DaemonInfo info, Map<String, PluginFactory> factories) {
        this.config = config;
        this.info = info;
        this.factories = factories;
        this.files = new FilePermissions(config.get(CoreKeys.FILES_UMASK), config.get(CoreKeys.FILES_UID),
                config.get(CoreKeys.FILES_GID));
    }

    public Metrics metrics() {
        return metrics;
    }

    public MapRegistry maps() {
        return maps;
    }

    public FilePermissions files() {
        return files;
    }

    public DaemonInfo info() {
        return info;
    }

    public DaemonConfig config() {
        return config;
    }

    /** Builds every plugin from its configuration; nothing is opened yet. */
    void createPlugins() throws ConfigException {
        redis = RedisSettings.of(config);
        int minBatch = Integer.MAX_VALUE;
        for (PluginConfig pc : config.plugins()) {
            PluginFactory f = factories.get(pc.type());
            String thread = f.processTitle() + " [" + pc.name() + "]";
            PluginContext ctx = new PluginContext(pc, info, metrics, maps, thread, files);
            Plugin p;
            String old = MDC.get("pm");
            MDC.put("pm", pc.id());
            try {
                p = f.create(ctx);
            } finally {
                MDC.put("pm", old == null ? config.coreName() + "/core" : old);
            }
            long buffer = Math.max(RECORD_BYTES, pc.get(CoreKeys.PLUGIN_BUFFER_SIZE));
            long pipe = Math.max(buffer, pc.get(CoreKeys.PLUGIN_PIPE_SIZE));
            int queueBatches = (int) Math.min(info.savefile() ? SAVEFILE_QUEUE_BATCHES : 1 << 16, Math.max(2, pipe / buffer));
            minBatch = (int) Math.min(minBatch, buffer / RECORD_BYTES);
            plugins.add(p);
            runners.add(new PluginRunner(p, ctx, queueBatches));
        }
        if (runners.size() > 63) {
            throw new ConfigException("too many plugins (" + runners.size() + "); at most 63 are supported");
        }
        batchSize = Math.max(16, Math.min(8192, minBatch == Integer.MAX_VALUE ? 512 : minBatch));
        for (PluginRunner r : runners) {
            PluginConfig pc = r.context().config();
            if (pc.get(CoreKeys.DEBUG)) {
                // pmacct's line, plus what the sizes became here
                MDCScope.with(pc.id(), () -> LOG.info("plugin_pipe_size={} bytes plugin_buffer_size={} bytes: batches "
                        + "of {} records, {} batches queued at most", pc.get(CoreKeys.PLUGIN_PIPE_SIZE),
                        pc.get(CoreKeys.PLUGIN_BUFFER_SIZE), batchSize, r.queueCapacity()));
            }
        }
    }

    /** Records per batch: the smallest plugin_buffer_size of the plugins, in records (one pool serves them all). */
    int batchRecords() {
        return batchSize;
    }

    /**
     * Starts the plugins (opening files, sockets) and their threads.
     *
     * @param wait whether producers wait for a full plugin queue (savefiles always do)
     */
    void start(int producers, boolean wait) throws Exception {
        for (int i = 0; i < plugins.size(); i++) {
            MDCScope.with(runners.get(i).context().config().id(), plugins.get(i)::start);
        }
        List<PluginRunner> recordRunners = new ArrayList<>();
        for (PluginRunner r : runners) {
            if (r.plugin().wantsRecords()) {
                recordRunners.add(r);
            }
        }
        dispatcher = new Dispatcher(recordRunners, info.savefile() || wait ? Dispatcher.Overflow.WAIT
                : Dispatcher.Overflow.DROP);
        pool = new BatchPool(Dispatcher.poolSizeFor(runners, producers), batchSize);
        for (PluginRunner r : runners) {
            r.start();
        }
        startRedis();
        if (config.get(CoreKeys.MAPS_REFRESH)) {
            Thread watch = new Thread(this::watchMaps, "maps refresh");
            watch.setDaemon(true);
            watch.start();
        }
    }

    /**
     * redis_host: the core and each plugin announce themselves over their own connection, as pmacct's processes
     * do; a plugin's key stops being renewed once its thread has ended.
     */
    private void startRedis() {
        if (redis == null) {
            return;
        }
        String core = config.coreName();
        String daemonTypeKey = redis.key("daemon_type");
        String daemonType = info.kind().programName();
        RedisHeartbeat.Beat process = RedisHeartbeat.processBeat(redis, core, "core");
        coreHeartbeat = new RedisHeartbeat(redis, core + "/core", coreThreadName(), client -> {
            client.setex(daemonTypeKey, RedisHeartbeat.EXPIRE_SECONDS, daemonType);
            process.run(client);
        }, () -> true, metrics);
        coreHeartbeat.start();
        for (PluginRunner r : runners) {
            PluginConfig pc = r.context().config();
            r.heartbeat(new RedisHeartbeat(redis, pc.id(), r.context().threadName(),
                    RedisHeartbeat.processBeat(redis, pc.name(), pc.type()), r::alive, metrics));
        }
    }

    /** Whether any plugin takes records; a collector with only tee plugins need not decode (as pmacct). */
    boolean recordsWanted() {
        for (Plugin p : plugins) {
            if (p.wantsRecords()) {
                return true;
            }
        }
        return false;
    }

    /** Plugins that take the collector's raw datagrams (tee), in {@code plugins:} order. */
    List<DatagramConsumer> datagramConsumers() {
        List<DatagramConsumer> out = new ArrayList<>();
        for (Plugin p : plugins) {
            if (p instanceof DatagramConsumer c) {
                out.add(c);
            }
        }
        return out;
    }

    /** The most packet header bytes any plugin asked for (0: none wants packets' bytes). */
    int packetHeaderBytes() {
        int n = 0;
        for (Plugin p : plugins) {
            n = Math.max(n, p.packetHeaderBytes());
        }
        return n;
    }

    /** maps_refresh: picks up changed map files (the maps themselves swap in whole, or stay when bad). */
    private void watchMaps() {
        while (!stopRequested) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
            maps.reloadChanged();
        }
    }

    /** A producing thread's writer (with its own record stage, when the daemon set one). */
    BatchWriter newWriter() {
        return new BatchWriter(pool, dispatcher, FLUSH_DELAY_MILLIS, stages == null ? null : stages.get());
    }

    /** Tagging and filtering for every record, one stage per producing thread; set before {@link #newWriter}. */
    void recordStages(Supplier<RecordStage> stages) {
        this.stages = stages;
    }

    List<PluginRunner> runners() {
        return runners;
    }

    /** True once SIGINT or SIGTERM arrived (or {@link #requestStop()} was called). */
    public boolean stopRequested() {
        return stopRequested;
    }

    private boolean signalsInstalled;

    void requestStop() {
        stopRequested = true;
        stopped.countDown();
    }

    /** Waits up to {@code millis} for SIGINT/SIGTERM. */
    void awaitStopFor(long millis) throws InterruptedException {
        stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Installs signal handlers (once); the core loop polls {@link #stopRequested()}. */
    synchronized void installSignals() {
        if (signalsInstalled) {
            return;
        }
        signalsInstalled = true;
        Signals.handle("INT", this::onStopSignal);
        Signals.handle("TERM", this::onStopSignal);
        Signals.handle("HUP", () -> {
            LOG.info("SIGHUP: reopening log files");
            Logging.reopen();
        });
        Signals.handle("USR1", this::logStats);
        Signals.handle("USR2", () -> {
            if (config.get(CoreKeys.MAPS_REFRESH)) {
                LOG.info("SIGUSR2: reloading maps");
                maps.reloadAll();
            } else {
                LOG.warn("SIGUSR2 ignored: maps_refresh is false");
            }
        });
    }

    private void onStopSignal() {
        if (!stopRequested) {
            LOG.info("OK, Exiting ...");
        }
        requestStop();
    }

    /** daemonize: starts the detached copy of this daemon and returns the foreground process's status. */
    int detach(Class<?> mainClass, String[] args) {
        if (config.get(CoreKeys.LOGFILE) == null && config.get(CoreKeys.SYSLOG) == null) {
            LOG.warn("daemonize without logfile or syslog: the daemon's log messages will be discarded");
        }
        return Daemonizer.spawn(mainClass, args);
    }

    /** The daemon's work between start-up and shutdown; returns its exit status. */
    @FunctionalInterface
    public interface MainLoop {
        int run() throws Exception;
    }

    /**
     * Runs the main loop, then stops every plugin (final purges). A failure is logged and still shuts down; the
     * status is the loop's, or the shutdown's when the loop succeeded.
     */
    int runThenShutdown(MainLoop loop) {
        try {
            int status = loop.run();
            int shutdown = shutdown();
            return status != 0 ? status : shutdown;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return shutdown() == 0 ? 0 : 1;
        } catch (ConfigException e) {
            // a plugin refused what it found at start-up (a missing table, wrong credentials): the message says it
            LOG.error(e.getMessage());
            shutdown();
            return 1;
        } catch (Exception e) {
            LOG.error("fatal: {}", e.getMessage(), e);
            shutdown();
            return 1;
        }
    }

    /**
     * The input is open: signals, pidfile, the core thread's pmacct name, and for a detached daemon the switch
     * from the terminal to the configured log and the "ready" word to the foreground process.
     */
    void ready(boolean child) throws IOException {
        installSignals();
        writePidfile();
        Thread.currentThread().setName(coreThreadName());
        if (child) {
            Logging.configure(Logging.Settings.of(config), Logging.Console.NONE);
            Daemonizer.ready();
        }
    }

    /** pmacct's process title of the core: "Core Process [default]". */
    String coreThreadName() {
        return "Core Process [" + config.coreName() + "]";
    }

    /** Logs every counter and gauge (SIGUSR1). */
    void logStats() {
        for (Metrics.Sample s : metrics.snapshot()) {
            LOG.info("stats: {}{{}} = {}", s.name(), s.labels(), s.value());
        }
    }

    void writePidfile() throws IOException {
        String p = config.get(CoreKeys.PIDFILE);
        if (p == null) {
            return;
        }
        pidfile = Path.of(p);
        Files.writeString(pidfile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        files.apply(pidfile);
    }

    /**
     * Stops every plugin: each drains its queue and runs its final purge. Returns the exit status: 0 when all
     * closed cleanly in time.
     */
    int shutdown() {
        int status = 0;
        for (PluginRunner r : runners) {
            try {
                if (!r.stop(120_000)) {
                    LOG.error("( {} ): plugin did not finish within 120 s", r.context().config().id());
                    status = 1;
                } else if (!r.closedCleanly()) {
                    status = 1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 1;
            }
        }
        if (coreHeartbeat != null) {
            coreHeartbeat.close();
        }
        logThreadCpu();
        if (pidfile != null) {
            try {
                Files.deleteIfExists(pidfile);
            } catch (IOException e) {
                LOG.warn("cannot remove pidfile {}: {}", pidfile, e.getMessage());
            }
        }
        return status;
    }

    /** CPU seconds used by the core and plugin threads, for operators sizing a machine. */
    private void logThreadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null || !t.getThreadName().startsWith("Core Process")) {
                continue;
            }
            long ns = mx.getThreadCpuTime(t.getThreadId());
            if (ns > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(t.getThreadName()).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", ns / 1e9)).append(" s");
            }
        }
        if (sb.length() > 0) {
            LOG.info("CPU time: {}", sb);
        }
    }

    /** Runs a start-up action with the plugin's log tag. */
    static final class MDCScope {
        interface Action<E extends Exception> {
            void run() throws E;
        }

        static <E extends Exception> void with(String tag, Action<E> a) throws E {
            String old = MDC.get("pm");
            MDC.put("pm", tag);
            try {
                a.run();
            } finally {
                if (old == null) {
                    MDC.remove("pm");
                } else {
                    MDC.put("pm", old);
                }
            }
        }
    }
}
