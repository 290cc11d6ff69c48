package jpmacct.pmacctd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.capture.SavefileReader;
import jpmacct.core.capture.SavefileReplay;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.FlowTracker;
import jpmacct.core.decode.packet.FragmentTable;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.Input;
import jpmacct.pmacctd.capture.LiveCapture;
import jpmacct.pmacctd.capture.LiveSource;
import jpmacct.pmacctd.capture.PacketRing;

/**
 * pmacctd's input: frames from a savefile or from live interfaces, decoded on the core thread by one
 * {@link CaptureLoop} into one writer.
 */
abstract class PacketInput implements Input {
    private static final Logger LOG = LoggerFactory.getLogger(PacketInput.class);

    final DaemonAssembly.Plugins daemon;
    final DaemonConfig config;
    final String filter;
    final int snaplen;
    private final DecodeStats stats = new DecodeStats();
    private final FragmentTable fragments;
    private final PacketDecoder decoder;
    CaptureLoop loop;

    PacketInput(DaemonAssembly.Plugins daemon) {
        this.daemon = daemon;
        this.config = daemon.config();
        this.filter = config.get(PmacctdKeys.PCAP_FILTER);
        this.snaplen = config.get(PmacctdKeys.SNAPLEN).intValue();
        boolean flows = false;
        for (PluginConfig pc : config.plugins()) {
            flows |= pc.get(CoreKeys.AGGREGATE).has(Primitive.FLOWS);
        }
        long fragBytes = config.get(PmacctdKeys.FRAG_BUFFER_SIZE);
        int fragEntries = (int) Math.max(256, Math.min(1 << 22, fragBytes / 64));
        fragments = new FragmentTable(fragEntries, Math.max(64, fragEntries / 16), 60_000);
        FlowTracker tracker = flows ? new FlowTracker(config.get(PmacctdKeys.FLOW_LIFETIME),
                config.get(PmacctdKeys.FLOW_TCP_LIFETIME), 1 << 22) : null;
        decoder = new PacketDecoder(fragments, tracker, stats);
        registerStats(daemon.metrics());
    }

    /**
     * Checks what pmacct checks before anything opens, then opens the savefile (its errors reach the terminal
     * before detaching) or names the interfaces.
     */
    static PacketInput open(DaemonAssembly.Plugins daemon) throws IOException, ConfigException {
        DaemonConfig config = daemon.config();
        String savefile = config.get(PmacctdKeys.PCAP_SAVEFILE);
        if (savefile != null && (config.isSet(PmacctdKeys.PCAP_INTERFACE) || config.isSet(PmacctdKeys.PCAP_INTERFACES_MAP))) {
            throw config.error(PmacctdKeys.PCAP_SAVEFILE, "pcap_savefile and pcap_interface/pcap_interfaces_map "
                    + "are mutually exclusive");
        }
        if (config.isSet(PmacctdKeys.PCAP_INTERFACE) && config.isSet(PmacctdKeys.PCAP_INTERFACES_MAP)) {
            throw config.error(PmacctdKeys.PCAP_INTERFACES_MAP, "pcap_interfaces_map and pcap_interface are mutually exclusive");
        }
        if (savefile != null) {
            return new FromSavefile(daemon, savefile, SavefileReplay.open(savefile));
        }
        if (!config.get(PmacctdKeys.NONROOT) && !isRoot()) {
            // pmacct's check: without it an unprivileged start fails later, on each interface
            throw new IOException("You need superuser privileges to run this command (or pmacctd_nonroot / -z when "
                    + "capabilities such as CAP_NET_RAW are granted otherwise)");
        }
        return new FromInterfaces(daemon, Interfaces.specs(config));
    }

    /** Link types of the frames the record stage's filters will see (none known before a live capture opens). */
    abstract int[] linkTypes();

    @Override
    public int producers() {
        return 1;
    }

    /** The loop into the thread's writer, its pcap_filter run in Java (null: libpcap filters in the kernel). */
    boolean startLoop(Writers writers, String javaFilter, int linkType) {
        loop = new CaptureLoop(decoder, writers.newWriter(), javaFilter, snaplen);
        loop.keepHeaders(daemon.packetHeaderBytes());
        try {
            loop.prepareFilter(linkType);
            return true;
        } catch (IllegalArgumentException e) {
            LOG.error(e.getMessage());
            return false;
        }
    }

    @Override
    public void report(boolean last) {
        if (last && loop != null) {
            LOG.info("frames {}, packets accounted {}, filtered out {}, not IP {}, truncated {}, malformed {}, "
                            + "cut before ports {}, orphan fragments {}", stats.frames, accounted(),
                    loop.filteredOut(), stats.notIp, stats.truncated, stats.malformed, stats.shortL4, fragments.orphaned());
        }
    }

    private long accounted() {
        return stats.accounted + fragments.joined() + fragments.orphaned();
    }

    private void registerStats(Metrics m) {
        DecodeStats s = stats;
        FragmentTable f = fragments;
        m.gauge("packets_seen", "Frames read from the capture source", () -> s.frames);
        m.gauge("packets_accounted", "Packets accounted (held fragments included once accounted)", this::accounted);
        m.gauge("packets_not_ip", "Frames that are not IP (not accounted)", () -> s.notIp);
        m.gauge("packets_truncated", "Frames too short to reach the IP addresses", () -> s.truncated);
        m.gauge("packets_malformed", "Frames with inconsistent headers", () -> s.malformed);
        m.gauge("packets_short_l4", "IP packets cut before their ports (accounted with ports 0)", () -> s.shortL4);
        m.gauge("fragments_orphaned", "Later fragments whose first never came (accounted with ports 0)", f::orphaned);
        m.gauge("fragments_unmatched", "Later fragments accounted without ports because the fragment table was full", f::unmatched);
    }

