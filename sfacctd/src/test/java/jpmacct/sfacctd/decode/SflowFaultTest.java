package jpmacct.sfacctd.decode;

import static jpmacct.sfacctd.decode.SflowVersionDecoderTest.AGENT;
import static jpmacct.sfacctd.decode.SflowVersionDecoderTest.sampledIpv4;
import static jpmacct.sfacctd.decode.SflowVersionDecoderTest.v4;
import static jpmacct.sfacctd.decode.SflowVersionDecoderTest.v4Flow;
import static jpmacct.sfacctd.decode.SflowWire.flowSample;
import static jpmacct.sfacctd.decode.SflowWire.record;
import static jpmacct.sfacctd.decode.SflowWire.v5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Verdict;
import jpmacct.core.runtime.LogCapture;
import jpmacct.sfacctd.agent.AgentTable;
import jpmacct.sfacctd.decode.SflowVersionDecoderTest.Target;

/** Every fault reason, from a datagram that has it; and how the receiving thread counts and logs faults. */
class SflowFaultTest {
    private static final SflowV5 V5 = new SflowV5(SflowSettings.DEFAULTS);
    private static final SflowV4 V4 = new SflowV4(SflowSettings.DEFAULTS);

    /** A datagram, the length the decoder is told (which may pass its end), and the decoder. */
    private record Case(SflowVersionDecoder decoder, byte[] datagram, int length) {
    }

    private static Case v5Case(SflowWire w) {
        byte[] d = w.build();
        return new Case(V5, d, d.length);
    }

    private static Case v4Case(SflowWire w) {
        byte[] d = w.build();
        return new Case(V4, d, d.length);
    }

    /** A v5 datagram of one flow sample holding one record. */
    private static Case v5Record(int format, SflowWire body) {
        return v5Case(v5(AGENT, 0, 1, 1).part(1, flowSample(1, 1, 2, record(format, body))));
    }

    /** A v5 datagram of one counter sample holding what {@code records} adds after the record count. */
    private static Case v5Counters(int records, SflowWire body) {
        return v5Case(v5(AGENT, 0, 1, 1).part(2, new SflowWire().u32(1).u32(5).u32(records).bytes(body.build())));
    }

    /** A v4 datagram of one flow sample with sampled IPv4 data and the given extended data. */
    private static Case v4Extended(int count, SflowWire extended) {
        return v4Case(sampledIpv4(v4Flow(v4(4, 1, 1), 2)).u32(count).bytes(extended.build()));
    }

