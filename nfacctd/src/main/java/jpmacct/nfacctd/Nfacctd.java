package jpmacct.nfacctd;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.collector.CollectorKeys;
import jpmacct.collector.ExporterCounters;
import jpmacct.collector.KernelUdpDrops;
import jpmacct.collector.SamplingMap;
import jpmacct.collector.SavefileDatagrams;
import jpmacct.collector.StatsReporter;
import jpmacct.collector.UdpReceiver;
import jpmacct.core.capture.SavefileException;
import jpmacct.core.capture.SavefileReader;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.GetOpt;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.runtime.DaemonCli;
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
    /** pmacct 1.7.7's option letters. */
    static final String OPTIONS = "n:dDhP:b:f:F:c:m:p:r:s:S:L:l:o:O:uRVaMAE:I:WZ:Y:t:";
    static final int DEFAULT_PORT = 2100;
    private static final int MAX_TEMPLATES_PER_DOMAIN = 4096;
    private static final long STATS_INTERVAL_MILLIS = 60_000;

    private Nfacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final DaemonStartup.Spec SPEC = new DaemonStartup.Spec(DaemonKind.NFACCTD, HEADER, OPTIONS, keys(),
            Nfacctd::directive, operands -> {
                if (!operands.isEmpty()) {
                    throw new ConfigException("unexpected argument '" + operands.get(0) + "' (nfacctd takes no filter)");
                }
                return List.of();
            }, Nfacctd::usage, Nfacctd::version);

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                (config, factories, child) -> new Session(config, factories, child, args).run());
    }

    static List<KeyDef<?>> keys() {
        List<KeyDef<?>> keys = new ArrayList<>(NfacctdKeys.all());
        keys.addAll(CollectorKeys.all());
        keys.addAll(SavefileKeys.all());
        return keys;
    }

    static String directive(GetOpt.Option o) {
        switch (o.name()) {
            case 'L': return "nfacctd_ip: " + o.argument();
            case 'l': return "nfacctd_port: " + o.argument();
            default: return DaemonStartup.commonDirective(o);
        }
    }

    static void usage(PrintStream out) {
        out.println(HEADER + " " + DaemonCli.VERSION);
        out.println("Usage: nfacctd [ -D | -d ] [ -L IP address ] [ -l port ] [ -c primitive [ , ... ] ] [ -P plugin [ , ... ] ]");
        out.println("       nfacctd [ -f config_file ]");
        out.println("       nfacctd [ -h ]");
        out.println();
        out.println("General options:");
        out.println("  -h  \tShow this page");
        out.println("  -V  \tShow version and build details, then exit");
        out.println("  -L  \tBind to the specified IP address");
        out.println("  -l  \tListen on the specified UDP port");
        out.println("  -f  \tLoad configuration from the specified file");
        out.println("  -a  \tList the aggregation primitives this build supports");
        out.println("  -c  \tAggregation method, see the list of primitives with -a (DEFAULT: src_host)");
        out.println("  -D  \tDaemonize");
        out.println("  -n  \tPath to a file of networks and/or ASNs");
        out.println("  -t  \tPath to a file of ports");
        out.println("  -P  \t[ memory | print | mysql | pgsql | sqlite3 ] \n\tActivate plugin");
        out.println("  -d  \tEnable debug");
        out.println("  -S  \t[ auth | mail | daemon | kern | user | local[0-7] ] \n\tLog to the specified syslog facility");
        out.println("  -F  \tWrite the Core Process PID into the specified file");
        out.println("  -R  \tRenormalize sampled data");
        out.println("  -u  \tLeave IP protocols in numerical format");
        out.println("  -I  \tRead packets from the specified savefile");
        out.println("  -Z  \tReading a savefile, sleep the given number of seconds at start-up and between replays");
        out.println("  -W  \tReading a savefile, keep running when it ends");
        out.println("  -Y  \tReading a savefile, replay it the given number of times");
        DaemonCli.printPluginOptions(out);
    }

    static void version(PrintStream out) {
        out.println(HEADER + " " + DaemonCli.VERSION);
        out.println();
        out.println("Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.println("Transport: " + (UdpReceiver.nativeTransport() ? "epoll (native)" : "nio"));
        out.println("NetFlow: v1, v5, v7, v8 (aggregation schemes 1-14), v9, IPFIX");
        out.println("Plugins: " + String.join(", ", PluginRegistry.discover().keySet()));
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
            InetAddress bind = bindAddress();
            int port = config.isSet(CollectorKeys.PORT) ? config.get(CollectorKeys.PORT).intValue() : DEFAULT_PORT;
            int threads = config.isSet(CollectorKeys.THREADS) ? config.get(CollectorKeys.THREADS).intValue()
                    : Math.max(1, Runtime.getRuntime().availableProcessors());

            if (config.get(CoreKeys.DAEMONIZE) && !child) {
                closeQuietly(reader);
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
                        receiver[0] = new UdpReceiver(runtime.coreThreadName(), bind, port,
                                config.get(CollectorKeys.PIPE_SIZE).intValue(), threads,
                                () -> new NetflowDecoder(exporters, settings, runtime.newWriter()));
                        if (config.isSet(CollectorKeys.PIPE_SIZE)) {
                            receiver[0].warnIfBufferCapped();
                        }
                        try {
                            receiver[0].start();
                        } catch (IOException e) {
                            LOG.error(e.getMessage());
                            return 1;
                        }
                        kernel = new KernelUdpDrops(receiver[0].port());
                        runtime.metrics().gauge("socket_kernel_drops", "Datagrams the kernel dropped: receive buffer full",
                                kernel::read, "port", Integer.toString(receiver[0].port()));
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

        private InetAddress bindAddress() throws ConfigException {
            String ip = config.get(CollectorKeys.IP);
            try {
                if (ip == null) {
                    return config.get(CollectorKeys.IPV6_ONLY) || ipv6Available() ? InetAddress.getByName("::")
                            : InetAddress.getByName("0.0.0.0");
                }
                if (!ip.matches("[0-9A-Fa-f:.]+")) {
                    throw config.error(CollectorKeys.IP, "'" + ip + "' is not an IPv4 or IPv6 address");
                }
                return InetAddress.getByName(ip);
            } catch (UnknownHostException e) {
                throw config.error(CollectorKeys.IP, "'" + ip + "' is not an IPv4 or IPv6 address");
            }
        }

        private static boolean ipv6Available() {
            return java.nio.file.Files.exists(Path.of("/proc/net/if_inet6"));
        }

        private int readSavefile(SavefileReader first, String path, ExporterTable exporters, DecoderSettings settings,
                                 DaemonRuntime runtime) throws InterruptedException {
            NetflowDecoder decoder = new NetflowDecoder(exporters, settings, runtime.newWriter());
            SavefileDatagrams datagrams = new SavefileDatagrams(decoder);
            long replays = config.get(SavefileKeys.PCAP_SAVEFILE_REPLAY);
            long delay = config.get(SavefileKeys.PCAP_SAVEFILE_DELAY);
            SavefileReader reader = first;
            try {
                for (long round = 1; replays == 0 || round <= replays; round++) {
                    if (delay > 0) {
                        for (long t = 0; t < delay * 10 && !runtime.stopRequested(); t++) {
                            Thread.sleep(100);
                        }
                    }
                    if (reader == null) {
                        reader = new SavefileReader(Path.of(path));
                    }
                    while (!runtime.stopRequested() && reader.poll(datagrams, 4096) != SavefileReader.END) {
                        decoder.tick(System.nanoTime());
                    }
                    closeQuietly(reader);
                    reader = null;
                    if (runtime.stopRequested()) {
                        break;
                    }
                }
                return 0;
            } catch (SavefileException e) {
                LOG.error("{}; accounting what was read before it", e.getMessage());
                return 1;
            } catch (IOException e) {
                LOG.error("{}: {}", path, e.getMessage());
                return 1;
            } finally {
                closeQuietly(reader);
                decoder.finish();
                LOG.info("savefile: {} datagrams read, {} frames without a UDP datagram skipped", datagrams.datagrams(),
                        datagrams.skipped());
            }
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

        private static void closeQuietly(SavefileReader r) {
            if (r != null) {
                try {
                    r.close();
                } catch (IOException e) {
                    // nothing left to do
                }
            }
        }
    }
}
