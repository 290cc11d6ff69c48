package jpmacct.sfacctd;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.collector.CollectorDaemon;
import jpmacct.collector.CollectorKeys;
import jpmacct.collector.ExporterCounters;
import jpmacct.collector.KernelUdpDrops;
import jpmacct.collector.SamplingMap;
import jpmacct.collector.StatsReporter;
import jpmacct.collector.UdpReceiver;
import jpmacct.core.capture.SavefileException;
import jpmacct.core.capture.SavefileReader;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.output.Timestamps;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.runtime.DaemonRuntime;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.sfacctd.agent.Agent;
import jpmacct.sfacctd.agent.AgentTable;
import jpmacct.sfacctd.agent.CounterLog;
import jpmacct.sfacctd.agent.InterfaceCounters;
import jpmacct.sfacctd.decode.SflowDecoder;
import jpmacct.sfacctd.decode.SflowSettings;

/** sfacctd: collects sFlow v2/v4/v5 over UDP (or from a savefile) and accounts the flow samples. */
public final class Sfacctd {
    private static final Logger LOG = LoggerFactory.getLogger(Sfacctd.class);
    static final String HEADER = "sFlow Accounting Daemon, sfacctd";
    static final int DEFAULT_PORT = 6343;
    private static final long STATS_INTERVAL_MILLIS = 60_000;

