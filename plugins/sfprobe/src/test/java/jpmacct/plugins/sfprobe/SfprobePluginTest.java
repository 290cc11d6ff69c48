package jpmacct.plugins.sfprobe;

import static jpmacct.core.plugin.PmacctGoldens.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.plugin.PluginHarness;
import jpmacct.core.plugin.PmacctGoldens;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/**
 * The sfprobe plugin in a harness, exporting to a UDP socket of the test on 127.0.0.1; what arrives is decoded as
 * sFlow v5 and compared with what pmacct 1.7.7's sfprobe exported from edge.pcap (golden samples.tsv).
 */
class SfprobePluginTest {
    private static final Pattern HDR = Pattern.compile("hdr\\(proto=(\\d+),frame_len=(\\d+),stripped=(\\d+),hdr_len=(\\d+),hex=(\\p{XDigit}*)\\)");
    private static final Pattern SWITCH = Pattern.compile("switch\\(in_vlan=(\\d+),in_prio=(\\d+),out_vlan=(\\d+),out_prio=(\\d+)\\)");
    /** pmacct's switch record of a packet without VLAN tag or priority; this build sends none (docs/COMPATIBILITY.md). */
    private static final String EMPTY_SWITCH = "switch(in_vlan=0,in_prio=0,out_vlan=0,out_prio=0);";

    private final DatagramChannel collector;
    private long receivedSoFar;

