package jpmacct.core.decode.packet;

import jpmacct.core.decode.Verdict;
import static jpmacct.core.decode.packet.Pkt.ICMP;
import static jpmacct.core.decode.packet.Pkt.UDP;
import static jpmacct.core.decode.packet.Pkt.eth;
import static jpmacct.core.decode.packet.Pkt.fill;
import static jpmacct.core.decode.packet.Pkt.frag6;
import static jpmacct.core.decode.packet.Pkt.icmp;
import static jpmacct.core.decode.packet.Pkt.ip4;
import static jpmacct.core.decode.packet.Pkt.ip6;
import static jpmacct.core.decode.packet.Pkt.udp;
import static jpmacct.core.decode.Verdict.HELD;
import static jpmacct.core.decode.Verdict.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

class FragmentTableTest {
    private static final long TIMEOUT_MS = 30_000;
    private static final long TIMEOUT_US = TIMEOUT_MS * 1000;
    private static final long T0 = Decoding.TS;
    private static final int ID = 0x1111;

    private FragmentTable table = new FragmentTable(256, 16, TIMEOUT_MS);
    private Decoding d = new Decoding(table, null);
    private final Decoding.Sink sink = new Decoding.Sink();

    // ---- frames: one UDP datagram 5000 -> 53 of 3000 bytes in three IPv4 fragments ----

    /** 1500 bytes: IP header, UDP header and the first 1472 payload bytes. */
    private static byte[] first4(int id) {
        return eth(0x0800, ip4(UDP, udp(5000, 53, 2992), fill(1472, 0)).id(id).fragment(0, true).bytes());
    }

    /** 1500 bytes at offset 1480; its payload would read as ports 0x3334 -> 0x3536. */
    private static byte[] middle4(int id) {
        return eth(0x0800, ip4(UDP, fill(1480, 0x33)).id(id).fragment(1480, true).bytes());
    }

    /** 60 bytes at offset 2960, the last. */
    private static byte[] last4(int id) {
        return eth(0x0800, ip4(UDP, fill(40, 0x44)).id(id).fragment(2960, false).bytes());
    }

    private Verdict decode(byte[] frame, long ts) {
        return d.decodeAt(ts, LinkTypes.ETHERNET, frame);
    }

    private void assertRecord(FlowRecord r, int srcPort, int dstPort, long packets, long bytes) {
        assertEquals(UDP, r.proto, "proto");
        assertEquals(srcPort, r.srcPort, "src port");
        assertEquals(dstPort, r.dstPort, "dst port");
        assertEquals(packets, r.packets, "packets");
        assertEquals(bytes, r.bytes, "bytes");
    }

    private void assertCounters(long held, long joined, long orphaned, long unmatched) {
        assertEquals(List.of(held, joined, orphaned, unmatched),
                List.of(table.held(), table.joined(), table.orphaned(), table.unmatched()),
                "held, joined, orphaned, unmatched");
    }

    // ---- through the decoder ----

    @Test
    void inOrderFragmentsGetTheFirstFragmentsPorts() {
        assertEquals(OK, decode(first4(ID), T0));
        assertRecord(d.r, 5000, 53, 1, 1500);
        assertEquals(OK, decode(middle4(ID), T0 + 1));
        assertRecord(d.r, 5000, 53, 1, 1500);
        assertEquals(0, d.r.tcpFlags);
        assertEquals(OK, decode(last4(ID), T0 + 2));
        assertRecord(d.r, 5000, 53, 1, 60);
        assertEquals("frames=3 accounted=3 fragments=3", d.counters());
        assertEquals(1, table.size());
        assertCounters(0, 0, 0, 0);
    }

    @Test
    void outOfOrderFragmentsAreHeldThenJoinedIntoTheFirst() throws InterruptedException {
        assertEquals(HELD, decode(last4(ID), T0));
        assertEquals(HELD, decode(middle4(ID), T0 + 1));
        assertEquals("frames=2 fragments=2", d.counters());
        assertEquals(OK, decode(first4(ID), T0 + 2));
        assertRecord(d.r, 5000, 53, 3, 1500 + 1500 + 60);
        assertEquals("frames=3 accounted=1 fragments=3", d.counters());
        assertCounters(2, 2, 0, 0);
        // a retransmitted later fragment now finds the ports
        assertEquals(OK, decode(last4(ID), T0 + 3));
        assertRecord(d.r, 5000, 53, 1, 60);
        assertEquals(0, table.flush(sink));
        assertTrue(sink.records.isEmpty());
        assertEquals(0, table.size());
    }

