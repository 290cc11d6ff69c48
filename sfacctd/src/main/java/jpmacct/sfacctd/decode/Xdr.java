package jpmacct.sfacctd.decode;

import java.nio.ByteBuffer;

/** Reading sFlow's XDR encoding in place: big-endian 32-bit words, opaque data padded to 4 bytes. */
final class Xdr {
    private Xdr() {
    }

    static long u32(ByteBuffer b, int p) {
        return b.getInt(p) & 0xFFFFFFFFL;
    }

    /** A MAC address in an XDR opaque of 6 bytes (padded to 8). */
    static long mac(ByteBuffer b, int p) {
        return ((long) (b.getShort(p) & 0xFFFF) << 32) | (b.getInt(p + 2) & 0xFFFFFFFFL);
    }

    /** The length of opaque data of {@code length} bytes with its padding. */
    static int pad(long length) {
        return (int) ((length + 3) & ~3L);
    }
}
