package jpmacct.plugins.nfprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.runtime.FilePermissions;

class NfprobePluginTest {
    private static final long T0 = 1_700_000_000_000_000L; // micros
    private final DatagramChannel collector;
    private final Metrics metrics = new Metrics();
    private NfprobePlugin plugin;

    NfprobePluginTest() throws Exception {
        collector = DatagramChannel.open();
        collector.bind(new InetSocketAddress("127.0.0.1", 0));
        collector.configureBlocking(false);
    }

    @AfterEach
    void close() throws Exception {
        collector.close();
    }

    private NfprobePlugin plugin(String... lines) throws Exception {
        int port = ((InetSocketAddress) collector.getLocalAddress()).getPort();
        List<String> conf = new ArrayList<>(List.of("plugins: nfprobe[n]", "nfprobe_receiver[n]: 127.0.0.1:" + port));
        conf.addAll(List.of(lines));
        List<KeyDef<?>> keys = new ArrayList<>(CoreKeys.all());
        keys.addAll(NfprobeKeys.all());
        DaemonConfig config = new ConfigResolver(DaemonKind.PMACCTD, new KeyRegistry(keys), Set.of("nfprobe"))
                .resolve(ConfigParser.parse("p.conf", conf), List.of(), true);
        PluginContext ctx = new PluginContext(config.plugins().get(0), new DaemonInfo(DaemonKind.PMACCTD, "default",
                false), metrics, new MapRegistry(), "Netflow Probe Plugin [n]", FilePermissions.defaults());
        plugin = new NfprobePlugin(ctx);
        plugin.start();
        return plugin;
    }

    private static FlowRecord v4(int src, int dst, int proto, int sport, int dport, long micros) {
        FlowRecord r = new FlowRecord();
        r.srcV4(src);
        r.dstV4(dst);
        r.proto = proto;
        r.srcPort = sport;
        r.dstPort = dport;
        r.packets = 1;
        r.bytes = 100;
        r.timeArrivalMicros = micros;
        return r;
    }

    private static FlowRecord tcp(int src, int dst, int sport, int dport, int flags, long micros) {
        FlowRecord r = v4(src, dst, 6, sport, dport, micros);
        r.tcpFlags = flags;
        return r;
    }

    private List<ByteBuffer> received() throws Exception {
        List<ByteBuffer> out = new ArrayList<>();
        for (int idle = 0; idle < 20; ) {
            ByteBuffer b = ByteBuffer.allocate(65536);
            if (collector.receive(b) == null) {
                Thread.sleep(5);
                idle++;
                continue;
            }
            b.flip();
            out.add(b);
        }
        return out;
    }

    /** Data records in the received datagrams (v9/IPFIX with the default aggregate, or v5). */
    private static int records(List<ByteBuffer> datagrams) {
        int n = 0;
        for (ByteBuffer d : datagrams) {
            int version = d.getShort(0);
            if (version == 5) {
                n += d.getShort(2);
                continue;
            }
            for (int off = version == 9 ? 20 : 16; off + 4 <= d.limit(); ) {
                int id = d.getShort(off) & 0xFFFF;
                int len = d.getShort(off + 2) & 0xFFFF;
                if (id == 1024 || id == 1025) {
                    n += (len - 4) / 57;
                } else if (id == 2048 || id == 2049) {
                    n += (len - 4) / 81;
                }
                off += len;
            }
        }
        return n;
    }

    /** Runs the live expiry scan at nowMillis, sends what it expired; the records that arrived. */
    private int recordsAfterScan(NfprobePlugin p, long nowMillis) throws Exception {
        p.scan(nowMillis);
        p.onTick(nowMillis);
        return records(received());
    }

    private long expired(String reason) {
        return metrics.snapshot().stream().filter(s -> s.name().equals("nfprobe_expired")
                && s.labels().contains("\"" + reason + "\"")).mapToLong(Metrics.Sample::value).sum();
    }

