package jpmacct.core.decode.packet;

import jpmacct.core.decode.Verdict;
import static jpmacct.core.decode.packet.Pkt.ACK;
import static jpmacct.core.decode.packet.Pkt.ICMP;
import static jpmacct.core.decode.packet.Pkt.ICMPV6;
import static jpmacct.core.decode.packet.Pkt.MAC_A;
import static jpmacct.core.decode.packet.Pkt.MAC_B;
import static jpmacct.core.decode.packet.Pkt.PSH;
import static jpmacct.core.decode.packet.Pkt.SYN;
import static jpmacct.core.decode.packet.Pkt.TCP;
import static jpmacct.core.decode.packet.Pkt.UDP;
import static jpmacct.core.decode.packet.Pkt.ah;
import static jpmacct.core.decode.packet.Pkt.cat;
import static jpmacct.core.decode.packet.Pkt.eth;
import static jpmacct.core.decode.packet.Pkt.ext;
import static jpmacct.core.decode.packet.Pkt.fill;
import static jpmacct.core.decode.packet.Pkt.frag6;
import static jpmacct.core.decode.packet.Pkt.icmp;
import static jpmacct.core.decode.packet.Pkt.ip4;
import static jpmacct.core.decode.packet.Pkt.ip6;
import static jpmacct.core.decode.packet.Pkt.loopback;
import static jpmacct.core.decode.packet.Pkt.mpls;
import static jpmacct.core.decode.packet.Pkt.pppoe;
import static jpmacct.core.decode.packet.Pkt.sll;
import static jpmacct.core.decode.packet.Pkt.sll2;
import static jpmacct.core.decode.packet.Pkt.tag;
import static jpmacct.core.decode.packet.Pkt.tcp;
import static jpmacct.core.decode.packet.Pkt.udp;
import static jpmacct.core.decode.packet.Pkt.udp4;
import static jpmacct.core.decode.packet.Pkt.udp6;
import static jpmacct.core.decode.Verdict.MALFORMED;
import static jpmacct.core.decode.Verdict.NOT_IP;
import static jpmacct.core.decode.Verdict.OK;
import static jpmacct.core.decode.Verdict.TRUNCATED;
import static jpmacct.core.decode.Verdict.UNSUPPORTED_LINK;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

class PacketDecoderTest {
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86DD;
    private static final String V4_SRC = "192.0.2.1";
    private static final String V4_DST = "198.51.100.2";
    private static final String V6_SRC = "2001:db8::1";
    private static final String V6_DST = "2001:db8:ffff::2";

    private final Decoding d = new Decoding(null, null);
    private final FlowRecord r = d.r;

    // ---- helpers ----

    private static void assertAddr(String expected, int family, long hi, long lo, String what) {
        Addr.Parsed a = Addr.parse(expected);
        assertEquals(a.family(), family, what + " family");
        assertEquals(a.hi(), hi, what + " hi");
        assertEquals(a.lo(), lo, what + " lo");
    }

    private void assertIp(int etype, String src, String dst, int proto, int srcPort, int dstPort, long bytes) {
        assertAll(
                () -> assertEquals(etype, r.etype, "etype"),
                () -> assertAddr(src, r.srcFamily, r.srcHi, r.srcLo, "src"),
                () -> assertAddr(dst, r.dstFamily, r.dstHi, r.dstLo, "dst"),
                () -> assertEquals(proto, r.proto, "proto"),
                () -> assertEquals(srcPort, r.srcPort, "src port"),
                () -> assertEquals(dstPort, r.dstPort, "dst port"),
                () -> assertEquals(bytes, r.bytes, "bytes"),
                () -> assertEquals(1, r.packets, "packets"));
    }

    private void assertV4(int proto, int srcPort, int dstPort, long bytes) {
        assertIp(IPV4, V4_SRC, V4_DST, proto, srcPort, dstPort, bytes);
    }

    private void assertV6(int proto, int srcPort, int dstPort, long bytes) {
        assertIp(IPV6, V6_SRC, V6_DST, proto, srcPort, dstPort, bytes);
    }

    /** The datagram of {@link Pkt#udp4()} was decoded. */
    private void assertUdp4() {
        assertV4(UDP, 1000, 2000, 40);
    }

    /** The datagram of {@link Pkt#udp6()} was decoded. */
    private void assertUdp6() {
        assertV6(UDP, 1000, 2000, 60);
    }

    private void assertVlan(int vlan, int cos) {
        assertEquals(vlan, r.vlan, "vlan");
        assertEquals(cos, r.cos, "cos");
    }

