package jpmacct.nfacctd.template;

import java.util.Arrays;

import jpmacct.core.record.FlowRecord;
import jpmacct.core.primitive.CustomPrimitive;

/**
 * Where, in a data record of one template, each primitive comes from: a template field index per target, or -1.
 * Where pmacct 1.7.7 takes the first of several elements present (octets from 1, else 85, else 23; the next hop
 * from 18, else 47, ...), the choice is made here, once per template, since every record of a template has the
 * same fields. An element a template repeats (an outer IPv6 header then the inner IPv4 one, Huawei's template
 * 6017) is read from its last occurrence, as pmacct (1.7.7 and 1.8) reads it: its template keeps one place per
 * IANA element that each occurrence overwrites, so the last one's length decides whether the element is usable
 * at all. Decoding a record is then straight-line code over these indexes, with no dispatch per field.
 */
public final class RecordPlan {
    public static final int NONE = -1;
    /** How a start/end time field is encoded. */
    public static final int MILLIS = 1;
    public static final int NTP_MICROS = 2;
    public static final int NTP_NANOS = 3;
    public static final int SECONDS = 4;
    public static final int DELTA_MICROS = 5;
    /** IANA ids pmacct keeps one place each for in a template (NF9_MAX_DEFINED_FIELD); above, a list by repeat. */
    static final int PMACCT_LEGACY_ELEMENTS = 384;

