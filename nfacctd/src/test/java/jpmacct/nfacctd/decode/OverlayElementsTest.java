package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.template.Fields;

/**
 * pmacct 1.8's SRv6, overlay and on-path telemetry primitives from NetFlow v9 and IPFIX: the SRv6 segment list,
 * the outer header of an SRv6 flow as tunnel_*, VXLAN and NVGRE ids, the pseudowire id and path delays.
 */
class OverlayElementsTest {
    private static final long UNIX = 1_707_146_904L;
    private static final int HUAWEI = 2011;

    private final Decoding h = new Decoding();
    private final Ipfix ipfix = new Ipfix(h.sets(), h);
    private final NetflowV9 v9 = new NetflowV9(h.sets(), h);

    private FlowRecord ipfixRecord(byte[] template, byte[] data) throws Exception {
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(2, template), Wire.set(300, data)));
        return h.records.get(h.records.size() - 1);
    }

    private FlowRecord ipfixRecord(int[] fields, byte[] data) throws Exception {
        return ipfixRecord(Wire.template(300, fields), data);
    }

    private static String addr(int family, long hi, long lo) {
        return Addr.toString(family, hi, lo);
    }

    /** The record's segment list as addresses, "a,b,...". */
    private static String segments(FlowRecord r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.srv6SegmentCount; i++) {
            long hi = 0;
            long lo = 0;
            for (int k = 0; k < 8; k++) {
                hi = hi << 8 | (r.srv6Segments[16 * i + k] & 0xFF);
                lo = lo << 8 | (r.srv6Segments[16 * i + 8 + k] & 0xFF);
            }
            sb.append(i == 0 ? "" : ",").append(addr(Addr.V6, hi, lo));
        }
        return sb.toString();
    }

    @Test
    void srv6SegmentListOfWholeAddresses() throws Exception {
        FlowRecord r = ipfixRecord(new int[] {Fields.SRC_V6, 16, Fields.SRV6_SEGMENT_LIST, 48},
                new Wire().ip("2001:db8::1").ip("fc00:0:1::").ip("fc00:0:2::").ip("fc00:0:3:e000::").array());
        assertEquals("fc00:0:1::,fc00:0:2::,fc00:0:3:e000::", segments(r));
        assertEquals(true, r.extended);
        r = ipfixRecord(new int[] {Fields.SRC_V6, 16, Fields.SRV6_SEGMENT_LIST, 20},
                new Wire().ip("2001:db8::1").ip("fc00:0:1::").u32(0).array());
        assertEquals(0, r.srv6SegmentCount, "20 bytes are no list of addresses");
        r = ipfixRecord(new int[] {Fields.SRC_V6, 16, Fields.OCTETS, 4}, new Wire().ip("2001:db8::1").u32(1).array());
        assertEquals(0, r.srv6SegmentCount, "the slot's earlier list is gone");
    }

    @Test
    void srv6SegmentListOfVariableLengthFirstOccurrenceAndHuaweis() throws Exception {
        byte[] two = new Wire().ip("fc00::a").ip("fc00::b").array();
        FlowRecord r = ipfixRecord(new int[] {Fields.SRC_V6, 16, Fields.SRV6_SEGMENT_LIST, 0xFFFF,
            Fields.SRV6_SEGMENT_LIST, 16},
                new Wire().ip("2001:db8::1").u8(32).bytes(two).ip("fc00::c").array());
        assertEquals("fc00::a,fc00::b", segments(r), "variable length; elements from 384 on: the first occurrence");
        byte[] huawei = new Wire().u16(300).u16(2).u16(Fields.SRC_V6).u16(16).u16(505 | 0x8000).u16(16).u32(HUAWEI)
                .array();
        r = ipfixRecord(huawei, new Wire().ip("2001:db8::1").ip("fc00::d").array());
        assertEquals("fc00::d", segments(r), "Huawei's 505 when 497 is absent");
        Wire seventeen = new Wire().ip("2001:db8::1").u8(255).u16(17 * 16);
        for (int i = 0; i < 17; i++) {
            seventeen.ip("fc00::" + Integer.toHexString(i + 1));
        }
        r = ipfixRecord(new int[] {Fields.SRC_V6, 16, Fields.SRV6_SEGMENT_LIST, 0xFFFF}, seventeen.array());
        assertEquals(FlowRecord.MAX_SRV6_SEGMENTS, r.srv6SegmentCount, "pmacct's sixteen at most");
    }

    /** Cisco IOS XR's IPv4-in-IPv6 template (pmacct's upstream test 502, template 340). */
    @Test
    void anIpv4InIpv6Srv6FlowHasTheOuterHeaderAsTunnel() throws Exception {
        int[] fields = {Fields.PACKETS, 8, Fields.OCTETS, 8, Fields.SRC_V6, 16, Fields.DST_V6, 16,
            Fields.FLOW_LABEL_V6, 4, Fields.SRC_PORT, 2, Fields.DST_PORT, 2, Fields.SRC_MASK_V6, 1,
            Fields.DST_MASK_V6, 1, Fields.PROTOCOL, 1, Fields.TCP_FLAGS, 2, Fields.TOS, 1,
            Fields.SRC_V4, 4, Fields.DST_V4, 4, Fields.SRC_PORT, 2, Fields.DST_PORT, 2, Fields.PROTOCOL, 1,
            Fields.TCP_FLAGS, 2, Fields.TOS, 1};
        byte[] data = new Wire().u64(601).u64(134624).ip("2001:db8:91::1").ip("2001:db8:90:e002::").u32(0)
                .u16(0).u16(0).u8(0).u8(32).u8(4).u16(0x12).u8(0x28)
                .ip("192.0.2.13").ip("192.0.2.12").u16(1111).u16(2222).u8(17).u16(0).u8(0).array();
        FlowRecord r = ipfixRecord(fields, data);
        assertEquals("192.0.2.13", addr(r.srcFamily, r.srcHi, r.srcLo));
        assertEquals("192.0.2.12", addr(r.dstFamily, r.dstHi, r.dstLo));
        assertEquals(17, r.proto);
        assertEquals(1111, r.srcPort);
        assertEquals(2222, r.dstPort);
        assertEquals(0x86DD, r.etype, "the flow stays IPv6 for pmacct");
        assertEquals(32, r.dstMask, "IPv6 masks");
        assertEquals(0, r.tos, "the last ToS");
        assertEquals("2001:db8:91::1", addr(r.tunnelSrcFamily, r.tunnelSrcHi, r.tunnelSrcLo));
        assertEquals("2001:db8:90:e002::", addr(r.tunnelDstFamily, r.tunnelDstHi, r.tunnelDstLo));
        assertEquals(4, r.tunnelProto);
        assertEquals(0, r.tunnelSrcPort);
        assertEquals(0x12, r.tunnelTcpFlags, "the second octet of two");
        assertEquals(0x28, r.tunnelTos, "the first of two ToS");
        assertEquals(0, r.tunnelFlowLabel, "one flow label: no tunnel flow label");
        assertEquals(601, r.packets);
    }

    /** Template 341 of the same exporter: IPv6 in IPv6, the flow label repeated. */
    @Test
    void anIpv6InIpv6Srv6FlowTakesTheFirstFlowLabelAsTunnels() throws Exception {
        int[] fields = {Fields.PACKETS, 8, Fields.OCTETS, 8, Fields.SRC_V6, 16, Fields.DST_V6, 16,
            Fields.FLOW_LABEL_V6, 4, Fields.PROTOCOL, 1, Fields.SRC_V6, 16, Fields.DST_V6, 16, Fields.SRC_PORT, 2,
            Fields.DST_PORT, 2, Fields.PROTOCOL, 1, Fields.FLOW_LABEL_V6, 4};
        byte[] data = new Wire().u64(600).u64(146400).ip("2001:db8:91::1").ip("2001:db8:90:e003::").u32(1021670)
                .u8(41).ip("2001:db8::13").ip("2001:db8::12").u16(2222).u16(1111).u8(17).u32(5).array();
        FlowRecord r = ipfixRecord(fields, data);
        assertEquals("2001:db8::13", addr(r.srcFamily, r.srcHi, r.srcLo));
        assertEquals(17, r.proto);
        assertEquals(2222, r.srcPort);
        assertEquals(5, r.flowLabel);
        assertEquals(41, r.tunnelProto);
        assertEquals("2001:db8:90:e003::", addr(r.tunnelDstFamily, r.tunnelDstHi, r.tunnelDstLo));
        assertEquals(1021670, r.tunnelFlowLabel);
        assertEquals(2222, r.tunnelSrcPort, "the ports' first occurrence, which is the inner one here");
    }

    @Test
    void ethernetInIpv6LeavesTheFlowWithoutAnInnerHeader() throws Exception {
        int[] fields = {Fields.OCTETS, 4, Fields.SRC_V6, 16, Fields.DST_V6, 16, Fields.PROTOCOL, 1, Fields.SRC_PORT, 2};
        FlowRecord r = ipfixRecord(fields, new Wire().u32(100).ip("2001:db8::1").ip("2001:db8::2").u8(143).u16(7)
                .array());
        assertEquals(Addr.NONE, r.srcFamily);
        assertEquals(0, r.proto);
        assertEquals(0, r.srcPort);
        assertEquals(0x86DD, r.etype);
        assertEquals(143, r.tunnelProto);
        assertEquals("2001:db8::1", addr(r.tunnelSrcFamily, r.tunnelSrcHi, r.tunnelSrcLo));
        assertEquals(7, r.tunnelSrcPort);
        r = ipfixRecord(fields, new Wire().u32(100).ip("2001:db8::1").ip("2001:db8::2").u8(17).u16(7).array());
        assertEquals("2001:db8::1", addr(r.srcFamily, r.srcHi, r.srcLo), "another protocol: a flow as any other");
        assertEquals(17, r.proto);
        assertEquals(Addr.NONE, r.tunnelSrcFamily);
    }

    @Test
    void anIpv4OuterHeaderOrNoOctetsIsNoSrv6Flow() throws Exception {
        int[] fields = {Fields.OCTETS, 4, Fields.SRC_V4, 4, Fields.PROTOCOL, 1, Fields.SRC_V6, 16, Fields.PROTOCOL, 1};
        FlowRecord r = ipfixRecord(fields, new Wire().u32(1).ip("10.0.0.1").u8(41).ip("2001:db8::1").u8(6).array());
        assertEquals(Addr.NONE, r.tunnelSrcFamily, "the first layer is IPv4");
        int[] noOctets = {Fields.PACKETS, 4, Fields.SRC_V6, 16, Fields.PROTOCOL, 1};
        r = ipfixRecord(noOctets, new Wire().u32(1).ip("2001:db8::1").u8(143).array());
        assertEquals(0, r.tunnelProto, "pmacct's event template");
    }

    @Test
    void aRepeatedTosIsTheTunnelsForAnyFlow() throws Exception {
        FlowRecord r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.TOS, 1, Fields.TOS, 1},
                new Wire().ip("10.0.0.1").u8(0xB8).u8(0x20).array());
        assertEquals(0x20, r.tos);
        assertEquals(0xB8, r.tunnelTos);
        r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.TOS, 1}, new Wire().ip("10.0.0.1").u8(0xB8).array());
        assertEquals(0, r.tunnelTos);
    }

    @Test
    void vxlanAndNvgreFromTheLayer2SegmentId() throws Exception {
        int[] fields = {Fields.SRC_V4, 4, Fields.L2_SEGMENT_ID, 8};
        FlowRecord r = ipfixRecord(fields, new Wire().ip("10.0.0.1").u8(1).zeros(4).u8(0x12).u16(0x3456).array());
        assertEquals(0x123456, r.vxlan);
        assertEquals(0, r.nvgre);
        r = ipfixRecord(fields, new Wire().ip("10.0.0.1").u8(2).zeros(4).u8(0).u16(77).array());
        assertEquals(77, r.nvgre);
        assertEquals(0, r.vxlan);
        r = ipfixRecord(fields, new Wire().ip("10.0.0.1").u8(3).zeros(4).u8(0).u16(77).array());
        assertEquals(0, r.nvgre + r.vxlan, "another segment type");
        r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.L2_SEGMENT_ID, 4},
                new Wire().ip("10.0.0.1").u8(1).u8(0).u16(5).array());
        assertEquals(0, r.vxlan, "pmacct reads eight octets only");
    }

    @Test
    void pseudowireIdInNetflowV9() throws Exception {
        byte[] template = Wire.set(0, Wire.template(260, Fields.SRC_V4, 4, Fields.PSEUDOWIRE_ID, 4));
        byte[] data = Wire.set(260, new Wire().ip("10.0.0.1").u32(4_000_000_001L).array());
        h.feed(v9::decode, Wire.v9(100_000, UNIX, 0, 0, template, data));
        assertEquals(4_000_000_001L, h.records.get(0).mplsPwId);
    }

    @Test
    void pathDelaysAndTheMeanFromTheirSum() throws Exception {
        int[] fields = {Fields.PACKETS, 4, Fields.SRC_V6, 16, Fields.PATH_DELAY_MEAN, 4, Fields.PATH_DELAY_MIN, 4,
            Fields.PATH_DELAY_MAX, 4};
        FlowRecord r = ipfixRecord(fields, new Wire().u32(10).ip("2001:db8::1").u32(150).u32(90).u32(4_000_000_000L)
                .array());
        assertEquals(150, r.pathDelayAvgUsec);
        assertEquals(90, r.pathDelayMinUsec);
        assertEquals(4_000_000_000L, r.pathDelayMaxUsec);
        int[] withSum = {Fields.PACKETS, 4, Fields.SRC_V6, 16, Fields.PATH_DELAY_MEAN, 4, Fields.PATH_DELAY_SUM, 8};
        r = ipfixRecord(withSum, new Wire().u32(10).ip("2001:db8::1").u32(150).u64(1234).array());
        assertEquals(123, r.pathDelayAvgUsec, "the sum over the packets, as pmacct");
        int[] sumOnly = {Fields.PACKETS, 4, Fields.SRC_V6, 16, Fields.PATH_DELAY_SUM, 8};
        r = ipfixRecord(sumOnly, new Wire().u32(10).ip("2001:db8::1").u64(1234).array());
        assertEquals(123, r.pathDelayAvgUsec, "without a mean too (pmacct: 0)");
        byte[] huawei = new Wire().u16(300).u16(3).u16(Fields.SRC_V6).u16(16).u16(521 | 0x8000).u16(4).u32(HUAWEI)
                .u16(525 | 0x8000).u16(4).u32(HUAWEI).array();
        r = ipfixRecord(huawei, new Wire().ip("2001:db8::1").u32(7).u32(9).array());
        assertEquals(7, r.pathDelayAvgUsec);
        assertEquals(9, r.pathDelayMaxUsec);
    }
}
