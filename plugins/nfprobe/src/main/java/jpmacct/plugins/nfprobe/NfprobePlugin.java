package jpmacct.plugins.nfprobe;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.slf4j.Logger;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.HostPort;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.metrics.Counter;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.plugin.IfIndexSetting;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * pmacct's nfprobe: packets into a cache of bidirectional flows ({@link FlowCache}), flows out as NetFlow v5, v9
 * or IPFIX ({@link NetflowExport}) when they expire. Expiry follows softflowd as pmacct 1.7.7 runs it: idle
 * timeouts per protocol counted from the last packet, TCP RST and FIN (both sides) shortening them, maxlife and
 * counter overflow ending a flow at once, the flow due first evicted when the cache is full; expiry scans run on
 * multiples of expint against the wall clock. Reading a savefile only the immediate rules apply, as in pmacct,
 * and every flow left is exported at the end.
 */
final class NfprobePlugin implements Plugin {
    static final int IN = 1;
    static final int OUT = 2;
    private static final int MAX_DATAGRAM_IP = 1500;

    private final PluginContext ctx;
    private final Logger log;
    private final RateLimitedLog sendErrors;
    private final InetSocketAddress receiver;
    private final InetAddress source;
    private final Long hoplimit;
    private final int version;
    private final Timeouts timeouts;
    private final boolean savefile;
    private final boolean dontCache;
    private final String direction;
    private final IfIndexSetting ifIndex;
    private final long overBytes;
    private final FlowCache cache;
    private final NetflowExport export;
    private final Counter badPackets;
    private final Counter flowsCreated;
    private final Counter[] expiredBy = new Counter[FlowCache.RULES];
    private final Counter expiredMaxlife;
    private final Counter expiredMaxflows;
    private final Counter expiredOverbytes;
    private final Counter expiredFlush;
    private final Counter sendFailures;
    private DatagramChannel channel;
    private long nextScanSec;

    NfprobePlugin(PluginContext ctx) throws ConfigException {
        this.ctx = ctx;
        this.log = ctx.logger(NfprobePlugin.class);
        this.sendErrors = new RateLimitedLog(log, 60_000);
        PluginConfig cfg = ctx.config();
        if (cfg.isSet(CoreKeys.SAMPLING_RATE)) {
            // pmacct samples and sends a sampling options template; refused rather than silently unsampled
            throw cfg.error(CoreKeys.SAMPLING_RATE, "not supported by the nfprobe plugin yet");
        }
        String[] hostPort = HostPort.split(cfg.get(NfprobeKeys.RECEIVER));
        this.receiver = new InetSocketAddress(resolve(cfg, NfprobeKeys.RECEIVER, hostPort[0]), Integer.parseInt(hostPort[1]));
        this.source = cfg.isSet(NfprobeKeys.SOURCE_IP)
                ? resolve(cfg, NfprobeKeys.SOURCE_IP, cfg.get(NfprobeKeys.SOURCE_IP)) : null;
        this.hoplimit = cfg.get(NfprobeKeys.HOPLIMIT);
        this.version = cfg.get(NfprobeKeys.VERSION_KEY).intValue();
        this.timeouts = cfg.get(NfprobeKeys.TIMEOUTS);
        this.savefile = ctx.daemon().savefile();
        this.dontCache = cfg.get(NfprobeKeys.DONT_CACHE);
        this.direction = cfg.get(NfprobeKeys.DIRECTION);
        try {
            this.ifIndex = IfIndexSetting.parse(cfg.get(NfprobeKeys.IFINDEX));
        } catch (IllegalArgumentException e) {
            throw cfg.error(NfprobeKeys.IFINDEX, e.getMessage());
        }
        // v5 counters are 32 bits; pmacct ends a flow past 2^31 (v5) or 2^63 bytes
        this.overBytes = version == 5 ? 1L << 31 : Long.MAX_VALUE;
        long[] engine = cfg.get(NfprobeKeys.ENGINE_KEY);
        Aggregate agg = cfg.get(CoreKeys.AGGREGATE);
        // MAC/VLAN elements when the aggregate asks for them (v9/IPFIX), as pmacct
        boolean l2 = version != 5;
        boolean srcMac = l2 && (agg.has(Primitive.SRC_MAC) || agg.has(Primitive.SUM_MAC));
        boolean dstMac = l2 && agg.has(Primitive.DST_MAC);
        boolean vlan = l2 && agg.has(Primitive.VLAN);
        this.cache = new FlowCache(cfg.get(NfprobeKeys.MAXFLOWS).intValue());
        int ipHeader = receiver.getAddress() instanceof Inet6Address ? 40 : 20;
        int maxPayload = Math.min(MAX_DATAGRAM_IP, pathMtu(receiver)) - ipHeader - 8;
        this.export = new NetflowExport(version, maxPayload, engine[0], engine[1], srcMac, dstMac, vlan,
                cfg.get(NfprobeKeys.TSTAMP_USEC), System.currentTimeMillis(), this::send);
        String id = cfg.id();
        var m = ctx.metrics();
        this.badPackets = m.counter("nfprobe_bad_packets", "Records neither IPv4 nor IPv6", "plugin", id);
        this.flowsCreated = m.counter("nfprobe_flows", "Flows created in the cache", "plugin", id);
        String[] ruleNames = {"general", "tcp", "tcp.rst", "tcp.fin", "udp", "icmp"};
        for (int r = 0; r < FlowCache.RULES; r++) {
            expiredBy[r] = expiredCounter(m, id, ruleNames[r]);
        }
        this.expiredMaxlife = expiredCounter(m, id, "maxlife");
        this.expiredMaxflows = expiredCounter(m, id, "maxflows");
        this.expiredOverbytes = expiredCounter(m, id, "overbytes");
        this.expiredFlush = expiredCounter(m, id, "flush");
        this.sendFailures = m.counter("nfprobe_send_errors", "Datagrams the socket refused", "plugin", id);
        m.gauge("nfprobe_datagrams", "Datagrams sent", export::datagramsSent, "plugin", id);
        m.gauge("nfprobe_records", "Flow records exported", export::recordsExported, "plugin", id);
        m.gauge("nfprobe_active_flows", "Flows in the cache", cache::size, "plugin", id);
    }

