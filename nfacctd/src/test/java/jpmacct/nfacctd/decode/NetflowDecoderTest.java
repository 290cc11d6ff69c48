package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.Addr;
import jpmacct.core.record.Allocations;
import jpmacct.core.record.CountedRecords;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.runtime.LogCapture;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.Fields;

class NetflowDecoderTest {
    private static final long UNIX = 1_700_000_000L;
    private static final String A = "192.0.2.1";
    private static final String B = "192.0.2.2";

    /** v5 record: src, dst, ports, proto, tcp flags, packets, bytes, first/last uptime. */
    private static byte[] v5Record(String src, String dst, int sport, int dport, int proto, int flags, long packets,
                                   long bytes, long first, long last) {
        return new Wire().ip(src).ip(dst).ip("10.0.0.254").u16(3).u16(4).u32(packets).u32(bytes).u32(first).u32(last)
                .u16(sport).u16(dport).u8(0).u8(flags).u8(proto).u8(0x10).u16(64500).u16(64501).u8(24).u8(16).u16(0)
                .array();
    }

    private static byte[] v5(long seq, int sampling, byte[]... records) {
        Wire w = new Wire().u16(5).u16(records.length).u32(100_000).u32(UNIX).u32(0).u32(seq).u8(1).u8(7).u16(sampling);
        for (byte[] r : records) {
            w.bytes(r);
        }
        return w.array();
    }

    @Test
    void netflowV5AsPmacctReadsIt() throws Exception {
        Harness h = new Harness();
        h.feedInside(A, v5(1000, 0x4000 | 100,
                v5Record("10.1.1.1", "10.2.2.2", 1234, 80, 6, 0x1B, 10, 5000, 90_000, 99_000),
                v5Record("10.1.1.3", "10.2.2.4", 7, 0x0800, 1, 0x02, 1, 84, 99_500, 99_500)));
        assertEquals(2, h.records.size());
        FlowRecord tcp = h.records.get(0);
        assertEquals(Addr.V4, tcp.srcFamily);
        assertEquals("10.1.1.1", Addr.toString(tcp.srcFamily, tcp.srcHi, tcp.srcLo));
        assertEquals(1234, tcp.srcPort);
        assertEquals(80, tcp.dstPort);
        assertEquals(0x1B, tcp.tcpFlags);
        assertEquals(10, tcp.packets);
        assertEquals(5000, tcp.bytes);
        assertEquals(3, tcp.inIface);
        assertEquals(4, tcp.outIface);
        assertEquals(64500, tcp.srcAs);
        assertEquals(24, tcp.srcMask);
        assertEquals(7, tcp.exportProtoSysid, "engine id, as pmacct");
        assertEquals(5, tcp.exportProtoVersion);
        assertEquals(100, tcp.samplingRate, "the low 14 bits of the header's sampling field");
        assertEquals((UNIX - 10) * 1_000_000L, tcp.timeStartMicros, "export time minus the age in whole seconds");
        assertEquals((UNIX - 1) * 1_000_000L, tcp.timeEndMicros);
        FlowRecord icmp = h.records.get(1);
        assertEquals(0, icmp.srcPort, "ICMP has no source port");
        assertEquals(0x0800, icmp.dstPort, "ICMP type and code stay in the destination port");
        assertEquals(0, icmp.tcpFlags, "TCP flags only for TCP");
        assertEquals(0, h.malformed(A));
        assertEquals(2, h.exporter(A).counters().records.get());
    }

    @Test
    void uptimeWrapsAsPmacctComputesIt() throws Exception {
        Harness h = new Harness();
        // softflowd replaying a capture: first switched "after" the export's uptime (a 32-bit wrap)
        h.feed(A, new Wire().u16(5).u16(1).u32(3).u32(UNIX).u32(0).u32(0).u16(0).u16(0)
                .bytes(v5Record("10.1.1.1", "10.2.2.2", 1, 2, 17, 0, 1, 100, 3_222_716_894L, 3_222_716_894L)).array());
        long age = (3 - 3_222_716_894L) & 0xFFFFFFFFL;
        assertEquals((UNIX - age / 1000) * 1_000_000L, h.records.get(0).timeStartMicros);
    }

