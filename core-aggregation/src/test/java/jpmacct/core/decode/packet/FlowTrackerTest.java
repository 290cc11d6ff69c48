package jpmacct.core.decode.packet;

import jpmacct.core.decode.Verdict;
import static jpmacct.core.decode.packet.Pkt.ACK;
import static jpmacct.core.decode.packet.Pkt.FIN;
import static jpmacct.core.decode.packet.Pkt.PSH;
import static jpmacct.core.decode.packet.Pkt.RST;
import static jpmacct.core.decode.packet.Pkt.SYN;
import static jpmacct.core.decode.packet.Pkt.TCP;
import static jpmacct.core.decode.packet.Pkt.UDP;
import static jpmacct.core.decode.packet.Pkt.eth;
import static jpmacct.core.decode.packet.Pkt.fill;
import static jpmacct.core.decode.packet.Pkt.ip4;
import static jpmacct.core.decode.packet.Pkt.tcpConversation;
import static jpmacct.core.decode.packet.Pkt.udp;
import static jpmacct.core.decode.Verdict.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

class FlowTrackerTest {
    private static final String A = "192.0.2.1";
    private static final String B = "198.51.100.2";
    private static final long T = 1_700_000_000L;

    private FlowTracker tracker = new FlowTracker(60, 3600, 1 << 20);
    private final FlowRecord r = new FlowRecord();

    // ---- helpers ----

    /** Sets up a packet src:srcPort -> dst:dstPort. */
    private FlowTrackerTest packet(String src, int srcPort, String dst, int dstPort, int proto) {
        r.clear();
        Addr.Parsed s = Addr.parse(src);
        Addr.Parsed t = Addr.parse(dst);
        r.srcFamily = s.family();
        r.srcHi = s.hi();
        r.srcLo = s.lo();
        r.dstFamily = t.family();
        r.dstHi = t.hi();
        r.dstLo = t.lo();
        r.srcPort = srcPort;
        r.dstPort = dstPort;
        r.proto = proto;
        return this;
    }

    private FlowTrackerTest udpAtoB() {
        return packet(A, 40000, B, 53, UDP);
    }

    private FlowTrackerTest udpBtoA() {
        return packet(B, 53, A, 40000, UDP);
    }

    /** TCP client A:40000 -> server B:443 or back. */
    private FlowTrackerTest tcpPacket(boolean fromClient, int flags) {
        packet(fromClient ? A : B, fromClient ? 40000 : 443, fromClient ? B : A, fromClient ? 443 : 40000, TCP);
        r.tcpFlags = flags;
        return this;
    }

    /** Tracks the packet set up last; returns its {@code flows} value. */
    private long at(long sec) {
        return at(sec, 0);
    }

    private long at(long sec, long seq) {
        r.flows = -1;
        tracker.track(r, seq, sec);
        return r.flows;
    }

    /** Client SYN (seq 1000), server SYN+ACK, client ACK with the given sequence number, all at {@code sec}. */
    private void handshake(long sec, long ackSeq) {
        assertEquals(1, tcpPacket(true, SYN).at(sec, 1000));
        assertEquals(1, tcpPacket(false, SYN | ACK).at(sec, 7000));
        assertEquals(0, tcpPacket(true, ACK).at(sec, ackSeq));
    }

    // ---- directions and lifetimes ----

    @Test
    void eachDirectionStartsItsOwnFlow() {
        assertEquals(1, udpAtoB().at(T));
        assertEquals(0, udpAtoB().at(T + 1));
        assertEquals(1, udpBtoA().at(T + 2));
        assertEquals(0, udpBtoA().at(T + 3));
        assertEquals(0, udpAtoB().at(T + 4));
        assertEquals(1, tracker.size());
    }

    @Test
    void genericLifetimeBoundary() {
        assertEquals(1, udpAtoB().at(T));
        assertEquals(0, udpAtoB().at(T + 60));
        assertEquals(0, udpAtoB().at(T + 120));
        assertEquals(1, udpAtoB().at(T + 181));
    }

    @Test
    void steadyTrafficIsOneFlow() {
        assertEquals(1, udpAtoB().at(T));
        for (int i = 1; i <= 20; i++) {
            assertEquals(0, udpAtoB().at(T + 59L * i), "packet " + i);
        }
    }