    public final int octets;
    public final int packets;
    public final int flows;
    public final int proto;
    public final int tos;
    public final int tcpFlags;
    public final int srcPort;
    public final int dstPort;
    public final int srcV4;
    public final int dstV4;
    public final int srcV6;
    public final int dstV6;
    public final int srcMask4;
    public final int dstMask4;
    public final int srcMask6;
    public final int dstMask6;
    public final int ipVersion;
    /**
     * How a record's addresses are read, decided here once for the template where pmacct decides per record: by
     * the IP version element ({@link #ADDRESSING_BY_VERSION}), else by the IPv4 source's first byte when both
     * families are here ({@link #ADDRESSING_BY_SOURCE}), else IPv6 when IPv6 addresses are (and no IPv4 source),
     * else IPv4; or {@link #ADDRESSING_SRV6} for a template with SRv6 layers ({@link #srv6}).
     */
    public final int addressing;
    /** As {@link #addressing} without SRv6: how a record of an SRv6 template that is no SRv6 flow is read. */
    public final int plainAddressing;
    public static final int ADDRESSING_V4 = 0;
    public static final int ADDRESSING_V6 = 1;
    public static final int ADDRESSING_BY_VERSION = 2;
    public static final int ADDRESSING_BY_SOURCE = 3;
    public static final int ADDRESSING_SRV6 = 4;
    /** With {@link #ADDRESSING_BY_VERSION}: whether a version other than 4 and 6 reads IPv6 (no IPv4 address here). */
    public final boolean otherVersionV6;
    /** Whether the template has an address element at all (else the flow's ethertype is not told by them). */
    public final boolean addressed;
    public final int inIface;
    public final int outIface;
    public final int srcAs;
    public final int dstAs;
    /** The next hop pmacct would take, already resolved (18, 47, 15 with use_ip_next_hop, 63, 140, 62). */
    public final int nextHop;
    public final int firstUptime;
    public final int lastUptime;
    public final int systemInit;
    public final int start;
    public final int startKind;
    public final int end;
    public final int endKind;
    public final int samplerId;
    /** 50 (random interval) or else 34 (sampling interval) in the data record. */
    public final int interval;
    public final int srcMac;
    public final int dstMac;
    public final int vlanIn;
    public final int vlanOut;
    public final int dot1qIn;
    public final int dot1qOut;
    public final int direction;
    public final int cos;
    public final int etype;
    public final int ingressVrf;
    public final int egressVrf;
    public final int rd;
    /** ingressInterface and egressInterface themselves (not the physical ones): options data names them. */
    public final int ifIndexIn;
    public final int ifIndexOut;
    /** Whether the record carries a VRF id or a route distinguisher (maps and options data may name them). */
    public final boolean vpn;
    /** Whether it carries interface indexes, which options data may name. */
    public final boolean interfaces;
    /** Field index of MPLS label k (elements 70-79), NONE where absent. */
    public final int[] labels;
    /** Labels to look at for top, bottom and depth (1.7.7 reads labels 1 to 9): one past the last present. */
    public final int labelCount;
    /** As {@link #labelCount} over all ten labels, for pmacct 1.8's mpls_label_stack. */
    public final int stackCount;
    // pmacct 1.8's primitives
    public final int flowLabel;
    public final int fwdStatus;
    public final int cvlanIn;
    public final int cvlanOut;
    /** Post-NAT address, port and NAT event: the IANA element, else Cisco ASA NSEL's (40001-40005). */
    public final int postNatSrc4;
    public final int postNatDst4;
    public final int postNatSrc6;
    public final int postNatDst6;
    public final int postNatSrcPort;
    public final int postNatDstPort;
    public final int natEvent;
    public final int fwEvent;
    /** Whether any of pmacct 1.8's elements (NAT, firewall, forwarding status, flow label, customer VLAN) is here. */
    public final boolean pmacct18;
    /** Whether post-NAT addresses or ports or customer VLANs are here (FlowRecord's extended fields). */
    public final boolean natOrCvlan;
    /** pseudoWireId (249) and layer2SegmentId (351, VXLAN or NVGRE, 8 bytes): last occurrence. */
    public final int pseudoWire;
    public final int l2SegmentId;
    /**
     * The SRv6 segment list (497, else Huawei's 505) and the path delays (600-603, else Huawei's 521-527): their
     * first occurrence, as pmacct 1.8 reads elements from id 384 on.
     */
    public final int srv6List;
    public final int delayMean;
    public final int delayMin;
    public final int delayMax;
    public final int delaySum;
    /** packetDeltaCount (2) itself, which the delay sum is divided by. */
    public final int inPackets;
    /** The first ToS of a template that repeats it (pmacct 1.8's tunnel_tos, for any flow). */
    public final int tunnelTos;
    /** Whether any of the fields above is here (FlowRecord's extended fields). */
    public final boolean overlay;
    /**
     * pmacct 1.8's SRv6 flows, told by the template's IP layers (the order of its source address elements, 8 and
     * 27): one IPv6 layer that may carry Ethernet ({@link #SRV6_ETHERNET}), or an IPv6 layer then another
     * ({@link #SRV6_ENCAPSULATED}); a record is one when its first protocol (element 4) says so: 143, or 4 / 41.
     * {@link #NOT_SRV6} when the template has no such layers, has no protocol element, counts no octets, or
     * is a NAT event or data-link section template (pmacct's other flow types).
     */
    public final int srv6;
    public static final int NOT_SRV6 = 0;
    public static final int SRV6_ETHERNET = 1;
    public static final int SRV6_ENCAPSULATED = 2;
    /** For {@link #SRV6_ENCAPSULATED}: whether the second layer is IPv6 (else IPv4). */
    public final boolean srv6InnerV6;
    /** The outer header of an SRv6 flow (tunnel_*): first occurrences of 4, 27, 28, 7, 11, 6, and of 31 if repeated. */
    public final int outerProto;
    public final int outerSrc6;
    public final int outerDst6;
    public final int outerSrcPort;
    public final int outerDstPort;
    public final int outerTcpFlags;
    public final int outerFlowLabel;
    /** The inner IPv4 header of an SRv6 flow: the last sourceIPv4Address and destinationIPv4Address. */
    public final int innerSrc4;
    public final int innerDst4;
    /** Fields feeding custom primitives, and the primitives (which carry their record slots). */
    public final int[] customFields;
    public final CustomPrimitive[] customPrimitives;
    /** Whether any time, VLAN, MPLS, VRF, MAC or custom field is present: records without skip those steps. */
    public final boolean extras;

