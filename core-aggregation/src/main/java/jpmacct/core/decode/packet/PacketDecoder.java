package jpmacct.core.decode.packet;

import jpmacct.core.decode.Verdict;
import java.nio.ByteBuffer;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * Decodes one captured frame into a {@link FlowRecord}: link layer (Ethernet with any stack of 802.1Q/802.1ad
 * tags, MPLS, PPPoE; Linux cooked v1/v2; raw IP; BSD loopback), IPv4 and IPv6 with extension headers, TCP/UDP
 * ports and TCP flags. Reads with absolute gets, allocates nothing, never throws on bad input: it returns a
 * {@link Verdict} and counts it.
 *
 * <p>Accounting follows pmacct: one packet, bytes = the IP length (header included, link layer excluded), VLAN and
 * CoS of the outermost tag, ethertype of the IP layer, ports only for TCP and UDP. Where pmacct loses traffic this
 * decoder counts it: 802.1ad outer tags are followed, a packet cut before its ports is accounted with ports 0, and
 * bytes never exceed what was on the wire (a forged IP length cannot inflate counters).
 */
public final class PacketDecoder {
    private static final int ETH_IPV4 = 0x0800;
    private static final int ETH_IPV6 = 0x86DD;
    private static final int MAX_LAYERS = 16;

    private final FragmentTable fragments;
    private final FlowTracker flows;
    private final DecodeStats stats;
    private final boolean sampledHeaders;

    /**
     * @param fragments fragment state, or null to account every fragment on its own (ports 0 for later ones)
     * @param flows     flow state for the {@code flows} primitive, or null
     */
    public PacketDecoder(FragmentTable fragments, FlowTracker flows, DecodeStats stats) {
        this(fragments, flows, stats, false);
    }

    /**
     * @param sampledHeaders decode as sfacctd reads sampled headers: also the MPLS label stack, and the inner IPv4
     *                       header of IP-in-IP (protocols 4 and 94) as the tunnel_* fields
     */
    public PacketDecoder(FragmentTable fragments, FlowTracker flows, DecodeStats stats, boolean sampledHeaders) {
        this.fragments = fragments;
        this.flows = flows;
        this.stats = stats;
        this.sampledHeaders = sampledHeaders;
    }

    public DecodeStats stats() {
        return stats;
    }

    public FragmentTable fragments() {
        return fragments;
    }

    /**
     * @param buf      big-endian buffer holding the frame
     * @param off      offset of the frame
     * @param caplen   captured bytes
     * @param wireLen  length of the frame on the wire
     * @param linkType pcap link type
     * @param tsMicros capture time
     * @param r        written in place: every L2-L4 field, counters and times; the exporter-side fields
     *                 (interfaces, AS numbers, masks, tags) are left to the caller
     */
    public Verdict decode(ByteBuffer buf, int off, int caplen, int wireLen, int linkType, long tsMicros, FlowRecord r) {
        stats.frames++;
        // batch slots are reused without clearing: write every field this decoder produces
        r.srcMac = 0;
        r.dstMac = 0;
        r.vlan = 0;
        r.cos = 0;
        r.etype = 0;
        r.srcPort = 0;
        r.dstPort = 0;
        r.tcpFlags = 0;
        r.icmpTypeCode = 0;
        r.flows = 0;
        r.packets = 1;
        r.timeArrivalMicros = tsMicros;
        r.timeStartMicros = tsMicros;
        r.timeEndMicros = tsMicros;
        r.samplingRate = 1;
        if (r.pmacct18) {
            r.clearPmacct18(); // the flow label of an IPv6 packet the slot held before
        }
        if (r.extended) {
            r.clearExtended(); // the tunnel fields of a VXLAN packet the slot held before
        }
        int end = off + caplen;
        // at least what was captured was on the wire: a smaller (corrupt) length would make bytes negative
        wireLen = Math.max(wireLen, caplen);
        Verdict v;
        switch (linkType) {
            case LinkTypes.ETHERNET:
                v = ethernet(buf, off, end, wireLen, r);
                break;
            case LinkTypes.LINUX_SLL:
                v = sll(buf, off, end, wireLen, r);
                break;
            case LinkTypes.LINUX_SLL2:
                v = sll2(buf, off, end, wireLen, r);
                break;
            case LinkTypes.RAW:
            case LinkTypes.RAW_DLT_LINUX:
            case LinkTypes.RAW_DLT_BSD:
                v = rawIp(buf, off, off, end, wireLen, r);
                break;
            case LinkTypes.IPV4:
                v = ipv4(buf, off, off, end, wireLen, r);
                break;
            case LinkTypes.IPV6:
                v = ipv6(buf, off, off, end, wireLen, r);
                break;
            case LinkTypes.NULL:
            case LinkTypes.LOOP:
                v = loopback(buf, off, end, wireLen, linkType == LinkTypes.LOOP, r);
                break;
            default:
                v = Verdict.UNSUPPORTED_LINK;
                break;
        }
        count(v);
        return v;
    }