    @Test
    void sequenceGapsAreCounted() throws Exception {
        Harness h = new Harness();
        byte[] r = v5Record("10.1.1.1", "10.2.2.2", 1, 2, 17, 0, 1, 100, 1, 1);
        h.feed(A, v5(0, 0, r, r));
        h.feed(A, v5(2, 0, r));       // expected 2
        h.feed(A, v5(10, 0, r));      // expected 3: 7 flows lost
        h.feed(A, v5(5, 0, r));       // backwards (reordered or restarted): not a loss
        assertEquals(7, h.exporter(A).counters().sequenceLost.get());
        assertEquals(5, h.records.size());
    }

    @Test
    void fixedFormatsWithABadCountAreRefusedWhole() throws Exception {
        Harness h = new Harness();
        byte[] r = v5Record("10.1.1.1", "10.2.2.2", 1, 2, 17, 0, 1, 100, 1, 1);
        byte[] two = v5(0, 0, r, r);
        two[3] = 3; // count 3, two records
        h.feed(A, two);
        h.feed(A, new byte[] {0, 5, 0});              // shorter than any header
        h.feed(A, Arrays.copyOf(v5(0, 0, r), 30)); // header, then a record cut short
        assertEquals(0, h.records.size());
        assertEquals(3, h.malformed(A));
    }

    @Test
    void netflowV1V7AndV8() throws Exception {
        Harness h = new Harness();
        byte[] v1rec = new Wire().ip("10.0.0.1").ip("10.0.0.2").ip("0.0.0.0").u16(1).u16(2).u32(3).u32(300).u32(1).u32(2)
                .u16(53).u16(5353).u16(0).u8(17).u8(0).u8(0).zeros(7).array();
        h.feed(A, new Wire().u16(1).u16(1).u32(1000).u32(UNIX).u32(0).bytes(v1rec).array());
        byte[] v7rec = new Wire().ip("10.0.1.1").ip("10.0.1.2").ip("0.0.0.0").u16(1).u16(2).u32(4).u32(400).u32(1).u32(2)
                .u16(22).u16(2222).u8(0).u8(0x12).u8(6).u8(0).u16(1).u16(2).u8(8).u8(8).u16(0).u32(0).array();
        h.feed(A, new Wire().u16(7).u16(1).u32(1000).u32(UNIX).u32(0).u32(0).u32(0).bytes(v7rec).array());
        // v8 AS aggregation: flows, packets, octets, first, last, src_as, dst_as, input, output
        byte[] v8as = new Wire().u32(3).u32(5).u32(500).u32(1).u32(2).u16(65001).u16(65002).u16(7).u16(8).array();
        h.feed(A, new Wire().u16(8).u16(1).u32(1000).u32(UNIX).u32(0).u32(0).u8(0).u8(0).u8(1).u8(2).u32(0)
                .bytes(v8as).array());
        // v8 full flow (Catalyst): dst, src, dst port, src port, packets, octets, first, last, output, input, tos, proto
        byte[] v8full = new Wire().ip("10.9.9.9").ip("10.8.8.8").u16(443).u16(40000).u32(6).u32(600).u32(1).u32(2)
                .u16(9).u16(10).u8(0).u8(6).u8(0).u8(0).u32(0).u32(0).array();
        h.feed(A, new Wire().u16(8).u16(1).u32(1000).u32(UNIX).u32(0).u32(0).u8(0).u8(0).u8(8).u8(2).u32(0)
                .bytes(v8full).array());
        assertEquals(0, h.malformed(A));
        assertEquals(4, h.records.size());
        assertEquals(300, h.records.get(0).bytes);
        assertEquals(5353, h.records.get(0).dstPort);
        assertEquals(0x12, h.records.get(1).tcpFlags);
        assertEquals(3, h.records.get(2).flows, "v8 aggregates carry their flow count");
        assertEquals(65001, h.records.get(2).srcAs);
        assertEquals(443, h.records.get(3).dstPort);
        assertEquals(40000, h.records.get(3).srcPort);
        assertEquals("10.8.8.8", Addr.toString(Addr.V4, 0, h.records.get(3).srcLo));
    }