    public RecordPlan(Template t, boolean useIpNextHop) {
        int n = t.fieldCount();
        int[] best = new int[Fields.ACTIONS];
        int[] firstOf = new int[Fields.ACTIONS];
        int[] count = new int[Fields.ACTIONS];
        Arrays.fill(best, NONE);
        Arrays.fill(firstOf, NONE);
        int[] layers = new int[3];
        int layerCount = 0;
        boolean frameSection = false;
        for (int i = 0; i < n; i++) {
            int a = t.action(i);
            if (a > 0 && a < best.length) {
                best[a] = usable(a, t.length(i)) ? i : NONE; // a later occurrence replaces an earlier one
                if (count[a]++ == 0) {
                    firstOf[a] = usable(a, t.length(i)) ? i : NONE;
                }
                if ((a == Fields.SRC_V4 || a == Fields.SRC_V6) && layerCount < layers.length) {
                    layers[layerCount++] = a; // pmacct's template layers: the IP source addresses in order
                }
            }
            frameSection |= t.enterprise(i) == 0
                    && (t.type(i) == Fields.DATALINK_FRAME_SECTION || t.type(i) == Fields.LAYER2_PACKET_SECTION);
        }
        octets = first(best, Fields.OCTETS, Fields.TOTAL_OCTETS, Fields.OUT_OCTETS);
        packets = first(best, Fields.PACKETS, Fields.TOTAL_PACKETS, Fields.OUT_PACKETS);
        flows = best[Fields.FLOWS];
        proto = best[Fields.PROTOCOL];
        tos = best[Fields.TOS];
        tcpFlags = best[Fields.TCP_FLAGS];
        srcPort = first(best, Fields.SRC_PORT, Fields.UDP_SRC_PORT, Fields.TCP_SRC_PORT);
        dstPort = first(best, Fields.DST_PORT, Fields.UDP_DST_PORT, Fields.TCP_DST_PORT);
        srcV4 = first(best, Fields.SRC_V4, Fields.SRC_PREFIX_V4);
        dstV4 = first(best, Fields.DST_V4, Fields.DST_PREFIX_V4);
        srcV6 = first(best, Fields.SRC_V6, Fields.SRC_PREFIX_V6);
        dstV6 = first(best, Fields.DST_V6, Fields.DST_PREFIX_V6);
        srcMask4 = best[Fields.SRC_MASK];
        dstMask4 = best[Fields.DST_MASK];
        srcMask6 = best[Fields.SRC_MASK_V6];
        dstMask6 = best[Fields.DST_MASK_V6];
        ipVersion = best[Fields.IP_VERSION];
        inIface = first(best, Fields.IN_IFACE, Fields.IN_PHYS_IFACE);
        outIface = first(best, Fields.OUT_IFACE, Fields.OUT_PHYS_IFACE);
        srcAs = best[Fields.SRC_AS];
        dstAs = best[Fields.DST_AS];
        nextHop = nextHop(best, useIpNextHop);
        firstUptime = best[Fields.FIRST_UPTIME];
        lastUptime = best[Fields.LAST_UPTIME];
        systemInit = best[Fields.SYSTEM_INIT_MILLIS];
        int[] s = time(best, Fields.START_MILLIS, Fields.START_MICROS, Fields.START_NANOS, Fields.START_SECONDS,
                Fields.START_DELTA_MICROS);
        start = s[0];
        startKind = s[1];
        int[] e = time(best, Fields.END_MILLIS, Fields.END_MICROS, Fields.END_NANOS, Fields.END_SECONDS,
                Fields.END_DELTA_MICROS);
        end = e[0];
        endKind = e[1];
        samplerId = first(best, Fields.SAMPLER_ID, Fields.SELECTOR_ID);
        interval = first(best, Fields.SAMPLER_RANDOM_INTERVAL, Fields.SAMPLING_INTERVAL);
        srcMac = first(best, Fields.SRC_MAC, Fields.POST_SRC_MAC);
        dstMac = first(best, Fields.DST_MAC, Fields.POST_DST_MAC);
        vlanIn = best[Fields.SRC_VLAN];
        vlanOut = best[Fields.DST_VLAN];
        dot1qIn = best[Fields.DOT1Q_VLAN];
        dot1qOut = best[Fields.POST_DOT1Q_VLAN];
        direction = best[Fields.DIRECTION];
        cos = best[Fields.DOT1Q_PRIORITY];
        etype = best[Fields.ETHERNET_TYPE];
        ingressVrf = best[Fields.INGRESS_VRF];
        egressVrf = best[Fields.EGRESS_VRF];
        rd = best[Fields.MPLS_VPN_RD];
        ifIndexIn = best[Fields.IN_IFACE];
        ifIndexOut = best[Fields.OUT_IFACE];
        vpn = ingressVrf != NONE || egressVrf != NONE || rd != NONE;
        interfaces = ifIndexIn != NONE || ifIndexOut != NONE;
        labels = new int[FlowRecord.MAX_MPLS_LABELS];
        int lastLabel = 0;
        for (int k = 0; k < labels.length; k++) {
            labels[k] = best[Fields.MPLS_LABEL_1 + k];
            if (labels[k] != NONE) {
                lastLabel = k + 1;
            }
        }
        stackCount = lastLabel;
        labelCount = lastLabelBefore(labels, 9);
        flowLabel = best[Fields.FLOW_LABEL_V6];
        fwdStatus = best[Fields.FWD_STATUS];
        cvlanIn = best[Fields.DOT1Q_CVLAN];
        cvlanOut = best[Fields.POST_DOT1Q_CVLAN];
        postNatSrc4 = first(best, Fields.POST_NAT_SRC_V4, Fields.ASA_XLATE_SRC_V4);
        postNatDst4 = first(best, Fields.POST_NAT_DST_V4, Fields.ASA_XLATE_DST_V4);
        postNatSrc6 = best[Fields.POST_NAT_SRC_V6];
        postNatDst6 = best[Fields.POST_NAT_DST_V6];
        postNatSrcPort = first(best, Fields.POST_NAT_SRC_PORT, Fields.ASA_XLATE_SRC_PORT);
        postNatDstPort = first(best, Fields.POST_NAT_DST_PORT, Fields.ASA_XLATE_DST_PORT);
        natEvent = first(best, Fields.NAT_EVENT, Fields.ASA_XLATE_EVENT);
        fwEvent = best[Fields.FW_EVENT];
        natOrCvlan = cvlanIn != NONE || cvlanOut != NONE || postNatSrc4 != NONE || postNatDst4 != NONE
                || postNatSrc6 != NONE || postNatDst6 != NONE || postNatSrcPort != NONE || postNatDstPort != NONE;
        pseudoWire = best[Fields.PSEUDOWIRE_ID];
        l2SegmentId = best[Fields.L2_SEGMENT_ID];
        srv6List = first(firstOf, Fields.SRV6_SEGMENT_LIST, Fields.HUAWEI_SRV6_SEGMENT_LIST);
        delayMean = first(firstOf, Fields.PATH_DELAY_MEAN, Fields.HUAWEI_PATH_DELAY_MEAN);
        delayMin = first(firstOf, Fields.PATH_DELAY_MIN, Fields.HUAWEI_PATH_DELAY_MIN);
        delayMax = first(firstOf, Fields.PATH_DELAY_MAX, Fields.HUAWEI_PATH_DELAY_MAX);
        delaySum = first(firstOf, Fields.PATH_DELAY_SUM, Fields.HUAWEI_PATH_DELAY_SUM);
        inPackets = best[Fields.PACKETS];
        tunnelTos = count[Fields.TOS] > 1 ? firstOf[Fields.TOS] : NONE;
        overlay = pseudoWire != NONE || l2SegmentId != NONE || srv6List != NONE || delayMean != NONE
                || delayMin != NONE || delayMax != NONE || delaySum != NONE || tunnelTos != NONE;
        outerProto = firstOf[Fields.PROTOCOL];
        boolean srv6Layers = layerCount > 0 && layers[0] == Fields.SRC_V6 && outerProto != NONE && octets != NONE
                && !frameSection && best[Fields.NAT_EVENT] == NONE;
        srv6 = !srv6Layers ? NOT_SRV6 : layerCount > 1 ? SRV6_ENCAPSULATED : SRV6_ETHERNET;
        boolean v4 = srcV4 != NONE || dstV4 != NONE;
        boolean v6 = srcV6 != NONE || dstV6 != NONE;
        if (ipVersion != NONE) {
            plainAddressing = ADDRESSING_BY_VERSION;
        } else if (v4 && v6 && srcV4 != NONE) {
            plainAddressing = ADDRESSING_BY_SOURCE;
        } else {
            plainAddressing = v6 ? ADDRESSING_V6 : ADDRESSING_V4;
        }
        addressing = srv6 != NOT_SRV6 ? ADDRESSING_SRV6 : plainAddressing;
        otherVersionV6 = v6 && !v4;
        addressed = v4 || v6;
        srv6InnerV6 = layerCount > 1 && layers[1] == Fields.SRC_V6;
        outerSrc6 = firstOf[Fields.SRC_V6];
        outerDst6 = firstOf[Fields.DST_V6];
        outerSrcPort = firstOf[Fields.SRC_PORT];
        outerDstPort = firstOf[Fields.DST_PORT];
        outerTcpFlags = firstOf[Fields.TCP_FLAGS];
        outerFlowLabel = count[Fields.FLOW_LABEL_V6] > 1 ? firstOf[Fields.FLOW_LABEL_V6] : NONE;
        innerSrc4 = best[Fields.SRC_V4];
        innerDst4 = best[Fields.DST_V4];
        pmacct18 = natOrCvlan || flowLabel != NONE || fwdStatus != NONE || natEvent != NONE || fwEvent != NONE
                || overlay;
        boolean anyLabel = lastLabel > 0;
        int custom = 0;
        for (CustomPrimitive c : t.custom().all()) {
            if (t.customField(c.slot()) >= 0) {
                custom++;
            }
        }
        customFields = new int[custom];
        customPrimitives = new CustomPrimitive[custom];
        int k = 0;
        for (CustomPrimitive c : t.custom().all()) {
            if (t.customField(c.slot()) >= 0) {
                customFields[k] = t.customField(c.slot());
                customPrimitives[k++] = c;
            }
        }
        extras = firstUptime != NONE || lastUptime != NONE || start != NONE || end != NONE || srcMac != NONE
                || dstMac != NONE || vlanIn != NONE || vlanOut != NONE || dot1qIn != NONE || dot1qOut != NONE
                || cos != NONE || etype != NONE || ingressVrf != NONE || egressVrf != NONE || rd != NONE || anyLabel
                || custom > 0 || samplerId != NONE || interval != NONE || nextHop != NONE || pmacct18;
    }