    private void count(Verdict v) {
        switch (v) {
            case OK: stats.accounted++; break;
            case NOT_IP: stats.notIp++; break;
            case TRUNCATED: stats.truncated++; break;
            case MALFORMED: stats.malformed++; break;
            case UNSUPPORTED_LINK: stats.unsupportedLink++; break;
            default: break;
        }
    }

    private static long mac(ByteBuffer b, int at) {
        return ((long) (b.getShort(at) & 0xFFFF) << 32) | (b.getInt(at + 2) & 0xFFFFFFFFL);
    }

    private Verdict ethernet(ByteBuffer b, int off, int end, int wireLen, FlowRecord r) {
        if (off + 14 > end) {
            return Verdict.TRUNCATED;
        }
        r.dstMac = mac(b, off);
        r.srcMac = mac(b, off + 6);
        int etype = b.getShort(off + 12) & 0xFFFF;
        return l2Payload(b, off, off + 14, end, wireLen, etype, r);
    }

    /** Follows VLAN tags, MPLS labels and PPPoE to the IP header. */
    private Verdict l2Payload(ByteBuffer b, int frame, int p, int end, int wireLen, int etype, FlowRecord r) {
        int tags = 0;
        for (int layer = 0; layer < MAX_LAYERS; layer++) {
            switch (etype) {
                case ETH_IPV4:
                    return ipv4(b, frame, p, end, wireLen, r);
                case ETH_IPV6:
                    return ipv6(b, frame, p, end, wireLen, r);
                case 0x8100: // 802.1Q
                case 0x88A8: // 802.1ad (pmacct 1.7.7 drops these frames)
                case 0x9100: // pre-standard QinQ
                case 0x9200:
                    if (p + 4 > end) {
                        return Verdict.TRUNCATED;
                    }
                    int tci = b.getShort(p) & 0xFFFF;
                    if (tags == 0) {
                        r.vlan = tci & 0x0FFF;
                        r.cos = tci >>> 13;
                    } else if (tags == 1) { // QinQ: the customer VLAN
                        r.extended = true;
                        r.inCvlan = tci & 0x0FFF;
                    }
                    tags++;
                    etype = b.getShort(p + 2) & 0xFFFF;
                    p += 4;
                    break;
                case 0x8847: // MPLS unicast
                case 0x8848: { // MPLS multicast
                    int label;
                    int labels = 0;
                    do {
                        if (p + 4 > end) {
                            return Verdict.TRUNCATED;
                        }
                        label = b.getInt(p);
                        p += 4;
                        if (sampledHeaders) {
                            label(r, labels, label);
                        }
                    } while ((label & 0x100) == 0 && ++labels < MAX_LAYERS);
                    if ((label & 0x100) == 0) {
                        return Verdict.MALFORMED;
                    }
                    int value = label >>> 12;
                    if (value == 0 || value == 3) {
                        etype = ETH_IPV4;
                    } else if (value == 2) {
                        etype = ETH_IPV6;
                    } else {
                        if (p >= end) {
                            return Verdict.TRUNCATED;
                        }
                        int version = (b.get(p) & 0xF0) >>> 4;
                        if (version == 4) {
                            etype = ETH_IPV4;
                        } else if (version == 6) {
                            etype = ETH_IPV6;
                        } else {
                            return Verdict.NOT_IP;
                        }
                    }
                    break;
                }
                case 0x8864: { // PPPoE session
                    if (p + 8 > end) {
                        return Verdict.TRUNCATED;
                    }
                    int ppp = b.getShort(p + 6) & 0xFFFF;
                    if (ppp == 0x0021) {
                        etype = ETH_IPV4;
                    } else if (ppp == 0x0057) {
                        etype = ETH_IPV6;
                    } else {
                        return Verdict.NOT_IP;
                    }
                    p += 8;
                    break;
                }
                default:
                    return Verdict.NOT_IP;
            }
        }
        return Verdict.MALFORMED;
    }