    @Test
    void idleTimeoutsFollowTheProtocolAndTcpEndings() throws Exception {
        NfprobePlugin p = plugin("nfprobe_timeouts[n]: tcp=100:tcp.rst=5:tcp.fin=10:udp=20:icmp=30:general=40:expint=1");
        long now = T0 / 1000;
        p.add(v4(1, 2, 17, 1000, 53, T0), now);                          // udp: 20 s
        p.add(tcp(1, 2, 1001, 80, 0x02, T0), now);                       // tcp: 100 s
        p.add(tcp(1, 2, 1002, 80, 0x04, T0), now);                       // rst: 5 s
        p.add(tcp(1, 2, 1003, 80, 0x11, T0), now);                       // FIN one side: still tcp
        p.add(tcp(1, 2, 1004, 80, 0x11, T0), now);
        p.add(tcp(2, 1, 80, 1004, 0x11, T0), now);                       // FIN both sides: 10 s
        p.add(v4(1, 2, 47, 0, 0, T0), now);                              // general: 40 s
        assertEquals(0, recordsAfterScan(p, now + 4_000));
        assertEquals(1, recordsAfterScan(p, now + 6_000), "RST after 5 s");
        assertEquals(2, recordsAfterScan(p, now + 11_000), "FIN from both sides after 10 s: one record per side");
        assertEquals(1, recordsAfterScan(p, now + 21_000), "UDP after 20 s");
        assertEquals(1, recordsAfterScan(p, now + 41_000), "GRE under general after 40 s");
        assertEquals(2, recordsAfterScan(p, now + 101_000), "TCP after 100 s, one-sided FIN included");
        assertEquals(1, expired("tcp.rst"));
        assertEquals(1, expired("tcp.fin"));
        assertEquals(2, expired("tcp"));
    }

    @Test
    void maxlifeEndsAFlowAtTheFirstPacketPastIt() throws Exception {
        NfprobePlugin p = plugin("nfprobe_timeouts[n]: maxlife=60");
        long now = T0 / 1000;
        p.add(v4(1, 2, 17, 1000, 53, T0), now);
        p.add(v4(1, 2, 17, 1000, 53, T0 + 61_000_000), now);
        p.onTick(now);
        assertEquals(1, records(received()));
        assertEquals(1, expired("maxlife"));
        p.close();
        assertEquals(0, records(received()), "the flow ended by maxlife is gone from the cache");
    }

    @Test
    void aFullCacheExportsTheFlowDueFirstAndCountsIt() throws Exception {
        NfprobePlugin p = plugin("nfprobe_maxflows[n]: 2", "nfprobe_version[n]: 5");
        long now = T0 / 1000;
        p.add(v4(1, 2, 17, 1, 53, T0), now);
        p.add(v4(1, 2, 17, 2, 53, T0 + 1_000_000), now);
        p.add(v4(1, 2, 17, 3, 53, T0 + 2_000_000), now);
        p.onTick(now);
        List<ByteBuffer> d = received();
        assertEquals(1, records(d));
        assertEquals(1, d.get(0).getShort(24 + 32) & 0xFFFF, "the oldest flow (source port 1) went first");
        assertEquals(1, expired("maxflows"));
        p.close();
        assertEquals(2, records(received()), "the rest at shutdown");
    }

