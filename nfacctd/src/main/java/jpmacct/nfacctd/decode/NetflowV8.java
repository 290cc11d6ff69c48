package jpmacct.nfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.record.FlowRecord;

/**
 * NetFlow v8: a 28-byte header with flow sequence number, engine and aggregation scheme; records of the scheme's
 * length (router-based schemes 1-5 and 9-14 with a flow count each, Catalyst schemes 6-8), framed by the
 * datagram's length only.
 */
final class NetflowV8 extends FixedFormat {
    private static final int[] RECORD_LENGTH = {0, 28, 28, 32, 32, 40, 32, 40, 44, 32, 32, 32, 32, 40, 40};
    private static final int AS = 1;
    private static final int PROTO_PORT = 2;
    private static final int SRC_PREFIX = 3;
    private static final int DST_PREFIX = 4;
    private static final int DEST_ONLY = 6;
    private static final int SRC_DEST = 7;
    private static final int FULL = 8;
    private static final int TOS_AS = 9;
    private static final int TOS_PROTO_PORT = 10;
    private static final int TOS_SRC_PREFIX = 11;
    private static final int TOS_DST_PREFIX = 12;
    private static final int TOS_PREFIX = 13;
    private static final int PREFIX_PORT = 14;

    NetflowV8(DecoderSettings settings, Notices notices) {
        super(settings, notices, 8, 28, RECORD_LENGTH[1], Integer.MAX_VALUE, true, true);
    }

    private static int scheme(byte[] b, int off) {
        return Bytes.u8(b, off + 22);
    }

    @Override
    int recordLength(byte[] b, int off, Fault fault) {
        int scheme = scheme(b, off);
        if (scheme < 1 || scheme >= RECORD_LENGTH.length) {
            fault.set(NetflowFault.V8_UNKNOWN_SCHEME, scheme);
            return -1;
        }
        return RECORD_LENGTH[scheme];
    }

    @Override
    long fill(byte[] b, int off, int p, FlowRecord r) {
        int scheme = scheme(b, off);
        switch (scheme) {
            case DEST_ONLY:
                r.dstV4(Bytes.i32(b, p));
                r.packets = Bytes.u32(b, p + 4);
                r.bytes = Bytes.u32(b, p + 8);
                r.outIface = Bytes.u16(b, p + 20);
                r.tos = Bytes.u8(b, p + 22);
                return times(Bytes.i32(b, p + 12), Bytes.i32(b, p + 16));
            case SRC_DEST:
                r.dstV4(Bytes.i32(b, p));
                r.srcV4(Bytes.i32(b, p + 4));
                r.packets = Bytes.u32(b, p + 8);
                r.bytes = Bytes.u32(b, p + 12);
                r.outIface = Bytes.u16(b, p + 24);
                r.inIface = Bytes.u16(b, p + 26);
                r.tos = Bytes.u8(b, p + 28);
                return times(Bytes.i32(b, p + 16), Bytes.i32(b, p + 20));
            case FULL:
                r.dstV4(Bytes.i32(b, p));
                r.srcV4(Bytes.i32(b, p + 4));
                r.packets = Bytes.u32(b, p + 12);
                r.bytes = Bytes.u32(b, p + 16);
                r.outIface = Bytes.u16(b, p + 28);
                r.inIface = Bytes.u16(b, p + 30);
                r.tos = Bytes.u8(b, p + 32);
                r.proto = Bytes.u8(b, p + 33);
                ports(r, r.proto, Bytes.u16(b, p + 10), Bytes.u16(b, p + 8));
                return times(Bytes.i32(b, p + 20), Bytes.i32(b, p + 24));
            default:
                routerBased(b, p + 20, scheme, r);
                // router-based schemes share a leading flows, packets, octets, first, last
                r.flows = Math.max(1, Bytes.u32(b, p));
                r.packets = Bytes.u32(b, p + 4);
                r.bytes = Bytes.u32(b, p + 8);
                return times(Bytes.i32(b, p + 12), Bytes.i32(b, p + 16));
        }
    }

    /** What follows the leading counters of a router-based scheme's record, at {@code q}. */
    private static void routerBased(byte[] b, int q, int scheme, FlowRecord r) {
        switch (scheme) {
            case AS:
            case TOS_AS:
                r.srcAs = Bytes.u16(b, q);
                r.dstAs = Bytes.u16(b, q + 2);
                r.inIface = Bytes.u16(b, q + 4);
                r.outIface = Bytes.u16(b, q + 6);
                if (scheme == TOS_AS) {
                    r.tos = Bytes.u8(b, q + 8);
                }
                break;
            case PROTO_PORT:
            case TOS_PROTO_PORT:
                r.proto = Bytes.u8(b, q);
                if (scheme == TOS_PROTO_PORT) {
                    r.tos = Bytes.u8(b, q + 1);
                    r.inIface = Bytes.u16(b, q + 8);
                    r.outIface = Bytes.u16(b, q + 10);
                }
                ports(r, r.proto, Bytes.u16(b, q + 4), Bytes.u16(b, q + 6));
                break;
            case SRC_PREFIX:
            case TOS_SRC_PREFIX:
                r.srcV4(Bytes.i32(b, q));
                r.srcMask = Bytes.u8(b, q + 4);
                if (scheme == TOS_SRC_PREFIX) {
                    r.tos = Bytes.u8(b, q + 5);
                }
                r.srcAs = Bytes.u16(b, q + 6);
                r.inIface = Bytes.u16(b, q + 8);
                break;
            case DST_PREFIX:
            case TOS_DST_PREFIX:
                r.dstV4(Bytes.i32(b, q));
                r.dstMask = Bytes.u8(b, q + 4);
                if (scheme == TOS_DST_PREFIX) {
                    r.tos = Bytes.u8(b, q + 5);
                }
                r.dstAs = Bytes.u16(b, q + 6);
                r.outIface = Bytes.u16(b, q + 8);
                break;
            default: // PREFIX, TOS_PREFIX, PREFIX_PORT
                r.srcV4(Bytes.i32(b, q));
                r.dstV4(Bytes.i32(b, q + 4));
                r.srcMask = Bytes.u8(b, q + 8);
                r.dstMask = Bytes.u8(b, q + 9);
                if (scheme == PREFIX_PORT) {
                    r.tos = Bytes.u8(b, q + 10);
                    r.proto = Bytes.u8(b, q + 11);
                    ports(r, r.proto, Bytes.u16(b, q + 12), Bytes.u16(b, q + 14));
                } else {
                    if (scheme == TOS_PREFIX) {
                        r.tos = Bytes.u8(b, q + 10);
                    }
                    r.srcAs = Bytes.u16(b, q + 12);
                    r.dstAs = Bytes.u16(b, q + 14);
                }
                r.inIface = Bytes.u16(b, q + 16);
                r.outIface = Bytes.u16(b, q + 18);
                break;
        }
    }
}
