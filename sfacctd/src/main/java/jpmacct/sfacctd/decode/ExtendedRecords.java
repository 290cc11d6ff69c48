package jpmacct.sfacctd.decode;

import java.nio.ByteBuffer;

import jpmacct.core.decode.Fault;
import jpmacct.core.record.FlowRecord;

/**
 * The extended switch, router and gateway data, laid out alike in v5 records (1001, 1002, 1003) and v2/v4
 * extended data (1, 2, 3): read into the sample's fields; v5's extended MPLS (1006) and MPLS VC (1009) records.
 * The readers return the offset after what they read, or -1 (the fault noted).
 */
final class ExtendedRecords {
    /** Extended switch data: source VLAN and priority, destination VLAN and priority. */
    static final int SWITCH_LENGTH = 16;

    private ExtendedRecords() {
    }

    static int switchData(ByteBuffer b, int p, SampleFields f) {
        f.srcVlan = b.getInt(p) & 0xFFF;
        f.srcPriority = b.getInt(p + 4) & 0x7;
        f.dstVlan = b.getInt(p + 8) & 0xFFF;
        f.dstPriority = b.getInt(p + 12) & 0x7;
        return p + SWITCH_LENGTH;
    }

    /**
     * Extended MPLS data: next hop, then the incoming label stack (a count, then 32-bit label entries), then the
     * outgoing one. The incoming stack is the record's, as pmacct takes it (the sampled header's when it comes
     * later): top, bottom (the entry with the bottom-of-stack bit, else the last), depth and the labels, outermost
     * first.
     */
    static int mpls(ByteBuffer b, int p, int end, FlowRecord r, SampleFields f, Fault fault) {
        int q = f.mplsNextHop.read(b, p, end, fault);
        if (q < 0) {
            return -1;
        }
        if (end - q < 4) {
            return SflowFault.MPLS_STACK_CUT.note(fault);
        }
        long depth = Xdr.u32(b, q);
        q += 4;
        if (depth > (end - q) / 4) {
            return SflowFault.MPLS_STACK_PAST_RECORD.note(fault, depth);
        }
        r.mplsLabelCount = 0;
        r.mplsLabelTop = 0;
        r.mplsLabelBottom = 0;
        r.mplsStackDepth = 0;
        for (int i = 0; i < depth; i++) {
            int entry = b.getInt(q + 4 * i);
            int label = entry >>> 12;
            if (i == 0) {
                r.mplsLabelTop = label;
            }
            if (i < FlowRecord.MAX_MPLS_LABELS) {
                r.mplsLabels[i] = label;
                r.mplsLabelCount = i + 1;
            }
            r.mplsLabelBottom = label;
            r.mplsStackDepth = i + 1;
            if ((entry & 0x100) != 0) {
                break;
            }
        }
        return q + 4 * (int) depth;
    }

    /** Extended MPLS VC data: the VC's name, its id (mpls_pw_id) and CoS. */
    static int mplsVc(ByteBuffer b, int p, int end, SampleFields f, Fault fault) {
        if (end - p < 4) {
            return SflowFault.MPLS_VC_CUT.note(fault);
        }
        long name = Xdr.u32(b, p);
        if (name > end - p) {
            return SflowFault.MPLS_VC_CUT.note(fault);
        }
        int q = p + 4 + Xdr.pad(name);
        if (end - q < 8) {
            return SflowFault.MPLS_VC_CUT.note(fault);
        }
        f.mplsPwId = Xdr.u32(b, q);
        return q + 8;
    }

    /** Extended router data: next hop, source and destination masks. */
    static int router(ByteBuffer b, int p, int end, SampleFields f, Fault fault) {
        int q = f.nextHop.read(b, p, end, fault);
        if (q < 0) {
            return -1;
        }
        if (end - q < 8) {
            return SflowFault.ROUTER_CUT.note(fault);
        }
        f.srcMask = (int) Math.min(Xdr.u32(b, q), 128);
        f.dstMask = (int) Math.min(Xdr.u32(b, q + 4), 128);
        return q + 8;
    }

    /**
     * Extended gateway data after its next hop (v5 only has one): AS, source AS, source peer AS, the destination
     * AS path (v5 and v4: segments of a type and ASNs; v2: one list of ASNs), then communities and local
     * preference (not in v2).
     */
    static int gateway(ByteBuffer b, int p, int end, boolean segments, SampleFields f, Fault fault) {
        if (end - p < 16) {
            return SflowFault.GATEWAY_CUT.note(fault);
        }
        f.srcAs = Xdr.u32(b, p + 4);
        long path = Xdr.u32(b, p + 12);
        p += 16;
        long lastAs = 0;
        if (segments) {
            for (long s = 0; s < path; s++) {
                if (end - p < 8) {
                    return SflowFault.AS_SEGMENT_CUT.note(fault, s + 1, path);
                }
                long n = Xdr.u32(b, p + 4);
                p += 8;
                if (n > (end - p) / 4) {
                    return SflowFault.AS_SEGMENT_PAST_RECORD.note(fault, n);
                }
                if (n > 0) {
                    lastAs = Xdr.u32(b, p + 4 * (int) (n - 1));
                }
                p += 4 * (int) n;
            }
            if (end - p < 4) {
                return SflowFault.COMMUNITIES_CUT.note(fault);
            }
            long communities = Xdr.u32(b, p);
            p += 4;
            if (communities > (end - p - 4) / 4) {
                return SflowFault.COMMUNITIES_PAST_RECORD.note(fault, communities);
            }
            p += 4 * (int) communities + 4; // and the local preference
        } else {
            if (path > (end - p) / 4) {
                return SflowFault.AS_PATH_PAST_DATAGRAM.note(fault, path);
            }
            if (path > 0) {
                lastAs = Xdr.u32(b, p + 4 * (int) (path - 1));
            }
            p += 4 * (int) path;
        }
        f.dstAs = lastAs;
        return p;
    }
}
