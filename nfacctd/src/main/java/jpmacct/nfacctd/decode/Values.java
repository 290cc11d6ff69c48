package jpmacct.nfacctd.decode;

import io.netty.buffer.ByteBuf;

/** Reading template fields, which may come in any length an exporter chose. */
final class Values {
    private Values() {
    }

    /** An unsigned big-endian value of 1 to 8 bytes; longer fields keep their last 8 bytes. */
    static long uint(ByteBuf b, int pos, int len) {
        switch (len) {
            case 1: return b.getUnsignedByte(pos);
            case 2: return b.getUnsignedShort(pos);
            case 4: return b.getUnsignedInt(pos);
            case 8: return b.getLong(pos);
            default: {
                int from = len > 8 ? pos + len - 8 : pos;
                long v = 0;
                for (int i = from; i < pos + len; i++) {
                    v = (v << 8) | b.getUnsignedByte(i);
                }
                return v;
            }
        }
    }
}
