package jpmacct.nfacctd.decode;


import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;

/**
 * The fixed-format NetFlow versions: v1, v5, v7 and v8 with its aggregation schemes (router-based schemes 1-5 and
 * 9-14, Catalyst schemes 6-8). A datagram whose count does not fit its length is refused whole: the count is the
 * only framing these versions have.
 */
final class FixedFlowDecoder {
    private static final int[] V8_RECORD_SIZE = {0, 28, 28, 32, 32, 40, 32, 40, 44, 32, 32, 32, 32, 40, 40};
    private static final int V8_AS = 1;
    private static final int V8_PROTO_PORT = 2;
    private static final int V8_SRC_PREFIX = 3;
    private static final int V8_DST_PREFIX = 4;
    private static final int V8_PREFIX = 5;
    private static final int V8_DEST_ONLY = 6;
    private static final int V8_SRC_DEST = 7;
    private static final int V8_FULL = 8;
    private static final int V8_TOS_AS = 9;
    private static final int V8_TOS_PROTO_PORT = 10;
    private static final int V8_TOS_SRC_PREFIX = 11;
    private static final int V8_TOS_DST_PREFIX = 12;
    private static final int V8_TOS_PREFIX = 13;
    private static final int V8_PREFIX_PORT = 14;

    private final DecoderSettings settings;

    FixedFlowDecoder(DecoderSettings settings) {
        this.settings = settings;
    }

