package jpmacct.nfacctd.template;

/**
 * Decoder actions for template fields. An IANA element the decoder understands acts under its own id (IPFIX
 * and NetFlow v9 share ids 1-127); everything else is skipped by its length. Custom primitives
 * ({@code aggregate_primitives}) get actions from {@link #CUSTOM_BASE} up.
 */
public final class Fields {
    private Fields() {
    }

    public static final int SKIP = 0;
    public static final int OCTETS = 1;
    public static final int PACKETS = 2;
    public static final int FLOWS = 3;
    public static final int PROTOCOL = 4;
    public static final int TOS = 5;
    public static final int TCP_FLAGS = 6;
    public static final int SRC_PORT = 7;
    public static final int SRC_V4 = 8;
    public static final int SRC_MASK = 9;
    public static final int IN_IFACE = 10;
    public static final int DST_PORT = 11;
    public static final int DST_V4 = 12;
    public static final int DST_MASK = 13;
    public static final int OUT_IFACE = 14;
    public static final int NEXT_HOP_V4 = 15;
    public static final int SRC_AS = 16;
    public static final int DST_AS = 17;
    public static final int BGP_NEXT_HOP_V4 = 18;
    public static final int LAST_UPTIME = 21;
    public static final int FIRST_UPTIME = 22;
    public static final int OUT_OCTETS = 23;
    public static final int OUT_PACKETS = 24;
    public static final int SRC_V6 = 27;
    public static final int DST_V6 = 28;
    public static final int SRC_MASK_V6 = 29;
    public static final int DST_MASK_V6 = 30;
    public static final int SAMPLING_INTERVAL = 34;
    public static final int SAMPLING_ALGORITHM = 35;
    public static final int SAMPLER_ID = 48;
    public static final int SAMPLER_MODE = 49;
    public static final int SAMPLER_RANDOM_INTERVAL = 50;
    public static final int POST_TOS = 55;
    public static final int SRC_MAC = 56;
    public static final int POST_DST_MAC = 57;
    public static final int SRC_VLAN = 58;
    public static final int DST_VLAN = 59;
    public static final int IP_VERSION = 60;
    public static final int DIRECTION = 61;
    public static final int NEXT_HOP_V6 = 62;
    public static final int BGP_NEXT_HOP_V6 = 63;
    public static final int MPLS_LABEL_1 = 70;
    public static final int MPLS_LABEL_10 = 79;
    public static final int DST_MAC = 80;
    public static final int POST_SRC_MAC = 81;
    public static final int MPLS_TOP_LABEL_TYPE = 46;
    public static final int MPLS_TOP_LABEL_V4 = 47;
    public static final int TOTAL_OCTETS = 85;
    public static final int TOTAL_PACKETS = 86;
    public static final int MPLS_VPN_RD = 90;
    public static final int BGP_NEXT_HOP_V6_ALT = 140;
    public static final int SRC_PREFIX_V4 = 44;
    public static final int DST_PREFIX_V4 = 45;
    public static final int DST_PREFIX_V6 = 169;
    public static final int SRC_PREFIX_V6 = 170;
    public static final int START_SECONDS = 150;
    public static final int END_SECONDS = 151;
    public static final int START_MILLIS = 152;
    public static final int END_MILLIS = 153;
    public static final int START_MICROS = 154;
    public static final int END_MICROS = 155;
    public static final int START_NANOS = 156;
    public static final int END_NANOS = 157;
    public static final int START_DELTA_MICROS = 158;
    public static final int END_DELTA_MICROS = 159;
    public static final int SYSTEM_INIT_MILLIS = 160;
    public static final int UDP_SRC_PORT = 180;
    public static final int UDP_DST_PORT = 181;
    public static final int TCP_SRC_PORT = 182;
    public static final int TCP_DST_PORT = 183;
    public static final int DOT1Q_PRIORITY = 244;
    public static final int IN_PHYS_IFACE = 252;
    public static final int OUT_PHYS_IFACE = 253;
    public static final int ETHERNET_TYPE = 256;
    public static final int INGRESS_VRF = 234;
    public static final int EGRESS_VRF = 235;
    /** Options data: a VRF's name (with 234) and an interface's (with 10). */
    public static final int VRF_NAME = 236;
    public static final int IFACE_NAME = 82;
    /** pmacct reads options scoped to the whole exporter from templates with a field of id 1 (v9: System scope). */
    public static final int SCOPE_SYSTEM = 1;
    public static final int DOT1Q_VLAN = 243;
    public static final int POST_DOT1Q_VLAN = 254;
    public static final int SELECTOR_ID = 302;
    public static final int SAMPLING_PACKET_INTERVAL = 305;
    public static final int SAMPLING_PACKET_SPACE = 306;
    public static final int SAMPLING_SIZE = 309;
    public static final int SAMPLING_POPULATION = 310;
    // pmacct 1.8's primitives
    public static final int FLOW_LABEL_V6 = 31;
    public static final int FWD_STATUS = 89;
    public static final int POST_NAT_SRC_V4 = 225;
    public static final int POST_NAT_DST_V4 = 226;
    public static final int POST_NAT_SRC_PORT = 227;
    public static final int POST_NAT_DST_PORT = 228;
    public static final int NAT_EVENT = 230;
    public static final int FW_EVENT = 233;
    public static final int DOT1Q_CVLAN = 245;
    public static final int POST_DOT1Q_CVLAN = 255;
    public static final int POST_NAT_SRC_V6 = 281;
    public static final int POST_NAT_DST_V6 = 282;
    /** pseudoWireId, pmacct's mpls_pw_id. */
    public static final int PSEUDOWIRE_ID = 249;
    /** layer2SegmentId: a type octet (1 VXLAN, 2 NVGRE), the network identifier in the last three of eight. */
    public static final int L2_SEGMENT_ID = 351;
    /** Elements pmacct reads from the first occurrence (ids from 384 on, and enterprise elements). */
    public static final int SRV6_SEGMENT_LIST = 497;
    public static final int PATH_DELAY_MEAN = 600;
    public static final int PATH_DELAY_MIN = 601;
    public static final int PATH_DELAY_MAX = 602;
    public static final int PATH_DELAY_SUM = 603;
    /** Data-link frame and layer 2 packet sections: pmacct decodes the frame instead (not an SRv6 flow then). */
    public static final int DATALINK_FRAME_SECTION = 315;
    public static final int LAYER2_PACKET_SECTION = 104;
    /**
     * Cisco ASA NSEL (NetFlow v9 ids 40001-40005: translated source and destination address and port, NAT event)
     * act from here on; pmacct takes them when the IANA post-NAT elements are absent.
     */
    public static final int ASA_XLATE_SRC_V4 = 512;
    public static final int ASA_XLATE_DST_V4 = 513;
    public static final int ASA_XLATE_SRC_PORT = 514;
    public static final int ASA_XLATE_DST_PORT = 515;
    public static final int ASA_XLATE_EVENT = 516;
    /** Huawei's (enterprise 2011) SRv6 segment list (505) and path delays (521, 523, 525, 527), read as pmacct 1.8. */
    public static final int HUAWEI_SRV6_SEGMENT_LIST = 604;
    public static final int HUAWEI_PATH_DELAY_MEAN = 605;
    public static final int HUAWEI_PATH_DELAY_MIN = 606;
    public static final int HUAWEI_PATH_DELAY_MAX = 607;
    public static final int HUAWEI_PATH_DELAY_SUM = 608;
    /** Actions below this are IANA ids or the ASA and Huawei ones above. */
    public static final int ACTIONS = 609;
    private static final int ASA_FIRST_ID = 40001;
    private static final long HUAWEI = 2011;