    @Test
    void orphansAreAccountedWithPortsZeroOnFlush() throws InterruptedException {
        assertEquals(HELD, decode(middle4(ID), T0));
        assertEquals(HELD, decode(last4(ID), T0 + 5));
        assertEquals(1, table.flush(sink));
        assertEquals(1, sink.records.size());
        FlowRecord o = sink.records.get(0);
        assertRecord(o, 0, 0, 2, 1560);
        assertEquals(0x0800, o.etype);
        assertEquals(Addr.parse("192.0.2.1").lo(), o.srcLo);
        assertEquals(Addr.parse("198.51.100.2").lo(), o.dstLo);
        assertEquals(T0, o.timeStartMicros);
        assertEquals(0, table.size());
        assertCounters(2, 0, 2, 0);
        assertEquals(0, table.flush(sink));
    }

    @Test
    void orphansAreAccountedWhenTheyExpire() throws InterruptedException {
        assertEquals(HELD, decode(last4(ID), T0));
        assertEquals(0, table.expire(T0 + TIMEOUT_US, sink));
        assertEquals(1, table.size());
        assertEquals(1, table.expire(T0 + TIMEOUT_US + 1, sink));
        assertRecord(sink.records.get(0), 0, 0, 1, 60);
        assertEquals(0, table.size());
        assertCounters(1, 0, 1, 0);
    }

    @Test
    void laterFragmentsKeepTheirFirstFragmentAlive() throws InterruptedException {
        assertEquals(OK, decode(first4(ID), T0));
        assertEquals(OK, decode(middle4(ID), T0 + 20_000_000));
        assertEquals(0, table.expire(T0 + 40_000_000, sink));
        assertEquals(OK, decode(last4(ID), T0 + 45_000_000));
        assertRecord(d.r, 5000, 53, 1, 60);
        // known entries expire silently; a fragment after that has nothing to join
        assertEquals(0, table.expire(T0 + 100_000_000, sink));
        assertEquals(0, table.size());
        assertEquals(HELD, decode(last4(ID), T0 + 100_000_001));
    }

    @Test
    void fragmentsOfOtherDatagramsDoNotMix() {
        assertEquals(OK, decode(first4(ID), T0));
        assertEquals(HELD, decode(last4(ID + 1), T0));
        byte[] otherSource = eth(0x0800, ip4(UDP, fill(40, 0x44)).src("192.0.2.99").id(ID).fragment(2960, false)
                .bytes());
        assertEquals(HELD, decode(otherSource, T0));
        byte[] otherProtocol = eth(0x0800, ip4(6, fill(40, 0x44)).id(ID).fragment(2960, false).bytes());
        assertEquals(HELD, decode(otherProtocol, T0));
        assertEquals(4, table.size());
    }

    @Test
    void aNewFirstFragmentWithTheSameIdReplacesThePorts() {
        assertEquals(OK, decode(first4(ID), T0));
        byte[] reused = eth(0x0800, ip4(UDP, udp(6000, 123, 100), fill(8, 0)).id(ID).fragment(0, true).bytes());
        assertEquals(OK, decode(reused, T0 + 1));
        assertEquals(OK, decode(last4(ID), T0 + 2));
        assertRecord(d.r, 6000, 123, 1, 60);
    }

    @Test
    void fragmentsWithoutPortsBypassTheTable() {
        byte[] first = eth(0x0800, ip4(ICMP, icmp(8, 0), fill(1472, 0)).id(ID).fragment(0, true).bytes());
        byte[] last = eth(0x0800, ip4(ICMP, fill(100, 0x33)).id(ID).fragment(1480, false).bytes());
        assertEquals(OK, decode(last, T0));
        assertEquals(OK, decode(first, T0));
        assertEquals(0, table.size());
        assertEquals(0, d.r.srcPort);
        assertEquals("frames=2 accounted=2 fragments=2", d.counters());
    }

    @Test
    void withoutATableLaterFragmentsHavePortsZero() {
        d = new Decoding(null, null);
        assertEquals(OK, decode(last4(ID), T0));
        assertRecord(d.r, 0, 0, 1, 60);
        assertEquals(OK, decode(first4(ID), T0));
        assertRecord(d.r, 5000, 53, 1, 1500);
        assertEquals(OK, decode(middle4(ID), T0));
        assertRecord(d.r, 0, 0, 1, 1500);
    }

