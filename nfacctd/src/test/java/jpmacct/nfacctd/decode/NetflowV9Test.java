package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Verdict;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.template.Fields;

/** NetFlow v9 through its own entry point: the exporter's state in, records and notices out. */
class NetflowV9Test {
    private static final long UNIX = 1_700_000_000L;
    private static final int[] FLOW = {Fields.SRC_V4, 4, Fields.DST_V4, 4, Fields.PROTOCOL, 1, Fields.OCTETS, 4,
        Fields.FIRST_UPTIME, 4, Fields.SAMPLER_ID, 1};

    private final Decoding h = new Decoding();
    private final NetflowV9 v9 = new NetflowV9(h.sets(), h);

    private static byte[] flow(String src, long bytes, long firstUptime, int sampler) {
        return new Wire().ip(src).ip("10.9.9.9").u8(17).u32(bytes).u32(firstUptime).u8(sampler).array();
    }

    @Test
    void templateThenDataInOneMessage() throws Exception {
        byte[] d = Wire.v9(100_000, UNIX, 7, 3, Wire.set(0, Wire.template(256, FLOW)),
                Wire.set(256, Wire.concat(flow("10.1.1.1", 100, 90_000, 0), flow("10.1.1.2", 200, 95_000, 0))));
        assertEquals(Verdict.OK, h.feed(v9::decode, d));
        assertFalse(h.fault.present());
        assertEquals(2, h.records.size());
        FlowRecord r = h.records.get(1);
        assertEquals(200, r.bytes);
        assertEquals(17, r.proto);
        assertEquals(9, r.exportProtoVersion);
        assertEquals(7, r.exportProtoSeqno);
        assertEquals(3, r.exportProtoSysid, "the source id");
        assertEquals((UNIX - 5) * 1_000_000L, r.timeStartMicros, "the header's sysUpTime is the base");
        assertEquals(1, h.domain(9, 3).templates().size());
        assertEquals(2, h.exporter.counters().records.get());
    }

    @Test
    void aHeldSetIsReleasedByTheLateTemplateWithItsOwnHeader() throws Exception {
        assertEquals(Verdict.HELD, h.feed(v9::decode, Wire.v9(100_000, UNIX, 1, 0,
                Wire.set(256, flow("10.1.1.1", 10, 99_000, 0)))));
        assertEquals(0, h.records.size());
        assertEquals(1, h.exporter.counters().setsHeld.get());
        assertEquals(18 + 64, h.exporter.heldBytes(), "the 18-byte copy and its bookkeeping");
        // the template comes 30 s of uptime later, with data of its own message
        assertEquals(Verdict.OK, h.feed(v9::decode, Wire.v9(130_000, UNIX + 30, 2, 0,
                Wire.set(0, Wire.template(256, FLOW)), Wire.set(256, flow("10.1.1.2", 20, 129_000, 0)))));
        assertEquals(2, h.records.size());
        FlowRecord held = h.records.get(0);
        assertEquals(10, held.bytes, "held sets first");
        assertEquals(1, held.exportProtoSeqno, "with their own message's sequence number");
        assertEquals((UNIX - 1) * 1_000_000L, held.timeStartMicros, "and their own header's times");
        assertEquals(20, h.records.get(1).bytes);
        assertEquals(1, h.exporter.counters().setsReleased.get());
        assertEquals(1, h.exporter.counters().recordsReleased.get());
        assertEquals(0, h.exporter.heldBytes());
        assertEquals(List.of(), h.noticed);
    }

    @Test
    void optionsDataGivesTheSamplersRate() throws Exception {
        // options template 260: scope system (4 bytes), sampler id, random interval
        byte[] options = new Wire().u16(260).u16(4).u16(8).u16(1).u16(4)
                .u16(Fields.SAMPLER_ID).u16(1).u16(Fields.SAMPLER_RANDOM_INTERVAL).u16(4).array();
        byte[] optionData = new Wire().u32(0).u8(5).u32(1000).array();
        assertEquals(Verdict.OK, h.feed(v9::decode, Wire.v9(100_000, UNIX, 1, 0, Wire.set(1, options),
                Wire.set(260, optionData), Wire.set(0, Wire.template(256, FLOW)),
                Wire.set(256, Wire.concat(flow("10.1.1.1", 10, 1, 5), flow("10.1.1.1", 10, 1, 6))))));
        assertEquals(1000, h.domain(9, 0).templates().samplerRate(5));
        assertEquals(1000, h.records.get(0).samplingRate, "sampler 5");
        assertEquals(0, h.records.get(1).samplingRate, "sampler 6 is unknown");
        assertEquals(1, h.exporter.counters().optionRecords.get());
    }

    @Test
    void sequenceNumbersCountExportPackets() throws Exception {
        byte[] template = Wire.set(0, Wire.template(256, FLOW));
        h.feed(v9::decode, Wire.v9(1, UNIX, 1, 0, template));
        h.feed(v9::decode, Wire.v9(1, UNIX, 2, 0, template));
        h.feed(v9::decode, Wire.v9(1, UNIX, 5, 0, template));
        h.feed(v9::decode, Wire.v9(1, UNIX, 3, 0, template)); // backwards: not a loss
        assertEquals(List.of("exporter 192.0.2.1 domain 0: expected export packet 3, received 5 (2 lost)"), h.notices);
        assertEquals(2, h.exporter.counters().sequenceLost.get());
        assertEquals(4, h.domain(9, 0).expectedSequence());
    }

    @Test
    void aRedefinitionIsToldAndARefreshIsNot() throws Exception {
        h.feed(v9::decode, Wire.v9(1, UNIX, 1, 0, Wire.set(0, Wire.template(256, FLOW))));
        h.feed(v9::decode, Wire.v9(1, UNIX, 2, 0, Wire.set(0, Wire.template(256, FLOW))));
        assertEquals(1, h.exporter.counters().templates.get(), "a template sent again is not learnt again");
        h.feed(v9::decode, Wire.v9(1, UNIX, 3, 0, Wire.set(0, Wire.template(256, Fields.OCTETS, 8))));
        assertEquals(List.of("exporter 192.0.2.1 domain 0: template 256 redefined (6 -> 1 fields); data is read "
                + "with the new layout from now on"), h.notices);
        assertEquals(2, h.exporter.counters().templates.get());
    }

    @Test
    void variableLengthIsNotAV9Length() throws Exception {
        assertEquals(Verdict.MALFORMED, h.feed(v9::decode,
                Wire.v9(1, UNIX, 1, 0, Wire.set(0, Wire.template(256, Fields.SRC_V4, 4, 82, 0xFFFF)))));
        assertEquals("template 256 field 2 has length 65535", h.fault.message());
        assertNull(h.domain(9, 0).templates().get(256));
    }

    @Test
    void theTopBitOfAV9TypeIsNoEnterpriseMarker() throws Exception {
        // in v9 type 0x8001 is just an unknown type: no enterprise number follows it
        byte[] template = Wire.template(256, 0x8001, 2, Fields.OCTETS, 4);
        assertEquals(Verdict.OK, h.feed(v9::decode, Wire.v9(1, UNIX, 1, 0, Wire.set(0, template),
                Wire.set(256, new Wire().u16(0).u32(1234).array()))));
        assertEquals(1234, h.records.get(0).bytes);
    }
}