    private static int lastLabelBefore(int[] labels, int end) {
        int last = 0;
        for (int k = 0; k < end; k++) {
            if (labels[k] != NONE) {
                last = k + 1;
            }
        }
        return last;
    }

    /** Lengths pmacct accepts for an element; a field of another length is as good as absent. */
    private static boolean usable(int action, int len) {
        switch (action) {
            case Fields.SRC_V4: case Fields.DST_V4: case Fields.SRC_PREFIX_V4: case Fields.DST_PREFIX_V4:
            case Fields.BGP_NEXT_HOP_V4: case Fields.MPLS_TOP_LABEL_V4: case Fields.NEXT_HOP_V4:
            case Fields.POST_NAT_SRC_V4: case Fields.POST_NAT_DST_V4:
                return len == 4;
            case Fields.SRC_V6: case Fields.DST_V6: case Fields.SRC_PREFIX_V6: case Fields.DST_PREFIX_V6:
            case Fields.BGP_NEXT_HOP_V6: case Fields.BGP_NEXT_HOP_V6_ALT: case Fields.NEXT_HOP_V6:
            case Fields.POST_NAT_SRC_V6: case Fields.POST_NAT_DST_V6:
                return len == 16;
            case Fields.FWD_STATUS:
                return len == 1 || len == 2 || len == 4;
            case Fields.SRC_MAC: case Fields.DST_MAC: case Fields.POST_SRC_MAC: case Fields.POST_DST_MAC:
                return len == 6;
            case Fields.MPLS_VPN_RD: case Fields.START_MICROS: case Fields.END_MICROS: case Fields.START_NANOS:
            case Fields.END_NANOS: case Fields.L2_SEGMENT_ID: case Fields.PATH_DELAY_SUM:
            case Fields.HUAWEI_PATH_DELAY_SUM:
                return len == 8;
            case Fields.PATH_DELAY_MEAN: case Fields.PATH_DELAY_MIN: case Fields.PATH_DELAY_MAX:
            case Fields.HUAWEI_PATH_DELAY_MEAN: case Fields.HUAWEI_PATH_DELAY_MIN: case Fields.HUAWEI_PATH_DELAY_MAX:
                return len == 4;
            case Fields.SRV6_SEGMENT_LIST: case Fields.HUAWEI_SRV6_SEGMENT_LIST:
                return len != 0; // whole addresses or nothing, told per record (variable-length lists too)
            case Fields.ETHERNET_TYPE:
                return len == 2;
            default:
                if (action >= Fields.MPLS_LABEL_1 && action <= Fields.MPLS_LABEL_10) {
                    return len == 3;
                }
                return len >= 1 && len != Template.VARIABLE;
        }
    }

