package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

import jpmacct.nfacctd.exporter.Exporter;

/**
 * Arbitrary datagrams from a few exporters into one decoder: nothing may throw (a malformed datagram is counted),
 * held data stays within its bound, and every record that comes out is whole.
 *
 * <p>Input: a sequence of datagrams, each behind 3 bytes: the exporter (u8, modulo 4) and the length (u16, cut to
 * what the input holds). A plain {@code mvn test} replays the committed inputs in
 * {@code src/test/resources/jpmacct/nfacctd/decode/NetflowDecoderFuzzTestInputs/}; the {@code fuzz} execution of this
 * module's pom fuzzes for {@code maxDuration}. {@code -Dfuzz.skip=true} leaves that out.
 */
class NetflowDecoderFuzzTest {
    private static final String[] EXPORTERS = {"192.0.2.1", "192.0.2.2", "2001:db8::1", "198.51.100.7"};
    private static final long HOLD = 4096;

    @FuzzTest(maxDuration = "30s")
    void decodeArbitraryDatagrams(byte[] data) throws Exception {
        Harness h = new Harness(HOLD, 60_000, jpmacct.nfacctd.template.Fields.STANDARD);
        int pos = 0;
        while (data.length - pos >= 3) {
            String sender = EXPORTERS[(data[pos] & 0xFF) % EXPORTERS.length];
            int len = Math.min(((data[pos + 1] & 0xFF) << 8) | (data[pos + 2] & 0xFF), data.length - pos - 3);
            byte[] datagram = java.util.Arrays.copyOfRange(data, pos + 3, pos + 3 + len);
            h.feedInside(sender, datagram);
            pos += 3 + len;
        }
        for (String s : EXPORTERS) {
            Exporter e = h.exporter(s);
            assertTrue(e.heldBytes >= 0 && e.heldBytes <= HOLD, "held bytes " + e.heldBytes);
        }
        for (var r : h.records) {
            assertTrue(r.srcFamily == 0 || r.srcFamily == 4 || r.srcFamily == 6, "family " + r.srcFamily);
            assertTrue(r.flows != 0, "flows " + r.flows); // unsigned: an 8-byte count may exceed 2^63
        }
    }
}
