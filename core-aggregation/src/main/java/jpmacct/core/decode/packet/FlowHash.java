package jpmacct.core.decode.packet;

/** Hash of five words (two addresses and a packed protocol/id word) for the decoder's open-addressing tables. */
final class FlowHash {
    private FlowHash() {
    }

    /** Never 0, so a table may use 0 for an empty slot. */
    static int of(long a, long b, long c, long d, long e) {
        long h = a * 0x9E3779B97F4A7C15L;
        h = (h ^ b) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ c) * 0x9E3779B97F4A7C15L;
        h = (h ^ d) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ e) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        int r = (int) h;
        return r == 0 ? 1 : r;
    }
}
