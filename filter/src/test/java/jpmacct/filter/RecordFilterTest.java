package jpmacct.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.capture.SavefileReader;
import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.FlowTracker;
import jpmacct.core.decode.packet.FragmentTable;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/** aggregate_filter evaluation: this project's terms, frames built from flows, error positions, no allocation. */
class RecordFilterTest {
    private static boolean test(String filter, FlowRecord r) {
        RecordFilter.Subject s = new RecordFilter.Subject();
        s.set(r, null, 0, 0, 0, 0);
        return RecordFilter.compile(filter).test(s);
    }

    @Test
    void ownTermsReadTheRecord() {
        FlowRecord r = PreTagMapTest.flow(); // 192.168.1.10:40000 -> 203.0.113.5:443 tcp, in 100, out 200
        r.tag = 15;
        r.tag2 = 7;
        r.label = "customer-a";
        assertTrue(test("in_iface 200 or out_iface 200", r));
        assertFalse(test("in_iface 200", r));
        assertTrue(test("in_iface 100 and out_iface 200", r));
        assertTrue(test("peer_src_ip 192.0.2.1", r));
        assertTrue(test("peer_src_ip 192.0.2.0/24 and tcp port 443", r));
        assertFalse(test("peer_src_ip 2001:db8::/32", r));
        assertTrue(test("tag 10-20", r));
        assertFalse(test("not tag 10-20", r));
        assertTrue(test("tag 15 and tag2 7", r));
        assertTrue(test("label customer-a", r));
        assertFalse(test("label customer-b", r));
        assertTrue(test("(in_iface 1 and udp) or (tag2 7 and port 443)", r));
        assertFalse(test("(in_iface 1 and udp) or (tag2 8 and port 443)", r));
        assertTrue(test("not in_iface 1 and src net 192.168.1.0/24 and not dst net 192.168.1.0/24", r));
        // libpcap's own shorthand stays libpcap's
        assertTrue(test("tcp port 80 or 443", r));
        assertTrue(test("in_iface 100 and (tcp port 80 or 443)", r));
    }

    @Test
    void aCommaSeparatedListPassesWhenAnyFilterDoes() {
        FlowRecord r = PreTagMapTest.flow();
        assertTrue(test("udp, tcp", r));
        assertTrue(test("udp, in_iface 100", r));
        assertFalse(test("udp, icmp", r));
    }

    @Test
    void faultsNameTheirPosition() {
        String[][] cases = {
            {"tcp and port eleventy", "at position 9 ('port eleventy'): "},
            {"udp or (tcp and prot 80)", "at position 17 ('prot 80'): "},
            {"in_iface 3 and tcp porr 80", "at position 16 ('tcp porr 80'): "},
            {"in_iface eth0", "'eth0' (position 1) is not a number"},
            {"tcp and in_iface", "'in_iface' (position 9): expected 'in_iface IFINDEX'"},
            {"tag 1-x", "'1-x' (position 1) is not a tag or a range N-M"},
            {"(tcp or in_iface 3", "'(' at position 1 is never closed"},
            {"tcp and", "nothing after 'and' at position 5"},
            {"tcp, ", "empty filter between commas at position 5"},
            {"peer_src_ip 300.1.1.1", "position 1"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordFilter.compile(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    /** Header-only expressions give the same answer on a frame built from the decoded record as on the frame. */
    @Test
    void builtFramesAnswerAsTheCapturedOnes() throws Exception {
        String[] expressions = {"tcp", "udp", "ip6", "ip", "vlan", "vlan and udp", "tcp port 443", "udp port 53",
            "portrange 1000-2000", "src net 192.168.1.0/24 and not dst net 192.168.1.0/24",
            "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "ip[1] & 0xfc != 0", "ether src 02:00:00:00:00:01",
            "ether multicast", "ip6 and dst portrange 1-1023", "icmp or icmp6", "not ip and not ip6"};
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (String pcap : new String[] {"traffic.pcap", "edge.pcap"}) {
            List<Frame> frames = decoded(Path.of("..", "examples", pcap));
            for (String x : expressions) {
                RecordFilter f = RecordFilter.compile(x, LinkTypes.ETHERNET);
                RecordFilter.Subject s = new RecordFilter.Subject();
                for (Frame fr : frames) {
                    s.set(fr.record, ByteBuffer.wrap(fr.bytes), 0, fr.bytes.length, fr.wireLen, LinkTypes.ETHERNET);
                    boolean real = f.test(s);
                    s.set(fr.record, null, 0, 0, 0, 0);
                    boolean built = f.test(s);
                    compared++;
                    if (real != built && mismatches.size() < 20) {
                        mismatches.add(pcap + " frame " + fr.index + " '" + x + "': captured " + real + ", built " + built);
                    }
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(compared > 50_000, "compared " + compared);
    }

    private record Frame(int index, byte[] bytes, int wireLen, FlowRecord record) {
    }

    /**
     * Frames that decode whole into a record; fragments (their ports come from the first fragment), IPv6
     * extension headers and IP options (libpcap's offsets assume none) are left out: a flow record has no trace
     * of them.
     */
    private static List<Frame> decoded(Path pcap) throws Exception {
        List<Frame> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder(new FragmentTable(1024, 1024, 60_000),
                new FlowTracker(60, 3600, 1024), new DecodeStats());
        int[] index = {0};
        try (SavefileReader reader = new SavefileReader(pcap)) {
            while (reader.poll((buf, off, caplen, wire, ts, link, ifx) -> {
                index[0]++;
                byte[] b = new byte[caplen];
                buf.get(off, b);
                FlowRecord r = new FlowRecord();
                r.clear();
                if (decoder.decode(ByteBuffer.wrap(b), 0, caplen, wire, link, ts, r) == Verdict.OK && plain(b)) {
                    out.add(new Frame(index[0], b, wire, r));
                }
            }, 1000) > 0) {
                // read on
            }
        }
        return out;
    }

    /** Ethernet, optionally one 802.1Q tag, then IPv4 without options or fragments, or IPv6 straight to TCP/UDP/ICMPv6. */
    private static boolean plain(byte[] b) {
        int p = 12;
        int type = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
        if (type == 0x8100) {
            p += 4;
            type = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
        }
        p += 2;
        if (type == 0x0800) {
            boolean fragment = ((b[p + 6] & 0x3F) << 8 | (b[p + 7] & 0xFF)) != 0;
            return (b[p] & 0x0F) == 5 && !fragment;
        }
        if (type == 0x86DD) {
            int next = b[p + 6] & 0xFF;
            return next == 6 || next == 17 || next == 58;
        }
        return false;
    }

    @Test
    void evaluatingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RecordFilter f = RecordFilter.compile("(in_iface 200 or out_iface 200) and tcp port 443 and not tag 1-9"
                + " and src net 192.168.1.0/24 and not ether multicast");
        FlowRecord r = PreTagMapTest.flow();
        r.peerSrcLo = Addr.parse("192.0.2.1").lo();
        RecordFilter.Subject s = new RecordFilter.Subject();
        int passed = 0;
        for (int i = 0; i < 20_000; i++) { // warm up, so the measured loop runs compiled code
            s.set(r, null, 0, 0, 0, 0);
            passed += f.test(s) ? 1 : 0;
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            r.srcPort = i & 0xFFFF;
            s.set(r, null, 0, 0, 0, 0);
            passed += f.test(s) ? 1 : 0;
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(220_000, passed);
        assertTrue(allocated < 200_000, "allocated " + allocated + " bytes over 200k evaluations");
    }
}
