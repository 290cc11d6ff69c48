package jpmacct.core.primitive;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An output column, in pmacct 1.7.7's fixed print order (print plugin, client and JSON all follow it, whatever the
 * order of {@code aggregate}). {@code formatted} pads as pmacct's printf formats do: value width plus trailing gap.
 */
public enum Column {
    TAG("TAG", "tag", Kind.U64, 10, 2),
    TAG2("TAG2", "tag2", Kind.U64, 10, 2),
    LABEL("LABEL", "label", Kind.TEXT, 32, 2),
    CLASS("CLASS", "class", Kind.TEXT, 16, 2),
    SRC_MAC("SRC_MAC", "mac_src", Kind.MAC, 17, 2),
    DST_MAC("DST_MAC", "mac_dst", Kind.MAC, 17, 2),
    VLAN("VLAN", "vlan", Kind.UINT, 5, 2),
    IN_VLAN("IN_VLAN", "vlan_in", Kind.UINT, 7, 2),
    OUT_VLAN("OUT_VLAN", "vlan_out", Kind.UINT, 8, 2),
    IN_CVLAN("IN_CVLAN", "cvlan_in", Kind.UINT, 8, 2),
    OUT_CVLAN("OUT_CVLAN", "cvlan_out", Kind.UINT, 9, 2),
    COS("COS", "cos", Kind.UINT, 2, 2),
    ETYPE("ETYPE", "etype", Kind.HEX, 5, 2),
    SRC_AS("SRC_AS", "as_src", Kind.UINT, 10, 2),
    DST_AS("DST_AS", "as_dst", Kind.UINT, 10, 2),
    PEER_SRC_IP("PEER_SRC_IP", "peer_ip_src", Kind.ADDR, 45, 2),
    PEER_DST_IP("PEER_DST_IP", "peer_ip_dst", Kind.ADDR, 45, 2),
    IN_IFACE("IN_IFACE", "iface_in", Kind.UINT, 10, 2),
    OUT_IFACE("OUT_IFACE", "iface_out", Kind.UINT, 10, 2),
    MPLS_VPN_RD("MPLS_VPN_RD", "mpls_vpn_rd", Kind.RD, 18, 2),
    MPLS_PW_ID("MPLS_PW_ID", "mpls_pw_id", Kind.UINT, 10, 2),
    VRF_NAME("VRF_NAME", "vrf_name", Kind.TEXT, 32, 2),
    INGRESS_VRF_NAME("INGRESS_VRF_NAME", "ingress_vrf_name", Kind.TEXT, 32, 2),
    EGRESS_VRF_NAME("EGRESS_VRF_NAME", "egress_vrf_name", Kind.TEXT, 32, 2),
    IN_IFACE_NAME("IN_IFACE_NAME", "iface_name_in", Kind.TEXT, 32, 2),
    OUT_IFACE_NAME("OUT_IFACE_NAME", "iface_name_out", Kind.TEXT, 32, 2),
    SRC_IP("SRC_IP", "ip_src", Kind.ADDR, 45, 2),
    SRC_NET("SRC_NET", "net_src", Kind.ADDR, 45, 2),
    DST_IP("DST_IP", "ip_dst", Kind.ADDR, 45, 2),
    DST_NET("DST_NET", "net_dst", Kind.ADDR, 45, 2),
    SRC_MASK("SRC_MASK", "mask_src", Kind.UINT, 3, 7),
    DST_MASK("DST_MASK", "mask_dst", Kind.UINT, 3, 7),
    SRC_PORT("SRC_PORT", "port_src", Kind.UINT, 5, 5),
    DST_PORT("DST_PORT", "port_dst", Kind.UINT, 5, 5),
    TCP_FLAGS("TCP_FLAGS", "tcp_flags", Kind.UINT_STRING, 3, 8),
    PROTOCOL("PROTOCOL", "ip_proto", Kind.PROTO, 10, 2),
    TOS("TOS", "tos", Kind.UINT, 3, 4),
    FLOW_LABEL("FLOW_LABEL", "flow_label", Kind.UINT, 10, 1),
    SAMPLING_RATE("SAMPLING_RATE", "sampling_rate", Kind.UINT, 7, 7),
    /** "u", "i" or "e"; pmacct's title is a blank shorter than its values. */
    SAMPLING_DIRECTION("SAMPLING_DIRECTION", "sampling_direction", Kind.TEXT, 1, 19, 19),
    POST_NAT_SRC_IP("POST_NAT_SRC_IP", "post_nat_ip_src", Kind.ADDR, 45, 2),
    POST_NAT_DST_IP("POST_NAT_DST_IP", "post_nat_ip_dst", Kind.ADDR, 45, 2),
    POST_NAT_SRC_PORT("POST_NAT_SRC_PORT", "post_nat_port_src", Kind.UINT, 5, 14),
    POST_NAT_DST_PORT("POST_NAT_DST_PORT", "post_nat_port_dst", Kind.UINT, 5, 14),
    NAT_EVENT("NAT_EVENT", "nat_event", Kind.UINT, 3, 7),
    FW_EVENT("FW_EVENT", "fw_event", Kind.UINT, 3, 6),
    /** A number in a JSON string, or its RFC 7270 name with fwd_status_encode_as_string. */
    FWD_STATUS("FWD_STATUS", "fwd_status", Kind.UINT_STRING, 3, 8),
    MPLS_LABEL_TOP("MPLS_LABEL_TOP", "mpls_label_top", Kind.UINT, 7, 9),
    MPLS_LABEL_BOTTOM("MPLS_LABEL_BOTTOM", "mpls_label_bottom", Kind.UINT, 7, 12),
    MPLS_STACK_DEPTH("MPLS_STACK_DEPTH", "mpls_stack_depth", Kind.UINT, 2, 16),
    /** Labels joined by '_' (pmacct prints it in CSV and JSON only; here in formatted output too). */
    MPLS_LABEL_STACK("MPLS_LABEL_STACK", "mpls_label_stack", Kind.TEXT, 32, 2),
    /** A JSON array of "index-address" strings; not written in formatted or CSV output, as pmacct. */
    SRV6_SEG_IPV6_LIST("SRV6_SEG_IPV6_LIST", "srv6_seg_ipv6_list", Kind.LIST, 0, 0),
    TUNNEL_SRC_MAC("TUNNEL_SRC_MAC", "tunnel_mac_src", Kind.MAC, 17, 2),
    TUNNEL_DST_MAC("TUNNEL_DST_MAC", "tunnel_mac_dst", Kind.MAC, 17, 2),
    TUNNEL_SRC_IP("TUNNEL_SRC_IP", "tunnel_ip_src", Kind.ADDR, 45, 2),
    TUNNEL_DST_IP("TUNNEL_DST_IP", "tunnel_ip_dst", Kind.ADDR, 45, 2),
    TUNNEL_PROTOCOL("TUNNEL_PROTOCOL", "tunnel_ip_proto", Kind.PROTO, 10, 7),
    TUNNEL_TOS("TUNNEL_TOS", "tunnel_tos", Kind.UINT, 3, 9),
    TUNNEL_FLOW_LABEL("TUNNEL_FLOW_LABEL", "tunnel_flow_label", Kind.UINT, 10, 8),
    TUNNEL_SRC_PORT("TUNNEL_SRC_PORT", "tunnel_port_src", Kind.UINT, 5, 12),
    TUNNEL_DST_PORT("TUNNEL_DST_PORT", "tunnel_port_dst", Kind.UINT, 5, 12),
    TUNNEL_TCP_FLAGS("TUNNEL_TCP_FLAGS", "tunnel_tcp_flags", Kind.UINT_STRING, 3, 15),
    VXLAN("VXLAN", "vxlan", Kind.UINT, 8, 2),
    NVGRE("NVGRE", "nvgre", Kind.UINT, 8, 2),
    TIMESTAMP_START("TIMESTAMP_START", "timestamp_start", Kind.TIMESTAMP, 30, 1),
    TIMESTAMP_END("TIMESTAMP_END", "timestamp_end", Kind.TIMESTAMP, 30, 1),
    TIMESTAMP_ARRIVAL("TIMESTAMP_ARRIVAL", "timestamp_arrival", Kind.TIMESTAMP, 30, 1),
    TIMESTAMP_EXPORT("TIMESTAMP_EXPORT", "timestamp_export", Kind.TIMESTAMP, 30, 1),
    // nfacctd_stitching's, not a primitive's
    TIMESTAMP_MIN("TIMESTAMP_MIN", "timestamp_min", Kind.TIMESTAMP, 30, 1),
    TIMESTAMP_MAX("TIMESTAMP_MAX", "timestamp_max", Kind.TIMESTAMP, 30, 1),
    EXPORT_PROTO_SEQNO("EXPORT_PROTO_SEQNO", "export_proto_seqno", Kind.UINT, 18, 2),
    EXPORT_PROTO_VERSION("EXPORT_PROTO_VERSION", "export_proto_version", Kind.UINT, 20, 2),
    EXPORT_PROTO_SYSID("EXPORT_PROTO_SYSID", "export_proto_sysid", Kind.UINT, 18, 2),
    PATH_DELAY_AVG_USEC("PATH_DELAY_AVG_USEC", "path_delay_avg_usec", Kind.UINT, 19, 2),
    PATH_DELAY_MIN_USEC("PATH_DELAY_MIN_USEC", "path_delay_min_usec", Kind.UINT, 19, 2),
    PATH_DELAY_MAX_USEC("PATH_DELAY_MAX_USEC", "path_delay_max_usec", Kind.UINT, 19, 2);

