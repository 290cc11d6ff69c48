package jpmacct.sfacctd.decode;

import static jpmacct.sfacctd.decode.SflowWire.ethernetIpv4;
import static jpmacct.sfacctd.decode.SflowWire.flowSample;
import static jpmacct.sfacctd.decode.SflowWire.header;
import static jpmacct.sfacctd.decode.SflowWire.record;
import static jpmacct.sfacctd.decode.SflowWire.v5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.sfacctd.agent.Agent;

/** The v5 and v2/v4 decoders called directly, as the receiving thread calls them: bytes, offset, length, agent. */
class SflowVersionDecoderTest {
    static final int[] AGENT = {10, 0, 0, 1};
    private static final int[] SRC = {192, 168, 1, 5};
    private static final int[] DST = {203, 0, 113, 9};

    /** An agent, its fault, and a sink keeping a copy of every record. */
    static final class Target {
        final SflowDecoderTest.Harness sink = new SflowDecoderTest.Harness();
        final Agent agent = sink.agent(AGENT, 0);
        final List<FlowRecord> records = sink.records;
        final Fault fault = new Fault();

        /** The datagram at offset 8 of a larger array, garbage around it. */
        Verdict decode(SflowVersionDecoder decoder, byte[] datagram) throws InterruptedException {
            byte[] big = new byte[datagram.length + 72];
            Arrays.fill(big, (byte) 0x5A);
            System.arraycopy(datagram, 0, big, 8, datagram.length);
            return decoder.decode(big, 8, datagram.length, agent, 1_700_000_000_000_000L, sink.kept, fault);
        }
    }

    /** A v2/v4 header for agent 10.0.0.1. */
    static SflowWire v4(int version, long sequence, long samples) {
        return new SflowWire().u32(version).ipv4(AGENT[0], AGENT[1], AGENT[2], AGENT[3]).u32(sequence).u32(1000)
                .u32(samples);
    }

    /** The start of a v2/v4 flow sample up to its packet data type: rate 64, interfaces 1 and 2. */
    static SflowWire v4Flow(SflowWire w, int dataType) {
        return w.u32(1).u32(1).u32(3).u32(64).u32(640).u32(0).u32(1).u32(2).u32(dataType);
    }

    /** Sampled IPv4 fields (packet data 2 of v2/v4, record 3 of v5): UDP 1.2.3.4:53 to 5.6.7.8:4000, 600 bytes. */
    static SflowWire sampledIpv4(SflowWire w) {
        return w.u32(600).u32(17).bytes(new byte[] {1, 2, 3, 4}).bytes(new byte[] {5, 6, 7, 8}).u32(53).u32(4000)
                .u32(0).u32(8);
    }

    @Test
    void v5ReadsItsSamplesAtAnOffset() throws Exception {
        Target t = new Target();
        byte[] frame = ethernetIpv4(0, 6, SRC, DST, 443, 51000, 1500, 128);
        byte[] d = v5(AGENT, 0, 9, 2).part(1, flowSample(100, 3, 7, header(1, 1518, frame)))
                .part(1, flowSample(10, 4, 8, record(3, sampledIpv4(new SflowWire())))).build();
        assertEquals(Verdict.OK, t.decode(new SflowV5(SflowSettings.DEFAULTS), d));
        assertFalse(t.fault.present());
        assertEquals(2, t.records.size());
        FlowRecord a = t.records.get(0);
        assertEquals("192.168.1.5", Addr.toString(a.srcFamily, a.srcHi, a.srcLo));
        assertEquals(1518, a.bytes);
        assertEquals(100, a.samplingRate);
        assertEquals(9, a.exportProtoSeqno);
        assertEquals(5, a.exportProtoVersion);
        assertEquals("10.0.0.1", Addr.toString(a.peerSrcFamily, a.peerSrcHi, a.peerSrcLo));
        FlowRecord b = t.records.get(1);
        assertEquals("1.2.3.4", Addr.toString(b.srcFamily, b.srcHi, b.srcLo));
        assertEquals(600, b.bytes);
        assertEquals(4, b.inIface);
        assertEquals(2, t.agent.counters.common.records.get(), "the decoder counts what it accounted");
    }

