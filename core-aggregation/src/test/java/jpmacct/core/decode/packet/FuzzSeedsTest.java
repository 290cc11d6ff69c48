package jpmacct.core.decode.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The committed fuzz inputs are what {@link FuzzSeeds} writes (crash inputs committed later may come on top). */
class FuzzSeedsTest {
    private static final String DIR = "PacketDecoderFuzzTestInputs/decodeArbitraryFrames/";

    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        Map<String, byte[]> seeds = FuzzSeeds.seeds();
        assertTrue(seeds.size() >= 15, "seeds: " + seeds.size());
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            try (InputStream in = FuzzSeedsTest.class.getResourceAsStream(DIR + e.getKey())) {
                assertNotNull(in, "missing seed " + e.getKey() + ": run FuzzSeeds (see its javadoc)");
                assertArrayEquals(e.getValue(), in.readAllBytes(), "stale seed " + e.getKey());
            }
        }
    }
}
