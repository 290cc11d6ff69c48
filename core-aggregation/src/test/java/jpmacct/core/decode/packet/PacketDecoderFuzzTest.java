package jpmacct.core.decode.packet;

import jpmacct.core.decode.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

import jpmacct.core.record.FlowRecord;

/**
 * Feeds arbitrary frames to a {@link PacketDecoder} with a {@link FragmentTable} and a {@link FlowTracker} and checks
 * that nothing throws and that every record makes sense.
 *
 * <p><b>Input format.</b> An input is a sequence of frames, each behind a 7-byte header:
 * <pre>
 *   u8   link type: below {@code LINKS.length} an index into LINKS, otherwise the link type itself
 *   u8   bits 0-3: junk bytes in the buffer before the frame; bit 4: expire the fragment table after the frame;
 *        bit 5: the next field is the wire length itself (any value) instead of what the wire adds to the capture
 *   u16  wire length or wire extra
 *   u8   time step, in tenths of a second (the fragment timeout is 10 s, flow lifetimes 60 and 300 s)
 *   u16  captured length (cut to what the input still holds)
 *   ...  the captured bytes
 * </pre>
 * Each frame sits in a buffer that ends at its captured length, so a read past it throws. The committed inputs in
 * {@code src/test/resources/jpmacct/core/decode/packet/PacketDecoderFuzzTestInputs/decodeArbitraryFrames/} use this
 * format and are written by {@link FuzzSeeds} (checked by {@link FuzzSeedsTest}).
 *
 * <p><b>Running.</b> A plain {@code mvn test} runs this class twice: in the {@code default-test} execution Jazzer's
 * regression mode replays the committed inputs (milliseconds); the {@code fuzz} execution of core-aggregation's pom
 * sets {@code JAZZER_FUZZ=1} and fuzzes for {@code maxDuration} (10 s), adding the inputs it finds interesting to
 * {@code core-aggregation/.cifuzz-corpus/} (ignored by git) and any failing input to the inputs directory above, to be
 * committed with the fix. {@code -Dfuzz.skip=true} leaves the fuzzing run out.
 */
class PacketDecoderFuzzTest {
    private static final int[] LINKS = {LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW,
        LinkTypes.NULL, LinkTypes.LOOP, LinkTypes.IPV4, LinkTypes.IPV6};
    private static final int HEADER = 7;
    private static final long START_MICROS = 1_700_000_000_000_000L;

    /** Big (about 1 MB); reused and cleared per input. */
    private static final FlowTracker FLOWS = new FlowTracker(60, 300, 1 << 16);

    @FuzzTest(maxDuration = "10s")
    void decodeArbitraryFrames(byte[] data) throws InterruptedException {
        FLOWS.clear();
        FragmentTable fragments = new FragmentTable(64, 8, 10_000);
        Decoding.Sink sink = new Decoding.Sink();
        DecodeStats stats = new DecodeStats();
        PacketDecoder decoder = new PacketDecoder(fragments, FLOWS, stats);
        FlowRecord r = new FlowRecord();
        long ts = START_MICROS;
        long held = 0;
        long heldBytes = 0;
        long accountedPackets = 0;
        int pos = 0;
        while (data.length - pos >= HEADER) {
            int selector = data[pos] & 0xFF;
            int linkType = selector < LINKS.length ? LINKS[selector] : selector;
            int flags = data[pos + 1] & 0xFF;
            int wire = (data[pos + 2] & 0xFF) << 8 | (data[pos + 3] & 0xFF);
            ts += (data[pos + 4] & 0xFF) * 100_000L;
            int caplen = Math.min((data[pos + 5] & 0xFF) << 8 | (data[pos + 6] & 0xFF), data.length - pos - HEADER);
            int wireLen = (flags & 0x20) != 0 ? (short) wire : caplen + wire;
            int prefix = flags & 0x0F;

            r.clear();
            Verdict v = decoder.decode(Decoding.place(data, pos + HEADER, caplen, prefix), prefix, caplen, wireLen,
                    linkType, ts, r);
            assertNotNull(v);
            assertEquals(v == Verdict.UNSUPPORTED_LINK, !LinkTypes.supported(linkType), "unsupported iff unknown");
            if (v == Verdict.OK) {
                checkRecord(r, ts);
                long wireBytes = Math.max(wireLen, caplen);
                assertTrue(r.packets >= 1 && r.packets <= 1 + held, "packets " + r.packets);
                assertTrue(r.bytes <= (r.packets == 1 ? wireBytes : wireBytes + heldBytes), "bytes " + r.bytes
                        + " over wire " + wireLen + "/" + caplen);
                accountedPackets += r.packets;
            } else if (v == Verdict.HELD) {
                assertTrue(r.proto == 6 || r.proto == 17, "held protocol " + r.proto);
                held++;
                heldBytes += r.bytes;
            }
            assertEquals(stats.frames, stats.accounted + stats.notIp + stats.truncated + stats.malformed
                    + stats.unsupportedLink + held, "every frame has one verdict");
            if ((flags & 0x10) != 0) {
                fragments.expire(ts, sink);
            }
            pos += HEADER + caplen;
        }
        fragments.flush(sink);
        assertEquals(0, fragments.size(), "flush empties the table");
        for (FlowRecord o : sink.records) {
            assertEquals(0, o.srcPort | o.dstPort, "orphans have no ports");
            assertTrue(o.proto == 6 || o.proto == 17, "orphan protocol " + o.proto);
            checkRecord(o, o.timeArrivalMicros);
            accountedPackets += o.packets;
        }
        assertEquals(held, fragments.joined() + fragments.orphaned(), "held fragments are joined or orphaned");
        assertEquals(stats.accounted + held, accountedPackets, "every IP packet is accounted once");
    }

    /** What holds for any accounted record. */
    private static void checkRecord(FlowRecord r, long ts) {
        boolean v4 = r.etype == 0x0800;
        assertTrue(v4 || r.etype == 0x86DD, "etype " + r.etype);
        assertEquals(v4 ? 4 : 6, r.srcFamily, "src family");
        assertEquals(r.srcFamily, r.dstFamily, "dst family");
        if (v4) {
            assertTrue(r.srcHi == 0 && r.dstHi == 0 && (r.srcLo | r.dstLo) >>> 32 == 0, "IPv4 addresses in 32 bits");
        }
        assertTrue(r.bytes >= (v4 ? 20 : 40), "bytes " + r.bytes + " below the IP header");
        assertTrue(r.proto >= 0 && r.proto <= 255, "proto " + r.proto);
        assertTrue(r.tos >= 0 && r.tos <= 255, "tos " + r.tos);
        assertTrue(r.srcPort >= 0 && r.srcPort <= 65535 && r.dstPort >= 0 && r.dstPort <= 65535, "ports");
        assertTrue((r.srcPort | r.dstPort) == 0 || r.proto == 6 || r.proto == 17, "ports only for TCP and UDP");
        assertTrue(r.tcpFlags >= 0 && r.tcpFlags <= 255 && (r.tcpFlags == 0 || r.proto == 6), "tcp flags");
        assertTrue(r.vlan >= 0 && r.vlan <= 4095 && r.cos >= 0 && r.cos <= 7, "vlan/cos");
        assertTrue(r.srcMac >>> 48 == 0 && r.dstMac >>> 48 == 0, "macs in 48 bits");
        assertTrue(r.flows == 0 || r.flows == 1, "flows " + r.flows);
        assertEquals(1, r.samplingRate, "sampling rate");
        assertEquals(ts, r.timeArrivalMicros, "arrival time");
    }
}