    /** How a value is rendered; a LIST is a JSON array, written in JSON only. */
    public enum Kind { U64, UINT, UINT_STRING, HEX, TEXT, MAC, ADDR, PROTO, TIMESTAMP, RD, LIST }

    private final String header;
    private final String jsonKey;
    private final Kind kind;
    private final int width;
    private final int gap;
    private final int headerWidth;

    Column(String header, String jsonKey, Kind kind, int width, int gap) {
        this(header, jsonKey, kind, width, gap, width + gap);
    }

    Column(String header, String jsonKey, Kind kind, int width, int gap, int headerWidth) {
        this.header = header;
        this.jsonKey = jsonKey;
        this.kind = kind;
        this.width = width;
        this.gap = gap;
        this.headerWidth = headerWidth;
    }

    private static final List<Column> CLIENT_ORDER = clientOrder();
    private static final List<Column> JSON_ORDER = jsonOrder();
    /** The columns pmacct 1.8 added; the client's "all fields" (-a) shows pmacct 1.7.7's, as its goldens do. */
    private static final Set<Column> PMACCT_18 = EnumSet.of(IN_VLAN, OUT_VLAN, IN_CVLAN, OUT_CVLAN, FLOW_LABEL,
            POST_NAT_SRC_IP, POST_NAT_DST_IP, POST_NAT_SRC_PORT, POST_NAT_DST_PORT, NAT_EVENT, FW_EVENT, FWD_STATUS,
            MPLS_LABEL_STACK, TUNNEL_SRC_MAC, TUNNEL_DST_MAC, TUNNEL_SRC_IP, TUNNEL_DST_IP, TUNNEL_PROTOCOL, TUNNEL_TOS,
            TUNNEL_FLOW_LABEL, TUNNEL_SRC_PORT, TUNNEL_DST_PORT, TUNNEL_TCP_FLAGS, VXLAN, TIMESTAMP_EXPORT,
            VRF_NAME, INGRESS_VRF_NAME, EGRESS_VRF_NAME, IN_IFACE_NAME, OUT_IFACE_NAME, MPLS_PW_ID, SAMPLING_DIRECTION,
            SRV6_SEG_IPV6_LIST, NVGRE, PATH_DELAY_AVG_USEC, PATH_DELAY_MIN_USEC, PATH_DELAY_MAX_USEC);