    private void assertCounters(String expected) {
        assertEquals(expected, d.counters());
    }

    /** Decodes a frame that must be accounted, and checks the counters say so. */
    private void decodeOk(int linkType, byte[] frame) {
        assertEquals(OK, d.decode(linkType, frame));
        assertCounters("frames=1 accounted=1");
    }

    /** Decodes one IP packet in an Ethernet frame, which must be accounted. */
    private void ethOk(Pkt.Ip<?> ip) {
        decodeOk(LinkTypes.ETHERNET, eth(ip instanceof Pkt.Ip4 ? IPV4 : IPV6, ip.bytes()));
    }

    private void decodeFails(Verdict expected, String counters, int linkType, byte[] frame) {
        assertEquals(expected, d.decode(linkType, frame));
        assertCounters(counters);
    }

    /** Decodes the first {@code caplen} bytes of a frame that was whole on the wire. */
    private void decodeCut(Verdict expected, String counters, int linkType, byte[] frame, int caplen) {
        assertEquals(expected, d.decode(linkType, frame, caplen, frame.length, Decoding.TS));
        assertCounters(counters);
    }

    // ---- Ethernet, IPv4 ----

    @Test
    void ethernetIpv4Tcp() {
        byte[] ip = ip4(TCP, tcp(40000, 443, SYN | ACK, 1000), fill(100, 0)).tos(0x28).bytes();
        decodeOk(LinkTypes.ETHERNET, eth(IPV4, ip));
        assertV4(TCP, 40000, 443, 140);
        assertAll(
                () -> assertEquals(SYN | ACK, r.tcpFlags, "tcp flags"),
                () -> assertEquals(0x28, r.tos, "tos"),
                () -> assertEquals(MAC_A, r.srcMac, "src mac"),
                () -> assertEquals(MAC_B, r.dstMac, "dst mac"),
                () -> assertVlan(0, 0),
                () -> assertEquals(1, r.samplingRate, "sampling rate"),
                () -> assertEquals(Decoding.TS, r.timeArrivalMicros, "arrival"),
                () -> assertEquals(Decoding.TS, r.timeStartMicros, "start"),
                () -> assertEquals(Decoding.TS, r.timeEndMicros, "end"),
                () -> assertEquals(0, r.flows, "flows without a tracker"));
    }

    /** pmacct 1.7.7's pmacctd leaves timestamp_end 0; here start, end and arrival are all the capture time. */
    @Test
    void everyTimestampIsTheCaptureTime() {
        long ts = 1_700_000_040_700_001L;
        FlowRecord slot = d.r;
        slot.timeStartMicros = 1;
        slot.timeEndMicros = 2;
        slot.timeArrivalMicros = 3;
        // the slot is reused as the capture loop does, not cleared: the decoder must overwrite old times
        byte[] frame = eth(IPV4, ip4(UDP, udp(1, 2, 0)).bytes());
        assertEquals(OK, d.decoder.decode(Decoding.place(frame, frame.length), Decoding.PREFIX, frame.length,
                frame.length, LinkTypes.ETHERNET, ts, slot));
        assertAll(
                () -> assertEquals(ts, r.timeStartMicros, "timestamp_start"),
                () -> assertEquals(ts, r.timeEndMicros, "timestamp_end"),
                () -> assertEquals(ts, r.timeArrivalMicros, "timestamp_arrival"));
        assertEquals(OK, d.decodeAt(ts + 5, LinkTypes.ETHERNET, eth(IPV6, ip6(UDP, udp(1, 2, 0)).bytes())));
        assertEquals(ts + 5, r.timeEndMicros, "IPv6 too");
    }

    @Test
    void ethernetIpv4Udp() {
        // byte 13 of the L4 header is payload byte 5 here: it must not become TCP flags
        ethOk(ip4(UDP, udp(5353, 53, 20), fill(20, 0)));
        assertV4(UDP, 5353, 53, 48);
        assertEquals(0, r.tcpFlags);
    }

    @Test
    void ethernetIpv4IcmpHasNoPorts() {
        ethOk(ip4(ICMP, icmp(8, 0), fill(56, 1)));
        assertV4(ICMP, 0, 0, 84);
        assertEquals(0, r.tcpFlags);
    }

    @Test
    void ipv4ProtocolsOtherThanTcpAndUdpHaveNoPorts() {
        ethOk(ip4(132, fill(32, 1))); // SCTP
        assertV4(132, 0, 0, 52);
    }

