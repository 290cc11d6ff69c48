package jpmacct.nfacctd.decode;

/**
 * Big-endian reads from a datagram held in a byte array. The JVM checks every index against the array, so a read
 * past it throws (the decoder's backstop) and can never reach other memory. Plain shifts rather than VarHandles:
 * they stay small enough to inline at the depth the decoder calls them.
 */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] b, int pos) {
        return b[pos] & 0xFF;
    }

    static int u16(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    }

    static int u24(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 16) | ((b[pos + 1] & 0xFF) << 8) | (b[pos + 2] & 0xFF);
    }

    static int i32(byte[] b, int pos) {
        return (b[pos] << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
    }

    static long u32(byte[] b, int pos) {
        return i32(b, pos) & 0xFFFFFFFFL;
    }

    static long i64(byte[] b, int pos) {
        return ((long) i32(b, pos) << 32) | u32(b, pos + 4);
    }
}