    private Verdict sll(ByteBuffer b, int off, int end, int wireLen, FlowRecord r) {
        if (off + 16 > end) {
            return Verdict.TRUNCATED;
        }
        if ((b.getShort(off + 4) & 0xFFFF) == 6) {
            r.srcMac = mac(b, off + 6);
        }
        int proto = b.getShort(off + 14) & 0xFFFF;
        return l2Payload(b, off, off + 16, end, wireLen, proto, r);
    }

    private Verdict sll2(ByteBuffer b, int off, int end, int wireLen, FlowRecord r) {
        if (off + 20 > end) {
            return Verdict.TRUNCATED;
        }
        if ((b.get(off + 11) & 0xFF) == 6) {
            r.srcMac = mac(b, off + 12);
        }
        int proto = b.getShort(off) & 0xFFFF;
        return l2Payload(b, off, off + 20, end, wireLen, proto, r);
    }

    private Verdict rawIp(ByteBuffer b, int frame, int p, int end, int wireLen, FlowRecord r) {
        if (p >= end) {
            return Verdict.TRUNCATED;
        }
        int version = (b.get(p) & 0xF0) >>> 4;
        if (version == 4) {
            return ipv4(b, frame, p, end, wireLen, r);
        }
        if (version == 6) {
            return ipv6(b, frame, p, end, wireLen, r);
        }
        return Verdict.NOT_IP;
    }

    private Verdict loopback(ByteBuffer b, int off, int end, int wireLen, boolean networkOrder, FlowRecord r) {
        if (off + 4 > end) {
            return Verdict.TRUNCATED;
        }
        int family = b.getInt(off);
        if (!networkOrder) {
            int swapped = Integer.reverseBytes(family);
            // the capturing host's byte order is unknown: accept whichever reading is a small family number
            if (Integer.compareUnsigned(swapped, family) < 0) {
                family = swapped;
            }
        }
        switch (family) {
            case 2:
                return ipv4(b, off, off + 4, end, wireLen, r);
            case 10: case 24: case 28: case 30:
                return ipv6(b, off, off + 4, end, wireLen, r);
            default:
                return Verdict.NOT_IP;
        }
    }

    private Verdict ipv4(ByteBuffer b, int frame, int p, int end, int wireLen, FlowRecord r) {
        if (p + 20 > end) {
            return Verdict.TRUNCATED;
        }
        int vhl = b.get(p) & 0xFF;
        if ((vhl >>> 4) != 4) {
            return Verdict.MALFORMED;
        }
        int ihl = (vhl & 0x0F) * 4;
        if (ihl < 20) {
            return Verdict.MALFORMED;
        }
        r.etype = ETH_IPV4;
        r.tos = b.get(p + 1) & 0xFF;
        int totalLen = b.getShort(p + 2) & 0xFFFF;
        int frag = b.getShort(p + 6) & 0xFFFF;
        r.proto = b.get(p + 9) & 0xFF;
        r.srcV4(b.getInt(p + 12));
        r.dstV4(b.getInt(p + 16));
        int onWire = wireLen - (p - frame);
        r.bytes = totalLen >= ihl ? Math.min(totalLen, onWire) : onWire;
        int fragOffset = (frag & 0x1FFF) * 8;
        boolean more = (frag & 0x2000) != 0;
        int l4 = p + ihl;
        if (fragOffset != 0 || more) {
            stats.fragments++;
            long id = b.getShort(p + 4) & 0xFFFF;
            return fragment(b, l4, end, fragOffset, more, id, r);
        }
        transport(b, l4, end, r);
        track(b, l4, end, r);
        return Verdict.OK;
    }