    /** Actions from here on are custom primitives: action - CUSTOM_BASE is the primitive's slot. */
    public static final int CUSTOM_BASE = 1 << 16;

    /** IANA ids read under their own id (the ASA and Huawei actions are not among them). */
    private static final boolean[] KNOWN = new boolean[ACTIONS];

    static {
        int[] known = {OCTETS, PACKETS, FLOWS, PROTOCOL, TOS, TCP_FLAGS, SRC_PORT, SRC_V4, SRC_MASK, IN_IFACE, DST_PORT,
            DST_V4, DST_MASK, OUT_IFACE, NEXT_HOP_V4, SRC_AS, DST_AS, BGP_NEXT_HOP_V4, LAST_UPTIME, FIRST_UPTIME,
            OUT_OCTETS, OUT_PACKETS, SRC_V6, DST_V6, SRC_MASK_V6, DST_MASK_V6, SAMPLING_INTERVAL, SAMPLING_ALGORITHM,
            SAMPLER_ID, SAMPLER_MODE, SAMPLER_RANDOM_INTERVAL, POST_TOS, SRC_MAC, POST_DST_MAC, SRC_VLAN, DST_VLAN,
            IP_VERSION, DIRECTION, NEXT_HOP_V6, BGP_NEXT_HOP_V6, DST_MAC, POST_SRC_MAC, TOTAL_OCTETS, TOTAL_PACKETS,
            MPLS_VPN_RD, START_SECONDS, END_SECONDS, START_MILLIS, END_MILLIS, START_MICROS, END_MICROS, START_NANOS,
            END_NANOS, START_DELTA_MICROS, END_DELTA_MICROS, SYSTEM_INIT_MILLIS, INGRESS_VRF, EGRESS_VRF, DOT1Q_VLAN,
            POST_DOT1Q_VLAN, SELECTOR_ID, SAMPLING_PACKET_INTERVAL, SAMPLING_PACKET_SPACE, SAMPLING_SIZE,
            SAMPLING_POPULATION, MPLS_TOP_LABEL_TYPE, MPLS_TOP_LABEL_V4, BGP_NEXT_HOP_V6_ALT, SRC_PREFIX_V4,
            DST_PREFIX_V4, DST_PREFIX_V6, SRC_PREFIX_V6, UDP_SRC_PORT, UDP_DST_PORT, TCP_SRC_PORT, TCP_DST_PORT,
            DOT1Q_PRIORITY, IN_PHYS_IFACE, OUT_PHYS_IFACE, ETHERNET_TYPE, FLOW_LABEL_V6, FWD_STATUS, POST_NAT_SRC_V4,
            POST_NAT_DST_V4, POST_NAT_SRC_PORT, POST_NAT_DST_PORT, NAT_EVENT, FW_EVENT, DOT1Q_CVLAN, POST_DOT1Q_CVLAN,
            POST_NAT_SRC_V6, POST_NAT_DST_V6, VRF_NAME, IFACE_NAME, PSEUDOWIRE_ID, L2_SEGMENT_ID, SRV6_SEGMENT_LIST,
            PATH_DELAY_MEAN, PATH_DELAY_MIN, PATH_DELAY_MAX, PATH_DELAY_SUM};
        for (int k : known) {
            KNOWN[k] = true;
        }
        for (int k = MPLS_LABEL_1; k <= MPLS_LABEL_10; k++) {
            KNOWN[k] = true;
        }
    }

    /** The standard mapping: IANA elements this decoder reads act under their id; the rest is skipped. */
    public static final FieldMapping STANDARD = Fields::standard;

    private static int standard(long enterprise, int type, int length) {
        if (enterprise == HUAWEI && length != 0) {
            return huawei(type);
        }
        if (enterprise != 0 || length == 0) {
            return SKIP;
        }
        if (type < KNOWN.length) {
            return KNOWN[type] ? type : SKIP;
        }
        int asa = type - ASA_FIRST_ID;
        return asa >= 0 && asa <= ASA_XLATE_EVENT - ASA_XLATE_SRC_V4 ? ASA_XLATE_SRC_V4 + asa : SKIP;
    }

    private static int huawei(int type) {
        switch (type) {
            case 505: return HUAWEI_SRV6_SEGMENT_LIST;
            case 521: return HUAWEI_PATH_DELAY_MEAN;
            case 523: return HUAWEI_PATH_DELAY_MIN;
            case 525: return HUAWEI_PATH_DELAY_MAX;
            case 527: return HUAWEI_PATH_DELAY_SUM;
            default: return SKIP;
        }
    }
}