    @Test
    void v4ReadsEveryPartByItsType() throws Exception {
        for (int version : new int[] {2, 4}) {
            Target t = new Target();
            SflowWire w = v4Flow(v4(version, 7, 2), 2);
            sampledIpv4(w).u32(2) // two extended data
                    .u32(1).u32(10).u32(0).u32(20).u32(3) // switch
                    .u32(4).u32(3).bytes("bob".getBytes()).u32(0); // user: source and destination strings
            v4Flow(w, 3).u32(1280).u32(6).u64(0x20010db800000000L).u64(1).u64(0x20010db800000000L).u64(2)
                    .u32(80).u32(1234).u32(0x18).u32(3).u32(1) // IPv6 data, one extended data
                    .u32(5).u32(1).u32(4).bytes("/a/b".getBytes()); // URL: direction, string
            assertEquals(Verdict.OK, t.decode(new SflowV4(SflowSettings.DEFAULTS), w.build()), "v" + version);
            assertEquals(2, t.records.size());
            FlowRecord a = t.records.get(0);
            assertEquals(version, a.exportProtoVersion);
            assertEquals(53, a.srcPort);
            assertEquals(10, a.vlan);
            assertEquals(3, a.cos, "no source priority: the destination's");
            assertEquals(64, a.samplingRate);
            FlowRecord b = t.records.get(1);
            assertEquals("2001:db8::2", Addr.toString(b.dstFamily, b.dstHi, b.dstLo));
            assertEquals(0x18, b.tcpFlags);
            assertEquals(0, b.vlan, "nothing of the first sample is left in the second");
        }
    }

    @Test
    void eachDecoderRefusesTheOtherVersions() throws Exception {
        Target t = new Target();
        byte[] v4 = v4Flow(v4(4, 1, 1), 2).build();
        assertEquals(Verdict.MALFORMED, t.decode(new SflowV5(SflowSettings.DEFAULTS), v4));
        assertEquals("version 4 is not sFlow v5", t.fault.message());
        assertEquals(Verdict.MALFORMED, t.decode(new SflowV4(SflowSettings.DEFAULTS), v5(AGENT, 0, 1, 0).build()));
        assertEquals("version 5 is not sFlow v2 or v4", t.fault.message());
        assertEquals(Verdict.OK, t.decode(new SflowV4(SflowSettings.DEFAULTS), v4(2, 1, 0).build()));
        assertNull(t.fault.reason(), "the fault is cleared by each call");
        assertEquals(0, t.agent.counters.common.records.get());
    }

    @Test
    void aFaultKeepsTheFirstReasonAndTheSamplesAroundIt() throws Exception {
        Target t = new Target();
        byte[] good = flowSample(1, 1, 2, record(3, sampledIpv4(new SflowWire()))).build();
        byte[] d = v5(AGENT, 0, 1, 4).part(1, new SflowWire().bytes(good))
                .part(1, flowSample(1, 1, 2, record(2, new SflowWire().u32(0)))) // Ethernet record of 4 bytes
                .part(1, flowSample(1, 1, 2, record(1001, new SflowWire()))) // switch record of 0 bytes
                .part(1, new SflowWire().bytes(good)).build();
        assertEquals(Verdict.TRUNCATED, t.decode(new SflowV5(SflowSettings.DEFAULTS), d));
        assertEquals(SflowFault.ETHERNET_RECORD_SHORT, t.fault.reason());
        assertEquals("a sampled Ethernet record of 4 bytes", t.fault.message());
        assertEquals(2, t.records.size(), "v5: the samples before and after the bad ones");
        assertEquals(2, t.agent.counters.samplesMalformed.get());
    }
}
