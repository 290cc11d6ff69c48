package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.template.Fields;

/**
 * An element a template carries more than once is read where pmacct reads it: the last occurrence of an IANA
 * element (pmacct keeps one place per element, each occurrence overwriting it). Custom primitives:
 * {@code CustomFieldsTest}.
 */
class RepeatedFieldsTest {
    private static final String A = "192.0.2.1";
    private static final long UNIX = 1_700_000_000L;

    private static FlowRecord decode(Harness h, byte[] template, byte[] record) throws Exception {
        h.feed(A, Wire.ipfix(UNIX, 0, 0, Wire.set(2, template), Wire.set(6017, record)));
        assertEquals(1, h.records.size());
        return h.records.get(0);
    }

    /** Huawei's template 6017 (pmacct's upstream test 106): the outer IPv6 header, IPv4-in-IPv6, then the inner one. */
    @Test
    void theInnerHeaderOfATunnelTemplateIsTheFlow() throws Exception {
        byte[] template = Wire.template(6017, Fields.SRC_V6, 16, Fields.DST_V6, 16, Fields.PACKETS, 4, Fields.OCTETS, 4,
                Fields.SRC_PORT, 2, Fields.DST_PORT, 2, Fields.PROTOCOL, 1, Fields.TOS, 1,
                Fields.SRC_V4, 4, Fields.DST_V4, 4, Fields.SRC_PORT, 2, Fields.DST_PORT, 2, Fields.PROTOCOL, 1,
                Fields.TOS, 1);
        byte[] record = new Wire().ip("2001:db8:53::1").ip("2001:db8:9:e140::").u32(613).u32(142216)
                .u16(0).u16(0).u8(4).u8(0)
                .ip("192.0.2.110").ip("192.0.2.14").u16(2222).u16(1111).u8(17).u8(0x20).array();
        FlowRecord r = decode(new Harness(), template, record);
        assertEquals("192.0.2.110", Addr.toString(r.srcFamily, r.srcHi, r.srcLo));
        assertEquals("192.0.2.14", Addr.toString(r.dstFamily, r.dstHi, r.dstLo));
        assertEquals(17, r.proto, "udp, not the outer header's IP-in-IP (4)");
        assertEquals(2222, r.srcPort);
        assertEquals(1111, r.dstPort);
        assertEquals(0x20, r.tos);
        assertEquals(613, r.packets);
        assertEquals(142216, r.bytes);
    }

    @Test
    void aLastOccurrenceOfALengthPmacctDoesNotReadHidesTheElement() throws Exception {
        byte[] rd = new Wire().u16(0).u16(65000).u32(203).array();
        byte[] eightThenFour = Wire.template(6017, Fields.SRC_V4, 4, Fields.MPLS_VPN_RD, 8, Fields.MPLS_VPN_RD, 4);
        FlowRecord r = decode(new Harness(), eightThenFour, new Wire().ip("10.0.0.1").bytes(rd).u32(7).array());
        assertEquals(0, r.mplsVpnRd, "the last occurrence is 4 bytes: no route distinguisher");
        byte[] fourThenEight = Wire.template(6017, Fields.SRC_V4, 4, Fields.MPLS_VPN_RD, 4, Fields.MPLS_VPN_RD, 8);
        r = decode(new Harness(), fourThenEight, new Wire().ip("10.0.0.1").u32(7).bytes(rd).array());
        assertEquals((65000L << 32) | 203, r.mplsVpnRd, "type 0, 65000:203");
    }
}