    private Verdict ipv6(ByteBuffer b, int frame, int p, int end, int wireLen, FlowRecord r) {
        if (p + 40 > end) {
            return Verdict.TRUNCATED;
        }
        int first = b.getInt(p);
        if ((first >>> 28) != 6) {
            return Verdict.MALFORMED;
        }
        r.etype = ETH_IPV6;
        r.tos = (first >>> 20) & 0xFF;
        r.pmacct18 = true;
        r.flowLabel = first & 0xFFFFF;
        int payloadLen = b.getShort(p + 4) & 0xFFFF;
        int nh = b.get(p + 6) & 0xFF;
        r.srcV6(b.getLong(p + 8), b.getLong(p + 16));
        r.dstV6(b.getLong(p + 24), b.getLong(p + 32));
        int onWire = wireLen - (p - frame);
        // a zero payload length means a jumbogram: count what was on the wire
        r.bytes = payloadLen == 0 ? onWire : Math.min(payloadLen + 40, onWire);
        int q = p + 40;
        boolean fragmented = false;
        int fragOffset = 0;
        boolean more = false;
        long id = 0;
        for (int i = 0; i < MAX_LAYERS; i++) {
            int len;
            switch (nh) {
                case 0: case 43: case 60: case 135: // hop-by-hop, routing, destination options, mobility
                    if (q + 2 > end) {
                        r.proto = 0;
                        return shortHeaders(r);
                    }
                    len = ((b.get(q + 1) & 0xFF) + 1) * 8;
                    break;
                case 51: // AH
                    if (q + 2 > end) {
                        r.proto = 0;
                        return shortHeaders(r);
                    }
                    len = ((b.get(q + 1) & 0xFF) + 2) * 4;
                    break;
                case 44: // fragment
                    if (q + 8 > end) {
                        r.proto = 0;
                        return shortHeaders(r);
                    }
                    int offlg = b.getShort(q + 2) & 0xFFFF;
                    fragOffset = offlg & 0xFFF8;
                    more = (offlg & 1) != 0;
                    id = b.getInt(q + 4) & 0xFFFFFFFFL;
                    fragmented = fragOffset != 0 || more;
                    len = 8;
                    break;
                default:
                    r.proto = nh;
                    if (fragmented) {
                        stats.fragments++;
                        return fragment(b, q, end, fragOffset, more, id, r);
                    }
                    transport(b, q, end, r);
                    track(b, q, end, r);
                    return Verdict.OK;
            }
            nh = b.get(q) & 0xFF;
            q += len;
        }
        r.proto = nh;
        return Verdict.OK;
    }

    /** Extension headers cut by the capture: account the packet without protocol details. */
    private Verdict shortHeaders(FlowRecord r) {
        stats.shortL4++;
        return Verdict.OK;
    }

    /** Reads TCP/UDP ports and TCP flags when captured. */
    private void transport(ByteBuffer b, int l4, int end, FlowRecord r) {
        int proto = r.proto;
        if (proto == 1 || proto == 58) {
            if (l4 + 2 <= end) {
                r.icmpTypeCode = b.getShort(l4) & 0xFFFF;
            }
            return;
        }
        if (proto != 6 && proto != 17) {
            if (sampledHeaders && (proto == IPENCAP || proto == IPIP)) {
                r.extended = true;
                tunnelIp(b, l4, ETH_IPV4, end, r); // sfacctd: the inner IPv4 header is the tunnel's
            }
            return;
        }
        if (l4 + 4 > end) {
            stats.shortL4++;
            return;
        }
        r.srcPort = b.getShort(l4) & 0xFFFF;
        r.dstPort = b.getShort(l4 + 2) & 0xFFFF;
        if (proto == 6 && l4 + 14 <= end) {
            r.tcpFlags = b.get(l4 + 13) & 0xFF;
        } else if (proto == 17 && r.dstPort == VXLAN_PORT) {
            vxlan(b, l4 + 8, end, r);
        }
    }

    /** Labels of the stack, outermost first: top, bottom and depth, and the stack itself (its first ten). */
    private static void label(FlowRecord r, int index, int entry) {
        int value = entry >>> 12;
        if (index == 0) {
            r.mplsLabelTop = value;
            r.mplsLabelCount = 0;
        }
        if (index < FlowRecord.MAX_MPLS_LABELS) {
            r.mplsLabels[index] = value;
            r.mplsLabelCount = index + 1;
        }
        r.mplsStackDepth = index + 1;
        if ((entry & 0x100) != 0) {
            r.mplsLabelBottom = value;
        }
    }

