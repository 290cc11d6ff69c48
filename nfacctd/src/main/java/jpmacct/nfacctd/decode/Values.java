package jpmacct.nfacctd.decode;

/** Reading template fields, which may come in any length an exporter chose. */
final class Values {
    private Values() {
    }

    /** An unsigned big-endian value of 1 to 8 bytes; longer fields keep their last 8 bytes. */
    static long uint(byte[] b, int pos, int len) {
        switch (len) {
            case 1: return Bytes.u8(b, pos);
            case 2: return Bytes.u16(b, pos);
            case 4: return Bytes.u32(b, pos);
            case 8: return Bytes.i64(b, pos);
            default: return odd(b, pos, len);
        }
    }

    /** Lengths exporters rarely use (3, 5-7, over 8), apart so that {@link #uint} stays small enough to inline. */
    private static long odd(byte[] b, int pos, int len) {
        int from = len > 8 ? pos + len - 8 : pos;
        long v = 0;
        for (int i = from; i < pos + len; i++) {
            v = (v << 8) | Bytes.u8(b, i);
        }
        return v;
    }
}
