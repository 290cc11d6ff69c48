package jpmacct.nfacctd;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.runtime.DaemonRuntime;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.nfacctd.decode.DecoderSettings;
import jpmacct.nfacctd.decode.NetflowDecoder;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.FieldMapping;
import jpmacct.nfacctd.template.TemplatesFile;

/** nfacctd: collects NetFlow v1/v5/v7/v8/v9 and IPFIX over UDP (or from a savefile) and accounts the flows. */
public final class Nfacctd {
    private static final Logger LOG = LoggerFactory.getLogger(Nfacctd.class);
    static final String HEADER = "NetFlow Accounting Daemon, nfacctd";
    static final int DEFAULT_PORT = 2100;
    private static final int MAX_TEMPLATES_PER_DOMAIN = 4096;
    private static final long STATS_INTERVAL_MILLIS = 60_000;

    private Nfacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final DaemonStartup.Spec SPEC = CollectorDaemon.spec(DaemonKind.NFACCTD, HEADER, NfacctdKeys.all(),
            "NetFlow: v1, v5, v7, v8 (aggregation schemes 1-14), v9, IPFIX");

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                (config, factories, child) -> new Session(config, factories, child, args).run());
    }

    /** One run of the daemon. */
    private static final class Session {
        private final DaemonConfig config;
        private final Map<String, PluginFactory> factories;
        private final boolean child;
        private final String[] args;
        private final AtomicBoolean templatesDirty = new AtomicBoolean();

        Session(DaemonConfig config, Map<String, PluginFactory> factories, boolean child, String[] args) {
            this.config = config;
            this.factories = factories;
            this.child = child;
            this.args = args;
        }

        int run() throws ConfigException {
            String savefile = config.get(SavefileKeys.PCAP_SAVEFILE);
            DaemonInfo info = new DaemonInfo(DaemonKind.NFACCTD, config.coreName(), savefile != null);
            DaemonRuntime runtime = new DaemonRuntime(config, info, factories);
            runtime.createPlugins();
            ExporterTable exporters = new ExporterTable(runtime.metrics());
            DecoderSettings settings = settings(runtime);
            String templatesPath = config.get(NfacctdKeys.TEMPLATES_FILE);
            TemplatesFile templates = templatesPath == null ? null : new TemplatesFile(Path.of(templatesPath));

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
                return runtime.detach(Nfacctd.class, args);
            }
            if (templates != null) {
                templates.load(exporters, settings.mapping());
            }
            UdpReceiver[] receiver = {null};
            try {
                return runtime.runThenShutdown(() -> {
                    runtime.recordStages(jpmacct.filter.RecordPipeline.stages(config, runtime.maps(),
                            jpmacct.filter.RecordSource.NETFLOW));
                    runtime.start(reader != null ? 1 : threads);
                    KernelUdpDrops kernel = null;
                    if (reader == null) {
                        receiver[0] = CollectorDaemon.listen(runtime, config, bind, port, threads,
                                () -> new NetflowDecoder(exporters, settings, runtime.newWriter()));
                        if (receiver[0] == null) {
                            return 1;
                        }
                        kernel = new KernelUdpDrops(receiver[0].port());
                    }
                    runtime.ready(child);
                    if (receiver[0] != null) { // announced once signals are handled: a stop from now on is clean
                        LOG.info("waiting for NetFlow/IPFIX data on {}:{}", bind.getHostAddress(), receiver[0].port());
                    }
                    StatsReporter stats = new StatsReporter(counters(exporters), kernel);
                    int status = 0;
                    if (reader != null) {
                        status = readSavefile(reader, savefile, exporters, settings, runtime);
                        if (config.get(SavefileKeys.PCAP_SAVEFILE_WAIT)) {
                            LOG.info("savefile done; waiting for SIGINT or SIGTERM (pcap_savefile_wait)");
                            waitForStop(runtime, templates, exporters, stats);
                        }
                    } else {
                        waitForStop(runtime, templates, exporters, stats);
                    }
                    if (receiver[0] != null) {
                        receiver[0].close();
                        receiver[0] = null;
                    }
                    NetflowDecoder.dropHeld(exporters, settings);
                    stats.report();
                    saveTemplates(templates, exporters, true);
                    return status;
                });
            } finally {
                if (receiver[0] != null) {
                    receiver[0].close();
                }
            }
        }

        private DecoderSettings settings(DaemonRuntime runtime) throws ConfigException {
            Supplier<SamplingMap> sampling = null;
            if (config.isSet(CollectorKeys.SAMPLING_MAP)) {
                sampling = runtime.maps().map("sampling_map", Path.of(config.get(CollectorKeys.SAMPLING_MAP)),
                        SamplingMap::load);
            }
            Long ext = config.get(CollectorKeys.EXT_SAMPLING_RATE);
            return new DecoderSettings(config.get(NfacctdKeys.TIME_SECS), config.get(CollectorKeys.TIME_NEW),
                    !config.get(CollectorKeys.DISABLE_CHECKS),
                    FieldMapping.withCustom(jpmacct.core.primitive.CustomPrimitives.current()),
                    config.get(NfacctdKeys.TEMPLATES_WAIT_BUFFER), config.get(NfacctdKeys.TEMPLATES_WAIT_TIME) * 1000L,
                    MAX_TEMPLATES_PER_DOMAIN, sampling, ext == null ? 0 : ext, () -> templatesDirty.set(true),
                    config.get(CollectorKeys.USE_IP_NEXT_HOP));
        }

        private int readSavefile(SavefileReader first, String path, ExporterTable exporters, DecoderSettings settings,
                                 DaemonRuntime runtime) throws InterruptedException {
            return CollectorDaemon.readSavefile(config, first, path,
                    new NetflowDecoder(exporters, settings, runtime.newWriter()), runtime);
        }

        private void waitForStop(DaemonRuntime runtime, TemplatesFile templates, ExporterTable exporters,
                                 StatsReporter stats) throws InterruptedException {
            long nextStats = System.currentTimeMillis() + STATS_INTERVAL_MILLIS;
            while (!runtime.stopRequested()) {
                Thread.sleep(200);
                saveTemplates(templates, exporters, false);
                long now = System.currentTimeMillis();
                if (now >= nextStats) {
                    stats.report();
                    nextStats = now + STATS_INTERVAL_MILLIS;
                }
            }
        }

        private void saveTemplates(TemplatesFile templates, ExporterTable exporters, boolean always) {
            if (templates == null || !(templatesDirty.getAndSet(false) || always)) {
                return;
            }
            try {
                templates.save(exporters);
            } catch (IOException e) {
                templatesDirty.set(true);
                LOG.warn("[{}] cannot save templates: {}", templates.path(), e.getMessage());
            }
        }

        private static Supplier<List<ExporterCounters>> counters(ExporterTable exporters) {
            return () -> {
                List<ExporterCounters> l = new ArrayList<>();
                for (Exporter e : exporters.all()) {
                    l.add(e.counters);
                }
                return l;
            };
        }
    }
}