    @Test
    void v9SequenceCountsDatagramsAndTemplatesComeBackEvery18() throws Exception {
        NfprobePlugin p = plugin("nfprobe_version[n]: 9", "nfprobe_engine[n]: 3:77");
        long now = T0 / 1000;
        for (int i = 0; i < 2000; i++) {
            p.add(v4(1, 2, 17, i + 1, 53, T0), now);
        }
        p.close();
        List<ByteBuffer> d = received();
        assertEquals(2000, records(d));
        int templates = 0;
        for (int i = 0; i < d.size(); i++) {
            ByteBuffer b = d.get(i);
            assertEquals(9, b.getShort(0));
            assertEquals(i + 1, b.getInt(12), "v9 sequence: export packets");
            assertEquals(77, b.getInt(16), "source id = engine id");
            assertTrue(b.limit() <= 1500 - 28, "datagram " + b.limit());
            if (b.getShort(20) == 0) {
                templates++;
                assertEquals(0, i % NetflowExport.TEMPLATE_EVERY_DATAGRAMS, "templates in datagram " + i);
                int setLen = b.getShort(22) & 0xFFFF;
                assertEquals(1024, b.getShort(24), "the IPv4 template first");
                int count = b.getShort(2);
                int data = b.limit() > 20 + setLen ? (b.getShort(20 + setLen + 2) - 4) / 57 : 0;
                assertEquals(4 + data, count, "count: templates and records");
                assertTrue(i > 0 || data == 0, "the first datagram, at start, carries the templates alone");
            }
        }
        assertEquals((d.size() + 17) / 18, templates);
        assertTrue(d.get(1).limit() > 1400, "datagrams are filled: " + d.get(1).limit());
    }

    @Test
    void ipfixSequenceCountsRecordsAndIpv6HasItsTemplate() throws Exception {
        NfprobePlugin p = plugin("nfprobe_version[n]: 10");
        long now = T0 / 1000;
        for (int i = 0; i < 100; i++) {
            FlowRecord r = v4(1, 2, 17, i + 1, 53, T0);
            r.srcV6(0x20010db8_00000000L, i + 1);
            r.dstV6(0x20010db8_00000000L, 0xFFFF);
            p.add(r, now);
        }
        p.add(v4(1, 2, 17, 7, 53, T0), now);
        p.close();
        List<ByteBuffer> d = received();
        assertEquals(101, records(d));
        long expectedSequence = 0;
        for (ByteBuffer b : d) {
            assertEquals(10, b.getShort(0));
            assertEquals(b.limit(), b.getShort(2) & 0xFFFF, "IPFIX length");
            assertEquals(expectedSequence, b.getInt(8) & 0xFFFFFFFFL, "IPFIX sequence: data records before");
            expectedSequence += records(List.of(b));
        }
        ByteBuffer first = d.get(0);
        assertEquals(2, first.getShort(16), "template set");
        String templates = templateIds(first);
        assertEquals("1024,1025,2048,2049", templates);
    }

    private static String templateIds(ByteBuffer b) {
        int setLen = b.getShort(18) & 0xFFFF;
        List<String> ids = new ArrayList<>();
        for (int off = 20; off < 16 + setLen; ) {
            ids.add(Integer.toString(b.getShort(off) & 0xFFFF));
            off += 4 + 4 * (b.getShort(off + 2) & 0xFFFF);
        }
        return String.join(",", ids);
    }

    @Test
    void v5SkipsIpv6AndItsSequenceCountsFlows() throws Exception {
        NfprobePlugin p = plugin("nfprobe_version[n]: 5", "nfprobe_engine[n]: 5:6");
        long now = T0 / 1000;
        for (int i = 0; i < 70; i++) {
            p.add(v4(1, 2, 17, i + 1, 53, T0), now);
        }
        FlowRecord r = v4(1, 2, 17, 1, 53, T0);
        r.srcV6(1, 1);
        r.dstV6(1, 2);
        p.add(r, now);
        p.close();
        List<ByteBuffer> d = received();
        assertEquals(3, d.size());
        assertEquals(70, records(d));
        assertEquals(0, d.get(0).getInt(16));
        assertEquals(30, d.get(1).getInt(16));
        assertEquals(60, d.get(2).getInt(16));
        assertEquals(5, d.get(0).get(20));
        assertEquals(6, d.get(0).get(21));
        assertEquals(24 + 30 * 48, d.get(0).limit());
    }