    private static InetAddress resolve(PluginConfig cfg, KeyDef<String> key, String host)
            throws ConfigException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw cfg.error(key, "cannot resolve '" + host + "'");
        }
    }

    private static Counter expiredCounter(Metrics m, String plugin, String reason) {
        return m.counter("nfprobe_expired", "Flows expired, by reason", "plugin", plugin, "reason", reason);
    }

    /** MTU of the interface the receiver is reached through; 1500 when it cannot be told. */
    private static int pathMtu(InetSocketAddress to) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(to);
            NetworkInterface nif = NetworkInterface.getByInetAddress(s.getLocalAddress());
            if (nif != null && nif.getMTU() > 0) {
                return nif.getMTU();
            }
        } catch (IOException e) {
            // no route yet: the Ethernet size
        }
        return MAX_DATAGRAM_IP;
    }

    @Override
    public void start() throws IOException {
        channel = DatagramChannel.open(receiver.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        channel.bind(source == null ? null : new InetSocketAddress(source, 0));
        if (hoplimit != null) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, hoplimit.intValue());
        }
        channel.connect(receiver);
        log.info("Exporting flows to [{}]:{}", receiver.getAddress().getHostAddress(), receiver.getPort());
        log.info("Flow timeouts: {}; maxflows {}; NetFlow v{}", timeouts, cache.capacity, version);
        nextScanSec = scanAfter(System.currentTimeMillis() / 1000);
        export.sendTemplates(System.currentTimeMillis());
    }

    private long scanAfter(long sec) {
        long every = Math.max(1, timeouts.expint());
        return (sec / every + 1) * every;
    }

    @Override
    public void onBatch(RecordBatch batch) {
        long nowMillis = System.currentTimeMillis();
        for (int i = 0, n = batch.size(); i < n; i++) {
            FlowRecord r = batch.get(i);
            if (ctx.accepts(r)) {
                add(r, nowMillis);
            }
        }
    }

    /** One packet into its flow. */
    void add(FlowRecord r, long nowMillis) {
        int fam = r.srcFamily;
        if ((fam != 4 && fam != 6) || r.dstFamily != fam) {
            badPackets.inc();
            return;
        }
        // canonical order: the lower address is side 0
        int ndx = Long.compareUnsigned(r.srcHi, r.dstHi) > 0
                || (r.srcHi == r.dstHi && Long.compareUnsigned(r.srcLo, r.dstLo) > 0) ? 1 : 0;
        int sport;
        int dport;
        int pr = r.proto;
        if (pr == 6 || pr == 17) {
            sport = r.srcPort;
            dport = r.dstPort;
        } else if (pr == 1 || pr == 58) {
            sport = 0;
            dport = r.icmpTypeCode; // type and code in the destination port, as pmacct
        } else {
            sport = 0;
            dport = 0;
        }
        int dir = direction(r);
        long in = r.inIface;
        long out = r.outIface;
        long configured = ifIndex.of(r);
        if (configured != 0) {
            if (dir == OUT) {
                out = out != 0 ? out : configured;
            } else {
                in = in != 0 ? in : configured;
            }
        }
        FlowCache c = cache;
        int s;
        if (ndx == 0) {
            s = dontCache ? FlowCache.NONE : c.find(fam, r.srcHi, r.srcLo, r.dstHi, r.dstLo, pr, sport, dport, in, out);
        } else {
            s = dontCache ? FlowCache.NONE : c.find(fam, r.dstHi, r.dstLo, r.srcHi, r.srcLo, pr, dport, sport, out, in);
        }
        long ts = r.timeArrivalMicros;
        if (s == FlowCache.NONE) {
            if (c.isFull()) {
                int victim = c.first();
                expiredMaxflows.inc();
                expire(victim, nowMillis);
            }
            s = ndx == 0 ? c.insert(fam, r.srcHi, r.srcLo, r.dstHi, r.dstLo, pr, sport, dport, in, out)
                    : c.insert(fam, r.dstHi, r.dstLo, r.srcHi, r.srcLo, pr, dport, sport, out, in);
            c.setStart(s, ts);
            flowsCreated.inc();
        }
        c.count(s, ndx, r.packets, r.bytes, r.tcpFlags, r.tos, r.srcMac, r.dstMac, r.vlan, dir);
        c.setLast(s, ts);
        if (dontCache) {
            expire(s, nowMillis);
            return;
        }
        updateExpiry(s, nowMillis);
    }

    private int direction(FlowRecord r) {
        if (direction == null) {
            return 0;
        }
        switch (direction) {
            case "in": return IN;
            case "out": return OUT;
            case "tag": return r.tag == 1 || r.tag == 2 ? (int) r.tag : 0;
            default: return r.tag2 == 1 || r.tag2 == 2 ? (int) r.tag2 : 0;
        }
    }

    /** softflowd's rules, first match wins; a rule set to 0 is skipped. */
    private void updateExpiry(int s, long nowMillis) {
        FlowCache c = cache;
        if (c.octets(s, 0) > overBytes || c.octets(s, 1) > overBytes) {
            expiredOverbytes.inc();
            expire(s, nowMillis);
            return;
        }
        long lastSec = Math.floorDiv(c.lastMicros(s), 1_000_000L);
        long startSec = Math.floorDiv(c.startMicros(s), 1_000_000L);
        Timeouts t = timeouts;
        if (t.maxlife() != 0 && lastSec - startSec > t.maxlife()) {
            expiredMaxlife.inc();
            expire(s, nowMillis);
            return;
        }
        int pr = c.proto(s);
        if (pr == 6) {
            int f0 = c.tcpFlags(s, 0);
            int f1 = c.tcpFlags(s, 1);
            if (t.tcpRst() != 0 && ((f0 | f1) & 0x04) != 0) {
                c.touch(s, FlowCache.RULE_TCP_RST, lastSec + t.tcpRst());
                return;
            }
            if (t.tcpFin() != 0 && (f0 & 0x01) != 0 && (f1 & 0x01) != 0) {
                c.touch(s, FlowCache.RULE_TCP_FIN, lastSec + t.tcpFin());
                return;
            }
            if (t.tcp() != 0) {
                c.touch(s, FlowCache.RULE_TCP, lastSec + t.tcp());
                return;
            }
        }
        if (pr == 17 && t.udp() != 0) {
            c.touch(s, FlowCache.RULE_UDP, lastSec + t.udp());
            return;
        }
        int fam = c.family(s);
        if (t.icmp() != 0 && ((fam == 4 && pr == 1) || (fam == 6 && pr == 58))) {
            c.touch(s, FlowCache.RULE_ICMP, lastSec + t.icmp());
            return;
        }
        c.touch(s, FlowCache.RULE_GENERAL, lastSec + t.general());
    }

    private void expire(int s, long nowMillis) {
        export.add(cache, s, nowMillis);
        cache.remove(s);
    }

    /** Live capture: every flow past its timeout, scanned on multiples of expint. */
    void scan(long nowMillis) {
        long nowSec = nowMillis / 1000;
        for (int r = 0; r < FlowCache.RULES; r++) {
            for (int s = cache.head(r); s != FlowCache.NONE; ) {
                if (cache.expiresAt(s) >= nowSec) {
                    break; // the list is in expiry order
                }
                int next = cache.nextOnRule(s);
                expiredBy[r].inc();
                expire(s, nowMillis);
                s = next;
            }
        }
    }

    private void send(ByteBuffer datagram) {
        try {
            channel.write(datagram);
        } catch (IOException e) {
            // a connected socket reports an earlier ICMP unreachable here: count, keep exporting
            sendFailures.inc();
            sendErrors.warn("send", "cannot send to " + receiver + ": " + e);
        }
    }

    @Override
    public long tickIntervalMillis() {
        return 200;
    }

    @Override
    public void onTick(long nowMillis) {
        if (!savefile && nowMillis / 1000 >= nextScanSec) {
            scan(nowMillis);
            nextScanSec = scanAfter(nowMillis / 1000);
        }
        export.flush(nowMillis);
        if (export.templatesDue(nowMillis)) {
            export.sendTemplates(nowMillis);
        }
    }

    /** Exports every flow left, due first first. */
    void expireAll(long nowMillis) {
        for (int s = cache.first(); s != FlowCache.NONE; s = cache.first()) {
            expiredFlush.inc();
            expire(s, nowMillis);
        }
        export.flush(nowMillis);
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        expireAll(System.currentTimeMillis());
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
        log.info("{} flows created, {} records in {} datagrams; {} packets not IP", flowsCreated.get(),
                export.recordsExported(), export.datagramsSent(), badPackets.get());
    }
}
