package jpmacct.sfacctd.decode;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * What the records of one flow sample said, kept until all are read and then applied to its record with pmacct's
 * preferences (the frame length over the Ethernet record's, the source VLAN over the destination's, the BGP next
 * hop over the router's; the switch record's VLANs over the header's tag, as in_vlan and out_vlan too). One per
 * decoder, cleared at the start of each sample.
 */
final class SampleFields {
    long frameLength;
    long ethernetLength;
    boolean notIp;
    int srcVlan;
    int srcPriority;
    int dstVlan;
    int dstPriority;
    int srcMask;
    int dstMask;
    long srcAs;
    long dstAs;
    final Address nextHop = new Address();
    final Address bgpNextHop = new Address();
    /** The extended MPLS record's next hop (read past, not used). */
    final Address mplsNextHop = new Address();
    /** The extended MPLS VC record's id (mpls_pw_id), 0 when none. */
    long mplsPwId;

    void clear() {
        frameLength = -1;
        ethernetLength = -1;
        notIp = false;
        srcVlan = 0;
        srcPriority = 0;
        dstVlan = 0;
        dstPriority = 0;
        srcMask = 0;
        dstMask = 0;
        srcAs = 0;
        dstAs = 0;
        nextHop.clear();
        bgpNextHop.clear();
        mplsPwId = 0;
    }

    /** Writes bytes, VLAN, CoS, masks, AS numbers and the peer destination into the sample's record. */
    void applyTo(FlowRecord r, boolean useIpNextHop) {
        r.bytes = frameLength >= 0 ? frameLength : Math.max(ethernetLength, 0);
        int inVlan = r.vlan; // the header's outermost tag, unless the switch record says otherwise
        int outVlan = 0;
        if (srcVlan != 0 || dstVlan != 0) {
            r.vlan = srcVlan != 0 ? srcVlan : dstVlan;
            inVlan = srcVlan;
            outVlan = dstVlan;
        }
        if (inVlan != 0 || outVlan != 0 || mplsPwId != 0) {
            r.extended = true;
            r.inVlan = inVlan;
            r.outVlan = outVlan;
            r.mplsPwId = mplsPwId;
        }
        if (srcPriority != 0 || dstPriority != 0) {
            r.cos = srcPriority != 0 ? srcPriority : dstPriority;
        }
        r.srcMask = srcMask;
        r.dstMask = dstMask;
        r.srcAs = srcAs;
        r.dstAs = dstAs;
        Address peer = bgpNextHop.family != Addr.NONE ? bgpNextHop : useIpNextHop ? nextHop : null;
        if (peer != null && peer.family != Addr.NONE) {
            r.peerDstFamily = peer.family;
            r.peerDstHi = peer.hi;
            r.peerDstLo = peer.lo;
        }
    }
}