    @Test
    void ipv4OptionsAreSkippedToReachThePorts() {
        byte[] ip = ip4(UDP, udp(1000, 2000, 0)).options(new byte[] {1, 1, 1, 0}).bytes();
        decodeOk(LinkTypes.ETHERNET, eth(IPV4, ip));
        assertV4(UDP, 1000, 2000, 32);
    }

    @Test
    void ipv4MaximalOptions() {
        byte[] ip = ip4(TCP, tcp(80, 8080, ACK, 5)).options(fill(40, 1)).bytes();
        decodeOk(LinkTypes.ETHERNET, eth(IPV4, ip));
        assertV4(TCP, 80, 8080, 80);
        assertEquals(ACK, r.tcpFlags);
    }

    @Test
    void paddedEthernetFrameCountsIpLengthNotFrame() {
        byte[] frame = eth(IPV4, ip4(UDP, udp(1000, 2000, 0)).bytes(), fill(18, 0x77));
        assertEquals(60, frame.length);
        decodeOk(LinkTypes.ETHERNET, frame);
        assertV4(UDP, 1000, 2000, 28);
    }

    @Test
    void forgedIpLengthLargerThanWireIsCappedToTheWire() {
        byte[] frame = eth(IPV4, udp4().totalLen(1500).bytes());
        decodeOk(LinkTypes.ETHERNET, frame);
        assertUdp4();
    }

    @Test
    void snaplenCutFrameCountsTheIpLengthOnTheWire() {
        byte[] frame = eth(IPV4, ip4(UDP, udp(1000, 2000, 1472), fill(1472, 0)).bytes());
        decodeCut(OK, "frames=1 accounted=1", LinkTypes.ETHERNET, frame, 14 + 28);
        assertV4(UDP, 1000, 2000, 1500);
    }

    @Test
    void ipLengthSmallerThanHeaderCountsTheWire() {
        byte[] frame = eth(IPV4, udp4().totalLen(12).bytes(), fill(6, 0));
        decodeOk(LinkTypes.ETHERNET, frame);
        assertV4(UDP, 1000, 2000, 46);
    }

    @Test
    void zeroIpLengthFromSegmentationOffloadCountsTheWire() {
        byte[] frame = eth(IPV4, ip4(TCP, tcp(1, 2, ACK, 1), fill(3000, 0)).totalLen(0).bytes());
        decodeOk(LinkTypes.ETHERNET, frame);
        assertV4(TCP, 1, 2, 3040);
    }

    @Test
    void wireLengthBelowCaptureLengthIsTakenAsCaptureLength() {
        byte[] frame = eth(IPV4, udp4().bytes());
        assertEquals(OK, d.decode(LinkTypes.ETHERNET, frame, frame.length, 0, Decoding.TS));
        assertUdp4();
    }

    // ---- VLAN tags ----