    private static Map<SflowFault, Case> decoderCases() {
        Map<SflowFault, Case> c = new EnumMap<>(SflowFault.class);
        SflowWire ipv4 = new SflowWire().ipv4(10, 9, 9, 9);
        // the header
        c.put(SflowFault.SHORTER_THAN_HEADER, new Case(V5, new byte[] {0, 0, 0, 5}, 4));
        c.put(SflowFault.VERSION, v5Case(new SflowWire().u32(3).ipv4(10, 0, 0, 1).u32(0).u32(0).u32(0)));
        c.put(SflowFault.HEADER_CUT, v5Case(new SflowWire().u32(5).ipv4(10, 0, 0, 1).u32(0).u32(1)));
        c.put(SflowFault.AGENT_TYPE_UNKNOWN, v5Case(new SflowWire().u32(5).u32(0).u32(0).u32(1).u32(0).u32(0)));
        c.put(SflowFault.HEADER_PAST_DATAGRAM, new Case(V5, new byte[] {0, 0, 0, 5}, 100));
        c.put(SflowFault.IPV4_ADDRESS_CUT, v5Case(new SflowWire().u32(5).u32(1)));
        c.put(SflowFault.IPV6_ADDRESS_CUT, v5Case(new SflowWire().u32(5).u32(2).u32(0x20010db8L)));
        c.put(SflowFault.ADDRESS_TYPE, v5Case(new SflowWire().u32(5).u32(3).u32(1).u32(0).u32(1).u32(0).u32(0)));
        c.put(SflowFault.ADDRESS_CUT, v5Record(1002, new SflowWire()));
        // the samples, v5 framing
        c.put(SflowFault.SAMPLES_MISSING, v5Case(v5(AGENT, 0, 1, 2).part(6, new SflowWire())));
        byte[] oneSample = v5(AGENT, 0, 1, 1).build();
        c.put(SflowFault.FIELD_PAST_DATAGRAM, new Case(V5, oneSample, oneSample.length + 100));
        c.put(SflowFault.SAMPLE_HEADER_CUT, v5Case(v5(AGENT, 0, 1, 1).u32(1)));
        c.put(SflowFault.SAMPLE_PAST_DATAGRAM, v5Case(v5(AGENT, 0, 1, 1).u32(1).u32(100_000)));
        c.put(SflowFault.FLOW_SAMPLE_SHORT, v5Case(v5(AGENT, 0, 1, 1).part(1, new SflowWire().u32(0))));
        c.put(SflowFault.RECORD_CUT, v5Case(v5(AGENT, 0, 1, 1).part(1, new SflowWire().u32(1).u32(3).u32(1).u32(10)
                .u32(0).u32(1).u32(2).u32(1))));
        c.put(SflowFault.RECORD_PAST_SAMPLE, v5Case(v5(AGENT, 0, 1, 1).part(1, new SflowWire().u32(1).u32(3).u32(1)
                .u32(10).u32(0).u32(1).u32(2).u32(1).u32(3).u32(5000))));
        c.put(SflowFault.COUNTER_SAMPLE_SHORT, v5Case(v5(AGENT, 0, 1, 1).part(2, new SflowWire().u32(0))));
        c.put(SflowFault.COUNTER_RECORD_CUT, v5Counters(1, new SflowWire()));
        c.put(SflowFault.COUNTER_RECORD_PAST_SAMPLE, v5Counters(1, new SflowWire().u32(1).u32(500)));
        c.put(SflowFault.GENERIC_COUNTERS_SHORT, v5Counters(1, new SflowWire().part(1, new SflowWire().u32(0))));
        // v5 flow records
        c.put(SflowFault.HEADER_RECORD_SHORT, v5Record(1, new SflowWire().u32(1)));
        c.put(SflowFault.HEADER_LONGER_THAN_RECORD, v5Record(1, new SflowWire().u32(1).u32(64).u32(0).u32(200)));
        c.put(SflowFault.ETHERNET_RECORD_SHORT, v5Record(2, new SflowWire().u32(0)));
        c.put(SflowFault.IPV4_RECORD_SHORT, v5Record(3, new SflowWire().u32(0)));
        c.put(SflowFault.IPV6_RECORD_SHORT, v5Record(4, new SflowWire().u32(0)));
        c.put(SflowFault.SWITCH_RECORD_SHORT, v5Record(1001, new SflowWire().u32(0)));
        c.put(SflowFault.ROUTER_CUT, v5Record(1002, new SflowWire().ipv4(10, 9, 9, 9).u32(24)));
        c.put(SflowFault.GATEWAY_CUT, v5Record(1003, new SflowWire().bytes(ipv4.build()).u32(1)));
        c.put(SflowFault.AS_SEGMENT_CUT, v5Record(1003, new SflowWire().bytes(ipv4.build()).u32(1).u32(2).u32(3)
                .u32(1)));
        c.put(SflowFault.AS_SEGMENT_PAST_RECORD, v5Record(1003, new SflowWire().bytes(ipv4.build()).u32(1).u32(2)
                .u32(3).u32(1).u32(2).u32(5)));
        c.put(SflowFault.COMMUNITIES_CUT, v5Record(1003, new SflowWire().bytes(ipv4.build()).u32(1).u32(2).u32(3)
                .u32(0)));
        c.put(SflowFault.COMMUNITIES_PAST_RECORD, v5Record(1003, new SflowWire().bytes(ipv4.build()).u32(1).u32(2)
                .u32(3).u32(0).u32(5).u32(100)));
        c.put(SflowFault.MPLS_STACK_CUT, v5Record(1006, new SflowWire().bytes(ipv4.build())));
        c.put(SflowFault.MPLS_STACK_PAST_RECORD, v5Record(1006, new SflowWire().bytes(ipv4.build()).u32(3).u32(1)));
        c.put(SflowFault.MPLS_VC_CUT, v5Record(1009, new SflowWire().u32(2).bytes(new byte[] {'v', 'c'}).u32(7)));
        // v2/v4
        c.put(SflowFault.AS_PATH_PAST_DATAGRAM, new Case(V4, sampledIpv4(v4Flow(v4(2, 1, 1), 2)).u32(1)
                .u32(3).u32(1).u32(2).u32(3).u32(100).build(), -1));
        byte[] cut = v4(4, 1, 1).u32(1).build();
        c.put(SflowFault.V4_SAMPLE_CUT, new Case(V4, cut, cut.length - 2));
        c.put(SflowFault.V4_SAMPLE_TYPE, v4Case(v4(4, 1, 1).u32(9)));
        c.put(SflowFault.V4_FLOW_SAMPLE_CUT, v4Case(v4(4, 1, 1).u32(1).u32(1)));
        c.put(SflowFault.V4_HEADER_CUT, v4Case(v4Flow(v4(4, 1, 1), 1).u32(1)));
        c.put(SflowFault.V4_HEADER_PAST_DATAGRAM, v4Case(v4Flow(v4(4, 1, 1), 1).u32(1).u32(64).u32(1000)));
        c.put(SflowFault.V4_IPV4_CUT, v4Case(v4Flow(v4(4, 1, 1), 2).u32(0)));
        c.put(SflowFault.V4_IPV6_CUT, v4Case(v4Flow(v4(4, 1, 1), 3).u32(0)));
        c.put(SflowFault.V4_DATA_TYPE, v4Case(v4Flow(v4(4, 1, 1), 9)));
        c.put(SflowFault.V4_EXTENDED_COUNT_CUT, v4Case(sampledIpv4(v4Flow(v4(4, 1, 1), 2))));
        c.put(SflowFault.V4_EXTENDED_CUT, v4Extended(1, new SflowWire()));
        c.put(SflowFault.V4_EXTENDED_TYPE, v4Extended(1, new SflowWire().u32(9)));
        c.put(SflowFault.V4_SWITCH_CUT, v4Extended(1, new SflowWire().u32(1).u32(0)));
        c.put(SflowFault.V4_URL_CUT, v4Extended(1, new SflowWire().u32(5)));
        c.put(SflowFault.V4_STRING_PAST_DATAGRAM, v4Extended(1, new SflowWire().u32(4).u32(100)));
        c.put(SflowFault.V4_COUNTER_SAMPLE_CUT, v4Case(v4(4, 1, 1).u32(2).u32(1)));
        c.put(SflowFault.V4_COUNTERS_VERSION, v4Case(v4(4, 1, 1).u32(2).u32(1).u32(3).u32(20).u32(9)));
        // a decoder handed the other version
        c.put(SflowFault.NOT_V5, new Case(V5, v4(4, 1, 0).build(), -1));
        c.put(SflowFault.NOT_V2_OR_V4, new Case(V4, v5(AGENT, 0, 1, 0).build(), -1));
        return c;
    }