    @Test
    void firstFragmentCutBeforeItsPortsGivesPortsZero() {
        byte[] first = first4(ID);
        assertEquals(OK, d.decode(LinkTypes.ETHERNET, first, 14 + 20 + 2, first.length, T0));
        assertRecord(d.r, 0, 0, 1, 1500);
        assertEquals(OK, decode(last4(ID), T0));
        assertRecord(d.r, 0, 0, 1, 60);
        assertEquals("frames=2 accounted=2 shortL4=1 fragments=2", d.counters());
    }

    @Test
    void dontFragmentIsNotAFragment() {
        assertEquals(OK, decode(eth(0x0800, ip4(UDP, udp(1, 2, 0)).dontFragment().bytes()), T0));
        assertRecord(d.r, 1, 2, 1, 28);
        assertEquals(0, table.size());
        assertEquals("frames=1 accounted=1", d.counters());
    }

    @Test
    void fullTableAccountsLaterFragmentsWithoutPorts() {
        table = new FragmentTable(32, 16, TIMEOUT_MS);
        d = new Decoding(table, null);
        for (int id = 0; id < 200; id++) {
            assertEquals(OK, decode(first4(id), T0));
        }
        int capacity = table.size();
        assertTrue(capacity >= 32 && capacity < 200, "entries kept: " + capacity);
        // a first fragment that did not fit is forgotten: its later fragment cannot be held either
        assertEquals(OK, decode(last4(199), T0));
        assertRecord(d.r, 0, 0, 1, 60);
        assertCounters(0, 0, 0, 1);
        // one that fit still gets its ports
        assertEquals(OK, decode(last4(0), T0));
        assertRecord(d.r, 5000, 53, 1, 60);
        assertEquals(capacity, table.size());
    }

    @Test
    void exhaustedPendingPoolAccountsLaterFragmentsWithoutPorts() throws InterruptedException {
        table = new FragmentTable(256, 2, TIMEOUT_MS);
        d = new Decoding(table, null);
        assertEquals(HELD, decode(last4(1), T0));
        assertEquals(HELD, decode(last4(2), T0));
        assertEquals(OK, decode(last4(3), T0));
        assertRecord(d.r, 0, 0, 1, 60);
        assertCounters(2, 0, 0, 1);
        // joining a held datagram frees its place in the pool
        assertEquals(OK, decode(first4(1), T0));
        assertEquals(HELD, decode(last4(4), T0));
        assertEquals(2, table.flush(sink));
    }

    // ---- IPv6 ----

    private static byte[] first6(int id) {
        return eth(0x86DD, ip6(44, frag6(UDP, 0, true, id), udp(7000, 8000, 2000), fill(1224, 0)).bytes());
    }

    private static byte[] last6(int id) {
        return eth(0x86DD, ip6(44, frag6(UDP, 1232, false, id), fill(776, 0x33)).bytes());
    }

    @Test
    void ipv6InOrderFragments() {
        assertEquals(OK, decode(first6(0xABCDEF01), T0));
        assertRecord(d.r, 7000, 8000, 1, 1280);
        assertEquals(OK, decode(last6(0xABCDEF01), T0));
        assertRecord(d.r, 7000, 8000, 1, 824);
        assertEquals(0x86DD, d.r.etype);
        assertEquals("frames=2 accounted=2 fragments=2", d.counters());
    }

    @Test
    void ipv6OutOfOrderFragments() {
        assertEquals(HELD, decode(last6(0xFEDCBA98), T0));
        assertEquals(OK, decode(first6(0xFEDCBA98), T0));
        assertRecord(d.r, 7000, 8000, 2, 1280 + 824);
        assertCounters(1, 1, 0, 0);
    }

    @Test
    void ipv6FragmentIdsAreThirtyTwoBits() {
        assertEquals(OK, decode(first6(0x10000 | ID), T0));
        assertEquals(HELD, decode(last6(ID), T0));
    }

    @Test
    void ipv6AtomicFragmentIsNotAFragment() {
        byte[] atomic = eth(0x86DD, ip6(44, frag6(UDP, 0, false, 5), udp(7000, 8000, 0)).bytes());
        assertEquals(OK, decode(atomic, T0));
        assertRecord(d.r, 7000, 8000, 1, 56);
        assertEquals(0, table.size());
        assertEquals("frames=1 accounted=1", d.counters());
    }

    // ---- the table against a model, many inserts, lookups and expiries ----

    /** What the table should hold for one datagram. */
    private static final class Entry {
        boolean known;
        int ports;
        long expires;
        long packets;
        long bytes;
    }

