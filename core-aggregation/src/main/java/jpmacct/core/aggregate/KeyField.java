package jpmacct.core.aggregate;

/** The pieces an aggregation key is made of, with their widths in bits. */
public enum KeyField {
    SRC_MAC(48), DST_MAC(48), VLAN(16), COS(8), ETYPE(16),
    SRC_FAMILY(4), SRC_HI(64), SRC_LO(64),
    DST_FAMILY(4), DST_HI(64), DST_LO(64),
    SRC_NET_FAMILY(4), SRC_NET_HI(64), SRC_NET_LO(64),
    DST_NET_FAMILY(4), DST_NET_HI(64), DST_NET_LO(64),
    SRC_MASK(8), DST_MASK(8), PROTO(8), TOS(8), SRC_PORT(16), DST_PORT(16),
    SRC_AS(32), DST_AS(32),
    PEER_SRC_FAMILY(4), PEER_SRC_HI(64), PEER_SRC_LO(64),
    PEER_DST_FAMILY(4), PEER_DST_HI(64), PEER_DST_LO(64),
    CLASS(32), IN_IFACE(32), OUT_IFACE(32), SAMPLING_RATE(32),
    TAG(64), TAG2(64), LABEL(32),
    EXPORT_SEQNO(32), EXPORT_VERSION(16), EXPORT_SYSID(32),
    MPLS_VPN_RD(64), MPLS_LABEL_TOP(32), MPLS_LABEL_BOTTOM(32), MPLS_STACK_DEPTH(8),
    // pmacct 1.8's primitives
    IN_VLAN(16), OUT_VLAN(16), IN_CVLAN(16), OUT_CVLAN(16), FLOW_LABEL(20), FWD_STATUS(8), NAT_EVENT(8), FW_EVENT(8),
    POST_NAT_SRC_FAMILY(4), POST_NAT_SRC_HI(64), POST_NAT_SRC_LO(64),
    POST_NAT_DST_FAMILY(4), POST_NAT_DST_HI(64), POST_NAT_DST_LO(64), POST_NAT_SRC_PORT(16), POST_NAT_DST_PORT(16),
    MPLS_VPN_RD_ORIGIN(4),
    /** The label stack: its depth, and three 20-bit labels per word (the tenth alone). */
    MPLS_STACK_LEN(4), MPLS_STACK_0(60), MPLS_STACK_1(60), MPLS_STACK_2(60), MPLS_STACK_3(20),
    TUNNEL_SRC_MAC(48), TUNNEL_DST_MAC(48), TUNNEL_SRC_FAMILY(4), TUNNEL_SRC_HI(64), TUNNEL_SRC_LO(64),
    TUNNEL_DST_FAMILY(4), TUNNEL_DST_HI(64), TUNNEL_DST_LO(64), TUNNEL_PROTO(8), TUNNEL_TOS(8), TUNNEL_SRC_PORT(16),
    TUNNEL_DST_PORT(16), TUNNEL_FLOW_LABEL(20), VXLAN(24), TIME_EXPORT(64),
    /** VRF and interface names (ids in the plugin's dictionary of labels). */
    VRF_NAME(32), INGRESS_VRF_NAME(32), EGRESS_VRF_NAME(32), IN_IFACE_NAME(32), OUT_IFACE_NAME(32),
    NVGRE(24), MPLS_PW_ID(32), PATH_DELAY_AVG(32), PATH_DELAY_MIN(32), PATH_DELAY_MAX(32), SAMPLING_DIRECTION(2),
    /** The SRv6 segment list: the id of its bytes in the layout's dictionary of lists, 0 for none. */
    SRV6_LIST(32),
    TIME_START(64), TIME_END(64), TIME_ARRIVAL(64),
    /** Start of the history bin, seconds since the epoch. */
    BIN(64);

    private final int bits;

    KeyField(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }
}
