package jpmacct.core.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.record.BatchPool;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.core.runtime.FilePermissions;

/**
 * Runs the plugins of a configuration inside a test, on the test's thread, the way a daemon runs them:
 * <ul>
 * <li>the configuration is text in pmacct's grammar ({@code key: value}, {@code key[name]: value}), resolved as a
 * daemon resolves its file ({@link DaemonCli#registry}, {@link DaemonCli#resolve}) with the keys of every plugin
 * factory on the class path ({@link PluginRegistry#discover()}) and the savefile keys;</li>
 * <li>each plugin of {@code plugins:} is made by its real factory with a real {@link PluginContext}: its bit, its
 * thread title, {@code files_umask}, metrics, maps, and a {@link ManualClock} the test moves;</li>
 * <li>{@link #feed} hands records over in shared batches, released by each plugin as the dispatcher's are, to the
 * plugins that want records;</li>
 * <li>{@link #advance} moves the clock and ticks each plugin on the schedule PluginRunner keeps (every
 * {@link Plugin#tickIntervalMillis()}, at least 10 ms apart), so refresh deadlines fall where they would;</li>
 * <li>{@link #close()} closes the plugins in order: their final purge.</li>
 * </ul>
 * Everything is real: files, sockets, datagrams. What a plugin does on threads of its own (print's writer, memory's
 * query thread) still happens there.
 */
public final class PluginHarness implements AutoCloseable {
    /** Where the clock starts unless told: 2023-11-14 22:13:20 UTC, in the first minute of the recorded captures. */
    public static final Instant DEFAULT_START = Instant.parse("2023-11-14T22:13:20Z");
    /** Records per batch, as a daemon with the default plugin_buffer_size cuts them. */
    private static final int BATCH_RECORDS = 512;
    private static final long MIN_TICK_MILLIS = 10;

    private final DaemonConfig config;
    private final ManualClock clock;
    private final Metrics metrics = new Metrics();
    private final MapRegistry maps = new MapRegistry();
    private final List<Running> plugins = new ArrayList<>();
    private final RecordBatch batch = BatchPool.standalone(BATCH_RECORDS);
    private boolean started;
    private boolean closed;

    /** One plugin and when its runner would tick it next. */
    private static final class Running {
        final Plugin plugin;
        final PluginContext context;
        long nextTick;

        Running(Plugin plugin, PluginContext context) {
            this.plugin = plugin;
            this.context = context;
        }
    }

    /** What a harness is set up with before its configuration. */
    public static final class Setup {
        private final DaemonKind kind;
        private Instant start = DEFAULT_START;
        private final List<KeyDef<?>> daemonKeys = new ArrayList<>(SavefileKeys.all());
        private final Map<String, PluginFactory> factories = new TreeMap<>(PluginRegistry.discover());

        private Setup(DaemonKind kind) {
            this.kind = kind;
        }

        /** Starts the clock at {@code t}. */
        public Setup at(Instant t) {
            this.start = t;
            return this;
        }

        /** Keys of the daemon itself that the configuration may use (the savefile keys are always known). */
        public Setup keys(List<KeyDef<?>> keys) {
            daemonKeys.addAll(keys);
            return this;
        }

        /** A plugin type besides those on the class path (a plugin written for a test). */
        public Setup factory(PluginFactory f) {
            factories.put(f.type(), f);
            return this;
        }

        /** Resolves the configuration and creates its plugins; nothing is opened yet. */
        public PluginHarness create(String... lines) throws ConfigException {
            return create(Arrays.asList(lines));
        }

        public PluginHarness create(List<String> lines) throws ConfigException {
            return new PluginHarness(this, lines);
        }

        /** {@link #create} and {@link PluginHarness#start()}. */
        public PluginHarness start(String... lines) throws Exception {
            return start(Arrays.asList(lines));
        }

        public PluginHarness start(List<String> lines) throws Exception {
            PluginHarness h = create(lines);
            try {
                h.start();
            } catch (Exception | Error e) {
                h.close();
                throw e;
            }
            return h;
        }
    }

    /** A harness for plugins of {@code kind}. */
    public static Setup daemon(DaemonKind kind) {
        return new Setup(kind);
    }

    /** pmacctd's plugins, started, the clock at {@link #DEFAULT_START}. */
    public static PluginHarness start(String... lines) throws Exception {
        return daemon(DaemonKind.PMACCTD).start(lines);
    }