    /** Datagram keys: family, addresses, protocol and id; 85 of them load a 128-slot table to two thirds. */
    private static void key(FlowRecord r, int k) {
        r.clear();
        r.proto = k % 2 == 0 ? 6 : 17;
        if (k % 3 == 0) {
            r.srcV6(0x20010DB8_00000000L, k % 7);
            r.dstV6(0x20010DB8_00000000L, 100 + k % 5);
        } else {
            r.srcV4(0x0A000000 | k % 7);
            r.dstV4(0x0A010000 | k % 5);
        }
    }

    private static int id(int k) {
        return 1000 + k / 2;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void matchesAModelUnderManyInsertsAndExpiries(long seed) throws InterruptedException {
        int keys = 85;
        FragmentTable t = new FragmentTable(64, 128, 20_000);
        Map<Integer, Entry> model = new HashMap<>();
        Random rnd = new Random(seed);
        FlowRecord r = new FlowRecord();
        long now = 1_000_000_000L;
        long joined = 0;
        long orphaned = 0;
        for (int op = 0; op < 60_000; op++) {
            now += rnd.nextInt(2_000_000);
            int k = rnd.nextInt(keys);
            Entry e = model.get(k);
            int choice = rnd.nextInt(100);
            if (choice < 40) {
                key(r, k);
                r.packets = 1;
                r.bytes = 100 + rnd.nextInt(1400);
                r.srcPort = rnd.nextInt(65536);
                r.dstPort = rnd.nextInt(65536);
                long expectPackets = 1 + (e != null && !e.known ? e.packets : 0);
                long expectBytes = r.bytes + (e != null && !e.known ? e.bytes : 0);
                joined += e != null && !e.known ? e.packets : 0;
                t.first(r, id(k), now);
                assertEquals(expectPackets, r.packets, "packets after first, op " + op);
                assertEquals(expectBytes, r.bytes, "bytes after first, op " + op);
                e = e == null ? new Entry() : e;
                e.known = true;
                e.ports = r.srcPort << 16 | r.dstPort;
                e.expires = now + 20_000_000L;
                model.put(k, e);
            } else if (choice < 90) {
                key(r, k);
                r.packets = 1;
                r.bytes = 8 + rnd.nextInt(1400);
                long bytes = r.bytes;
                boolean accounted = t.later(r, id(k), now);
                assertEquals(e != null && e.known, accounted, "later accounted, op " + op);
                if (accounted) {
                    assertEquals(e.ports, r.srcPort << 16 | r.dstPort, "ports, op " + op);
                    e.expires = now + 20_000_000L;
                } else if (e != null) {
                    e.packets++;
                    e.bytes += bytes;
                } else {
                    e = new Entry();
                    e.packets = 1;
                    e.bytes = bytes;
                    e.expires = now + 20_000_000L;
                    model.put(k, e);
                }
            } else {
                Decoding.Sink s = new Decoding.Sink();
                int emitted = t.expire(now, s);
                List<String> expected = new ArrayList<>();
                for (var it = model.entrySet().iterator(); it.hasNext();) {
                    var m = it.next();
                    if (m.getValue().expires < now) {
                        if (!m.getValue().known) {
                            key(r, m.getKey());
                            expected.add(describe(r, m.getValue().packets, m.getValue().bytes));
                            orphaned += m.getValue().packets;
                        }
                        it.remove();
                    }
                }
                List<String> actual = new ArrayList<>();
                for (FlowRecord o : s.records) {
                    assertEquals(0, o.srcPort | o.dstPort, "orphan ports");
                    actual.add(describe(o, o.packets, o.bytes));
                }
                expected.sort(null);
                actual.sort(null);
                assertEquals(expected, actual, "orphans at op " + op);
                assertEquals(expected.size(), emitted);
            }
            assertEquals(model.size(), t.size(), "size after op " + op);
        }
        assertEquals(joined, t.joined(), "joined");
        assertEquals(orphaned, t.orphaned(), "orphaned");
        assertEquals(0, t.unmatched(), "unmatched");
        t.flush(new Decoding.Sink());
        assertEquals(0, t.size());
    }

    private static String describe(FlowRecord r, long packets, long bytes) {
        return r.srcFamily + "/" + Long.toHexString(r.srcHi) + ":" + Long.toHexString(r.srcLo) + ">"
                + Long.toHexString(r.dstHi) + ":" + Long.toHexString(r.dstLo) + "/" + r.proto + " " + packets + "p "
                + bytes + "b";
    }

    @Test
    void modelKeysAreDistinct() {
        FlowRecord r = new FlowRecord();
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < 85; k++) {
            key(r, k);
            assertFalse(seen.containsKey(describe(r, id(k), 0)), "key " + k);
            seen.put(describe(r, id(k), 0), k);
        }
        assertEquals(85, seen.size());
    }
}
