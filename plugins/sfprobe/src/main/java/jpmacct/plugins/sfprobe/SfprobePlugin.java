package jpmacct.plugins.sfprobe;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.slf4j.Logger;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.HostPort;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.metrics.Counter;
import jpmacct.core.plugin.IfIndexSetting;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * pmacct's sfprobe: samples 1 in {@code sampling_rate} of the packets it is given (random skips, mean the rate)
 * and exports each as an sFlow v5 flow sample carrying the packet's first 128 bytes; every
 * {@code sfprobe_counter_interval} a counter sample gives the generic interface counters of every interface
 * seen. The sample pool counts every packet offered to the sampler; drops are the packets this plugin's queue
 * lost (live capture, queue full) before the sampler saw them.
 */
final class SfprobePlugin implements Plugin {
    /** pmacct's sfprobe header size. */
    static final int HEADER_BYTES = 128;
    /** sFlow's "interface not known". */
    static final long UNKNOWN_IFINDEX = 0x3FFFFFFFL;
    private static final int IN = 0;
    private static final int OUT = 1;
    private static final int MAX_INTERFACES = 1024;

    private final PluginContext ctx;
    private final Logger log;
    private final RateLimitedLog sendErrors;
    private final InetSocketAddress receiver;
    private final InetAddress agent;
    private final InetAddress source;
    private final long rate;
    private final String direction;
    private final IfIndexSetting ifIndex;
    private final long ifSpeed;
    private final long counterIntervalMillis;
    private final SplittableRandom random = new SplittableRandom();
    private final SflowExport export;
    private final Counter drops;
    private final Counter samplesSent;
    private final Counter datagramsSent;
    private final Counter sendFailures;
    private final long startMillis;
    private final int[] vlanCos = new int[2];
    private InterfaceCounters[] interfaces = new InterfaceCounters[4];
    private int interfaceCount;
    private InterfaceCounters lastInterface;
    private DatagramChannel channel;
    private long skip;
    private long pool;
    private long flowSequence;
    private long counterSequence;
    private long nextCountersMillis;

    SfprobePlugin(PluginContext ctx) throws ConfigException {
        this.ctx = ctx;
        this.startMillis = ctx.clock().millis();
        this.log = ctx.logger(SfprobePlugin.class);
        this.sendErrors = new RateLimitedLog(log, 60_000);
        PluginConfig cfg = ctx.config();
        this.receiver = receiver(cfg);
        this.source = cfg.isSet(SfprobeKeys.SOURCE_IP) ? address(cfg, SfprobeKeys.SOURCE_IP, cfg.get(SfprobeKeys.SOURCE_IP)) : null;
        this.agent = cfg.isSet(SfprobeKeys.AGENT_IP) ? address(cfg, SfprobeKeys.AGENT_IP, cfg.get(SfprobeKeys.AGENT_IP))
                : localAddressTowards(receiver);
        Long r = cfg.get(CoreKeys.SAMPLING_RATE);
        this.rate = r == null ? 1 : r;
        this.direction = cfg.get(SfprobeKeys.DIRECTION);
        try {
            this.ifIndex = IfIndexSetting.parse(cfg.get(SfprobeKeys.IFINDEX));
        } catch (IllegalArgumentException e) {
            throw cfg.error(SfprobeKeys.IFINDEX, e.getMessage());
        }
        this.ifSpeed = cfg.get(SfprobeKeys.IFSPEED);
        this.counterIntervalMillis = Math.max(1, cfg.get(SfprobeKeys.COUNTER_INTERVAL)) * 1000L;
        this.export = new SflowExport(agent, cfg.get(SfprobeKeys.AGENT_SUBID));
        String id = cfg.id();
        this.drops = ctx.metrics().counter("plugin_queue_dropped_records",
                "Records dropped because the plugin's queue was full", "plugin", id);
        this.samplesSent = ctx.metrics().counter("sfprobe_samples", "Flow samples exported", "plugin", id);
        this.datagramsSent = ctx.metrics().counter("sfprobe_datagrams", "sFlow datagrams sent", "plugin", id);
        this.sendFailures = ctx.metrics().counter("sfprobe_send_errors", "sFlow datagrams the socket refused", "plugin", id);
        this.skip = nextSkip();
    }

