package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Verdict;
import jpmacct.nfacctd.template.Fields;

/**
 * Every reason a datagram is refused, and every notice, produced once through the decoders' entry point, with
 * the message log lines carry.
 */
class NetflowFaultTest {
    private static final long UNIX = 1_700_000_000L;
    private final Set<NetflowFault> seen = EnumSet.noneOf(NetflowFault.class);

    private void refused(Decoding h, byte[] datagram, NetflowFault reason, Verdict verdict, String message)
            throws Exception {
        assertEquals(verdict, h.feed(h.versions()::decode, datagram), message);
        assertEquals(reason, h.fault.reason(), message);
        assertEquals(message, h.fault.message());
        seen.add(reason);
    }

    private void refused(byte[] datagram, NetflowFault reason, String message) throws Exception {
        refused(new Decoding(), datagram, reason, reason.verdict(), message);
    }

    private static byte[] v9(byte[]... sets) {
        return Wire.v9(1, UNIX, 1, 0, sets);
    }

    private static byte[] ipfix(byte[]... sets) {
        return Wire.ipfix(UNIX, 0, 0, sets);
    }

    @Test
    void everyReasonWithItsMessage() throws Exception {
        refused(new byte[] {0, 5, 0}, NetflowFault.SHORTER_THAN_ANY_HEADER, "shorter than any NetFlow header");
        refused(new Wire().u16(6).u16(1).zeros(20).array(), NetflowFault.UNKNOWN_VERSION,
                "version 6 is not NetFlow v1, v5, v7, v8, v9 or IPFIX");
        refused(new Wire().u16(5).u16(1).zeros(10).array(), NetflowFault.FIXED_HEADER_CUT_SHORT,
                "NetFlow v5 header cut short (14 bytes)");
        refused(new Wire().u16(1).u16(0).zeros(12).array(), NetflowFault.FIXED_COUNT_MISFIT,
                "NetFlow v1 count 0 does not fit the datagram of 16 bytes");
        refused(new Wire().u16(8).u16(1).zeros(18).u8(0).zeros(5).array(), NetflowFault.V8_UNKNOWN_SCHEME,
                "NetFlow v8 aggregation scheme 0 is not one of 1-14");
        refused(new Wire().u16(9).u16(1).zeros(12).array(), NetflowFault.V9_HEADER_CUT_SHORT,
                "NetFlow v9 header cut short (16 bytes)");
        refused(new Wire().u16(10).u16(16).zeros(8).array(), NetflowFault.IPFIX_HEADER_CUT_SHORT,
                "IPFIX header cut short (12 bytes)");
        refused(new Wire().u16(10).u16(12).zeros(12).array(), NetflowFault.IPFIX_LENGTH_MISFIT,
                "IPFIX message length 12 does not fit the datagram of 16 bytes");
        refused(v9(new Wire().u16(256).u16(3).array()), NetflowFault.SET_PAST_MESSAGE,
                "set 256 length 3 runs past the message (4 bytes left)");
        refused(v9(Wire.set(0, new Wire().u16(256).u16(0).array())), NetflowFault.TEMPLATE_WITHOUT_FIELDS,
                "template 256 has no fields");
        refused(ipfix(Wire.set(2, Wire.template(255, Fields.OCTETS, 4))), NetflowFault.TEMPLATE_ID_RESERVED,
                "template id 255 is reserved");
        refused(v9(Wire.set(0, new Wire().u16(256).u16(2).u16(1).u16(4).u16(2).array())),
                NetflowFault.TEMPLATE_CUT_SHORT, "template 256 cut short at field 2 of 2");
        refused(ipfix(Wire.set(2, new Wire().u16(256).u16(1).u16(0x8001).u16(4).u16(0).array())),
                NetflowFault.ENTERPRISE_CUT_SHORT, "template 256 cut short in the enterprise number of field 1");
        refused(ipfix(Wire.set(2, Wire.template(256, Fields.OCTETS, 4, Fields.PACKETS, 0))),
                NetflowFault.FIELD_LENGTH, "template 256 field 2 has length 0");
        refused(ipfix(Wire.set(3, new Wire().u16(256).u16(1).array())), NetflowFault.OPTIONS_TEMPLATE_CUT_SHORT,
                "options template 256 cut short");
        refused(v9(Wire.set(1, new Wire().u16(4).u16(4).u16(4).zeros(8).array())),
                NetflowFault.OPTIONS_TEMPLATE_ID_RESERVED, "options template id 4 is reserved");
        refused(ipfix(Wire.set(3, new Wire().u16(256).u16(1).u16(2).u16(1).u16(4).array())),
                NetflowFault.OPTIONS_SCOPE_MISFIT, "options template 256 has 2 scope fields of 1");
        refused(v9(Wire.set(1, new Wire().u16(256).u16(4).u16(6).zeros(8).array())),
                NetflowFault.OPTIONS_LENGTHS_MISFIT, "options template 256 field lengths 4+6 do not fit its set");
        refused(new Decoding(Decoding.settings(1 << 20, 60_000, 1)),
                v9(Wire.set(0, Wire.concat(Wire.template(256, Fields.OCTETS, 4), Wire.template(257, Fields.OCTETS, 4)))),
                NetflowFault.TOO_MANY_TEMPLATES, Verdict.REFUSED, "more than 1 templates in domain 0; template 257 refused");
        byte[] variable = Wire.template(256, Fields.SRC_V4, 4, 82, 0xFFFF);
        refused(ipfix(Wire.set(2, variable), Wire.set(256, new Wire().ip("10.0.0.1").u8(9).zeros(4).array())),
                NetflowFault.RECORD_PAST_SET, "record of template 256 runs past its set");
        byte[] options = new Wire().u16(257).u16(2).u16(1).u16(143).u16(4).u16(82).u16(0xFFFF).array();
        refused(ipfix(Wire.set(3, options), Wire.set(257, new Wire().u32(1).u8(255).u16(100).zeros(4).array())),
                NetflowFault.OPTIONS_RECORD_PAST_SET, "options record of template 257 runs past its set");
        // two variable-length fields, the second's length prefix exactly at the end of the datagram
        byte[] twoVariable = Wire.template(258, 82, 0xFFFF, 83, 0xFFFF);
        refused(ipfix(Wire.set(2, twoVariable), Wire.set(258, new Wire().u8(1).u8(0x41).array())),
                NetflowFault.PAST_THE_DATAGRAM, "a field reaches past the datagram");
        seen.addAll(notices());
        Decoding full = new Decoding();
        OptionsDataTest.overfill(full);
        seen.addAll(full.noticed);
        assertEquals(EnumSet.allOf(NetflowFault.class), seen, "a reason nothing produces");
    }