    @Test
    void eachReasonOfTheDecodersFromADatagramThatHasIt() throws Exception {
        for (Map.Entry<SflowFault, Case> e : decoderCases().entrySet()) {
            Case c = e.getValue();
            Target t = new Target();
            int length = c.length() < 0 ? c.datagram().length : c.length();
            Verdict v = c.decoder().decode(c.datagram(), 0, length, t.agent, 0, t.sink.kept, t.fault);
            assertEquals(e.getKey(), t.fault.reason(), e.getKey() + ": " + t.fault.message());
            assertEquals(e.getKey().verdict(), v);
            assertFalse(t.fault.message().contains("%"), t.fault.message());
            assertTrue(t.records.isEmpty(), e.getKey() + ": nothing accounted");
        }
    }

    @Test
    void everyReasonIsCovered() {
        EnumSet<SflowFault> covered = EnumSet.copyOf(decoderCases().keySet());
        covered.addAll(List.of(SflowFault.TOO_MANY_AGENTS, SflowFault.SEQUENCE_GAP)); // the thread's: below
        assertEquals(EnumSet.allOf(SflowFault.class), covered);
    }

    @Test
    void messagesKeepTheirWording() throws Exception {
        Target t = new Target();
        Case c = decoderCases().get(SflowFault.HEADER_LONGER_THAN_RECORD);
        c.decoder().decode(c.datagram(), 0, c.datagram().length, t.agent, 0, t.sink.kept, t.fault);
        assertEquals("header length 200 is larger than its record (0 bytes)", t.fault.message());
        c = decoderCases().get(SflowFault.V4_COUNTERS_VERSION);
        c.decoder().decode(c.datagram(), 0, c.datagram().length, t.agent, 0, t.sink.kept, t.fault);
        assertEquals("counters version 9 is unknown and v4 gives no length to skip it", t.fault.message());
        c = decoderCases().get(SflowFault.SAMPLES_MISSING);
        c.decoder().decode(c.datagram(), 0, c.datagram().length, t.agent, 0, t.sink.kept, t.fault);
        assertEquals("it declares 2 samples but carries 1", t.fault.message());
    }

