package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Verdict;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.template.Fields;

/** IPFIX through its own entry point: the exporter's state in, records and notices out. */
class IpfixTest {
    private static final long UNIX = 1_700_000_000L;
    private static final int[] FLOW = {Fields.SRC_V4, 4, Fields.OCTETS, 4, Fields.FIRST_UPTIME, 4};

    private final Decoding h = new Decoding();
    private final Ipfix ipfix = new Ipfix(h.sets(), h);

    private static byte[] flow(String src, long bytes, long firstUptime) {
        return new Wire().ip(src).u32(bytes).u32(firstUptime).array();
    }

    /** Options template 258: scope meteringProcessId, systemInitTimeMilliseconds; and its data. */
    private static byte[][] systemInit(long millis) {
        return new byte[][] {
            Wire.set(3, new Wire().u16(258).u16(2).u16(1).u16(143).u16(4).u16(Fields.SYSTEM_INIT_MILLIS).u16(8).array()),
            Wire.set(258, new Wire().u32(1).u64(millis).array())};
    }

    @Test
    void timesRelativeToSysUpTimeNeedTheExportersSystemInitTime() throws Exception {
        byte[] template = Wire.set(2, Wire.template(300, FLOW));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 4, template, Wire.set(300, flow("10.1.1.1", 1, 5_000))));
        assertEquals(UNIX * 1_000_000L, h.records.get(0).timeStartMicros,
                "no sysUpTime in IPFIX headers: unknown, so the export time as pmacct prints it");
        byte[][] init = systemInit((UNIX - 100) * 1000L);
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 1, 4, init[0], init[1], Wire.set(300, flow("10.1.1.1", 1, 5_000))));
        assertEquals((UNIX - 95) * 1_000_000L, h.records.get(1).timeStartMicros);
        assertEquals(4, h.records.get(1).exportProtoSysid, "the observation domain");
        assertEquals(10, h.records.get(1).exportProtoVersion);
    }

    @Test
    void sequenceNumbersCountDataRecords() throws Exception {
        byte[] template = Wire.set(2, Wire.template(300, FLOW));
        byte[] two = Wire.set(300, Wire.concat(flow("10.1.1.1", 1, 1), flow("10.1.1.2", 2, 2)));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 100, 0, template, two));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 102, 0, two));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 110, 0, two));
        assertEquals(List.of("exporter 192.0.2.1 domain 0: expected record 104, received 110 (6 lost)"), h.notices);
        assertEquals(112, h.domain(10, 0).expectedSequence());
        // a set held for its template has records not counted yet: the next number cannot be checked
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 112, 0, Wire.set(301, flow("10.1.1.3", 3, 3))));
        assertEquals(-1, h.domain(10, 0).expectedSequence());
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 200, 0, two));
        assertEquals(1, h.noticed.size());
    }

    @Test
    void heldSetsOfFlowsAndOptionsAreReleasedByTheirLateTemplates() throws Exception {
        byte[][] init = systemInit((UNIX - 100) * 1000L);
        assertEquals(Verdict.HELD, h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, init[1],
                Wire.set(300, flow("10.1.1.1", 10, 50_000)))));
        assertEquals(2, h.exporter.counters().setsHeld.get());
        assertEquals(Verdict.OK, h.feed(ipfix::decode, Wire.ipfix(UNIX + 60, 1, 0, init[0])));
        assertEquals((UNIX - 100) * 1000L, h.domain(10, 0).templates().systemInitMillis(), "the held options data");
        assertEquals(0, h.records.size());
        assertEquals(Verdict.OK, h.feed(ipfix::decode, Wire.ipfix(UNIX + 60, 2, 0, Wire.set(2, Wire.template(300, FLOW)))));
        FlowRecord r = h.records.get(0);
        assertEquals(10, r.bytes);
        assertEquals((UNIX - 50) * 1_000_000L, r.timeStartMicros, "times of the held message's export time");
        assertEquals(2, h.exporter.counters().setsReleased.get());
        assertEquals(2, h.exporter.counters().recordsReleased.get(), "an options record and a flow record");
        assertEquals(0, h.exporter.heldBytes());
    }

    @Test
    void withdrawalsOfOneAllOrAllOptionsTemplates() throws Exception {
        byte[][] init = systemInit(1);
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, init[0], Wire.set(2, Wire.concat(Wire.template(300, FLOW),
                Wire.template(301, FLOW), Wire.template(302, FLOW)))));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(2, new Wire().u16(301).u16(0).array())));
        assertNull(h.domain(10, 0).templates().get(301));
        assertNotNull(h.domain(10, 0).templates().get(300));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(2, new Wire().u16(2).u16(0).array())));
        assertEquals(1, h.domain(10, 0).templates().size(), "all templates withdrawn, the options template kept");
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(3, new Wire().u16(3).u16(0).u16(0).array())));
        assertEquals(0, h.domain(10, 0).templates().size());
        assertEquals(List.of(), h.noticed);
    }

    @Test
    void bytesAfterTheMessageLengthAreNotRead() throws Exception {
        byte[] message = Wire.ipfix(UNIX, 0, 0, Wire.set(2, Wire.template(300, FLOW)),
                Wire.set(300, flow("10.1.1.1", 10, 1)));
        assertEquals(Verdict.OK, h.feed(ipfix::decode, Wire.concat(message, new byte[] {1, 44, 0, 2})));
        assertEquals(1, h.records.size());
    }

    @Test
    void enterpriseAndVariableLengthFieldsAreSkippedExactly() throws Exception {
        byte[] template = new Wire().u16(300).u16(3).u16(0x8000 | 7).u16(0xFFFF).u32(9).u16(Fields.SRC_V4).u16(4)
                .u16(Fields.OCTETS).u16(4).array();
        byte[] short1 = new Wire().u8(2).u16(0xABCD).ip("10.1.1.1").u32(11).array();
        byte[] long3 = new Wire().u8(255).u16(260).zeros(260).ip("10.1.1.2").u32(22).array();
        assertEquals(Verdict.OK, h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(2, template),
                Wire.set(300, Wire.concat(short1, long3)))));
        assertEquals(List.of(11L, 22L), h.records.stream().map(r -> r.bytes).toList());
        assertEquals(9, h.domain(10, 0).templates().get(300).enterprise(0));
    }

    /** nfacctd_pre_processing_checks (pmacct 1.7.9): a data set whose padding is not all zero is dropped whole. */
    @Test
    void preProcessingChecksDropSetsWithNonZeroPadding() throws Exception {
        Decoding checked = new Decoding(new DecoderSettings(false, false, true, Fields.STANDARD, 1 << 20, 60_000, 4096,
                null, 0, null, false, true, null));
        Ipfix decoder = new Ipfix(checked.sets(), checked);
        byte[] template = Wire.set(2, Wire.template(300, FLOW));
        byte[] zeroPadded = Wire.set(300, Wire.concat(flow("10.1.1.1", 1, 1), flow("10.1.1.2", 2, 2), new byte[3]));
        byte[] badPadding = Wire.set(300, Wire.concat(flow("10.1.1.3", 3, 3), new byte[] {0, 7, 0}));
        assertEquals(Verdict.OK, checked.feed(decoder::decode, Wire.ipfix(UNIX, 0, 0, template, zeroPadded, badPadding,
                Wire.set(300, flow("10.1.1.4", 4, 4)))));
        assertEquals(List.of(1L, 2L, 4L), checked.records.stream().map(r -> r.bytes).toList(),
                "the set after the dropped one is read");
        assertEquals(1, checked.exporter.counters().setsBadPadding.get());
        assertEquals(List.of(), checked.noticed);

        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 0, template, badPadding));
        assertEquals(List.of(3L), h.records.stream().map(r -> r.bytes).toList(), "without the checks: pmacct's default");
        assertEquals(0, h.exporter.counters().setsBadPadding.get());
    }

    @Test
    void preProcessingChecksFindThePaddingAfterVariableLengthRecords() throws Exception {
        Decoding checked = new Decoding(new DecoderSettings(false, false, true, Fields.STANDARD, 1 << 20, 60_000, 4096,
                null, 0, null, false, true, null));
        Ipfix decoder = new Ipfix(checked.sets(), checked);
        byte[] template = new Wire().u16(300).u16(3).u16(0x8000 | 7).u16(0xFFFF).u32(9).u16(Fields.SRC_V4).u16(4)
                .u16(Fields.OCTETS).u16(4).array();
        byte[] record = new Wire().u8(2).u16(0xABCD).ip("10.1.1.1").u32(11).array();
        checked.feed(decoder::decode, Wire.ipfix(UNIX, 0, 0, Wire.set(2, template),
                Wire.set(300, Wire.concat(record, new byte[2])), Wire.set(300, Wire.concat(record, new byte[] {0, 1}))));
        assertEquals(List.of(11L), checked.records.stream().map(r -> r.bytes).toList());
        assertEquals(1, checked.exporter.counters().setsBadPadding.get());
    }
}