    private static final int[] V4_TEMPLATE = {Fields.SRC_V4, 4, Fields.DST_V4, 4, Fields.SRC_PORT, 2, Fields.DST_PORT, 2,
        Fields.PROTOCOL, 1, Fields.OCTETS, 4, Fields.PACKETS, 4, Fields.FIRST_UPTIME, 4, Fields.LAST_UPTIME, 4};

    private static byte[] v4Data(String src, int sport, long bytes) {
        return new Wire().ip(src).ip("10.9.9.9").u16(sport).u16(443).u8(6).u32(bytes).u32(2).u32(50_000).u32(60_000).array();
    }

    @Test
    void netflowV9TemplateAndDataWithPadding() throws Exception {
        Harness h = new Harness();
        byte[] data = Wire.concat(v4Data("10.1.1.1", 1000, 100), v4Data("10.1.1.2", 1001, 200), new byte[3]);
        h.feed(A, Wire.v9(100_000, UNIX, 1, 7, Wire.set(0, Wire.template(256, V4_TEMPLATE)), Wire.set(256, data)));
        assertEquals(2, h.records.size(), "the 3 trailing bytes are padding");
        FlowRecord r = h.records.get(1);
        assertEquals(200, r.bytes);
        assertEquals(2, r.packets);
        assertEquals(7, r.exportProtoSysid);
        assertEquals(9, r.exportProtoVersion);
        assertEquals((UNIX - 50) * 1_000_000L, r.timeStartMicros);
        assertEquals((UNIX - 40) * 1_000_000L, r.timeEndMicros);
        assertEquals(0x0800, r.etype);
        assertEquals(1, h.exporter(A).counters().templates.get());
    }

    @Test
    void setsAreWalkedByLengthWhateverTheHeaderCountSays() throws Exception {
        Harness h = new Harness();
        byte[] d = Wire.v9(100_000, UNIX, 1, 0, Wire.set(0, Wire.template(256, V4_TEMPLATE)),
                Wire.set(256, v4Data("10.1.1.1", 1, 10)), Wire.set(256, v4Data("10.1.1.2", 2, 20)),
                Wire.set(256, v4Data("10.1.1.3", 3, 30)));
        d[2] = 0;
        d[3] = 1; // count 1: pmacct 1.7.7 would read the template set only
        h.feed(A, d);
        assertEquals(3, h.records.size());
    }

    @Test
    void twoByteTcpFlagsAndTrailingBytesAfterV5Records() throws Exception {
        Harness h = new Harness();
        h.feed(A, Wire.ipfix(UNIX, 0, 0, Wire.set(2, Wire.template(300, Fields.SRC_V4, 4, Fields.TCP_FLAGS, 2)),
                Wire.set(300, new Wire().ip("10.1.1.1").u16(0x0012).array())));
        assertEquals(0x12, h.records.get(0).tcpFlags, "IPFIX tcpControlBits has 2 bytes (pmacct reads 1 only)");
        byte[] r = v5Record("10.1.1.1", "10.2.2.2", 1, 2, 17, 0, 1, 100, 1, 1);
        h.feed(A, Wire.concat(v5(0, 0, r), new byte[6]));
        assertEquals(2, h.records.size(), "the record is taken, the 6 bytes after it ignored (pmacct drops it)");
        assertEquals(0, h.malformed(A));
    }