    @Test
    void anIpv6ReceiverGetsTheDatagrams() throws Exception {
        try (DatagramChannel v6 = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            v6.bind(new InetSocketAddress("::1", 0));
            v6.configureBlocking(false);
            int port = ((InetSocketAddress) v6.getLocalAddress()).getPort();
            NfprobePlugin p = plugin("nfprobe_receiver[n]: [::1]:" + port, "nfprobe_version[n]: 9");
            p.add(v4(1, 2, 17, 1, 53, T0), T0 / 1000);
            p.close();
            ByteBuffer b = ByteBuffer.allocate(2048);
            for (int got = 0, i = 0; got < 2 && i < 200; i++) {
                b.clear();
                if (v6.receive(b) == null) {
                    Thread.sleep(10);
                } else {
                    got++;
                }
            }
            b.flip();
            assertEquals(9, b.getShort(0));
            assertEquals(1, b.getShort(2), "the record (the templates went alone at start)");
        }
    }

    @Test
    void fixedDirectionAndIfindexUseTheEgressTemplate() throws Exception {
        NfprobePlugin p = plugin("nfprobe_version[n]: 10", "nfprobe_direction[n]: out", "nfprobe_ifindex[n]: 7");
        p.add(v4(1, 2, 17, 1, 53, T0), T0 / 1000);
        p.close();
        ByteBuffer d = received().get(1);
        int data = 16; // the templates went alone at start
        assertEquals(1025, d.getShort(data), "egress IPv4 template");
        int rec = data + 4;
        assertEquals(0, d.getInt(rec + 33), "input interface");
        assertEquals(7, d.getInt(rec + 37), "output interface");
        assertEquals(1, d.get(rec + 41), "flowDirection egress");
    }

    @Test
    void microsecondTimestampsAreNtpFormatted() throws Exception {
        NfprobePlugin p = plugin("nfprobe_version[n]: 10", "nfprobe_tstamp_usec[n]: true");
        p.add(v4(1, 2, 17, 1, 53, T0 + 250_000), T0 / 1000);
        p.close();
        List<ByteBuffer> d = received();
        assertEquals(155, d.get(0).getShort(24), "flowEndMicroseconds first, as pmacct orders end and start");
        assertEquals(154, d.get(0).getShort(28));
        long ntp = d.get(1).getLong(16 + 4);
        assertEquals(T0 / 1_000_000 + 2_208_988_800L, ntp >>> 32, "NTP seconds");
        assertEquals(1L << 30, ntp & 0xFFFFFFFFL, "a quarter second as the fraction");
    }

    @Test
    void templatesGoAtStartAndAgainOnAQuietProbe() throws Exception {
        NfprobePlugin p = plugin("nfprobe_version[n]: 10");
        long now = System.currentTimeMillis();
        p.onTick(now + 1_000);
        List<ByteBuffer> d = received();
        assertEquals(1, d.size(), "the templates at start only");
        assertEquals("1024,1025,2048,2049", templateIds(d.get(0)));
        p.onTick(now + NetflowExport.TEMPLATE_EVERY_MILLIS + 1_000);
        d = received();
        assertEquals(1, d.size(), "again after a minute without flows");
        assertEquals(0, d.get(0).getInt(8), "no data records yet: sequence 0");
        p.close();
    }

    @Test
    void badValuesNameTheKeyAndTheForm() {
        ConfigException e = assertThrows(ConfigException.class, () -> plugin("nfprobe_version[n]: 7"));
        assertTrue(e.getMessage().contains("p.conf") && e.getMessage().contains("nfprobe_version")
                && e.getMessage().contains("5, 9 or 10"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> plugin("nfprobe_timeouts[n]: tcp=30:bogus=1"));
        assertTrue(e.getMessage().contains("nfprobe_timeouts") && e.getMessage().contains("bogus"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> plugin("sampling_rate[n]: 10"));
        assertTrue(e.getMessage().contains("sampling_rate") && e.getMessage().contains("not supported"), e.getMessage());
        assertEquals(3600, Timeouts.parse("tcp=30:maxlife=1h").maxlife());
    }
}