    private static InetSocketAddress receiver(PluginConfig cfg) throws ConfigException {
        String[] hostPort;
        try {
            hostPort = HostPort.split(cfg.get(SfprobeKeys.RECEIVER).trim());
        } catch (IllegalArgumentException e) {
            throw cfg.error(SfprobeKeys.RECEIVER, e.getMessage());
        }
        String host = hostPort[0];
        int p = Integer.parseInt(hostPort[1]);
        return new InetSocketAddress(address(cfg, SfprobeKeys.RECEIVER, host), p);
    }

    private static InetAddress address(PluginConfig cfg, KeyDef<String> key, String text) throws ConfigException {
        try {
            return InetAddress.getByName(text); // a number, or a host name as pmacct resolves it
        } catch (UnknownHostException e) {
            throw cfg.error(key, "cannot resolve '" + text + "'");
        }
    }

    /** The address this host sends from towards the receiver: what pmacct puts in the header by default. */
    private static InetAddress localAddressTowards(InetSocketAddress to) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(to);
            InetAddress a = s.getLocalAddress();
            if (a != null && !a.isAnyLocalAddress()) {
                return a;
            }
        } catch (IOException e) {
            // no route: fall back to loopback
        }
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public int packetHeaderBytes() {
        return HEADER_BYTES;
    }

    @Override
    public void start() throws IOException {
        channel = DatagramChannel.open();
        channel.bind(source == null ? null : new InetSocketAddress(source, 0));
        log.info("Exporting flows to [{}]:{}", receiver.getAddress().getHostAddress(), receiver.getPort());
        log.info("Sampling at: 1/{}", rate);
        nextCountersMillis = ctx.clock().millis() + counterIntervalMillis;
    }

    @Override
    public void onBatch(RecordBatch batch) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            FlowRecord r = batch.get(i);
            if (ctx.accepts(r)) {
                offer(r);
            }
        }
    }

    /** One packet through the sampler and the interface counters. */
    private void offer(FlowRecord r) {
        int dir = direction(r);
        long ifIndex = ifIndex(r, dir);
        InterfaceCounters c = iface(ifIndex);
        if (c != null) {
            c.count(dir, r.wireLength, r.header, r.headerLength, r.headerLinkType == LinkTypes.ETHERNET);
        }
        pool++;
        if (--skip > 0) {
            return;
        }
        if (sample(r, dir, ifIndex)) {
            skip = nextSkip();
        } else {
            skip = 1; // no bytes to export (a released fragment): the next packet stands in for it
        }
    }

    private int direction(FlowRecord r) {
        switch (direction) {
            case "out": return OUT;
            case "tag": return r.tag == 2 ? OUT : IN;
            case "tag2": return r.tag2 == 2 ? OUT : IN;
            default: return IN;
        }
    }

    /** pmacct's order: the packet's own interface, then sfprobe_ifindex (number or tag), else unknown. */
    private long ifIndex(FlowRecord r, int dir) {
        long own = dir == IN ? r.inIface : r.outIface;
        if (own != 0) {
            return own;
        }
        long configured = ifIndex.of(r);
        return configured != 0 ? configured : UNKNOWN_IFINDEX;
    }

    private InterfaceCounters iface(long ifIndex) {
        InterfaceCounters last = lastInterface;
        if (last != null && last.ifIndex == ifIndex) {
            return last;
        }
        for (int i = 0; i < interfaceCount; i++) {
            if (interfaces[i].ifIndex == ifIndex) {
                lastInterface = interfaces[i];
                return interfaces[i];
            }
        }
        if (interfaceCount == MAX_INTERFACES) {
            return null;
        }
        if (interfaceCount == interfaces.length) {
            interfaces = Arrays.copyOf(interfaces, interfaces.length * 2);
        }
        InterfaceCounters c = new InterfaceCounters(ifIndex);
        interfaces[interfaceCount++] = c;
        lastInterface = c;
        return c;
    }

    /** Exports the packet as a flow sample; false when it has no bytes to export. */
    private boolean sample(FlowRecord r, int dir, long ifIndex) {
        if (r.headerLength == 0) {
            return false;
        }
        int offset;
        switch (r.headerLinkType) {
            case LinkTypes.ETHERNET: offset = 0; break;
            case LinkTypes.LINUX_SLL: offset = 16; break;
            case LinkTypes.LINUX_SLL2: offset = 20; break;
            case LinkTypes.NULL:
            case LinkTypes.LOOP: offset = 4; break;
            default: offset = 0; break; // raw IP
        }
        if (offset >= r.headerLength) {
            return false;
        }
        int protocol;
        long frameLength;
        long stripped;
        if (r.headerLinkType == LinkTypes.ETHERNET) {
            // libpcap gives no FCS: count its 4 bytes in the frame length and say they were stripped, as pmacct
            protocol = SflowExport.PROTOCOL_ETHERNET;
            frameLength = r.wireLength + 4L;
            stripped = 4;
        } else {
            // other link layers are not sFlow header protocols: export from the IP header on
            int version = (r.header[offset] & 0xF0) >>> 4;
            protocol = version == 6 ? SflowExport.PROTOCOL_IPV6 : SflowExport.PROTOCOL_IPV4;
            frameLength = r.wireLength - offset;
            stripped = 0;
        }
        boolean withSwitch = r.vlan != 0 || r.cos != 0;
        int length = Math.min(r.headerLength - offset, export.maxHeaderBytes(withSwitch));
        if (!export.fitsFlowSample(length, withSwitch)) {
            send();
        }
        vlanCos[0] = r.vlan;
        vlanCos[1] = r.cos;
        long input = r.inIface != 0 ? r.inIface : dir == IN ? ifIndex : UNKNOWN_IFINDEX;
        long output = r.outIface != 0 ? r.outIface : dir == OUT ? ifIndex : UNKNOWN_IFINDEX;
        export.flowSample(++flowSequence, sourceIndex(), rate, pool, drops.get(), input, output, protocol, frameLength,
                stripped, r.header, offset, length, withSwitch ? vlanCos : null, dir == OUT);
        samplesSent.inc();
        return true;
    }

    /** The data source: sfprobe_ifindex when it is a number, else 1 (as pmacct). */
    private long sourceIndex() {
        return ifIndex.fixed() != 0 ? ifIndex.fixed() : 1;
    }

    /** Skip counts uniform in [1, 2 x rate - 1]: one sample per rate packets on average, never in lock-step. */
    private long nextSkip() {
        return rate <= 1 ? 1 : 1 + random.nextLong(2 * rate - 1);
    }

    private void counters() {
        int per = export.maxInterfacesPerSample();
        for (int from = 0; from < interfaceCount; from += per) {
            int to = Math.min(interfaceCount, from + per);
            if (!export.fitsCounterSample(to - from)) {
                send();
            }
            export.counterSample(++counterSequence, sourceIndex(), interfaces, from, to, ifSpeed);
        }
    }

    private void send() {
        if (export.isEmpty()) {
            return;
        }
        try {
            channel.send(export.finish(ctx.clock().millis() - startMillis), receiver);
            datagramsSent.inc();
        } catch (IOException e) {
            sendFailures.inc();
            sendErrors.warn("send", "cannot send to " + receiver + ": " + e.getMessage());
        } finally {
            export.reset();
        }
    }

    @Override
    public long tickIntervalMillis() {
        return 200;
    }

    @Override
    public void onTick(long nowMillis) {
        if (nowMillis >= nextCountersMillis) {
            counters();
            nextCountersMillis = nowMillis + counterIntervalMillis;
        }
        send();
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        counters();
        send();
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
        log.info("{} flow samples in {} datagrams; {} packets offered", samplesSent.get(), datagramsSent.get(), pool);
    }
}