    /** The notices, each produced once; returns their reasons. */
    private Set<NetflowFault> notices() throws Exception {
        Decoding h = new Decoding(Decoding.settings(100, 60_000, 4096));
        NetflowVersions versions = h.versions();
        byte[] r = new byte[48];
        byte[] v5 = new Wire().u16(5).u16(1).zeros(12).u32(7).zeros(4).bytes(r).array();
        h.feed(versions::decode, new Wire().u16(5).u16(1).zeros(12).u32(0).zeros(4).bytes(r).array());
        h.feed(versions::decode, v5);
        h.feed(versions::decode, Wire.v9(1, UNIX, 0, 0, Wire.set(0, Wire.template(256, Fields.OCTETS, 4))));
        h.feed(versions::decode, Wire.v9(1, UNIX, 3, 0, Wire.set(0, Wire.template(256, Fields.OCTETS, 8))));
        h.feed(versions::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(2, Wire.template(256, Fields.OCTETS, 4)),
                Wire.set(256, new byte[4])));
        h.feed(versions::decode, Wire.ipfix(UNIX, 5, 0));
        h.feed(versions::decode, Wire.ipfix(UNIX, 5, 0, Wire.set(300, new byte[40])));
        assertEquals(Arrays.asList(
                "exporter 192.0.2.1 domain 0: expected flow 1, received 7 (6 lost)",
                "exporter 192.0.2.1 domain 0: template 256 redefined (1 -> 1 fields); data is read with the new "
                        + "layout from now on",
                "exporter 192.0.2.1 domain 0: expected export packet 1, received 3 (2 lost)",
                "exporter 192.0.2.1 domain 0: expected record 1, received 5 (4 lost)",
                "exporter 192.0.2.1: data set for template 300 dropped: no template (held data is bounded by "
                        + "nfacctd_templates_wait_buffer and nfacctd_templates_wait_time)"), h.notices);
        assertFalse(h.fault.present());
        return EnumSet.copyOf(h.noticed);
    }

    @Test
    void aHeldSetThatFailsWhenItsTemplateComesIsToldNotTheDatagram() throws Exception {
        Decoding h = new Decoding();
        NetflowVersions versions = h.versions();
        assertEquals(Verdict.HELD, h.feed(versions::decode,
                Wire.ipfix(UNIX, 0, 0, Wire.set(256, new Wire().ip("10.0.0.1").u8(9).zeros(4).array()))));
        assertEquals(Verdict.OK, h.feed(versions::decode,
                Wire.ipfix(UNIX, 1, 0, Wire.set(2, Wire.template(256, Fields.SRC_V4, 4, 82, 0xFFFF)))));
        assertEquals(Arrays.asList(NetflowFault.RECORD_PAST_SET), h.noticed);
        assertEquals(Arrays.asList("exporter 192.0.2.1: held set dropped: record of template 256 runs past its set"),
                h.notices);
        assertEquals(1, h.exporter.counters().setsReleased.get());
        assertTrue(h.records.isEmpty());
    }
}