    private static int first(int[] best, int... elements) {
        for (int e : elements) {
            if (best[e] != NONE) {
                return best[e];
            }
        }
        return NONE;
    }

    /** pmacct's next-hop order; meeting 15 without use_ip_next_hop ends the search. */
    private static int nextHop(int[] best, boolean useIpNextHop) {
        int[] order = {Fields.BGP_NEXT_HOP_V4, Fields.MPLS_TOP_LABEL_V4, Fields.NEXT_HOP_V4, Fields.BGP_NEXT_HOP_V6,
            Fields.BGP_NEXT_HOP_V6_ALT, Fields.NEXT_HOP_V6};
        for (int e : order) {
            if (best[e] == NONE) {
                continue;
            }
            if (e == Fields.NEXT_HOP_V4 && !useIpNextHop) {
                return NONE;
            }
            if (e == Fields.NEXT_HOP_V6 && !useIpNextHop) {
                continue;
            }
            return best[e];
        }
        return NONE;
    }

    /** The first time element present by pmacct's preference, and its encoding. */
    private static int[] time(int[] best, int millis, int micros, int nanos, int seconds, int delta) {
        int[][] order = {{millis, MILLIS}, {micros, NTP_MICROS}, {nanos, NTP_NANOS}, {seconds, SECONDS},
            {delta, DELTA_MICROS}};
        for (int[] o : order) {
            if (best[o[0]] != NONE) {
                return new int[] {best[o[0]], o[1]};
            }
        }
        return new int[] {NONE, 0};
    }
}