    @Test
    void lifetimesArePerDirection() {
        assertEquals(1, udpAtoB().at(T));
        assertEquals(1, udpBtoA().at(T + 50));
        assertEquals(1, udpAtoB().at(T + 100));
        assertEquals(0, udpBtoA().at(T + 100));
    }

    @Test
    void otherProtocolsPortsAndAddressesAreOtherFlows() {
        assertEquals(1, udpAtoB().at(T));
        assertEquals(1, packet(A, 40000, B, 53, TCP).at(T));
        assertEquals(1, packet(A, 40001, B, 53, UDP).at(T));
        assertEquals(1, packet(A, 40000, B, 54, UDP).at(T));
        assertEquals(1, packet("192.0.2.3", 40000, B, 53, UDP).at(T));
        assertEquals(1, packet("2001:db8::1", 40000, "2001:db8::2", 53, UDP).at(T));
        assertEquals(0, packet("2001:db8::1", 40000, "2001:db8::2", 53, UDP).at(T + 1));
        assertEquals(1, packet("2001:db8::2", 53, "2001:db8::1", 40000, UDP).at(T + 1));
        assertEquals(0, udpAtoB().at(T + 1));
        assertEquals(6, tracker.size());
    }

    @Test
    void equalPortsAreOrderedByAddress() {
        assertEquals(1, packet(A, 123, B, 123, UDP).at(T));
        assertEquals(1, packet(B, 123, A, 123, UDP).at(T));
        assertEquals(0, packet(A, 123, B, 123, UDP).at(T + 1));
        assertEquals(0, packet(B, 123, A, 123, UDP).at(T + 1));
        assertEquals(1, tracker.size());
    }

    @Test
    void packetsInTheFirstSecondOfTheEpochAreOneFlow() {
        // capture files with zeroed timestamps exist; second 0 must not read as "never seen"
        assertEquals(1, udpAtoB().at(0));
        assertEquals(0, udpAtoB().at(0));
        assertEquals(1, udpBtoA().at(0));
        assertEquals(0, udpBtoA().at(1));
    }

    // ---- TCP ----

    @Test
    void completedHandshakeUsesTheTcpLifetime() {
        handshake(T, 1001);
        assertEquals(0, tcpPacket(true, PSH | ACK).at(T + 1000, 1001));
        assertEquals(0, tcpPacket(false, PSH | ACK).at(T + 1000, 7001));
        assertEquals(0, tcpPacket(true, ACK).at(T + 4600, 1500));
        assertEquals(1, tcpPacket(true, ACK).at(T + 8201, 1600));
    }

    @Test
    void handshakeWithWrongSequenceStaysInSynLifetime() {
        handshake(T, 5000);
        assertEquals(0, tcpPacket(true, ACK).at(T + 60, 5000));
        assertEquals(1, tcpPacket(true, ACK).at(T + 121, 5001));
    }

    @Test
    void synLifetimeIsSixtySeconds() {
        tracker = new FlowTracker(3600, 3600, 1 << 20);
        assertEquals(1, tcpPacket(true, SYN).at(T, 1));
        assertEquals(0, tcpPacket(true, SYN).at(T + 60, 1));
        assertEquals(1, tcpPacket(true, SYN).at(T + 121, 1));
    }

    @Test
    void midstreamTcpUsesTheTcpLifetime() {
        assertEquals(1, tcpPacket(true, ACK).at(T, 1));
        assertEquals(0, tcpPacket(true, ACK).at(T + 3000, 2));
        assertEquals(1, tcpPacket(true, ACK).at(T + 6601, 3));
    }

    @Test
    void finShortensTheLifetimeOfBothDirections() {
        handshake(T, 1001);
        assertEquals(0, tcpPacket(false, PSH | ACK).at(T + 1000, 7001));
        assertEquals(0, tcpPacket(true, FIN | ACK).at(T + 1000, 2000));
        assertEquals(0, tcpPacket(true, ACK).at(T + 1030, 2001));
        assertEquals(1, tcpPacket(false, ACK).at(T + 1031, 7002));
        assertEquals(1, tcpPacket(true, ACK).at(T + 1061, 2001));
    }

    @Test
    void rstShortensTheLifetimeMore() {
        handshake(T, 1001);
        assertEquals(0, tcpPacket(true, RST).at(T + 1000, 2000));
        assertEquals(0, tcpPacket(true, RST).at(T + 1010, 2000));
        assertEquals(1, tcpPacket(true, ACK).at(T + 1021, 2000));
    }