    @Test
    void dataBeforeItsTemplateIsHeldAndDecodedWhenItArrives() throws Exception {
        Harness h = new Harness();
        h.feed(A, Wire.v9(100_000, UNIX, 1, 0, Wire.set(256, v4Data("10.1.1.1", 1, 10))));
        h.feed(A, Wire.v9(100_000, UNIX, 2, 0, Wire.set(256, v4Data("10.1.1.2", 2, 20))));
        assertEquals(0, h.records.size());
        assertEquals(2, h.exporter(A).counters().setsHeld.get());
        h.feed(A, Wire.v9(100_000, UNIX, 3, 0, Wire.set(0, Wire.template(256, V4_TEMPLATE)),
                Wire.set(256, v4Data("10.1.1.3", 3, 30))));
        assertEquals(3, h.records.size());
        assertEquals(10, h.records.get(0).bytes, "held sets first, in arrival order");
        assertEquals(20, h.records.get(1).bytes);
        assertEquals(30, h.records.get(2).bytes);
        assertEquals(2, h.exporter(A).counters().setsReleased.get());
        assertEquals(2, h.exporter(A).counters().recordsReleased.get());
        assertEquals(0, h.exporter(A).heldBytes());
    }

    @Test
    void holdingIsBoundedAndCounted() throws Exception {
        Harness h = new Harness(200, 60_000, Fields.STANDARD);
        for (int i = 0; i < 5; i++) {
            h.feed(A, Wire.v9(100_000, UNIX, i, 0, Wire.set(300 + i, v4Data("10.1.1.1", i, 10))));
        }
        assertTrue(h.exporter(A).heldBytes() <= 200);
        assertTrue(h.exporter(A).counters().setsNoTemplate.get() >= 3, "the oldest are dropped past the bound");
        Harness none = new Harness(0, 60_000, Fields.STANDARD);
        none.feed(A, Wire.v9(100_000, UNIX, 1, 0, Wire.set(256, v4Data("10.1.1.1", 1, 10))));
        assertEquals(1, none.exporter(A).counters().setsNoTemplate.get(), "holding disabled: dropped at once");
    }

    @Test
    void aRedefinedTemplateReplacesTheOldLayoutWhole() throws Exception {
        Harness h = new Harness();
        h.feed(A, Wire.v9(100_000, UNIX, 1, 0, Wire.set(0, Wire.template(256, V4_TEMPLATE)),
                Wire.set(256, v4Data("10.1.1.1", 1, 10))));
        // router reboot: the same id now means bytes first, then the source address
        h.feed(A, Wire.v9(100, UNIX, 1, 0, Wire.set(0, Wire.template(256, Fields.OCTETS, 8, Fields.SRC_V4, 4)),
                Wire.set(256, new Wire().u64(777).ip("10.7.7.7").array())));
        assertEquals(2, h.records.size());
        assertEquals(777, h.records.get(1).bytes);
        assertEquals("10.7.7.7", Addr.toString(Addr.V4, 0, h.records.get(1).srcLo));
        assertEquals(0, h.records.get(1).srcPort, "nothing from the old layout");
        assertEquals(2, h.exporter(A).counters().templates.get());
    }

    @Test
    void exportersWithTheSameTemplateIdsDoNotMix() throws Exception {
        Harness h = new Harness();
        h.feed(A, Wire.v9(100_000, UNIX, 1, 0, Wire.set(0, Wire.template(256, V4_TEMPLATE))));
        h.feed(B, Wire.v9(100_000, UNIX, 1, 0, Wire.set(0, Wire.template(256, Fields.OCTETS, 8, Fields.SRC_V4, 4))));
        h.feed(A, Wire.v9(100_000, UNIX, 2, 0, Wire.set(256, v4Data("10.1.1.1", 1, 10))));
        h.feed(B, Wire.v9(100_000, UNIX, 2, 0, Wire.set(256, new Wire().u64(999).ip("10.2.2.2").array())));
        assertEquals(2, h.records.size());
        assertEquals(10, h.records.get(0).bytes);
        assertEquals(1, h.records.get(0).srcPort);
        assertEquals(999, h.records.get(1).bytes);
        assertEquals(0, h.records.get(1).srcPort);
        assertEquals("192.0.2.2", Addr.toString(h.records.get(1).peerSrcFamily, 0, h.records.get(1).peerSrcLo));
    }