    SfprobePluginTest() throws Exception {
        collector = DatagramChannel.open();
        collector.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        collector.bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void closeCollector() throws Exception {
        collector.close();
    }

    private PluginHarness probe(String... more) throws Exception {
        List<String> conf = new ArrayList<>(List.of("plugins: sfprobe[s]",
                "sfprobe_receiver[s]: 127.0.0.1:" + ((InetSocketAddress) collector.getLocalAddress()).getPort(),
                "sfprobe_agentip[s]: 127.0.0.1"));
        conf.addAll(List.of(more));
        return PluginHarness.start(conf.toArray(new String[0]));
    }

    /** The datagrams the plugin says it sent since the last call, in order; none more. */
    private List<Datagram> received(PluginHarness h) throws Exception {
        long sent = h.metric("sfprobe_datagrams");
        List<Datagram> out = new ArrayList<>();
        collector.socket().setSoTimeout(10_000);
        for (; receivedSoFar < sent; receivedSoFar++) {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            collector.socket().receive(p);
            out.add(Datagram.decode(ByteBuffer.wrap(p.getData(), 0, p.getLength())));
        }
        collector.configureBlocking(false);
        assertNull(collector.receive(ByteBuffer.allocate(65536)), "no datagram beyond those counted");
        collector.configureBlocking(true);
        return out;
    }

    /** The sFlow v5 datagram: header fields and samples, flow samples written as the golden's rows. */
    record Datagram(String agent, long subAgent, long sequence, long uptime, List<String> flows, List<Counters> counters,
                    int length) {
        static Datagram decode(ByteBuffer b) throws Exception {
            int length = b.remaining();
            assertEquals(5, b.getInt(), "version");
            byte[] agent = new byte[b.getInt() == 1 ? 4 : 16];
            b.get(agent);
            long subAgent = u32(b);
            long sequence = u32(b);
            long uptime = u32(b);
            int samples = b.getInt();
            List<String> flows = new ArrayList<>();
            List<Counters> counters = new ArrayList<>();
            String agentText = InetAddress.getByAddress(agent).getHostAddress();
            for (int i = 0; i < samples; i++) {
                int format = b.getInt();
                int end = b.getInt() + b.position();
                if (format == 1) {
                    flows.add(agentText + "\t" + subAgent + "\t" + flowSample(b));
                } else {
                    assertEquals(2, format, "counter sample");
                    counters.addAll(Counters.decode(b));
                }
                assertEquals(end, b.position(), "sample length");
            }
            assertEquals(0, b.remaining(), "samples fill the datagram");
            return new Datagram(agentText, subAgent, sequence, uptime, flows, counters, length);
        }

        /** sample_seq, kind, source_id, rate, pool, drops, in_if, out_if, records: as in samples.tsv. */
        private static String flowSample(ByteBuffer b) {
            long seq = u32(b);
            long source = u32(b) & 0xFFFFFF;
            StringBuilder sb = new StringBuilder().append(seq).append("\tflow\t").append(source);
            for (int f = 0; f < 5; f++) {
                sb.append('\t').append(u32(b));
            }
            sb.append('\t');
            int records = b.getInt();
            List<String> parts = new ArrayList<>();
            for (int r = 0; r < records; r++) {
                int format = b.getInt();
                int len = b.getInt();
                if (format == 1001) {
                    parts.add(0, "switch(in_vlan=" + u32(b) + ",in_prio=" + u32(b) + ",out_vlan=" + u32(b) + ",out_prio="
                            + u32(b) + ")");
                } else {
                    assertEquals(1, format, "raw packet header");
                    long proto = u32(b);
                    long frame = u32(b);
                    long stripped = u32(b);
                    int hdrLen = b.getInt();
                    byte[] hdr = new byte[hdrLen];
                    b.get(hdr);
                    b.position(b.position() + ((4 - hdrLen % 4) % 4));
                    assertEquals(16 + ((hdrLen + 3) & ~3), len);
                    parts.add("hdr(proto=" + proto + ",frame_len=" + frame + ",stripped=" + stripped + ",hdr_len=" + hdrLen
                            + ",hex=" + HexFormat.of().formatHex(hdr) + ")");
                }
            }
            return sb.append(String.join(";", parts)).toString();
        }
    }

    /** Generic interface counters of one interface. */
    record Counters(long ifIndex, long speed, long inOctets, long inUnicast, long inMulticast, long inBroadcast,
                    long outOctets, long outUnicast) {
        static List<Counters> decode(ByteBuffer b) {
            u32(b); // sequence
            u32(b); // source id
            int records = b.getInt();
            List<Counters> out = new ArrayList<>();
            for (int r = 0; r < records; r++) {
                assertEquals(1, b.getInt(), "generic interface counters");
                assertEquals(88, b.getInt());
                long ifIndex = u32(b);
                b.getInt(); // type
                long speed = b.getLong();
                b.getInt(); // direction
                b.getInt(); // status
                long inOctets = b.getLong();
                long inUnicast = u32(b);
                long inMulticast = u32(b);
                long inBroadcast = u32(b);
                b.position(b.position() + 12);
                long outOctets = b.getLong();
                long outUnicast = u32(b);
                b.position(b.position() + 20);
                out.add(new Counters(ifIndex, speed, inOctets, inUnicast, inMulticast, inBroadcast, outOctets, outUnicast));
            }
            return out;
        }
    }

    private static long u32(ByteBuffer b) {
        return b.getInt() & 0xFFFFFFFFL;
    }

    /** The packets pmacct sampled, as records: their captured bytes, wire length, VLAN and priority. */
    private static List<FlowRecord> goldenPackets(List<String> rows) {
        List<FlowRecord> out = new ArrayList<>();
        for (String row : rows) {
            Matcher hdr = HDR.matcher(row);
            assertTrue(hdr.find(), row);
            RecordBuilder b = RecordBuilder.flow().frame(HexFormat.of().parseHex(hdr.group(5)),
                    Integer.parseInt(hdr.group(2)) - 4, LinkTypes.ETHERNET); // frame_len counts the FCS
            Matcher sw = SWITCH.matcher(row);
            if (sw.find()) {
                b.vlan(Integer.parseInt(sw.group(1))).cos(Integer.parseInt(sw.group(2)));
            }
            out.add(b.build());
        }
        return out;
    }

    /**
     * Every packet of edge.pcap sampled (rate 1): the flow samples equal pmacct's but for the switch record of
     * untagged packets, which this build leaves out; the exit adds the interface counters.
     */
    @Test
    void theRecordedSamples() throws Exception {
        List<String> lines = PmacctGoldens.lines(golden("edge", "sfprobe").resolve("samples.tsv"));
        List<String> expected = lines.subList(1, lines.size()).stream().map(l -> l.replace(EMPTY_SWITCH, "")).toList();
        List<FlowRecord> packets = goldenPackets(lines.subList(1, lines.size()));
        List<Datagram> got;
        try (PluginHarness h = probe()) {
            h.feed(packets);
            h.close();
            got = received(h);
        }
        List<String> flows = got.stream().flatMap(d -> d.flows().stream()).toList();
        assertEquals(String.join("\n", expected), String.join("\n", flows));
        for (int i = 0; i < got.size(); i++) {
            Datagram d = got.get(i);
            assertEquals(i + 1, d.sequence(), "datagram sequence");
            assertEquals(0, d.subAgent());
            assertEquals(0, d.uptime(), "no time went by");
            assertTrue(d.length() <= SflowExport.MAX_DATAGRAM, "datagram of " + d.length() + " bytes");
        }
        List<Counters> counters = got.get(got.size() - 1).counters();
        assertEquals(1, counters.size(), "one interface: the unknown one, at exit");
        Counters c = counters.get(0);
        assertEquals(SfprobePlugin.UNKNOWN_IFINDEX, c.ifIndex());
        assertEquals(100_000_000L, c.speed());
        assertEquals(packets.stream().mapToLong(r -> r.wireLength).sum(), c.inOctets());
        assertEquals(packets.size(), c.inUnicast() + c.inMulticast() + c.inBroadcast());
        assertEquals(0, c.outOctets() + c.outUnicast());
    }

    /** Counter samples every sfprobe_counter_interval on the plugin's clock; flow samples go out at each tick. */
    @Test
    void countersEveryIntervalAndFlowsAtEachTick() throws Exception {
        FlowRecord p = goldenPackets(List.of("hdr(proto=1,frame_len=64,stripped=4,hdr_len=60,hex="
                + "02000000010202000000010108004500002800014000400623ca0a0101010a0202029c4001bb0000000200001389"
                + "5010ffff00000000000000000000)")).get(0);
        try (PluginHarness h = probe("sfprobe_counter_interval[s]: 20", "sfprobe_ifindex[s]: 5")) {
            h.feed(p, p);
            h.advance(Duration.ofMillis(200));
            List<Datagram> first = received(h);
            assertEquals(1, first.size());
            assertEquals(2, first.get(0).flows().size());
            assertTrue(first.get(0).flows().get(0).startsWith("127.0.0.1\t0\t1\tflow\t5\t1\t1\t0\t5\t1073741823\t"),
                    first.get(0).flows().get(0));
            assertEquals(200, first.get(0).uptime());
            h.feed(p);
            h.advance(Duration.ofMillis(19_600));
            List<Datagram> third = received(h);
            assertEquals(1, third.size());
            assertEquals(List.of(), third.get(0).counters(), "the third packet, no counters yet");
            h.advance(Duration.ofMillis(200));
            List<Datagram> at20 = received(h);
            assertEquals(20_000, at20.get(at20.size() - 1).uptime());
            Counters c = at20.get(at20.size() - 1).counters().get(0);
            assertEquals(new Counters(5, 100_000_000L, 3 * 60, 3, 0, 0, 0, 0), c);
        }
    }

    @Test
    void outboundSamplesNameTheOutputInterfaceAndVlan() throws Exception {
        FlowRecord p = RecordBuilder.flow().frame(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 8, 0, 0x45, 0},
                1000, LinkTypes.ETHERNET).vlan(300).cos(3).build();
        try (PluginHarness h = probe("sfprobe_direction[s]: out", "sfprobe_ifindex[s]: 7")) {
            h.feed(p);
            h.close();
            List<Datagram> got = received(h);
            assertEquals("127.0.0.1\t0\t1\tflow\t7\t1\t1\t0\t1073741823\t7\tswitch(in_vlan=0,in_prio=0,out_vlan=300,"
                    + "out_prio=3);hdr(proto=1,frame_len=1004,stripped=4,hdr_len=16,hex=0102030405060708090a0b0c08004500)",
                    got.get(0).flows().get(0));
            Counters c = got.get(0).counters().get(0);
            assertEquals(1000, c.outOctets());
            assertEquals(0, c.inOctets());
        }
    }