    private Sfacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final DaemonStartup.Spec SPEC = CollectorDaemon.spec(DaemonKind.SFACCTD, HEADER, SfacctdKeys.all(),
            "sFlow: v2, v4, v5 (flow and expanded flow samples, counter samples)");

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                (config, factories, child) -> new Session(config, factories, child, args).run());
    }

    /** What the stats line says of an agent after the common counters. */
    static String detail(Agent a) {
        StringBuilder sb = new StringBuilder();
        sb.append(", malformed samples ").append(a.counters.samplesMalformed.get())
                .append(", non-IP samples ").append(a.counters.samplesNotIp.get())
                .append(", unknown formats skipped ").append(a.counters.skippedUnknown.get())
                .append("; counter samples ").append(a.counters.counterSamples.get());
        for (InterfaceCounters i : a.interfaces()) {
            sb.append("; ").append(i.describe());
        }
        return sb.toString();
    }

    /** One run of the daemon. */
    private static final class Session {
        private final DaemonConfig config;
        private final Map<String, PluginFactory> factories;
        private final boolean child;
        private final String[] args;

        Session(DaemonConfig config, Map<String, PluginFactory> factories, boolean child, String[] args) {
            this.config = config;
            this.factories = factories;
            this.child = child;
            this.args = args;
        }

        int run() throws ConfigException {
            String savefile = config.get(SavefileKeys.PCAP_SAVEFILE);
            DaemonInfo info = new DaemonInfo(DaemonKind.SFACCTD, config.coreName(), savefile != null);
            DaemonRuntime runtime = new DaemonRuntime(config, info, factories);
            runtime.createPlugins();
            AgentTable agents = new AgentTable(runtime.metrics());
            SflowSettings settings = settings(runtime);
            final SavefileReader reader;
            try {
                reader = savefile == null ? null : new SavefileReader(Path.of(savefile));
            } catch (SavefileException e) {
                LOG.error(e.getMessage());
                return 1;
            } catch (IOException e) {
                LOG.error("{}: {}", savefile, e.getMessage());
                return 1;
            }
            InetAddress bind = CollectorDaemon.bindAddress(config);
            int port = config.isSet(CollectorKeys.PORT) ? config.get(CollectorKeys.PORT).intValue() : DEFAULT_PORT;
            int threads = CollectorDaemon.threads(config);
            if (config.get(CoreKeys.DAEMONIZE) && !child) {
                CollectorDaemon.closeQuietly(reader);
                return runtime.detach(Sfacctd.class, args);
            }
            UdpReceiver[] receiver = {null};
            try {
                return runtime.runThenShutdown(() -> {
                    runtime.recordStages(jpmacct.filter.RecordPipeline.stages(config, runtime.maps(),
                            jpmacct.filter.RecordSource.SFLOW));
                    runtime.start(reader != null ? 1 : threads);
                    KernelUdpDrops kernel = null;
                    if (reader == null) {
                        receiver[0] = CollectorDaemon.listen(runtime, config, bind, port, threads,
                                () -> new SflowDecoder(agents, settings, runtime.newWriter()));
                        if (receiver[0] == null) {
                            return 1;
                        }
                        kernel = new KernelUdpDrops(receiver[0].port());
                    }
                    runtime.ready(child);
                    if (receiver[0] != null) { // announced once signals are handled: a stop from now on is clean
                        LOG.info("waiting for sFlow data on {}:{}", bind.getHostAddress(), receiver[0].port());
                    }
                    java.util.Map<ExporterCounters, Agent> byCounters = new java.util.IdentityHashMap<>();
                    StatsReporter stats = new StatsReporter(counters(agents, byCounters), kernel,
                            c -> detail(byCounters.get(c)));
                    int status = 0;
                    if (reader != null) {
                        status = CollectorDaemon.readSavefile(config, reader, savefile,
                                new SflowDecoder(agents, settings, runtime.newWriter()), runtime);
                        if (config.get(SavefileKeys.PCAP_SAVEFILE_WAIT)) {
                            LOG.info("savefile done; waiting for SIGINT or SIGTERM (pcap_savefile_wait)");
                            waitForStop(runtime, stats);
                        }
                    } else {
                        waitForStop(runtime, stats);
                    }
                    if (receiver[0] != null) {
                        receiver[0].close();
                        receiver[0] = null;
                    }
                    stats.report();
                    if (settings.counterLog() != null) {
                        settings.counterLog().close();
                    }
                    return status;
                });
            } finally {
                if (receiver[0] != null) {
                    receiver[0].close();
                }
            }
        }

        private SflowSettings settings(DaemonRuntime runtime) throws ConfigException {
            Supplier<SamplingMap> sampling = null;
            if (config.isSet(CollectorKeys.SAMPLING_MAP)) {
                sampling = runtime.maps().map("sampling_map", Path.of(config.get(CollectorKeys.SAMPLING_MAP)),
                        SamplingMap::load);
            }
            Long ext = config.get(CollectorKeys.EXT_SAMPLING_RATE);
            String counterFile = config.get(SfacctdKeys.COUNTER_FILE);
            CounterLog counters = counterFile == null ? null : new CounterLog(counterFile, new Timestamps(
                    config.get(CoreKeys.TIMESTAMPS_SINCE_EPOCH), config.get(CoreKeys.TIMESTAMPS_RFC3339),
                    config.get(CoreKeys.TIMESTAMPS_UTC) ? java.time.ZoneOffset.UTC : java.time.ZoneId.systemDefault()));
            return new SflowSettings(sampling, ext == null ? 0 : ext, config.get(CollectorKeys.USE_IP_NEXT_HOP),
                    !config.get(CollectorKeys.DISABLE_CHECKS), counters);
        }

        private static void waitForStop(DaemonRuntime runtime, StatsReporter stats) throws InterruptedException {
            long nextStats = System.currentTimeMillis() + STATS_INTERVAL_MILLIS;
            while (!runtime.stopRequested()) {
                Thread.sleep(200);
                long now = System.currentTimeMillis();
                if (now >= nextStats) {
                    stats.report();
                    nextStats = now + STATS_INTERVAL_MILLIS;
                }
            }
        }

        /** The agents' common counters for the stats line; {@code byCounters} is refilled to find their agent. */
        private static Supplier<List<ExporterCounters>> counters(AgentTable agents, java.util.Map<ExporterCounters, Agent> byCounters) {
            return () -> {
                List<ExporterCounters> l = new ArrayList<>();
                byCounters.clear();
                for (Agent a : agents.all()) {
                    l.add(a.counters.common);
                    byCounters.put(a.counters.common, a);
                }
                return l;
            };
        }
    }
}