    @Test
    void ipfixVariableLengthEnterpriseFieldsAndWithdrawal() throws Exception {
        Harness h = new Harness();
        // src, a variable-length string, an enterprise field of 4 bytes, octets
        byte[] template = new Wire().u16(400).u16(4).u16(Fields.SRC_V4).u16(4).u16(82).u16(0xFFFF)
                .u16(0x8000 | 1000).u16(4).u32(29305).u16(Fields.OCTETS).u16(8).array();
        byte[] rec1 = new Wire().ip("10.1.1.1").u8(3).bytes("eth".getBytes()).u32(0xDEADBEEFL).u64(1500).array();
        byte[] rec2 = new Wire().ip("10.1.1.2").u8(255).u16(300).zeros(300).u32(1).u64(64).array();
        h.feed(A, Wire.ipfix(UNIX, 0, 5, Wire.set(2, template), Wire.set(400, Wire.concat(rec1, rec2))));
        assertEquals(2, h.records.size());
        assertEquals(1500, h.records.get(0).bytes);
        assertEquals(64, h.records.get(1).bytes, "a 3-byte length prefix and 300 bytes skipped exactly");
        assertEquals(5, h.records.get(0).exportProtoSysid, "observation domain");
        assertEquals(UNIX * 1_000_000L, h.records.get(0).timeStartMicros, "no times: the export time, as pmacct");
        // withdrawal: field count 0; later data waits for a new template
        h.feed(A, Wire.ipfix(UNIX, 2, 5, Wire.set(2, new Wire().u16(400).u16(0).array())));
        h.feed(A, Wire.ipfix(UNIX, 2, 5, Wire.set(400, rec1)));
        assertEquals(2, h.records.size());
        assertEquals(1, h.exporter(A).counters().setsHeld.get());
        assertEquals(0, h.malformed(A));
    }

    @Test
    void ipfixSamplingOptionsAndSystemInitTime() throws Exception {
        Harness h = new Harness();
        // options template 257: scope selectorId, then packet interval, size, population (as Cisco sends)
        byte[] options = new Wire().u16(257).u16(4).u16(1).u16(Fields.SELECTOR_ID).u16(4)
                .u16(Fields.SAMPLING_PACKET_INTERVAL).u16(4).u16(Fields.SAMPLING_SIZE).u16(4)
                .u16(Fields.SAMPLING_POPULATION).u16(4).array();
        byte[] optionData = new Wire().u32(3).u32(1).u32(1).u32(256).array();
        // options template 258: scope meteringProcessId, systemInitTimeMilliseconds
        byte[] init = new Wire().u16(258).u16(2).u16(1).u16(143).u16(4).u16(Fields.SYSTEM_INIT_MILLIS).u16(8).array();
        byte[] initData = new Wire().u32(1).u64((UNIX - 1000) * 1000L).array();
        byte[] template = Wire.template(300, Fields.SRC_V4, 4, Fields.SELECTOR_ID, 4, Fields.PACKETS, 4,
                Fields.FIRST_UPTIME, 4);
        h.feed(A, Wire.ipfix(UNIX, 0, 0, Wire.set(3, Wire.concat(options, init)), Wire.set(257, optionData),
                Wire.set(258, initData), Wire.set(2, template),
                Wire.set(300, new Wire().ip("10.1.1.1").u32(3).u32(5).u32(400_000).array())));
        assertEquals(1, h.records.size());
        assertEquals(256, h.records.get(0).samplingRate, "population / size (RFC 5477)");
        assertEquals((UNIX - 600) * 1_000_000L, h.records.get(0).timeStartMicros, "systemInitTime + offset");
        assertEquals(2, h.exporter(A).counters().optionRecords.get());
    }