    @Test
    void dot1qTag() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8100, tag(5, 100, IPV4), udp4().bytes()));
        assertUdp4();
        assertVlan(100, 5);
    }

    @Test
    void priorityTagHasVlanZero() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8100, tag(7, 0, IPV4), udp4().bytes()));
        assertVlan(0, 7);
    }

    @Test
    void qinq88a8OuterTagWins() {
        decodeOk(LinkTypes.ETHERNET, eth(0x88A8, tag(3, 200, 0x8100), tag(1, 10, IPV4), udp4().bytes()));
        assertUdp4();
        assertVlan(200, 3);
    }

    @Test
    void double8100OuterTagWins() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8100, tag(6, 300, 0x8100), tag(2, 30, IPV6), udp6().bytes()));
        assertUdp6();
        assertVlan(300, 6);
    }

    @Test
    void preStandard9100Tag() {
        decodeOk(LinkTypes.ETHERNET, eth(0x9100, tag(4, 4095, 0x8100), tag(0, 1, IPV4), udp4().bytes()));
        assertVlan(4095, 4);
    }

    /** An Ethernet frame with {@code n} 802.1Q tags, the outermost VLAN 9 CoS 2. */
    private static byte[] vlanStack(int n) {
        byte[] inner = new byte[0];
        for (int i = 0; i < n - 2; i++) {
            inner = cat(inner, tag(0, 10 + i, 0x8100));
        }
        return eth(0x8100, tag(2, 9, 0x8100), inner, tag(0, 99, IPV4), udp4().bytes());
    }

    @Test
    void fifteenTagsAreFollowed() {
        decodeOk(LinkTypes.ETHERNET, vlanStack(15));
        assertUdp4();
        assertVlan(9, 2);
    }

    @Test
    void sixteenTagsAreMalformed() {
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.ETHERNET, vlanStack(16));
    }

    @Test
    void truncatedVlanTag() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET, eth(0x8100, new byte[] {0, 100, 8}));
    }

    @Test
    void truncatedInnerVlanTag() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET,
                eth(0x88A8, tag(0, 5, 0x8100), new byte[] {0, 6}));
    }

    // ---- MPLS ----

    @Test
    void mplsOneLabel() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8847, mpls(1000, true), udp4().bytes()));
        assertUdp4();
        assertVlan(0, 0);
    }

    @Test
    void mplsTwoLabelsIpv6ByFirstNibble() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8847, mpls(1000, false), mpls(2000, true), udp6().bytes()));
        assertUdp6();
    }

    @Test
    void mplsMulticast() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8848, mpls(77, true), udp4().bytes()));
        assertUdp4();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void mplsIpv4ExplicitNull(int label) {
        decodeOk(LinkTypes.ETHERNET, eth(0x8847, mpls(label, true), udp4().bytes()));
        assertUdp4();
    }

    @Test
    void mplsIpv6ExplicitNull() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8847, mpls(2, true), udp6().bytes()));
        assertUdp6();
    }

    @Test
    void mplsExplicitNullDecidesOverTheFirstNibble() {
        assertEquals(MALFORMED, d.decode(LinkTypes.ETHERNET, eth(0x8847, mpls(0, true), udp6().bytes())));
        assertEquals(MALFORMED, d.decode(LinkTypes.ETHERNET, eth(0x8847, mpls(2, true), udp4().bytes())));
        assertCounters("frames=2 malformed=2");
    }

    @Test
    void mplsSixteenLabelsWithBottomOfStack() {
        byte[] stack = new byte[0];
        for (int i = 0; i < 15; i++) {
            stack = cat(stack, mpls(100 + i, false));
        }
        decodeOk(LinkTypes.ETHERNET, eth(0x8847, stack, mpls(500, true), udp4().bytes()));
        assertUdp4();
    }

    @Test
    void mplsWithoutBottomOfStackWithinSixteenLabelsIsMalformed() {
        byte[] stack = new byte[0];
        for (int i = 0; i < 16; i++) {
            stack = cat(stack, mpls(100 + i, false));
        }
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.ETHERNET,
                eth(0x8847, stack, mpls(500, true), udp4().bytes()));
    }

    @Test
    void mplsStackCutMidLabel() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET,
                eth(0x8847, mpls(1000, false), new byte[] {0, 1}));
    }

    @Test
    void mplsStackWithNothingAfterIt() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET, eth(0x8847, mpls(1000, true)));
    }

    @Test
    void mplsPseudowireControlWordIsNotIp() {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.ETHERNET,
                eth(0x8847, mpls(1000, true), new byte[4], eth(0x0806, fill(28, 0))));
    }

    @Test
    void mplsBehindVlanTag() {
        decodeOk(LinkTypes.ETHERNET, eth(0x8100, tag(2, 42, 0x8847), mpls(16, true), udp4().bytes()));
        assertUdp4();
        assertVlan(42, 2);
    }

    // ---- PPPoE ----

    @Test
    void pppoeSessionIpv4() {
        byte[] ip = udp4().bytes();
        decodeOk(LinkTypes.ETHERNET, eth(0x8864, pppoe(0x0021, ip.length), ip));
        assertUdp4();
    }

    @Test
    void pppoeSessionIpv6() {
        byte[] ip = udp6().bytes();
        decodeOk(LinkTypes.ETHERNET, eth(0x8864, pppoe(0x0057, ip.length), ip));
        assertUdp6();
    }

    @Test
    void pppoeInVlan() {
        byte[] ip = udp4().bytes();
        decodeOk(LinkTypes.ETHERNET, eth(0x8100, tag(1, 7, 0x8864), pppoe(0x0021, ip.length), ip));
        assertVlan(7, 1);
        assertUdp4();
    }

    @Test
    void pppoeLcpIsNotIp() {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.ETHERNET, eth(0x8864, pppoe(0xC021, 10), fill(10, 1)));
    }

    @Test
    void pppoeDiscoveryIsNotIp() {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.ETHERNET, eth(0x8863, fill(20, 0x11)));
    }

    @Test
    void pppoeHeaderCut() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET, eth(0x8864, fill(7, 0x11)));
    }

    // ---- Linux cooked captures ----

    @Test
    void sllIpv4() {
        decodeOk(LinkTypes.LINUX_SLL, cat(sll(6, MAC_A, IPV4), udp4().bytes()));
        assertUdp4();
        assertEquals(MAC_A, r.srcMac);
        assertEquals(0, r.dstMac);
    }

    @Test
    void sllWithoutMacAddressLeavesMacZero() {
        decodeOk(LinkTypes.LINUX_SLL, cat(sll(0, MAC_A, IPV4), udp4().bytes()));
        assertUdp4();
        assertEquals(0, r.srcMac);
    }

    @Test
    void sllVlanProtocol() {
        decodeOk(LinkTypes.LINUX_SLL, cat(sll(6, MAC_A, 0x8100), tag(3, 33, IPV6), udp6().bytes()));
        assertUdp6();
        assertVlan(33, 3);
    }

    @Test
    void sllArpIsNotIp() {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.LINUX_SLL, cat(sll(6, MAC_A, 0x0806), fill(28, 0)));
    }

    @Test
    void sllHeaderCut() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.LINUX_SLL, fill(15, 0));
    }

    @Test
    void sll2Ipv6() {
        decodeOk(LinkTypes.LINUX_SLL2, cat(sll2(IPV6, 6, MAC_A), udp6().bytes()));
        assertUdp6();
        assertEquals(MAC_A, r.srcMac);
    }

    @Test
    void sll2WithoutMacAddressLeavesMacZero() {
        decodeOk(LinkTypes.LINUX_SLL2, cat(sll2(IPV4, 4, MAC_A), udp4().bytes()));
        assertUdp4();
        assertEquals(0, r.srcMac);
    }

    @Test
    void sll2HeaderCut() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.LINUX_SLL2, fill(19, 0));
    }

    // ---- raw IP ----

    @ParameterizedTest
    @ValueSource(ints = {LinkTypes.RAW, LinkTypes.RAW_DLT_LINUX, LinkTypes.RAW_DLT_BSD})
    void rawIpv4(int linkType) {
        decodeOk(linkType, udp4().bytes());
        assertUdp4();
        assertEquals(0, r.srcMac);
    }

    @ParameterizedTest
    @ValueSource(ints = {LinkTypes.RAW, LinkTypes.RAW_DLT_LINUX, LinkTypes.RAW_DLT_BSD})
    void rawIpv6(int linkType) {
        decodeOk(linkType, udp6().bytes());
        assertUdp6();
    }

    @Test
    void rawUnknownVersionIsNotIp() {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.RAW, udp4().version(5).bytes());
    }

    @Test
    void rawBytesAreCappedToTheWire() {
        decodeOk(LinkTypes.RAW, udp6().payloadLen(9000).bytes());
        assertUdp6();
    }

    @Test
    void linkTypeIpv4() {
        decodeOk(LinkTypes.IPV4, udp4().bytes());
        assertUdp4();
    }

    @Test
    void linkTypeIpv6() {
        decodeOk(LinkTypes.IPV6, udp6().bytes());
        assertUdp6();
    }

    @Test
    void linkTypeIpv4CarryingIpv6IsMalformed() {
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.IPV4, udp6().bytes());
    }

    @Test
    void linkTypeIpv6CarryingIpv4IsMalformed() {
        // 40 bytes of IPv4 pass the IPv6 length check, then fail its version check
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.IPV6, udp4().bytes());
    }

    // ---- BSD loopback ----

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nullIpv4EitherByteOrder(boolean littleEndian) {
        decodeOk(LinkTypes.NULL, cat(loopback(2, littleEndian), udp4().bytes()));
        assertUdp4();
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 24, 28, 30, -10, -24, -28, -30})
    void nullIpv6FamiliesEitherByteOrder(int signedFamily) {
        decodeOk(LinkTypes.NULL, cat(loopback(Math.abs(signedFamily), signedFamily < 0), udp6().bytes()));
        assertUdp6();
    }

    @Test
    void loopNetworkOrderIpv4() {
        decodeOk(LinkTypes.LOOP, cat(loopback(2, false), udp4().bytes()));
        assertUdp4();
    }

    @Test
    void loopNetworkOrderIpv6() {
        decodeOk(LinkTypes.LOOP, cat(loopback(28, false), udp6().bytes()));
        assertUdp6();
    }

    @Test
    void loopIsAlwaysNetworkOrder() {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.LOOP, cat(loopback(2, true), udp4().bytes()));
    }

    @Test
    void nullUnknownFamilyIsNotIp() {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.NULL, cat(loopback(7, true), udp4().bytes()));
    }

    @Test
    void nullHeaderCut() {
        decodeFails(TRUNCATED, "frames=1 truncated=1", LinkTypes.NULL, new byte[] {2, 0, 0});
    }

    @Test
    void nullFamilyDisagreeingWithPacketIsMalformed() {
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.NULL, cat(loopback(2, true), udp6().bytes()));
    }

    // ---- IPv6 ----

    @Test
    void ipv6Tcp() {
        byte[] ip = ip6(TCP, tcp(50000, 22, PSH | ACK, 7), fill(33, 0)).tos(0xB8).bytes();
        decodeOk(LinkTypes.ETHERNET, eth(IPV6, ip));
        assertV6(TCP, 50000, 22, 93);
        assertEquals(0xB8, r.tos, "traffic class");
        assertEquals(PSH | ACK, r.tcpFlags);
        assertEquals(MAC_A, r.srcMac);
    }

    @Test
    void ipv6HopByHop() {
        ethOk(ip6(0, ext(TCP, 0), tcp(1, 2, SYN, 9)));
        assertV6(TCP, 1, 2, 68);
        assertEquals(SYN, r.tcpFlags);
    }

    @Test
    void ipv6Routing() {
        ethOk(ip6(43, ext(UDP, 2), udp(3, 4, 0)));
        assertV6(UDP, 3, 4, 72);
    }

    @Test
    void ipv6DestinationOptions() {
        ethOk(ip6(60, ext(UDP, 1), udp(5, 6, 0)));
        assertV6(UDP, 5, 6, 64);
    }

    @Test
    void ipv6AuthenticationHeader() {
        ethOk(ip6(51, ah(TCP), tcp(7, 8, ACK, 1)));
        assertV6(TCP, 7, 8, 84);
    }

    @Test
    void ipv6MobilityHeader() {
        ethOk(ip6(135, ext(59, 1)));
        assertV6(59, 0, 0, 56);
    }

    @Test
    void ipv6AtomicFragmentIsNotAFragment() {
        ethOk(ip6(44, frag6(UDP, 0, false, 77), udp(9, 10, 0)));
        assertV6(UDP, 9, 10, 56);
    }

    @Test
    void ipv6ChainOfExtensionHeaders() {
        // hop-by-hop -> destination options -> routing -> AH -> TCP
        byte[] ip = ip6(0, ext(60, 0), ext(43, 1), ext(51, 0), ah(TCP), tcp(1111, 2222, SYN, 3)).bytes();
        decodeOk(LinkTypes.ETHERNET, eth(IPV6, ip));
        assertV6(TCP, 1111, 2222, 40 + 8 + 16 + 8 + 24 + 20);
        assertEquals(SYN, r.tcpFlags);
    }

    @Test
    void ipv6FifteenExtensionHeadersAreFollowed() {
        byte[] chain = new byte[0];
        for (int i = 0; i < 15; i++) {
            chain = cat(chain, ext(i < 14 ? 60 : UDP, 0));
        }
        ethOk(ip6(60, chain, udp(12, 13, 0)));
        assertV6(UDP, 12, 13, 40 + 15 * 8 + 8);
    }

    @Test
    void ipv6EspHasNoPorts() {
        ethOk(ip6(50, fill(40, 1)));
        assertV6(50, 0, 0, 80);
    }

    @Test
    void ipv6IcmpHasNoPorts() {
        ethOk(ip6(ICMPV6, icmp(128, 0)));
        assertV6(ICMPV6, 0, 0, 48);
    }

    @Test
    void ipv6JumbogramCountsTheWire() {
        byte[] jumbo = w8(UDP, 0, 0xC2, 4, 0, 1, 0x11, 0x70); // hop-by-hop with a jumbo payload option
        byte[] ip = ip6(0, jumbo, udp(1, 2, 70000 - 8), fill(100, 0)).payloadLen(0).bytes();
        decodeOk(LinkTypes.ETHERNET, eth(IPV6, ip));
        assertV6(UDP, 1, 2, 40 + 8 + 8 + 100);
    }

    private static byte[] w8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void ipv6PayloadLengthLargerThanWireIsCapped() {
        ethOk(udp6().payloadLen(1460));
        assertUdp6();
    }

    @Test
    void ipv6PaddingIsNotCounted() {
        decodeOk(LinkTypes.ETHERNET, eth(IPV6, ip6(UDP, udp(1, 2, 0)).bytes(), fill(30, 0)));
        assertV6(UDP, 1, 2, 48);
    }

    @Test
    void ipv6ExtensionHeaderCutIsAccountedWithoutProtocol() {
        byte[] frame = eth(IPV6, ip6(0, ext(TCP, 0), tcp(1, 2, ACK, 1)).bytes());
        decodeCut(OK, "frames=1 accounted=1 shortL4=1", LinkTypes.ETHERNET, frame, 14 + 40 + 1);
        assertV6(0, 0, 0, 68);
    }

    @Test
    void ipv6FragmentHeaderCutIsAccountedWithoutProtocol() {
        byte[] frame = eth(IPV6, ip6(44, frag6(UDP, 0, true, 5), udp(1, 2, 0)).bytes());
        decodeCut(OK, "frames=1 accounted=1 shortL4=1", LinkTypes.ETHERNET, frame, 14 + 40 + 7);
        assertV6(0, 0, 0, 56);
    }

    @Test
    void ipv6ExtensionHeaderLongerThanCaptureKeepsProtocolWithoutPorts() {
        byte[] frame = eth(IPV6, ip6(60, ext(TCP, 3), tcp(1, 2, ACK, 1)).bytes());
        decodeCut(OK, "frames=1 accounted=1 shortL4=1", LinkTypes.ETHERNET, frame, 14 + 40 + 8);
        assertV6(TCP, 0, 0, 92);
    }

    @Test
    void ipv6HeaderCut() {
        byte[] frame = eth(IPV6, udp6().bytes());
        decodeCut(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET, frame, 14 + 39);
    }

    @Test
    void ipv6BadVersionIsMalformed() {
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.ETHERNET, eth(IPV6, udp6().version(4).bytes()));
    }

    // ---- truncation at every layer boundary ----

    @Test
    void ethernetHeaderCut() {
        decodeCut(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET, eth(IPV4, udp4().bytes()), 13);
    }

    @Test
    void ethernetHeaderWithoutIp() {
        decodeCut(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET, eth(IPV4, udp4().bytes()), 14);
    }

    @Test
    void ipv4HeaderCut() {
        decodeCut(TRUNCATED, "frames=1 truncated=1", LinkTypes.ETHERNET, eth(IPV4, udp4().bytes()), 14 + 19);
    }

    @Test
    void ipv4CutBeforePortsIsAccountedWithPortsZero() {
        byte[] frame = eth(IPV4, udp4().bytes());
        decodeCut(OK, "frames=1 accounted=1 shortL4=1", LinkTypes.ETHERNET, frame, 14 + 20 + 3);
        assertV4(UDP, 0, 0, 40);
    }

    @Test
    void ipv4OptionsCutIsAccountedWithPortsZero() {
        byte[] frame = eth(IPV4, ip4(TCP, tcp(1, 2, ACK, 1)).options(fill(40, 1)).bytes());
        decodeCut(OK, "frames=1 accounted=1 shortL4=1", LinkTypes.ETHERNET, frame, 14 + 20 + 20);
        assertV4(TCP, 0, 0, 80);
    }

    @Test
    void ipv6CutBeforePortsIsAccountedWithPortsZero() {
        byte[] frame = eth(IPV6, udp6().bytes());
        decodeCut(OK, "frames=1 accounted=1 shortL4=1", LinkTypes.ETHERNET, frame, 14 + 40);
        assertV6(UDP, 0, 0, 60);
    }

    @Test
    void tcpCutAfterPortsHasNoFlags() {
        byte[] frame = eth(IPV4, ip4(TCP, tcp(1, 2, SYN, 1)).bytes());
        decodeCut(OK, "frames=1 accounted=1", LinkTypes.ETHERNET, frame, 14 + 20 + 13);
        assertV4(TCP, 1, 2, 40);
        assertEquals(0, r.tcpFlags);
    }

    @Test
    void tcpCutRightAfterFlags() {
        byte[] frame = eth(IPV4, ip4(TCP, tcp(1, 2, SYN, 1)).bytes());
        decodeCut(OK, "frames=1 accounted=1", LinkTypes.ETHERNET, frame, 14 + 20 + 14);
        assertEquals(SYN, r.tcpFlags);
    }

    /** Every cut of one frame: what is captured decides what is known, never an exception. */
    @Test
    void everyCutOfAVlanTcpFrame() {
        byte[] frame = eth(0x8100, tag(5, 100, IPV4), ip4(TCP, tcp(40000, 443, SYN, 1), fill(10, 0)).bytes());
        for (int caplen = 0; caplen <= frame.length; caplen++) {
            Verdict v = d.decode(LinkTypes.ETHERNET, frame, caplen, frame.length, Decoding.TS);
            int ip = 18;
            assertEquals(caplen < ip + 20 ? TRUNCATED : OK, v, "caplen " + caplen);
            if (v == OK) {
                assertV4(TCP, caplen >= ip + 24 ? 40000 : 0, caplen >= ip + 24 ? 443 : 0, 50);
                assertEquals(caplen >= ip + 34 ? SYN : 0, r.tcpFlags, "flags at caplen " + caplen);
                assertVlan(100, 5);
            }
        }
        assertCounters("frames=" + (frame.length + 1) + " accounted=" + (frame.length + 1 - 38) + " truncated=38"
                + " shortL4=4");
    }

    @Test
    void everyCutOfAnMplsIpv6FrameWithExtensionHeaders() {
        byte[] frame = eth(0x8847, mpls(1000, false), mpls(3000, true),
                ip6(0, ext(60, 0), ext(UDP, 1), udp(7, 8, 4), fill(4, 0)).bytes());
        int ip = 14 + 8;
        for (int caplen = 0; caplen <= frame.length; caplen++) {
            Verdict v = d.decode(LinkTypes.ETHERNET, frame, caplen, frame.length, Decoding.TS);
            assertEquals(caplen < ip + 40 ? TRUNCATED : OK, v, "caplen " + caplen);
            if (v == OK) {
                boolean headersComplete = caplen >= ip + 40 + 8 + 2;
                boolean ports = caplen >= ip + 40 + 8 + 16 + 4;
                assertV6(headersComplete ? UDP : 0, ports ? 7 : 0, ports ? 8 : 0, 76);
            }
        }
    }

    // ---- malformed, not IP, unsupported ----

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 6, 15})
    void badIpVersionInIpv4Ethertype(int version) {
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.ETHERNET, eth(IPV4, udp4().version(version).bytes()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void ipv4HeaderLengthBelowMinimumIsMalformed(int words) {
        decodeFails(MALFORMED, "frames=1 malformed=1", LinkTypes.ETHERNET, eth(IPV4, udp4().ihl(words).bytes()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0806, 0x88CC, 0x002E, 0x8137, 0x88E5})
    void nonIpEthertypesAreNotIp(int etype) {
        decodeFails(NOT_IP, "frames=1 notIp=1", LinkTypes.ETHERNET, eth(etype, fill(46, 0x45)));
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 105, 127, 147, 277, -1})
    void unsupportedLinkType(int linkType) {
        decodeFails(UNSUPPORTED_LINK, "frames=1 unsupportedLink=1", linkType, eth(IPV4, udp4().bytes()));
    }

    @ParameterizedTest
    @ValueSource(ints = {LinkTypes.NULL, LinkTypes.ETHERNET, LinkTypes.RAW_DLT_LINUX, LinkTypes.RAW_DLT_BSD,
            LinkTypes.RAW, LinkTypes.LOOP, LinkTypes.LINUX_SLL, LinkTypes.IPV4, LinkTypes.IPV6, LinkTypes.LINUX_SLL2})
    void zeroLengthFrame(int linkType) {
        assertEquals(TRUNCATED, d.decode(linkType, new byte[0], 0, 0, Decoding.TS));
        assertCounters("frames=1 truncated=1");
    }

    @Test
    void countersAddUpOverMixedTraffic() {
        assertEquals(OK, d.decode(LinkTypes.ETHERNET, eth(IPV4, udp4().bytes())));
        assertEquals(OK, d.decode(LinkTypes.RAW, udp6().bytes()));
        assertEquals(NOT_IP, d.decode(LinkTypes.ETHERNET, eth(0x0806, fill(28, 0))));
        assertEquals(TRUNCATED, d.decode(LinkTypes.ETHERNET, fill(10, 0)));
        assertEquals(MALFORMED, d.decode(LinkTypes.RAW_DLT_LINUX, cat(w8(0x44), fill(39, 0))));
        assertEquals(UNSUPPORTED_LINK, d.decode(12345, fill(64, 0)));
        assertCounters("frames=6 accounted=2 notIp=1 truncated=1 malformed=1 unsupportedLink=1");
        assertEquals(OK, d.decode(LinkTypes.RAW, udp4().fragment(8, false).bytes()));
        assertCounters("frames=7 accounted=3 notIp=1 truncated=1 malformed=1 unsupportedLink=1 fragments=1");
    }
}