    // ---- table size ----

    private FlowTrackerTest numbered(int i) {
        return packet("10." + (i >>> 16) + "." + (i >>> 8 & 0xFF) + "." + (i & 0xFF), 1024 + i % 7, B, 53, UDP);
    }

    @Test
    void tableGrowsAndKeepsEveryFlow() {
        for (int i = 0; i < 20_000; i++) {
            assertEquals(1, numbered(i).at(T), "flow " + i);
        }
        assertEquals(20_000, tracker.size());
        for (int i = 0; i < 20_000; i++) {
            assertEquals(0, numbered(i).at(T + 1), "flow " + i + " again");
        }
        assertEquals(0, tracker.full());
    }

    @Test
    void expiredFlowsMakeRoom() {
        for (int i = 0; i < 11_000; i++) {
            numbered(i).at(T);
        }
        for (int i = 11_000; i < 22_000; i++) {
            assertEquals(1, numbered(i).at(T + 1000), "flow " + i);
        }
        assertEquals(11_000, tracker.size());
        assertEquals(0, numbered(21_999).at(T + 1001));
        assertEquals(0, tracker.full());
    }

    @Test
    void fullTableCountsNewConnectionsAsNewFlows() {
        tracker = new FlowTracker(60, 60, 1 << 14);
        int n = 25_000;
        for (int i = 0; i < n; i++) {
            assertEquals(1, numbered(i).at(T), "flow " + i);
        }
        int kept = tracker.size();
        assertTrue(kept >= 1 << 14 && kept < n, "kept " + kept);
        assertEquals(n - kept, tracker.full());
        assertEquals(0, numbered(0).at(T + 1), "a kept flow");
        assertEquals(1, numbered(n - 1).at(T + 1), "a flow that found no room");
        assertEquals(n - kept + 1, tracker.full());
        // once the old flows expire there is room again
        assertEquals(1, numbered(n - 1).at(T + 1000));
        assertEquals(0, numbered(n - 1).at(T + 1001));
        assertEquals(1, tracker.size());
    }

    // ---- through the decoder ----

    @Test
    void decoderPassesFlagsAndSequenceNumbers() {
        Decoding d = new Decoding(null, tracker);
        long t0 = T * 1_000_000L;
        assertEquals(OK, d.decodeAt(t0, LinkTypes.ETHERNET, tcpConversation(true, SYN, 1000)));
        assertEquals(1, d.r.flows);
        assertEquals(OK, d.decodeAt(t0 + 1000, LinkTypes.ETHERNET, tcpConversation(false, SYN | ACK, 7000)));
        assertEquals(1, d.r.flows);
        assertEquals(OK, d.decodeAt(t0 + 2000, LinkTypes.ETHERNET, tcpConversation(true, ACK, 1001)));
        assertEquals(0, d.r.flows);
        // established: the 3600 s TCP lifetime applies, not the 60 s of the SYN state
        assertEquals(OK, d.decodeAt(t0 + 200_000_000L, LinkTypes.ETHERNET, tcpConversation(true, PSH | ACK, 1001)));
        assertEquals(0, d.r.flows);
        assertEquals(OK, d.decodeAt(t0 + 500_000_000L, LinkTypes.ETHERNET, tcpConversation(true, RST, 2000)));
        assertEquals(0, d.r.flows);
        assertEquals(OK, d.decodeAt(t0 + 511_000_000L, LinkTypes.ETHERNET, tcpConversation(true, ACK, 2000)));
        assertEquals(1, d.r.flows);
    }

    @Test
    void decoderTracksFirstFragmentsButNotLaterOnes() {
        Decoding d = new Decoding(new FragmentTable(64, 8, 30_000), tracker);
        byte[] first = eth(0x0800, ip4(UDP, udp(5000, 53, 100), fill(16, 0)).id(9).fragment(0, true).bytes());
        byte[] later = eth(0x0800, ip4(UDP, fill(84, 0)).id(9).fragment(24, false).bytes());
        assertEquals(OK, d.decode(LinkTypes.ETHERNET, first));
        assertEquals(1, d.r.flows);
        assertEquals(OK, d.decode(LinkTypes.ETHERNET, later));
        assertEquals(0, d.r.flows);
        assertEquals(5000, d.r.srcPort);
        assertEquals(1, tracker.size());
    }
}
