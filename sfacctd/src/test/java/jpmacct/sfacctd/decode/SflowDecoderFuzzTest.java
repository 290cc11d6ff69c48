package jpmacct.sfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary datagrams from a few senders into one decoder: nothing may throw (a malformed datagram is counted),
 * and every record that comes out is one whole sample.
 *
 * <p>Input: a sequence of datagrams, each behind 3 bytes: the sender (u8, modulo 4) and the length (u16, cut to
 * what the input holds). A plain {@code mvn test} replays the committed inputs in
 * {@code src/test/resources/jpmacct/sfacctd/decode/SflowDecoderFuzzTestInputs/} (datagrams of pmacct's sfprobe
 * captures); the {@code fuzz} execution of this module's pom fuzzes for {@code maxDuration}.
 * {@code -Dfuzz.skip=true} leaves that out.
 */
class SflowDecoderFuzzTest {
    private static final String[] SENDERS = {"192.0.2.1", "192.0.2.2", "2001:db8::1", "198.51.100.7"};

    @FuzzTest(maxDuration = "10s")
    void decodeArbitraryDatagrams(byte[] data) throws Exception {
        SflowDecoderTest.Harness h = new SflowDecoderTest.Harness();
        int pos = 0;
        while (data.length - pos >= 3) {
            InetAddress sender = InetAddress.getByName(SENDERS[(data[pos] & 0xFF) % SENDERS.length]);
            int len = Math.min(((data[pos + 1] & 0xFF) << 8) | (data[pos + 2] & 0xFF), data.length - pos - 3);
            byte[] big = new byte[len + 64];
            System.arraycopy(data, pos + 3, big, 0, len);
            h.decoder.onDatagram(big, len, sender, 1_700_000_000_000_000L);
            pos += 3 + len;
        }
        for (var r : h.records) {
            assertTrue(r.srcFamily == 0 || r.srcFamily == 4 || r.srcFamily == 6, "family " + r.srcFamily);
            assertTrue(r.peerSrcFamily == 4 || r.peerSrcFamily == 6, "agent family " + r.peerSrcFamily);
            assertEquals(1, r.packets);
            assertEquals(1, r.flows);
            assertTrue(r.bytes >= 0, "bytes " + r.bytes);
        }
    }
}