    // ---- the receiving thread: counts, and one line a minute per agent and reason

    private static SflowDecoderTest.Harness harness(boolean sequenceWarnings) {
        return new SflowDecoderTest.Harness(new SflowSettings(null, 0, false, sequenceWarnings));
    }

    @Test
    void aFaultIsLoggedOnceAMinutePerAgentAndReason() throws Exception {
        try (LogCapture log = new LogCapture(SflowDecoder.class)) {
            SflowDecoderTest.Harness h = harness(false);
            byte[] past = v5(AGENT, 0, 1, 1).u32(1).u32(100_000).build();
            byte[] cut = v5(AGENT, 0, 2, 1).u32(1).build();
            h.feed(past);
            h.feed(past);
            h.feed(cut);
            h.feed(new byte[] {0, 0, 0, 7, 0, 0, 0, 1});
            assertEquals(List.of(
                    "sFlow agent 10.0.0.1: malformed datagram (" + past.length + " bytes): sample length 100000 "
                            + "reaches past the datagram (0 bytes left)",
                    "sFlow agent 10.0.0.1: malformed datagram (" + cut.length + " bytes): sample 1 of 1: its header "
                            + "is cut short",
                    "sFlow from 127.0.0.9: malformed datagram (8 bytes): version 7 is not sFlow v2, v4 or v5"),
                    messages(log));
            assertEquals(3, h.agent(AGENT, 0).counters.common.malformed.get());
        }
    }

    @Test
    void sequenceGapsAreLoggedWhenAsked() throws Exception {
        try (LogCapture log = new LogCapture(SflowDecoder.class)) {
            for (boolean asked : new boolean[] {false, true}) {
                SflowDecoderTest.Harness h = harness(asked);
                h.feed(v5(AGENT, 0, 1, 0).build());
                h.feed(v5(AGENT, 0, 5, 0).build());
                assertEquals(3, h.agent(AGENT, 0).counters.common.sequenceLost.get());
                assertEquals(0, h.agent(AGENT, 0).counters.common.malformed.get(), "a gap is no fault");
            }
            assertEquals(List.of("sFlow agent 10.0.0.1: sequence gap: datagrams missing before sequence 5"),
                    messages(log));
        }
    }

    @Test
    void datagramsOfAgentsPastTheLimitAreRefused() throws Exception {
        SflowDecoderTest.Harness h = harness(false);
        for (int i = 0; i < AgentTable.MAX_AGENTS; i++) {
            h.feed(v5(new int[] {11, (i >>> 16) & 0xFF, (i >>> 8) & 0xFF, i & 0xFF}, 0, 1, 0).build());
        }
        try (LogCapture log = new LogCapture(SflowDecoder.class)) {
            byte[] d = v5(AGENT, 0, 1, 0).build();
            h.feed(d);
            h.feed(d);
            assertEquals(List.of("sFlow agents past the first 16384: datagram refused (" + d.length + " bytes): a new "
                    + "agent is one too many (at most 16384 agents are kept)"), messages(log));
        }
        assertEquals(2, h.agents.overflow().counters.common.malformed.get());
        assertEquals(2, h.agents.overflow().counters.common.datagrams.get());
    }

    /** The lines without level and tag. */
    private static List<String> messages(LogCapture log) throws Exception {
        return log.lines().stream().filter(l -> !l.contains("new sFlow agent"))
                .map(l -> l.substring(l.indexOf("): ") + 3)).toList();
    }
}
