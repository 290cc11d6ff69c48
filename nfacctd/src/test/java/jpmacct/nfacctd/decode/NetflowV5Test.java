package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Verdict;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/** The fixed formats (v5, and v1, v7, v8 beside it) through their own entry points. */
class NetflowV5Test {
    private static final long UNIX = 1_700_000_000L;

    private final Decoding h = new Decoding();
    private final NetflowV5 v5 = new NetflowV5(h.settings, h);

    /** src, dst, next hop, in/out, packets, bytes, first, last, ports, pad, flags, proto, tos, AS, masks, pad. */
    private static byte[] record(String src, int sport, int dport, int proto, int flags, long bytes, long first) {
        return new Wire().ip(src).ip("10.2.2.2").ip("10.0.0.254").u16(3).u16(4).u32(2).u32(bytes).u32(first)
                .u32(first + 1000).u16(sport).u16(dport).u8(0).u8(flags).u8(proto).u8(0x10).u16(64500).u16(64501)
                .u8(24).u8(16).u16(0).array();
    }

    private static byte[] v5(long sequence, int engineType, int engineId, int sampling, byte[]... records) {
        Wire w = new Wire().u16(5).u16(records.length).u32(100_000).u32(UNIX).u32(0).u32(sequence).u8(engineType)
                .u8(engineId).u16(sampling);
        for (byte[] r : records) {
            w.bytes(r);
        }
        return w.array();
    }

    @Test
    void aV5DatagramIsReadWhole() throws Exception {
        assertEquals(Verdict.OK, h.feed(v5::decode, v5(42, 1, 2, 0x4000 | 64,
                record("10.1.1.1", 1234, 443, 6, 0x12, 1500, 40_000),
                record("10.1.1.2", 5, 0x0303, 1, 0x12, 84, 99_000))));
        assertEquals(2, h.records.size());
        FlowRecord tcp = h.records.get(0);
        assertEquals("10.1.1.1", Addr.toString(tcp.srcFamily, tcp.srcHi, tcp.srcLo));
        assertEquals(1234, tcp.srcPort);
        assertEquals(0x12, tcp.tcpFlags);
        assertEquals(0x10, tcp.tos);
        assertEquals(64501, tcp.dstAs);
        assertEquals(16, tcp.dstMask);
        assertEquals(42, tcp.exportProtoSeqno);
        assertEquals(1, tcp.engineType);
        assertEquals(2, tcp.exportProtoSysid);
        assertEquals(64, tcp.samplingRate);
        assertEquals((UNIX - 60) * 1_000_000L, tcp.timeStartMicros);
        assertEquals((UNIX - 59) * 1_000_000L, tcp.timeEndMicros);
        assertEquals("192.0.2.1", Addr.toString(tcp.peerSrcFamily, tcp.peerSrcHi, tcp.peerSrcLo));
        FlowRecord icmp = h.records.get(1);
        assertEquals(0, icmp.srcPort);
        assertEquals(0x0303, icmp.dstPort);
        assertEquals(0, icmp.tcpFlags);
        assertEquals(2, h.exporter.counters().records.get());
    }

    @Test
    void sequenceNumbersCountFlowsPerEngine() throws Exception {
        byte[] r = record("10.1.1.1", 1, 2, 17, 0, 1, 1);
        h.feed(v5::decode, v5(0, 0, 1, 0, r, r, r));
        h.feed(v5::decode, v5(0, 0, 2, 0, r)); // another engine: another domain
        h.feed(v5::decode, v5(5, 0, 1, 0, r));
        assertEquals(List.of("exporter 192.0.2.1 domain 1: expected flow 3, received 5 (2 lost)"), h.notices);
        assertEquals(6, h.domain(5, 1).expectedSequence());
        assertEquals(1, h.domain(5, 2).expectedSequence());
    }

    @Test
    void aCountThatDoesNotFitRefusesTheWholeDatagram() throws Exception {
        byte[] r = record("10.1.1.1", 1, 2, 17, 0, 1, 1);
        byte[] d = v5(0, 0, 0, 0, r, r);
        d[3] = 3;
        assertEquals(Verdict.MALFORMED, h.feed(v5::decode, d));
        assertEquals("NetFlow v5 count 3 does not fit the datagram of 120 bytes", h.fault.message());
        d[3] = 31;
        h.feed(v5::decode, d);
        assertEquals("NetFlow v5 count 31 does not fit the datagram of 120 bytes", h.fault.message(), "30 at most");
        assertEquals(0, h.records.size());
    }

    @Test
    void v1AndV7Records() throws Exception {
        byte[] v1 = new Wire().ip("10.0.0.1").ip("10.0.0.2").ip("0.0.0.0").u16(1).u16(2).u32(3).u32(300).u32(1)
                .u32(2).u16(53).u16(5353).u16(0).u8(17).u8(8).u8(0x1F).zeros(7).array();
        assertEquals(Verdict.OK, h.feed(new NetflowV1(h.settings, h)::decode,
                new Wire().u16(1).u16(1).u32(1000).u32(UNIX).u32(0).bytes(v1).array()));
        FlowRecord r1 = h.records.get(0);
        assertEquals(17, r1.proto);
        assertEquals(8, r1.tos);
        assertEquals(0, r1.tcpFlags, "flags only for TCP");
        assertEquals(0, r1.srcAs, "v1 has no AS numbers");
        byte[] v7 = Wire.concat(record("10.3.3.3", 22, 2222, 6, 0x02, 700, 1), new Wire().ip("10.0.0.9").array());
        assertEquals(Verdict.OK, h.feed(new NetflowV7(h.settings, h)::decode,
                new Wire().u16(7).u16(1).u32(1000).u32(UNIX).u32(0).u32(9).u32(0).bytes(v7).array()));
        FlowRecord r7 = h.records.get(1);
        assertEquals(700, r7.bytes);
        assertEquals(64500, r7.srcAs);
        assertEquals(0x02, r7.tcpFlags);
        assertEquals(9, r7.exportProtoSeqno);
    }

    @Test
    void v8SchemesAndTheirFlowCounts() throws Exception {
        NetflowV8 v8 = new NetflowV8(h.settings, h);
        // scheme 4, destination prefix: flows, packets, octets, first, last, prefix, mask, pad, AS, output
        byte[] dstPrefix = new Wire().u32(4).u32(40).u32(4000).u32(1).u32(2).ip("10.7.0.0").u8(16).u8(0).u16(65007)
                .u16(12).u16(0).array();
        assertEquals(Verdict.OK, h.feed(v8::decode, new Wire().u16(8).u16(1).u32(1000).u32(UNIX).u32(0).u32(0)
                .u8(0).u8(0).u8(4).u8(2).u32(0).bytes(dstPrefix).array()));
        FlowRecord r = h.records.get(0);
        assertEquals(4, r.flows);
        assertEquals("10.7.0.0", Addr.toString(r.dstFamily, r.dstHi, r.dstLo));
        assertEquals(16, r.dstMask);
        assertEquals(65007, r.dstAs);
        assertEquals(12, r.outIface);
        assertEquals(Verdict.MALFORMED, h.feed(v8::decode, new Wire().u16(8).u16(1).u32(1000).u32(UNIX).u32(0)
                .u32(0).u8(0).u8(0).u8(15).u8(2).u32(0).zeros(40).array()));
        assertEquals("NetFlow v8 aggregation scheme 15 is not one of 1-14", h.fault.message());
    }
}