    @Test
    void malformedDatagramsAreCountedAndLoseNothingElse() throws Exception {
        Harness h = new Harness();
        byte[] good = Wire.v9(100_000, UNIX, 1, 0, Wire.set(0, Wire.template(256, V4_TEMPLATE)),
                Wire.set(256, v4Data("10.1.1.1", 1, 10)));
        byte[][] bad = {
            Arrays.copyOf(good, 12),                                              // truncated header
            Wire.v9(1, UNIX, 1, 0, new Wire().u16(256).u16(500).zeros(8).array()),          // set past the datagram
            Wire.v9(1, UNIX, 1, 0, new Wire().u16(256).u16(2).array()),                     // set length below 4
            Wire.v9(1, UNIX, 1, 0, Wire.set(0, new Wire().u16(260).u16(0).array())),        // template with no fields
            Wire.v9(1, UNIX, 1, 0, Wire.set(0, Wire.template(261, Fields.SRC_V4, 0))),      // field length 0
            Wire.v9(1, UNIX, 1, 0, Wire.set(0, Wire.template(262, Fields.SRC_V4, 0xFFFF))), // 65535 in v9
            Wire.v9(1, UNIX, 1, 0, Wire.set(0, new Wire().u16(263).u16(40).u16(8).u16(4).array())), // fields cut
            Wire.v9(1, UNIX, 1, 0, Wire.set(0, Wire.template(12, Fields.SRC_V4, 4))),       // reserved id
            Wire.v9(1, UNIX, 1, 0, Wire.set(1, new Wire().u16(264).u16(4).u16(400).array())), // options past set
            Wire.ipfix(UNIX, 0, 0, Wire.set(3, new Wire().u16(265).u16(1).u16(0).u16(8).u16(4).array())), // scope 0
            new Wire().u16(10).u16(400).zeros(14).array(),                                 // IPFIX length > datagram
            new Wire().u16(11).u16(1).zeros(30).array(),                                   // unknown version
        };
        for (byte[] b : bad) {
            h.feedInside(B, b);
        }
        assertEquals(bad.length, h.malformed(B));
        h.feed(A, good);
        assertEquals(1, h.records.size());
        assertEquals(0, h.malformed(A));
    }

    @Test
    void aTemplateFloodIsBounded() throws Exception {
        Harness h = new Harness();
        for (int base = 256; base < 256 + 6000; base += 100) {
            Wire set = new Wire();
            for (int id = base; id < base + 100; id++) {
                set.bytes(Wire.template(id, Fields.SRC_V4, 4, Fields.OCTETS, 4));
            }
            h.feed(A, Wire.v9(1, UNIX, 1, 0, Wire.set(0, set.array())));
        }
        assertEquals(4096, h.exporter(A).domain(9, 0).templates().size());
        assertTrue(h.malformed(A) > 0, "the refusal is counted");
        h.feed(A, Wire.v9(1, UNIX, 2, 0, Wire.set(256, new Wire().ip("10.1.1.1").u32(5).array())));
        assertEquals(1, h.records.size(), "known templates keep working");
    }