    /** Whether the process runs as root; true where the uid cannot be read, so that nothing is refused there. */
    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true;
        }
    }

    /** pcap_savefile, replayed as configured; the filter runs in Java. */
    private static final class FromSavefile extends PacketInput {
        private final String path;
        private final int linkType;
        private final SavefileReplay replay;

        FromSavefile(DaemonAssembly.Plugins daemon, String path, SavefileReader first) {
            super(daemon);
            this.path = path;
            this.linkType = first.linkType();
            this.replay = new SavefileReplay(path, first, config.get(PmacctdKeys.PCAP_SAVEFILE_REPLAY),
                    config.get(PmacctdKeys.PCAP_SAVEFILE_DELAY));
        }

        @Override
        int[] linkTypes() {
            return new int[] {linkType};
        }

        @Override
        public boolean finite() {
            return true;
        }

        @Override
        public boolean start(Writers writers, CoreThread core) {
            return startLoop(writers, filter, linkType);
        }

        @Override
        public int run(CoreThread core) throws InterruptedException {
            LOG.info("[{},0] link type is: {}", path, linkType);
            return replay.run(core, reader -> {
                try {
                    loop.run(reader, () -> {
                        core.chores();
                        return core.stopRequested();
                    });
                } finally {
                    // each round ends here, even cut short: its last batch and held fragments go out
                    loop.finish();
                }
            });
        }

        @Override
        public void close() {
            replay.close();
        }
    }

    /** Live interfaces: the kernel's packet ring where it serves, libpcap otherwise. */
    private static final class FromInterfaces extends PacketInput {
        /** How long the core thread reads before it looks at the capture's counters again. */
        private static final long STATS_SLICE_NANOS = 5_000_000_000L;
        private final List<LiveCapture.Spec> specs;
        private LiveSource capture;
        private volatile List<long[]> pcapStats = List.of();

        FromInterfaces(DaemonAssembly.Plugins daemon, List<LiveCapture.Spec> specs) {
            super(daemon);
            this.specs = specs;
        }

        @Override
        int[] linkTypes() {
            return new int[0];
        }

        @Override
        public boolean start(Writers writers, CoreThread core) throws InterruptedException {
            boolean ring = useRing(specs);
            if (!startLoop(writers, ring ? filter : null, ring ? LinkTypes.ETHERNET : -1)) {
                return false;
            }
            capture = openLive(ring ? null : filter, ring, core);
            if (capture == null) {
                return false;
            }
            loop.attach(capture);
            return true;
        }

        @Override
        public int run(CoreThread core) throws InterruptedException {
            try {
                while (!core.stopRequested()) {
                    long until = System.nanoTime() + STATS_SLICE_NANOS;
                    boolean more = loop.run(capture, () -> {
                        core.chores();
                        return core.stopRequested() || System.nanoTime() > until;
                    });
                    pcapStats = capture.stats(); // read on the capture thread, which libpcap requires
                    if (!more) {
                        return 0;
                    }
                }
                loop.drain(capture); // stopped: what the kernel captured before the signal still counts
                return 0;
            } catch (IOException e) {
                LOG.error(e.getMessage());
                return 1;
            } finally {
                pcapStats = capture.stats();
                logPcapStats();
                loop.finish();
            }
        }

        @Override
        public void close() {
            if (capture != null) {
                capture.close();
                capture = null;
            }
        }

        /**
         * Linux Ethernet-like interfaces are read from the kernel's packet ring directly (no native call per
         * frame); other links go through libpcap. {@code -Djpmacct.capture=pcap} forces libpcap.
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

        /** Opens the capture; with pcap_interface_wait, retries every 5 s until it opens or a stop comes. */
        private LiveSource openLive(String kernelFilter, boolean ring, CoreThread core) throws InterruptedException {
            boolean promisc = config.get(PmacctdKeys.PROMISC);
            int buffer = (int) Math.min(Integer.MAX_VALUE, config.get(PmacctdKeys.PIPE_SIZE));
            boolean wait = config.get(PmacctdKeys.PCAP_INTERFACE_WAIT);
            while (true) {
                try {
                    LiveSource c = ring ? new PacketRing(specs, buffer, promisc, snaplen)
                            : new LiveCapture(specs, snaplen, promisc, kernelFilter, buffer);
                    registerPcapStats(c);
                    return c;
                } catch (IOException | RuntimeException e) {
                    if (core.stopRequested()) {
                        return null;
                    }
                    if (!wait) {
                        LOG.error(e.getMessage());
                        return null;
                    }
                    LOG.warn("{}; retrying in 5 seconds (pcap_interface_wait)", e.getMessage());
                    core.pause(5000);
                    if (core.stopRequested()) {
                        return null;
                    }
                }
            }
        }

        private void logPcapStats() {
            List<long[]> s = pcapStats;
            for (int i = 0; i < s.size() && i < specs.size(); i++) {
                LOG.info("[{}] pcap stats: received {}, dropped by kernel {}, dropped by interface {}",
                        specs.get(i).name(), s.get(i)[0], s.get(i)[1], s.get(i)[2]);
            }
        }

        private void registerPcapStats(LiveSource c) {
            Metrics m = daemon.metrics();
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
    }
}