    private PluginHarness(Setup setup, List<String> lines) throws ConfigException {
        Map<String, PluginFactory> factories = setup.factories;
        KeyRegistry registry = DaemonCli.registry(setup.daemonKeys, factories);
        this.config = DaemonCli.resolve(setup.kind, ConfigParser.parse("harness.conf", lines), List.of(), true,
                registry, factories);
        this.clock = new ManualClock(setup.start);
        DaemonInfo info = new DaemonInfo(setup.kind, config.coreName(), config.get(SavefileKeys.PCAP_SAVEFILE) != null);
        FilePermissions files = new FilePermissions(config.get(CoreKeys.FILES_UMASK), config.get(CoreKeys.FILES_UID),
                config.get(CoreKeys.FILES_GID));
        for (PluginConfig pc : config.plugins()) {
            PluginFactory f = factories.get(pc.type());
            PluginContext ctx = new PluginContext(pc, info, metrics, maps,
                    f.processTitle() + " [" + pc.name() + "]", files, clock);
            plugins.add(new Running(f.create(ctx), ctx));
        }
    }

    /** Opens what the plugins need (files, sockets), in {@code plugins:} order, and sets their first ticks. */
    public void start() throws Exception {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        for (Running r : plugins) {
            r.plugin.start();
            r.nextTick = clock.millis() + Math.max(MIN_TICK_MILLIS, r.plugin.tickIntervalMillis());
        }
    }

    /** Hands the records to every plugin that takes records, in batches; the records are copied. */
    public void feed(FlowRecord... records) {
        feed(Arrays.asList(records));
    }

    public void feed(Collection<FlowRecord> records) {
        requireRunning();
        for (FlowRecord r : records) {
            batch.next().copyFrom(r);
            batch.commit();
            if (batch.isFull()) {
                publish();
            }
        }
        publish();
    }

    /** The dispatcher's hand-over: one batch shared by the plugins that want records, each releasing it. */
    private void publish() {
        if (batch.isEmpty()) {
            return;
        }
        List<Running> readers = plugins.stream().filter(r -> r.plugin.wantsRecords()).toList();
        batch.share(readers.size() + 1);
        for (Running r : readers) {
            try {
                r.plugin.onBatch(batch);
            } finally {
                batch.release();
            }
        }
        batch.release(); // the harness's own share: the batch is empty and reusable again
    }

    /**
     * Moves the clock by {@code d}, ticking every plugin whenever its runner would on the way ({@link
     * Plugin#onTick} with the time of the tick).
     */
    public void advance(Duration d) {
        advanceTo(clock.instant().plus(d));
    }

    public void advanceTo(Instant t) {
        requireRunning();
        long target = t.toEpochMilli();
        while (true) {
            Running next = null;
            for (Running r : plugins) {
                if (r.nextTick <= target && (next == null || r.nextTick < next.nextTick)) {
                    next = r;
                }
            }
            if (next == null) {
                break;
            }
            clock.set(Math.max(clock.millis(), next.nextTick));
            tick(next);
        }
        clock.set(target);
    }

    /** Ticks every plugin now, as its runner does when a tick falls due. */
    public void tick() {
        requireRunning();
        for (Running r : plugins) {
            tick(r);
        }
    }

    private void tick(Running r) {
        long now = clock.millis();
        r.plugin.onTick(now);
        r.nextTick = now + Math.max(MIN_TICK_MILLIS, r.plugin.tickIntervalMillis());
    }

    private void requireRunning() {
        if (!started || closed) {
            throw new IllegalStateException(closed ? "the plugins are closed" : "start() the plugins first");
        }
    }

    /** Closes every plugin in order (final purges, sockets removed); later calls do nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (Running r : plugins) {
            try {
                r.plugin.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The only plugin of the configuration. */
    public Plugin plugin() {
        if (plugins.size() != 1) {
            throw new IllegalStateException(plugins.size() + " plugins configured; name one");
        }
        return plugins.get(0).plugin;
    }

    /** The plugin named {@code name} in {@code plugins:}. */
    public Plugin plugin(String name) {
        return running(name).plugin;
    }

    public PluginContext context(String name) {
        return running(name).context;
    }

    private Running running(String name) {
        for (Running r : plugins) {
            if (r.context.config().name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no plugin named '" + name + "'");
    }

    public DaemonConfig config() {
        return config;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The sum of every sample of a metric (all labels). */
    public long metric(String name) {
        return metrics.snapshot().stream().filter(s -> s.name().equals(name)).mapToLong(Metrics.Sample::value).sum();
    }

    public Instant now() {
        return clock.instant();
    }
}