    @Test
    void randomBytesNeverThrow() throws Exception {
        Harness h = new Harness();
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            if (b.length >= 2 && rnd.nextBoolean()) {
                b[0] = 0;
                b[1] = (byte) new int[] {1, 5, 7, 8, 9, 10}[rnd.nextInt(6)];
            }
            h.feedInside(A, b);
        }
        assertTrue(h.malformed(A) > 0);
    }

    @Test
    void logLinesKeepTheirWordingAndPmacctsLevelAndComeOncePerExporterAndReason() throws Exception {
        Harness h = new Harness(100, 60_000, Fields.STANDARD);
        try (LogCapture log = new LogCapture(NetflowDecoder.class)) {
            byte[] cut = Arrays.copyOf(Wire.v9(1, UNIX, 1, 0), 12);
            h.feed(B, cut);
            h.feed(B, cut);
            h.feed(A, Wire.v9(100_000, UNIX, 1, 0, Wire.set(0, Wire.template(256, V4_TEMPLATE))));
            h.feed(A, Wire.v9(100_000, UNIX, 5, 0, Wire.set(0, Wire.template(256, Fields.OCTETS, 8))));
            h.feed(A, Wire.v9(100_000, UNIX, 6, 0, Wire.set(300, new byte[40])));
            h.feed(A, Wire.ipfix(UNIX, 0, 0, Wire.set(257, new Wire().ip("10.0.0.1").u8(9).zeros(4).array())));
            h.feed(A, Wire.ipfix(UNIX, 1, 0, Wire.set(2, Wire.template(257, Fields.SRC_V4, 4, 82, 0xFFFF))));
            // INFO as pmacct logs what an exporter sends wrong or loses (notify_malf_packet, "expecting flow")
            assertEquals(List.of(
                    "INFO exporter 192.0.2.2: malformed datagram (12 bytes): NetFlow v9 header cut short (12 bytes)",
                    "INFO exporter 192.0.2.1 domain 0: template 256 redefined (9 -> 1 fields); data is read with the "
                            + "new layout from now on",
                    "INFO exporter 192.0.2.1 domain 0: expected export packet 2, received 5 (3 lost)",
                    "INFO exporter 192.0.2.1: data set for template 300 dropped: no template (held data is bounded by "
                            + "nfacctd_templates_wait_buffer and nfacctd_templates_wait_time)",
                    "INFO exporter 192.0.2.1: held set dropped: record of template 257 runs past its set"),
                    log.lines().stream().map(l -> l.substring(0, l.indexOf(' ')) + " "
                            + l.substring(l.indexOf("): ") + 3)).toList());
        }
        assertEquals(2, h.malformed(B), "every fault counted, one line a minute");
        assertEquals(1, h.malformed(A), "the held set that failed");
    }

    @Test
    void decodingAllocatesNothingPerDatagramOrRecord() throws Exception {
        byte[] records = new byte[0];
        for (int i = 0; i < 27; i++) {
            records = Wire.concat(records, v4Data("10.1.1." + i, 1000 + i, 100 + i));
        }
        byte[] v9 = Wire.v9(100_000, UNIX, 1, 0, Wire.set(0, Wire.template(256, V4_TEMPLATE)), Wire.set(256, records));
        byte[] ipfix = Wire.ipfix(UNIX, 1, 0, Wire.set(2, Wire.template(256, V4_TEMPLATE)), Wire.set(256, records));
        CountedRecords sink = new CountedRecords();
        DecoderSettings settings = new DecoderSettings(false, false, true, Fields.STANDARD, 1 << 20, 60_000, 4096,
                null, 0, null, false);
        NetflowDecoder d = new NetflowDecoder(new ExporterTable(new Metrics()), settings, sink);
        InetAddress v9Sender = InetAddress.getByName("127.0.0.1");
        InetAddress ipfixSender = InetAddress.getByName("127.0.0.2");
        int rounds = 25_000;
        long allocated = Allocations.of(20_000, rounds, i -> { // warm-up: JIT, the exporters' first datagrams
            d.onDatagram(v9, v9.length, v9Sender, i);
            d.onDatagram(ipfix, ipfix.length, ipfixSender, i);
        });
        assertTrue(allocated < rounds * 2L * 8 / 10,
                "allocated " + allocated + " bytes for " + rounds * 2 + " datagrams of 27 records (templates resent)");
        long perRound = 27 * 100 + (26 * 27 / 2);
        assertEquals(perRound * 2 * (rounds + 20_000), sink.bytes);
    }

    @Test
    void anIpv6ExporterIsNamedInItsShortFormWithoutTheSocketsScope() throws Exception {
        ExporterTable table = new ExporterTable(new Metrics());
        InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("::1").getAddress(), 0);
        assertEquals("exporter ::1", table.get(scoped).label(), "not Java's " + scoped.getHostAddress());
        assertEquals("::1", table.get(scoped).counters().exporter, "the stats line and the metrics label");
    }
}
