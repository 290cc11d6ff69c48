package jpmacct.core.primitive;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
    COS("COS", "cos", Kind.UINT, 2, 2),
    ETYPE("ETYPE", "etype", Kind.HEX, 5, 2),
    SRC_AS("SRC_AS", "as_src", Kind.UINT, 10, 2),
    DST_AS("DST_AS", "as_dst", Kind.UINT, 10, 2),
    PEER_SRC_IP("PEER_SRC_IP", "peer_ip_src", Kind.ADDR, 45, 2),
    PEER_DST_IP("PEER_DST_IP", "peer_ip_dst", Kind.ADDR, 45, 2),
    IN_IFACE("IN_IFACE", "iface_in", Kind.UINT, 10, 2),
    OUT_IFACE("OUT_IFACE", "iface_out", Kind.UINT, 10, 2),
    MPLS_VPN_RD("MPLS_VPN_RD", "mpls_vpn_rd", Kind.RD, 18, 2),
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
    SAMPLING_RATE("SAMPLING_RATE", "sampling_rate", Kind.UINT, 7, 7),
    MPLS_LABEL_TOP("MPLS_LABEL_TOP", "mpls_label_top", Kind.UINT, 7, 9),
    MPLS_LABEL_BOTTOM("MPLS_LABEL_BOTTOM", "mpls_label_bottom", Kind.UINT, 7, 12),
    MPLS_STACK_DEPTH("MPLS_STACK_DEPTH", "mpls_stack_depth", Kind.UINT, 2, 16),
    TIMESTAMP_START("TIMESTAMP_START", "timestamp_start", Kind.TIMESTAMP, 30, 1),
    TIMESTAMP_END("TIMESTAMP_END", "timestamp_end", Kind.TIMESTAMP, 30, 1),
    TIMESTAMP_ARRIVAL("TIMESTAMP_ARRIVAL", "timestamp_arrival", Kind.TIMESTAMP, 30, 1),
    // nfacctd_stitching's, not a primitive's
    TIMESTAMP_MIN("TIMESTAMP_MIN", "timestamp_min", Kind.TIMESTAMP, 30, 1),
    TIMESTAMP_MAX("TIMESTAMP_MAX", "timestamp_max", Kind.TIMESTAMP, 30, 1),
    EXPORT_PROTO_SEQNO("EXPORT_PROTO_SEQNO", "export_proto_seqno", Kind.UINT, 18, 2),
    EXPORT_PROTO_VERSION("EXPORT_PROTO_VERSION", "export_proto_version", Kind.UINT, 20, 2),
    EXPORT_PROTO_SYSID("EXPORT_PROTO_SYSID", "export_proto_sysid", Kind.UINT, 18, 2);

    /** How a value is rendered. */
    public enum Kind { U64, UINT, UINT_STRING, HEX, TEXT, MAC, ADDR, PROTO, TIMESTAMP, RD }

    private final String header;
    private final String jsonKey;
    private final Kind kind;
    private final int width;
    private final int gap;

    Column(String header, String jsonKey, Kind kind, int width, int gap) {
        this.header = header;
        this.jsonKey = jsonKey;
        this.kind = kind;
        this.width = width;
        this.gap = gap;
    }

    private static final List<Column> CLIENT_ORDER = clientOrder();

    /**
     * The order of the {@code pmacct} client's formatted and CSV output, which differs from the print plugin's:
     * interfaces come right after the class, the route distinguisher after the peer addresses.
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

    private static List<Column> clientOrder() {
        List<Column> l = new ArrayList<>(List.of(values()));
        l.removeAll(List.of(TIMESTAMP_MIN, TIMESTAMP_MAX)); // the memory plugin has no stitching, as in pmacct
        l.removeAll(List.of(IN_IFACE, OUT_IFACE, MPLS_VPN_RD));
        l.addAll(l.indexOf(CLASS) + 1, List.of(IN_IFACE, OUT_IFACE));
        l.add(l.indexOf(PEER_DST_IP) + 1, MPLS_VPN_RD);
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

    /** Width of the header cell: pmacct pads titles to the value width plus gap. */
    public int headerWidth() {
        return width + gap;
    }
}
