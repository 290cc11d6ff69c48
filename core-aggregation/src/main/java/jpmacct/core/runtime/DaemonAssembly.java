package jpmacct.core.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapLoadLog;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.DatagramConsumer;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.record.RecordStage;

/**
 * Builds every daemon the same way, in an order its types enforce: the plugins from the configuration, then the
 * input (opened before detaching, so its errors reach the terminal), then the record stage every record passes
 * (tags, filters; explicitly none), then periodic chores and shutdown steps, then {@link Assembled#run()}: detach
 * or start the plugins, start the input with one writer per producing thread, signals and pidfile, run the input
 * on the core thread, pcap_savefile_wait, close the input (its threads publish what they hold), the shutdown
 * steps, and the plugins' final purges.
 *
 * <pre>
 * return DaemonAssembly.create(DaemonKind.NFACCTD, config, factories, child, Nfacctd.class, args)
 *         .input(d -> ...)                               // an Input: savefile, UDP sockets, capture, ...
 *         .records(input -> RecordPipeline.stages(...))  // null: none
 *         .every(200, templates::saveIfChanged)
 *         .atStop(templates::save)
 *         .run();
 * </pre>
 */
public final class DaemonAssembly {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonAssembly.class);
    /** The longest the core thread sleeps between two looks at its chores. */
    private static final long IDLE_MILLIS = 200;
    /** How often the input's stats line is written. */
    private static final long REPORT_MILLIS = 60_000;

    private DaemonAssembly() {
    }

    /** Builds the plugins of a resolved configuration; nothing is opened yet. */
    public static Plugins create(DaemonKind kind, DaemonConfig config, Map<String, PluginFactory> factories,
                                 boolean child, Class<?> mainClass, String[] args) throws ConfigException {
        DaemonInfo info = new DaemonInfo(kind, config.coreName(), config.get(SavefileKeys.PCAP_SAVEFILE) != null);
        DaemonRuntime runtime = new DaemonRuntime(config, info, factories);
        runtime.createPlugins();
        return new Plugins(runtime, child, mainClass, args);
    }

    /** A daemon's own part of its assembly: from its plugins to everything declared. */
    @FunctionalInterface
    public interface Declaration {
        Assembled assemble(Plugins daemon) throws ConfigException;
    }

    /** The session {@link DaemonStartup} runs once the configuration is resolved: assemble, then run. */
    public static DaemonStartup.Session session(DaemonKind kind, Class<?> mainClass, String[] args,
                                                Declaration declaration) {
        return (config, factories, child) ->
                declaration.assemble(create(kind, config, factories, child, mainClass, args)).run();
    }

    /** Opens a daemon's input. */
    @FunctionalInterface
    public interface InputOpener<I extends Input> {
        I open(Plugins daemon) throws IOException, ConfigException;
    }

    /** The record stage of each producing thread (tags and filters), built once the daemon runs. */
    @FunctionalInterface
    public interface RecordStages<I extends Input> {
        /** A supplier of one stage per producing thread, or null for none (records go out as decoded). */
        Supplier<RecordStage> build(I input) throws ConfigException;
    }

    /** A periodic or final step on the core thread. */
    @FunctionalInterface
    public interface Chore {
        void run() throws InterruptedException;
    }

    /** Plugins built: what a daemon may consult to build its protocol state and input. */
    public static final class Plugins {
        private final DaemonRuntime runtime;
        private final boolean child;
        private final Class<?> mainClass;
        private final String[] args;

        private Plugins(DaemonRuntime runtime, boolean child, Class<?> mainClass, String[] args) {
            this.runtime = runtime;
            this.child = child;
            this.mainClass = mainClass;
            this.args = args;
        }

        public DaemonConfig config() {
            return runtime.config();
        }

        public DaemonInfo info() {
            return runtime.info();
        }

        public Metrics metrics() {
            return runtime.metrics();
        }

        public MapRegistry maps() {
            return runtime.maps();
        }

        /** pmacct's process title of the core: "Core Process [default]", the name of input threads. */
        public String coreThreadName() {
            return runtime.coreThreadName();
        }

        /** Whether any plugin takes records; a collector with only tee plugins need not decode (as pmacct). */
        public boolean recordsWanted() {
            return runtime.recordsWanted();
        }

        /** Plugins that take the collector's raw datagrams (tee), in {@code plugins:} order. */
        public List<DatagramConsumer> datagramConsumers() {
            return runtime.datagramConsumers();
        }

        /** The most packet header bytes any plugin asked for (0: none wants packets' bytes). */
        public int packetHeaderBytes() {
            return runtime.packetHeaderBytes();
        }

        /**
         * Opens the input. A failure is logged here ({@link Assembled#run()} then returns 1); a configuration
         * error propagates with its key.
         */
        public <I extends Input> WithInput<I> input(InputOpener<I> opener) throws ConfigException {
            logCustomPrimitives(config());
            try {
                return new WithInput<>(this, opener.open(this));
            } catch (IOException e) {
                LOG.error(e.getMessage());
                return new WithInput<>(this, null);
            }
        }
    }

    /**
     * aggregate_primitives was read with the configuration (aggregate lines name its primitives); its load is logged
     * where pmacct loads it: after the collectors' sampling_map and flow_to_rd_map, before the input's own maps
     * (pmacctd's pcap_interfaces_map) and the pre_tag_map.
     */
    private static void logCustomPrimitives(DaemonConfig config) {
        String file = config.get(CoreKeys.AGGREGATE_PRIMITIVES);
        if (file != null) {
            MapLoadLog.loading(Path.of(file));
            MapLoadLog.loaded(Path.of(file), config.customPrimitives().all().size());
        }
    }

    /** Input open: the record stage comes next. */
    public static final class WithInput<I extends Input> {
        private final Plugins daemon;
        private final I input;

        private WithInput(Plugins daemon, I input) {
            this.daemon = daemon;
            this.input = input;
        }

        public Assembled records(RecordStages<? super I> stages) {
            return new Assembled(daemon, input, input == null ? null : () -> stages.build(input));
        }
    }

    /** Everything declared: chores may be added, then {@link #run()}. */
    public static final class Assembled implements Input.CoreThread {
        private final Plugins daemon;
        private final DaemonRuntime runtime;
        private final Input input;
        private final StageBuilder stages;
        private final List<Periodic> periodic = new ArrayList<>();
        private final List<Chore> atStart = new ArrayList<>();
        private final List<Chore> atStop = new ArrayList<>();

        private Assembled(Plugins daemon, Input input, StageBuilder stages) {
            this.daemon = daemon;
            this.runtime = daemon.runtime;
            this.input = input;
            this.stages = stages;
            if (input != null) {
                every(REPORT_MILLIS, () -> input.report(false));
            }
        }

        /** A step run once in the daemon itself (never in the foreground half of daemonize), before the input starts. */
        public Assembled atStart(Chore chore) {
            atStart.add(chore);
            return this;
        }

        /** A chore run on the core thread every {@code millis} while the input runs (and while it waits). */
        public Assembled every(long millis, Chore chore) {
            periodic.add(new Periodic(TimeUnit.MILLISECONDS.toNanos(millis), chore));
            return this;
        }

        /** A step run once the input is closed (its threads' records published), before the plugins drain. */
        public Assembled atStop(Chore chore) {
            atStop.add(chore);
            return this;
        }

        /** Runs the daemon to its end; returns the exit status. */
        public int run() {
            if (input == null) {
                return 1;
            }
            DaemonConfig config = runtime.config();
            if (config.get(CoreKeys.DAEMONIZE) && !daemon.child) {
                input.close();
                return runtime.detach(daemon.mainClass, daemon.args);
            }
            try {
                return runtime.runThenShutdown(this::lifetime);
            } finally {
                input.close();
            }
        }

        private int lifetime() throws Exception {
            for (Chore c : atStart) {
                c.run();
            }
            runtime.recordStages(stages.build());
            runtime.start(input.producers(), input.waitsForPlugins());
            // before the input starts: a capture may wait long for its interface, and SIGTERM must still flush
            runtime.installSignals();
            int status = 1;
            boolean started = false;
            try {
                if (!input.start(runtime::newWriter, this)) {
                    return runtime.stopRequested() ? 0 : 1;
                }
                started = true;
                runtime.ready(daemon.child);
                long now = System.nanoTime();
                for (Periodic p : periodic) {
                    p.next = now + p.intervalNanos;
                }
                status = input.run(this);
                if (input.finite() && runtime.config().get(SavefileKeys.PCAP_SAVEFILE_WAIT)) {
                    LOG.info("savefile done; waiting for SIGINT or SIGTERM (pcap_savefile_wait)");
                    awaitStop();
                }
            } finally {
                // whatever happened, the input's threads publish what they hold before the plugins drain
                input.close();
                if (started) {
                    // also after a failure: templates saved, held data counted, files closed
                    finish();
                }
            }
            return status;
        }

        /** The daemon's final steps and the input's last report; one failing does not skip the others. */
        private void finish() throws InterruptedException {
            for (Chore c : atStop) {
                try {
                    c.run();
                } catch (RuntimeException e) {
                    LOG.error("a shutdown step failed: {}", e.toString(), e);
                }
            }
            input.report(true);
        }

        @Override
        public boolean stopRequested() {
            return runtime.stopRequested();
        }

        @Override
        public void chores() {
            if (periodic.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            for (Periodic p : periodic) {
                if (now - p.next >= 0) {
                    p.next = now + p.intervalNanos;
                    try {
                        p.chore.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        @Override
        public void awaitStop() throws InterruptedException {
            while (!runtime.stopRequested()) {
                runtime.awaitStopFor(IDLE_MILLIS);
                chores();
            }
        }

        @Override
        public void pause(long millis) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long left;
            while (!runtime.stopRequested() && (left = until - System.nanoTime()) > 0) {
                runtime.awaitStopFor(Math.min(IDLE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                chores();
            }
        }
    }

    private interface StageBuilder {
        Supplier<RecordStage> build() throws ConfigException;
    }

    private static final class Periodic {
        final long intervalNanos;
        final Chore chore;
        long next;

        Periodic(long intervalNanos, Chore chore) {
            this.intervalNanos = intervalNanos;
            this.chore = chore;
        }
    }
}