    /** pmacct 1.7.7's columns, in print order. */
    public static List<Column> pmacct177() {
        List<Column> out = new ArrayList<>();
        for (Column c : values()) {
            if (!PMACCT_18.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The order of the {@code pmacct} client's formatted and CSV output, which differs from the print plugin's:
     * interfaces come right after the class, the route distinguisher and pseudowire id after the peer addresses.
     */
    public static List<Column> clientOrder(Collection<Column> columns) {
        List<Column> out = new ArrayList<>();
        for (Column c : CLIENT_ORDER) {
            if (columns.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The order of JSON objects (pmacct 1.8's), which differs from the print order for columns pmacct 1.8 added:
     * forwarding status, label stack, SRv6 segments and path delays follow the TCP flags, the export time follows
     * the export protocol's ids.
     */
    public static List<Column> jsonOrder(Collection<Column> columns) {
        List<Column> out = new ArrayList<>();
        for (Column c : JSON_ORDER) {
            if (columns.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<Column> jsonOrder() {
        List<Column> l = new ArrayList<>(List.of(values()));
        List<Column> afterFlags = List.of(FWD_STATUS, MPLS_LABEL_STACK, SRV6_SEG_IPV6_LIST, PATH_DELAY_AVG_USEC,
                PATH_DELAY_MIN_USEC, PATH_DELAY_MAX_USEC);
        l.removeAll(afterFlags);
        l.remove(TIMESTAMP_EXPORT);
        l.addAll(l.indexOf(TCP_FLAGS) + 1, afterFlags);
        l.add(l.indexOf(EXPORT_PROTO_SYSID) + 1, TIMESTAMP_EXPORT);
        return List.copyOf(l);
    }

    private static List<Column> clientOrder() {
        List<Column> l = new ArrayList<>(List.of(values()));
        l.removeAll(List.of(TIMESTAMP_MIN, TIMESTAMP_MAX)); // the memory plugin has no stitching, as in pmacct
        l.removeAll(List.of(IN_IFACE, OUT_IFACE, MPLS_VPN_RD, MPLS_PW_ID));
        l.addAll(l.indexOf(CLASS) + 1, List.of(IN_IFACE, OUT_IFACE));
        l.addAll(l.indexOf(PEER_DST_IP) + 1, List.of(MPLS_VPN_RD, MPLS_PW_ID));
        return List.copyOf(l);
    }

    /** Column title in formatted and CSV output. */
    public String header() {
        return header;
    }

    public String jsonKey() {
        return jsonKey;
    }

    public Kind kind() {
        return kind;
    }

    /** Minimum width of the value in formatted output (values are left-aligned and never cut). */
    public int width() {
        return width;
    }

    /** Blanks after the padded value in formatted output. */
    public int gap() {
        return gap;
    }

    /** Width of the header cell: pmacct pads titles to the value width plus gap (one column excepted). */
    public int headerWidth() {
        return headerWidth;
    }

    /** Whether only JSON carries this column (pmacct leaves it out of formatted and CSV output). */
    public boolean jsonOnly() {
        return kind == Kind.LIST;
    }
}
