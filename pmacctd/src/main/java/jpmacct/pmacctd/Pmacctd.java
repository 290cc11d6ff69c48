package jpmacct.pmacctd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.FlowTracker;
import jpmacct.core.decode.packet.FragmentTable;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.core.runtime.DaemonRuntime;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.pmacctd.capture.InterfacesMap;
import jpmacct.pmacctd.capture.LiveCapture;
import jpmacct.pmacctd.capture.LiveSource;
import jpmacct.pmacctd.capture.PacketRing;
import jpmacct.core.capture.PacketSource;
import jpmacct.filter.bpf.PcapLibrary;
import jpmacct.core.capture.SavefileException;
import jpmacct.core.capture.SavefileReader;

/** pmacctd: accounts packets captured on interfaces or read from savefiles. */
public final class Pmacctd {
    private static final Logger LOG = LoggerFactory.getLogger(Pmacctd.class);
    static final String HEADER = "Promiscuous Mode Accounting Daemon, pmacctd";

    private Pmacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** pmacctd's command line: its options are declared in DaemonOptions; the words after them are its filter. */
    static final DaemonStartup.Spec SPEC = new DaemonStartup.Spec(DaemonKind.PMACCTD, HEADER, keys(),
            PmacctdKeys.PCAP_FILTER.name(), Pmacctd::version);

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                (config, factories, child) -> new Pmacctd.Session(config, factories, child, args).run());
    }

    static List<jpmacct.core.config.KeyDef<?>> keys() {
        List<jpmacct.core.config.KeyDef<?>> keys = new ArrayList<>(PmacctdKeys.all());
        keys.addAll(jpmacct.core.config.SavefileKeys.all());
        return keys;
    }

    static void version(PrintStream out) {
        out.println(HEADER + " " + DaemonCli.VERSION);
        out.println();
        out.println("Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        try {
            PcapLibrary.ensureLoaded();
            out.println("libpcap: " + Pcaps.libVersion());
        } catch (RuntimeException | LinkageError e) {
            out.println("libpcap: not available (" + e.getMessage() + ")");
        }
        out.println("Plugins: " + String.join(", ", PluginRegistry.discover().keySet()));
        out.println();
        out.println("For suggestions, critics, bugs: see README.md");
    }

    /** One run of the daemon, from a resolved configuration to exit. */
    private static final class Session {
        private final DaemonConfig config;
        private final Map<String, PluginFactory> factories;
        private final boolean child;
        private final String[] args;
        private final String savefile;

        Session(DaemonConfig config, Map<String, PluginFactory> factories, boolean child, String[] args) {
            this.config = config;
            this.factories = factories;
            this.child = child;
            this.args = args;
            this.savefile = config.get(PmacctdKeys.PCAP_SAVEFILE);
        }

        int run() throws ConfigException {
            if (savefile != null && (config.isSet(PmacctdKeys.PCAP_INTERFACE) || config.isSet(PmacctdKeys.PCAP_INTERFACES_MAP))) {
                throw config.error(PmacctdKeys.PCAP_SAVEFILE, "pcap_savefile and pcap_interface/pcap_interfaces_map "
                        + "are mutually exclusive");
            }
            if (config.isSet(PmacctdKeys.PCAP_INTERFACE) && config.isSet(PmacctdKeys.PCAP_INTERFACES_MAP)) {
                throw config.error(PmacctdKeys.PCAP_INTERFACES_MAP, "pcap_interfaces_map and pcap_interface are mutually exclusive");
            }
            if (savefile == null && !config.get(PmacctdKeys.NONROOT) && !isRoot()) {
                // pmacct's check: without it an unprivileged start fails later, on each interface
                LOG.error("You need superuser privileges to run this command (or pmacctd_nonroot / -z when "
                        + "capabilities such as CAP_NET_RAW are granted otherwise)");
                return 1;
            }
            DaemonInfo info = new DaemonInfo(DaemonKind.PMACCTD, config.coreName(), savefile != null);
            DaemonRuntime runtime = new DaemonRuntime(config, info, factories);
            runtime.createPlugins();

            // open the source before detaching, so that its errors reach the terminal
            final SavefileReader reader;
            if (savefile != null) {
                try {
                    reader = new SavefileReader(Path.of(savefile));
                } catch (SavefileException e) {
                    LOG.error(e.getMessage());
                    return 1;
                } catch (IOException e) {
                    LOG.error("{}: {}", savefile, e.getMessage());
                    return 1;
                }
            } else {
                reader = null;
            }
            List<LiveCapture.Spec> specs = savefile != null ? null : interfaceSpecs();

            if (config.get(CoreKeys.DAEMONIZE) && !child) {
                closeQuietly(reader);
                return runtime.detach(Pmacctd.class, args);
            }

            boolean flows = false;
            for (var pc : config.plugins()) {
                flows |= pc.get(CoreKeys.AGGREGATE).has(Primitive.FLOWS);
            }
            long fragBytes = config.get(PmacctdKeys.FRAG_BUFFER_SIZE);
            int fragEntries = (int) Math.max(256, Math.min(1 << 22, fragBytes / 64));
            DecodeStats stats = new DecodeStats();
            FragmentTable fragments = new FragmentTable(fragEntries, Math.max(64, fragEntries / 16), 60_000);
            FlowTracker tracker = flows ? new FlowTracker(config.get(PmacctdKeys.FLOW_LIFETIME),
                    config.get(PmacctdKeys.FLOW_TCP_LIFETIME), 1 << 22) : null;
            PacketDecoder decoder = new PacketDecoder(fragments, tracker, stats);
            registerStats(runtime.metrics(), stats, fragments);

            String filter = config.get(PmacctdKeys.PCAP_FILTER);
            int snaplen = config.get(PmacctdKeys.SNAPLEN).intValue();
            LiveSource[] capture = {null};
            try {
                return runtime.runThenShutdown(() -> {
                    runtime.recordStages(jpmacct.filter.RecordPipeline.stages(config, runtime.maps(),
                            jpmacct.filter.RecordSource.PACKETS,
                            reader != null ? new int[] {reader.linkType()} : new int[0]));
                    runtime.start(1);
                    boolean ring = reader == null && useRing(specs);
                    CaptureLoop loop = new CaptureLoop(decoder, runtime.newWriter(),
                            reader != null || ring ? filter : null, snaplen);
                    loop.keepHeaders(runtime.packetHeaderBytes());
                    if (reader != null || ring) {
                        try {
                            loop.prepareFilter(reader != null ? reader.linkType()
                                    : jpmacct.core.decode.packet.LinkTypes.ETHERNET);
                        } catch (IllegalArgumentException e) {
                            LOG.error(e.getMessage());
                            closeQuietly(reader);
                            return 1;
                        }
                    }
                    if (reader == null) {
                        // before the capture opens: pcap_interface_wait may wait long, and SIGTERM must still flush
                        runtime.installSignals();
                        capture[0] = openLive(specs, snaplen, ring ? null : filter, ring, runtime);
                        if (capture[0] == null) {
                            return runtime.stopRequested() ? 0 : 1;
                        }
                        loop.attach(capture[0]);
                    }
                    runtime.ready(child);
                    int status = reader != null ? readSavefiles(reader, loop, runtime)
                            : readLive(capture[0], loop, runtime);
                    loop.finish();
                    if (reader != null && config.get(PmacctdKeys.PCAP_SAVEFILE_WAIT)) {
                        LOG.info("savefile done; waiting for SIGINT or SIGTERM (pcap_savefile_wait)");
                        runtime.awaitStop();
                    }
                    logSummary(stats, fragments, loop);
                    return status;
                });
            } finally {
                if (capture[0] != null) {
                    capture[0].close();
                }
            }
        }

        /** Whether the process runs as root; true where the uid cannot be read, so that nothing is refused there. */
        private static boolean isRoot() {
            try {
                return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return true;
            }
        }

        private int readSavefiles(SavefileReader first, CaptureLoop loop, DaemonRuntime runtime) throws InterruptedException {
            long replays = config.get(PmacctdKeys.PCAP_SAVEFILE_REPLAY);
            long delay = config.get(PmacctdKeys.PCAP_SAVEFILE_DELAY);
            SavefileReader reader = first;
            LOG.info("[{},0] link type is: {}", savefile, reader.linkType());
            for (long round = 1; replays == 0 || round <= replays; round++) {
                if (delay > 0) {
                    LOG.info("PCAP capture file, sleeping for {} seconds", delay);
                    for (long t = 0; t < delay * 10 && !runtime.stopRequested(); t++) {
                        Thread.sleep(100);
                    }
                }
                try {
                    if (reader == null) {
                        reader = new SavefileReader(Path.of(savefile));
                    }
                    boolean stopped = loop.run(reader, runtime::stopRequested);
                    // each pass ends here: its last batch and held fragments go out before any delay
                    loop.finish();
                    if (stopped) {
                        return 0;
                    }
                } catch (SavefileException e) {
                    LOG.error("{}; accounting what was read before it", e.getMessage());
                    return 1;
                } catch (IOException e) {
                    LOG.error("{}: {}", savefile, e.getMessage());
                    return 1;
                } finally {
                    closeQuietly(reader);
                    reader = null;
                }
            }
            return 0;
        }

        private int readLive(LiveSource capture, CaptureLoop loop, DaemonRuntime runtime) throws InterruptedException {
            try {
                while (!runtime.stopRequested()) {
                    // come back every few seconds to read the pcap counters on the capture thread
                    long until = System.nanoTime() + 5_000_000_000L;
                    boolean more = loop.run(capture, () -> runtime.stopRequested() || System.nanoTime() > until);
                    updatePcapStats(capture);
                    if (!more) {
                        return 0;
                    }
                }
            } catch (IOException e) {
                LOG.error(e.getMessage());
                return 1;
            } finally {
                updatePcapStats(capture);
                logPcapStats(capture);
            }
            return 0;
        }

        private volatile List<long[]> pcapStats = List.of();

        private void updatePcapStats(LiveSource capture) {
            pcapStats = capture.stats();
        }

        private void logPcapStats(LiveSource capture) {
            List<long[]> s = pcapStats;
            List<LiveCapture.Spec> sp = capture.specs();
            for (int i = 0; i < s.size() && i < sp.size(); i++) {
                LOG.info("[{}] pcap stats: received {}, dropped by kernel {}, dropped by interface {}",
                        sp.get(i).name(), s.get(i)[0], s.get(i)[1], s.get(i)[2]);
            }
        }

        /**
         * Linux Ethernet-like interfaces are read from the kernel's packet ring directly (no native call per frame);
         * other links go through libpcap. {@code -Djpmacct.capture=pcap} forces libpcap.
         */
        private static boolean useRing(List<LiveCapture.Spec> specs) {
            if ("pcap".equals(System.getProperty("jpmacct.capture"))) {
                return false;
            }
            for (LiveCapture.Spec s : specs) {
                if (!PacketRing.supports(s.name())) {
                    return false;
                }
            }
            return true;
        }

        private LiveSource openLive(List<LiveCapture.Spec> specs, int snaplen, String filter, boolean ring,
                                    DaemonRuntime runtime) throws InterruptedException {
            boolean promisc = config.get(PmacctdKeys.PROMISC);
            int buffer = (int) Math.min(Integer.MAX_VALUE, config.get(PmacctdKeys.PIPE_SIZE));
            boolean wait = config.get(PmacctdKeys.PCAP_INTERFACE_WAIT);
            while (true) {
                try {
                    LiveSource c = ring ? new PacketRing(specs, buffer, promisc, snaplen)
                            : new LiveCapture(specs, snaplen, promisc, filter, buffer);
                    registerPcapStats(runtime.metrics(), c);
                    return c;
                } catch (IOException | RuntimeException e) {
                    if (runtime.stopRequested()) {
                        return null;
                    }
                    if (!wait) {
                        LOG.error(e.getMessage());
                        return null;
                    }
                    LOG.warn("{}; retrying in 5 seconds (pcap_interface_wait)", e.getMessage());
                    for (int t = 0; t < 50 && !runtime.stopRequested(); t++) {
                        Thread.sleep(100);
                    }
                }
            }
        }

        private void registerPcapStats(Metrics m, LiveSource c) {
            List<LiveCapture.Spec> sp = c.specs();
            for (int i = 0; i < sp.size(); i++) {
                int idx = i;
                String name = sp.get(i).name();
                m.gauge("pcap_received", "Packets received by the capture (pcap stats)", () -> stat(idx, 0), "interface", name);
                m.gauge("pcap_dropped", "Packets the kernel dropped because the capture buffer was full", () -> stat(idx, 1), "interface", name);
                m.gauge("pcap_ifdropped", "Packets the interface dropped", () -> stat(idx, 2), "interface", name);
            }
        }

        private long stat(int iface, int field) {
            List<long[]> s = pcapStats;
            return iface < s.size() ? s.get(iface)[field] : 0;
        }

        private List<LiveCapture.Spec> interfaceSpecs() throws ConfigException {
            List<LiveCapture.Spec> out = new ArrayList<>();
            String mode = config.get(PmacctdKeys.PCAP_IFINDEX);
            String dirText = config.get(PmacctdKeys.PCAP_DIRECTION);
            LiveCapture.Direction globalDir = dirText == null ? LiveCapture.Direction.BOTH
                    : dirText.equals("in") ? LiveCapture.Direction.IN : LiveCapture.Direction.OUT;
            String mapFile = config.get(PmacctdKeys.PCAP_INTERFACES_MAP);
            if (mapFile != null) {
                for (InterfacesMap.Entry e : InterfacesMap.load(Path.of(mapFile))) {
                    long index = mode == null || mode.equals("map") ? e.ifindex() : IfIndex.of(e.ifname(), mode);
                    LiveCapture.Direction dir = e.direction() != LiveCapture.Direction.BOTH ? e.direction() : globalDir;
                    out.add(new LiveCapture.Spec(e.ifname(), index, dir));
                }
                return out;
            }
            String iface = config.get(PmacctdKeys.PCAP_INTERFACE);
            if (iface == null) {
                try {
                    PcapLibrary.ensureLoaded();
                    iface = Pcaps.lookupDev();
                } catch (Exception | LinkageError e) {
                    throw new ConfigException("no pcap_interface (-i) or pcap_savefile (-I) given, and libpcap found "
                            + "no default device: " + e.getMessage());
                }
                LOG.info("no pcap_interface given; capturing on {}", iface);
            }
            if ("map".equals(mode)) {
                throw config.error(PmacctdKeys.PCAP_IFINDEX, "'map' needs a pcap_interfaces_map");
            }
            out.add(new LiveCapture.Spec(iface, IfIndex.of(iface, mode), globalDir));
            return out;
        }

        private static void registerStats(Metrics m, DecodeStats s, FragmentTable f) {
            m.gauge("packets_seen", "Frames read from the capture source", () -> s.frames);
            m.gauge("packets_accounted", "Packets accounted (held fragments included once accounted)",
                    () -> s.accounted + f.joined() + f.orphaned());
            m.gauge("packets_not_ip", "Frames that are not IP (not accounted)", () -> s.notIp);
            m.gauge("packets_truncated", "Frames too short to reach the IP addresses", () -> s.truncated);
            m.gauge("packets_malformed", "Frames with inconsistent headers", () -> s.malformed);
            m.gauge("packets_short_l4", "IP packets cut before their ports (accounted with ports 0)", () -> s.shortL4);
            m.gauge("fragments_orphaned", "Later fragments whose first never came (accounted with ports 0)", f::orphaned);
            m.gauge("fragments_unmatched", "Later fragments accounted without ports because the fragment table was full", f::unmatched);
        }

        private void logSummary(DecodeStats s, FragmentTable f, CaptureLoop loop) {
            LOG.info("frames {}, packets accounted {}, filtered out {}, not IP {}, truncated {}, malformed {}, "
                            + "cut before ports {}, orphan fragments {}", s.frames, s.accounted + f.joined() + f.orphaned(),
                    loop.filteredOut(), s.notIp, s.truncated, s.malformed, s.shortL4, f.orphaned());
        }

        private static void closeQuietly(PacketSource s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // nothing left to do
                }
            }
        }
    }
}