    /** At 1 in 10 the skips vary: about a tenth of the packets, the pool counting every one offered. */
    @Test
    void samplingCountsThePoolOfEveryPacket() throws Exception {
        FlowRecord p = RecordBuilder.flow().frame(new byte[40], 40, LinkTypes.ETHERNET).build();
        List<FlowRecord> packets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            packets.add(p);
        }
        try (PluginHarness h = probe("sampling_rate[s]: 10")) {
            h.feed(packets);
            h.close();
            List<String> flows = received(h).stream().flatMap(d -> d.flows().stream()).toList();
            assertTrue(flows.size() >= 60 && flows.size() <= 140, flows.size() + " samples");
            long lastPool = 0;
            for (int i = 0; i < flows.size(); i++) {
                String[] f = flows.get(i).split("\t");
                assertEquals(i + 1, Long.parseLong(f[2]), "sample sequence");
                assertEquals("10", f[5], "rate");
                long pool = Long.parseLong(f[6]);
                assertTrue(pool > lastPool && pool - lastPool <= 19, "skips of 1 to 19: " + lastPool + " then " + pool);
                lastPool = pool;
            }
            assertTrue(lastPool > 1000 - 19, "the last sample within a skip of the end: " + lastPool);
        }
    }

    /** A record without captured bytes is counted in the pool but not exported; the next packet stands in. */
    @Test
    void aPacketWithoutBytesPassesTheSampleOn() throws Exception {
        FlowRecord empty = RecordBuilder.flow().build();
        FlowRecord p = RecordBuilder.flow().frame(new byte[40], 40, LinkTypes.ETHERNET).build();
        try (PluginHarness h = probe()) {
            h.feed(empty, p);
            h.close();
            List<String> flows = received(h).get(0).flows();
            assertEquals(1, flows.size());
            assertTrue(flows.get(0).startsWith("127.0.0.1\t0\t1\tflow\t1\t1\t2\t"), "sequence 1, pool 2: " + flows.get(0));
        }
    }

    @Test
    void onlyPmacctdRunsIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginHarness.daemon(DaemonKind.NFACCTD).start("plugins: sfprobe[s]"));
        assertTrue(e.getMessage().contains("sfprobe") && e.getMessage().contains("pmacctd"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> probe("sfprobe_ifindex[s]: eth0"));
        assertTrue(e.getMessage().contains("sfprobe_ifindex"), e.getMessage());
    }
}