    private static final int VXLAN_PORT = 4789;
    private static final int IPENCAP = 4;
    private static final int IPIP = 94;

    /**
     * A VXLAN packet (UDP port 4789), as pmacctd reads it: the network identifier when the I flag is set, and the
     * inner frame's MACs, addresses, protocol, ToS, ports and TCP flags as the tunnel_* primitives.
     */
    private static void vxlan(ByteBuffer b, int p, int end, FlowRecord r) {
        if (p + 8 > end) {
            return;
        }
        r.extended = true;
        if ((b.get(p) & 0x08) != 0) {
            r.vxlan = b.getInt(p + 4) >>> 8;
        }
        int e = p + 8;
        if (e + 14 > end) {
            return;
        }
        r.tunnelDstMac = mac(b, e);
        r.tunnelSrcMac = mac(b, e + 6);
        int etype = b.getShort(e + 12) & 0xFFFF;
        int q = e + 14;
        while ((etype == 0x8100 || etype == 0x88A8) && q + 4 <= end) {
            etype = b.getShort(q + 2) & 0xFFFF;
            q += 4;
        }
        tunnelIp(b, q, etype, end, r);
    }

    /** A tunnel's inner IP header at {@code q} (of ethertype {@code etype}): the tunnel_* fields but the MACs. */
    private static void tunnelIp(ByteBuffer b, int q, int etype, int end, FlowRecord r) {
        int proto;
        int l4;
        if (etype == ETH_IPV4 && q + 20 <= end && (b.get(q) & 0xF0) == 0x40) {
            r.tunnelSrcFamily = Addr.V4;
            r.tunnelSrcLo = b.getInt(q + 12) & 0xFFFFFFFFL;
            r.tunnelDstFamily = Addr.V4;
            r.tunnelDstLo = b.getInt(q + 16) & 0xFFFFFFFFL;
            r.tunnelTos = b.get(q + 1) & 0xFF;
            proto = b.get(q + 9) & 0xFF;
            l4 = q + (b.get(q) & 0x0F) * 4;
            if ((b.getShort(q + 6) & 0x1FFF) != 0) {
                r.tunnelProto = proto;
                return; // a later fragment: no ports
            }
        } else if (etype == ETH_IPV6 && q + 40 <= end && (b.get(q) & 0xF0) == 0x60) {
            int first = b.getInt(q);
            r.tunnelTos = (first >>> 20) & 0xFF;
            r.tunnelFlowLabel = first & 0xFFFFF;
            r.tunnelSrcFamily = Addr.V6;
            r.tunnelSrcHi = b.getLong(q + 8);
            r.tunnelSrcLo = b.getLong(q + 16);
            r.tunnelDstFamily = Addr.V6;
            r.tunnelDstHi = b.getLong(q + 24);
            r.tunnelDstLo = b.getLong(q + 32);
            proto = b.get(q + 6) & 0xFF;
            l4 = q + 40;
        } else {
            return;
        }
        r.tunnelProto = proto;
        if ((proto == 6 || proto == 17) && l4 + 4 <= end) {
            r.tunnelSrcPort = b.getShort(l4) & 0xFFFF;
            r.tunnelDstPort = b.getShort(l4 + 2) & 0xFFFF;
            if (proto == 6 && l4 + 14 <= end) {
                r.tunnelTcpFlags = b.get(l4 + 13) & 0xFF;
            }
        }
    }

    private void track(ByteBuffer b, int l4, int end, FlowRecord r) {
        if (flows != null) {
            long seq = r.proto == 6 && l4 + 8 <= end ? b.getInt(l4 + 4) & 0xFFFFFFFFL : 0;
            flows.track(r, seq, r.timeArrivalMicros / 1_000_000L);
        }
    }

    private Verdict fragment(ByteBuffer b, int l4, int end, int fragOffset, boolean more, long id, FlowRecord r) {
        boolean portful = r.proto == 6 || r.proto == 17;
        if (fragOffset == 0) {
            transport(b, l4, end, r);
            if (portful && fragments != null) {
                fragments.first(r, id, r.timeArrivalMicros);
            }
            track(b, l4, end, r);
            return Verdict.OK;
        }
        if (portful && fragments != null && !fragments.later(r, id, r.timeArrivalMicros)) {
            return Verdict.HELD;
        }
        return Verdict.OK;
    }
}
