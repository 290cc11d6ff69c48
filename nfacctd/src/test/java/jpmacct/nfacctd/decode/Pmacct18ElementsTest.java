package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.template.Fields;

/** pmacct 1.8's primitives from NetFlow v9 and IPFIX elements. */
class Pmacct18ElementsTest {
    private static final long UNIX = 1_677_577_621L;

    private final Decoding h = new Decoding();
    private final Ipfix ipfix = new Ipfix(h.sets(), h);
    private final NetflowV9 v9 = new NetflowV9(h.sets(), h);

    /** One IPFIX record of template 300 with these (type, length) fields and bytes. */
    private FlowRecord ipfixRecord(int[] fields, byte[] data) throws Exception {
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(2, Wire.template(300, fields)), Wire.set(300, data)));
        return h.records.get(h.records.size() - 1);
    }

    private static int entry(int label, boolean bottom) {
        return label << 4 | (bottom ? 1 : 0);
    }

    private static int[] stack(FlowRecord r) {
        return Arrays.copyOf(r.mplsLabels, r.mplsLabelCount);
    }

    private FlowRecord labels(int... entries) throws Exception {
        int[] fields = new int[2 * entries.length + 2];
        Wire w = new Wire().ip("10.0.0.1");
        fields[0] = Fields.SRC_V4;
        fields[1] = 4;
        for (int k = 0; k < entries.length; k++) {
            fields[2 + 2 * k] = Fields.MPLS_LABEL_1 + k;
            fields[3 + 2 * k] = 3;
            w.u8(entries[k] >>> 16).u16(entries[k]);
        }
        return ipfixRecord(fields, w.array());
    }

    @Test
    void labelStackAsPmacct18ReadsIt() throws Exception {
        FlowRecord r = labels(entry(69, false), entry(24305, true), entry(7, false));
        assertArrayEquals(new int[] {69, 24305}, stack(r), "the bottom-of-stack bit ends it");
        assertEquals(69, r.mplsLabelTop);
        assertEquals(24305, r.mplsLabelBottom);
        assertArrayEquals(new int[] {0, 16}, stack(labels(entry(0, false), entry(16, true))),
                "an explicit null on top counts when a label follows");
        assertArrayEquals(new int[] {0}, stack(labels(entry(0, true))), "or when it is the bottom");
        assertArrayEquals(new int[] {20}, stack(labels(entry(20, false), entry(0, false), entry(30, true))),
                "a zero label further down ends the stack");
        int[] ten = new int[10];
        int[] values = new int[10];
        for (int k = 0; k < 10; k++) {
            values[k] = 100 + k;
            ten[k] = entry(values[k], k == 9);
        }
        FlowRecord deep = labels(ten);
        assertArrayEquals(values, stack(deep), "ten labels, elements 70 to 79");
        assertEquals(0, deep.mplsLabelBottom, "1.7.7's bottom reads labels 1 to 9 only");
        assertEquals(0, labels().mplsLabelCount);
    }

    @Test
    void natForwardingStatusFlowLabelAndVlans() throws Exception {
        int[] fields = {Fields.SRC_V4, 4, Fields.FWD_STATUS, 1, Fields.POST_NAT_SRC_V4, 4, Fields.POST_NAT_DST_V4, 4,
            Fields.POST_NAT_SRC_PORT, 2, Fields.POST_NAT_DST_PORT, 2, Fields.NAT_EVENT, 1, Fields.FW_EVENT, 1,
            Fields.FLOW_LABEL_V6, 4, Fields.SRC_VLAN, 2, Fields.POST_DOT1Q_VLAN, 2, Fields.DOT1Q_CVLAN, 2,
            Fields.POST_DOT1Q_CVLAN, 2};
        byte[] data = new Wire().ip("10.0.0.1").u8(66).ip("192.0.2.7").ip("198.51.100.9").u16(40000).u16(443).u8(1)
                .u8(2).u32(0xABCDE).u16(10).u16(20).u16(30).u16(40).array();
        FlowRecord r = ipfixRecord(fields, data);
        assertEquals(66, r.fwdStatus);
        assertEquals(Addr.V4, r.postNatSrcFamily);
        assertEquals(0xC0000207L, r.postNatSrcLo);
        assertEquals(0xC6336409L, r.postNatDstLo);
        assertEquals(40000, r.postNatSrcPort);
        assertEquals(443, r.postNatDstPort);
        assertEquals(1, r.natEvent);
        assertEquals(2, r.fwEvent);
        assertEquals(0xABCDE, r.flowLabel);
        assertEquals(10, r.inVlan);
        assertEquals(20, r.outVlan, "out_vlan from 254 when 59 is absent");
        assertEquals(30, r.inCvlan);
        assertEquals(40, r.outCvlan);
        assertEquals(UNIX * 1_000_000L, r.timeExportMicros);
    }

    @Test
    void forwardingStatusWiderThanEightBitsIsIgnored() throws Exception {
        FlowRecord r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.FWD_STATUS, 4},
                new Wire().ip("10.0.0.1").u32(0x1C3).array());
        assertEquals(0, r.fwdStatus);
        r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.FWD_STATUS, 2}, new Wire().ip("10.0.0.1").u16(0xC3).array());
        assertEquals(0xC3, r.fwdStatus);
    }

    /** pmacct reads post-NAT addresses on IPv4 flows only; IPv6 ones (281, 282) are taken here on IPv6 flows. */
    @Test
    void postNatAddressesOfTheFlowsFamily() throws Exception {
        FlowRecord r = ipfixRecord(new int[] {Fields.SRC_V6, 16, Fields.POST_NAT_SRC_V4, 4, Fields.POST_NAT_SRC_V6, 16},
                new Wire().ip("2001:db8::1").ip("192.0.2.7").ip("2001:db8::99").array());
        assertEquals(Addr.V6, r.postNatSrcFamily);
        assertEquals(0x99, r.postNatSrcLo);
        r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.POST_NAT_SRC_V6, 16},
                new Wire().ip("10.0.0.1").ip("2001:db8::99").array());
        assertEquals(Addr.NONE, r.postNatSrcFamily);
    }

    @Test
    void aRouteDistinguisherFromTheRecordHasOriginFlow() throws Exception {
        FlowRecord r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.MPLS_VPN_RD, 8},
                new Wire().ip("10.0.0.1").u64(0).array());
        assertEquals(FlowRecord.RD_ORIGIN_FLOW, r.mplsVpnRdOrigin, "element 90 present, even 0:0:0");
        r = ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.OCTETS, 4}, new Wire().ip("10.0.0.1").u32(1).array());
        assertEquals(FlowRecord.RD_ORIGIN_UNKNOWN, r.mplsVpnRdOrigin);
    }

    /** Cisco ASA NSEL: NetFlow v9 elements 40001-40005 stand in for the IANA post-NAT ones. */
    @Test
    void ciscoAsaTranslatedAddressesPortsAndEvent() throws Exception {
        byte[] template = Wire.set(0, Wire.template(260, Fields.SRC_V4, 4, 40001, 4, 40002, 4, 40003, 2, 40004, 2,
                40005, 1));
        byte[] data = Wire.set(260, new Wire().ip("10.0.0.1").ip("203.0.113.1").ip("203.0.113.2").u16(1111).u16(2222)
                .u8(3).zeros(2).array());
        h.feed(v9::decode, Wire.v9(100_000, UNIX, 0, 0, template, data));
        FlowRecord r = h.records.get(0);
        assertEquals(0xCB007101L, r.postNatSrcLo);
        assertEquals(0xCB007102L, r.postNatDstLo);
        assertEquals(1111, r.postNatSrcPort);
        assertEquals(2222, r.postNatDstPort);
        assertEquals(3, r.natEvent);
        assertEquals(UNIX * 1_000_000L, r.timeExportMicros);
        // the IANA elements win over the ASA ones
        byte[] both = Wire.set(0, Wire.template(261, Fields.SRC_V4, 4, 40005, 1, Fields.NAT_EVENT, 1));
        h.feed(v9::decode, Wire.v9(100_000, UNIX, 1, 0, both, Wire.set(261, new Wire().ip("10.0.0.1").u8(3).u8(5)
                .zeros(2).array())));
        assertEquals(5, h.records.get(1).natEvent);
    }

    /**
     * The decoder's slot is reused record after record: what a record of one template set (forwarding status,
     * flow label, NAT or firewall event, the RD's origin) reads zero in the next one, of another template.
     */
    @Test
    void pmacct18FieldsOfTheSlotsEarlierRecordAreGone() throws Exception {
        int[][] elements = {{Fields.FWD_STATUS, 1}, {Fields.FLOW_LABEL_V6, 4}, {Fields.NAT_EVENT, 1},
            {Fields.FW_EVENT, 1}, {Fields.MPLS_VPN_RD, 8}};
        for (int[] e : elements) {
            Wire data = new Wire().ip("10.0.0.1");
            for (int k = 0; k < e[1]; k++) {
                data.u8(k == e[1] - 1 ? 66 : 0);
            }
            FlowRecord r = ipfixRecord(new int[] {Fields.SRC_V4, 4, e[0], e[1]}, data.array());
            assertTrue(r.fwdStatus + r.flowLabel + r.natEvent + r.fwEvent + r.mplsVpnRdOrigin > 0, "element " + e[0]);
            assertNoPmacct18(ipfixRecord(new int[] {Fields.SRC_V4, 4, Fields.OCTETS, 4},
                    new Wire().ip("10.0.0.2").u32(1).array()));
        }
        ipfixRecord(new int[] {Fields.SRC_V6, 16, Fields.FLOW_LABEL_V6, 4}, new Wire().ip("2001:db8::1").u32(7).array());
        h.feed(v9::decode, Wire.v9(100_000, UNIX, 0, 0, Wire.set(0, Wire.template(256, Fields.SRC_V4, 4)),
                Wire.set(256, new Wire().ip("10.0.0.3").array())));
        assertNoPmacct18(h.records.get(h.records.size() - 1));
    }

    private static void assertNoPmacct18(FlowRecord r) {
        assertEquals(0, r.fwdStatus);
        assertEquals(0, r.flowLabel);
        assertEquals(0, r.natEvent);
        assertEquals(0, r.fwEvent);
        assertEquals(FlowRecord.RD_ORIGIN_UNKNOWN, r.mplsVpnRdOrigin);
    }
}