    /** @return null when well formed, else what is wrong (nothing of the datagram is accounted) */
    String decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros, RecordSink out) throws InterruptedException {
        int version = Bytes.u16(b, off);
        int headerLen;
        int recordLen;
        int maxCount;
        int scheme = 0;
        switch (version) {
            case 1: headerLen = 16; recordLen = 48; maxCount = 24; break;
            case 5: headerLen = 24; recordLen = 48; maxCount = 30; break;
            case 7: headerLen = 24; recordLen = 52; maxCount = 28; break;
            default: // 8
                headerLen = 28;
                if (len < headerLen) {
                    return "NetFlow v8 header cut short (" + len + " bytes)";
                }
                scheme = Bytes.u8(b, off + 22);
                if (scheme < 1 || scheme >= V8_RECORD_SIZE.length) {
                    return "NetFlow v8 aggregation scheme " + scheme + " is not one of 1-14";
                }
                recordLen = V8_RECORD_SIZE[scheme];
                maxCount = Integer.MAX_VALUE; // framing by length only
                break;
        }
        if (len < headerLen) {
            return "NetFlow v" + version + " header cut short (" + len + " bytes)";
        }
        int count = Bytes.u16(b, off + 2);
        if (count == 0 || count > maxCount || headerLen + count * recordLen > len) {
            return "NetFlow v" + version + " count " + count + " does not fit the datagram of " + len + " bytes";
        }
        long uptime = Bytes.u32(b, off + 4);
        long unixSecs = Bytes.u32(b, off + 8);
        long sequence = version == 1 ? 0 : Bytes.u32(b, off + 16);
        int engineType = version == 5 || version == 8 ? Bytes.u8(b, off + 20) : 0;
        int engineId = version == 5 || version == 8 ? Bytes.u8(b, off + 21) : 0;
        long sampling = version == 5 ? Bytes.u16(b, off + 22) & 0x3FFF : 0;
        Domain d = ex.domain(version, (engineType << 8) | engineId);
        if (version != 1) {
            sequence(ex, d, sequence, count);
        }
        int pos = off + headerLen;
        for (int i = 0; i < count; i++, pos += recordLen) {
            FlowRecord r = out.slot();
            r.clear();
            r.peerSrcFamily = ex.family;
            r.peerSrcHi = ex.hi;
            r.peerSrcLo = ex.lo;
            r.exportProtoVersion = version;
            r.exportProtoSeqno = sequence;
            r.exportProtoSysid = engineId;
            r.engineType = engineType;
            r.timeArrivalMicros = arrivalMicros;
            r.flows = 1;
            int first;
            int last;
            if (version == 8) {
                int[] times = v8Record(b, pos, scheme, r);
                first = times[0];
                last = times[1];
            } else {
                r.srcV4(Bytes.i32(b, pos));
                r.dstV4(Bytes.i32(b, pos + 4));
                if (settings.useIpNextHop()) {
                    r.peerDstFamily = Addr.V4;
                    r.peerDstLo = Bytes.u32(b, pos + 8);
                }
                r.inIface = Bytes.u16(b, pos + 12);
                r.outIface = Bytes.u16(b, pos + 14);
                r.packets = Bytes.u32(b, pos + 16);
                r.bytes = Bytes.u32(b, pos + 20);
                first = Bytes.i32(b, pos + 24);
                last = Bytes.i32(b, pos + 28);
                int proto;
                int flags;
                if (version == 1) {
                    proto = Bytes.u8(b, pos + 38);
                    r.tos = Bytes.u8(b, pos + 39);
                    flags = Bytes.u8(b, pos + 40);
                } else {
                    flags = Bytes.u8(b, pos + 37);
                    proto = Bytes.u8(b, pos + 38);
                    r.tos = Bytes.u8(b, pos + 39);
                    r.srcAs = Bytes.u16(b, pos + 40);
                    r.dstAs = Bytes.u16(b, pos + 42);
                    r.srcMask = Bytes.u8(b, pos + 44);
                    r.dstMask = Bytes.u8(b, pos + 45);
                }
                r.proto = proto;
                ports(r, proto, Bytes.u16(b, pos + 32), Bytes.u16(b, pos + 34));
                r.tcpFlags = proto == 6 ? flags : 0;
            }
            r.etype = 0x0800;
            r.timeStartMicros = uptimeTime(unixSecs, uptime, first & 0xFFFFFFFFL);
            r.timeEndMicros = uptimeTime(unixSecs, uptime, last & 0xFFFFFFFFL);
            if (settings.timeNew()) {
                r.binTimeMicros = arrivalMicros;
            }
            r.samplingRate = settings.samplingRate(ex, r, sampling);
            out.commit();
        }
        ex.counters.records.add(count);
        return null;
    }

    /** pmacct's ports: only TCP and UDP have them; ICMP keeps type and code in the destination port. */
    private static void ports(FlowRecord r, int proto, int src, int dst) {
        boolean l4 = proto == 6 || proto == 17;
        r.srcPort = l4 ? src : 0;
        r.dstPort = l4 || proto == 1 || proto == 58 ? dst : 0;
    }

    /** Export time minus the age in whole seconds, with sysUpTime's 32-bit wrap, as pmacct computes it. */
    private long uptimeTime(long unixSecs, long uptime, long switched) {
        if (settings.timeSecs()) {
            return (unixSecs - ((uptime / 1000 - switched) & 0xFFFFFFFFL)) * 1_000_000L;
        }
        long age = (uptime - switched) & 0xFFFFFFFFL;
        return (unixSecs - age / 1000) * 1_000_000L;
    }

    private void sequence(Exporter ex, Domain d, long seq, int count) {
        Sequences.check(settings, ex, d, seq, "flow");
        d.nextSequence = (seq + count) & 0xFFFFFFFFL;
    }

    /** Fills an aggregated v8 record; returns {first, last} (sysUpTime ms). */
    private final int[] times = new int[2];

    private int[] v8Record(byte[] b, int p, int scheme, FlowRecord r) {
        switch (scheme) {
            case V8_DEST_ONLY:
                r.dstV4(Bytes.i32(b, p));
                r.packets = Bytes.u32(b, p + 4);
                r.bytes = Bytes.u32(b, p + 8);
                times[0] = Bytes.i32(b, p + 12);
                times[1] = Bytes.i32(b, p + 16);
                r.outIface = Bytes.u16(b, p + 20);
                r.tos = Bytes.u8(b, p + 22);
                return times;
            case V8_SRC_DEST:
                r.dstV4(Bytes.i32(b, p));
                r.srcV4(Bytes.i32(b, p + 4));
                r.packets = Bytes.u32(b, p + 8);
                r.bytes = Bytes.u32(b, p + 12);
                times[0] = Bytes.i32(b, p + 16);
                times[1] = Bytes.i32(b, p + 20);
                r.outIface = Bytes.u16(b, p + 24);
                r.inIface = Bytes.u16(b, p + 26);
                r.tos = Bytes.u8(b, p + 28);
                return times;
            case V8_FULL:
                r.dstV4(Bytes.i32(b, p));
                r.srcV4(Bytes.i32(b, p + 4));
                r.packets = Bytes.u32(b, p + 12);
                r.bytes = Bytes.u32(b, p + 16);
                times[0] = Bytes.i32(b, p + 20);
                times[1] = Bytes.i32(b, p + 24);
                r.outIface = Bytes.u16(b, p + 28);
                r.inIface = Bytes.u16(b, p + 30);
                r.tos = Bytes.u8(b, p + 32);
                r.proto = Bytes.u8(b, p + 33);
                ports(r, r.proto, Bytes.u16(b, p + 10), Bytes.u16(b, p + 8));
                return times;
            default:
                break;
        }
        // router-based schemes share a leading flows, packets, octets, first, last
        r.flows = Math.max(1, Bytes.u32(b, p));
        r.packets = Bytes.u32(b, p + 4);
        r.bytes = Bytes.u32(b, p + 8);
        times[0] = Bytes.i32(b, p + 12);
        times[1] = Bytes.i32(b, p + 16);
        int q = p + 20;
        switch (scheme) {
            case V8_AS:
            case V8_TOS_AS:
                r.srcAs = Bytes.u16(b, q);
                r.dstAs = Bytes.u16(b, q + 2);
                r.inIface = Bytes.u16(b, q + 4);
                r.outIface = Bytes.u16(b, q + 6);
                if (scheme == V8_TOS_AS) {
                    r.tos = Bytes.u8(b, q + 8);
                }
                break;
            case V8_PROTO_PORT:
            case V8_TOS_PROTO_PORT:
                r.proto = Bytes.u8(b, q);
                if (scheme == V8_TOS_PROTO_PORT) {
                    r.tos = Bytes.u8(b, q + 1);
                    r.inIface = Bytes.u16(b, q + 8);
                    r.outIface = Bytes.u16(b, q + 10);
                }
                ports(r, r.proto, Bytes.u16(b, q + 4), Bytes.u16(b, q + 6));
                break;
            case V8_SRC_PREFIX:
            case V8_TOS_SRC_PREFIX:
                r.srcV4(Bytes.i32(b, q));
                r.srcMask = Bytes.u8(b, q + 4);
                if (scheme == V8_TOS_SRC_PREFIX) {
                    r.tos = Bytes.u8(b, q + 5);
                }
                r.srcAs = Bytes.u16(b, q + 6);
                r.inIface = Bytes.u16(b, q + 8);
                break;
            case V8_DST_PREFIX:
            case V8_TOS_DST_PREFIX:
                r.dstV4(Bytes.i32(b, q));
                r.dstMask = Bytes.u8(b, q + 4);
                if (scheme == V8_TOS_DST_PREFIX) {
                    r.tos = Bytes.u8(b, q + 5);
                }
                r.dstAs = Bytes.u16(b, q + 6);
                r.outIface = Bytes.u16(b, q + 8);
                break;
            default: // V8_PREFIX, V8_TOS_PREFIX, V8_PREFIX_PORT
                r.srcV4(Bytes.i32(b, q));
                r.dstV4(Bytes.i32(b, q + 4));
                r.srcMask = Bytes.u8(b, q + 8);
                r.dstMask = Bytes.u8(b, q + 9);
                if (scheme == V8_PREFIX_PORT) {
                    r.tos = Bytes.u8(b, q + 10);
                    r.proto = Bytes.u8(b, q + 11);
                    ports(r, r.proto, Bytes.u16(b, q + 12), Bytes.u16(b, q + 14));
                } else {
                    if (scheme == V8_TOS_PREFIX) {
                        r.tos = Bytes.u8(b, q + 10);
                    }
                    r.srcAs = Bytes.u16(b, q + 12);
                    r.dstAs = Bytes.u16(b, q + 14);
                }
                r.inIface = Bytes.u16(b, q + 16);
                r.outIface = Bytes.u16(b, q + 18);
                break;
        }
        return times;
    }
}
