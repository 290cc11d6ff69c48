package jpmacct.core.output;

import java.util.List;
import java.util.Locale;

import jpmacct.core.aggregate.KeyBuilder;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.primitive.Column;
import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * pmacct 1.7.7's output formats for aggregated rows: {@code formatted} (fixed-width columns), {@code csv},
 * {@code json} (one object per line, jansson's spacing), and the {@code event_*} variants without counters.
 * Shared by the print plugin and the {@code pmacct} client.
 */
public final class OutputFormat {

    public enum Style {
        FORMATTED, CSV, JSON, EVENT_FORMATTED, EVENT_CSV;

        public static Style parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }

        boolean event() {
            return this == EVENT_FORMATTED || this == EVENT_CSV;
        }

        boolean formatted() {
            return this == FORMATTED || this == EVENT_FORMATTED;
        }
    }

    /**
     * @param numericProtos {@code print_num_protos} / client {@code -u}
     * @param separator     CSV separator
     * @param timestamps    how timestamps print
     * @param history       whether rows carry a history bin (JSON shows stamp_inserted/stamp_updated)
     */
    public record Options(boolean numericProtos, String separator, Timestamps timestamps, boolean history,
                          boolean jsonEventType, Encodings encodings) {
        /** Options of the print plugin, whose JSON rows start with {@code "event_type": "purge"}. */
        public Options(boolean numericProtos, String separator, Timestamps timestamps, boolean history) {
            this(numericProtos, separator, timestamps, history, true);
        }

        public Options(boolean numericProtos, String separator, Timestamps timestamps, boolean history,
                       boolean jsonEventType) {
            this(numericProtos, separator, timestamps, history, jsonEventType, Encodings.NONE);
        }

        public Options withEncodings(Encodings e) {
            return new Options(numericProtos, separator, timestamps, history, jsonEventType, e);
        }

        public static Options defaults() {
            return new Options(false, ",", Timestamps.defaults(), false);
        }
    }

    /**
     * pmacct 1.8's JSON encodings: {@code tcpflags_encode_as_array} (TCP flags as an array of names),
     * {@code fwd_status_encode_as_string} (RFC 7270 names), {@code mpls_label_stack_encode_as_array}
     * ("index-label" strings) and {@code pre_tag_label_encode_as_map} (a label "k%v,k2%v2" as an object).
     */
    public record Encodings(boolean tcpFlagsArray, boolean fwdStatusString, boolean labelStackArray, boolean labelMap) {
        /** The defaults: pmacct 1.7.7's values. */
        public static final Encodings NONE = new Encodings(false, false, false, false);
    }

    /** A CSV separator as configured: {@code \s} is a space, {@code \t} a tab (print_output_separator, -E). */
    public static String separator(String configured) {
        return switch (configured) {
            case "\\s" -> " ";
            case "\\t" -> "\t";
            default -> configured;
        };
    }

    private final Style style;
    private final List<Column> columns;
    private final List<Column> jsonColumns;
    private final List<CustomPrimitive> custom;
    private final boolean flows;
    private final Options options;

    public OutputFormat(Style style, List<Column> columns, boolean flows, Options options) {
        this(style, columns, List.of(), flows, options);
    }

    /** @param custom custom primitives, printed after the built-in columns (pmacct's place for them) */
    public OutputFormat(Style style, List<Column> columns, List<CustomPrimitive> custom, boolean flows, Options options) {
        this.style = style;
        this.columns = style == Style.JSON ? List.copyOf(columns) : withoutJsonOnly(columns);
        this.jsonColumns = Column.jsonOrder(columns);
        this.custom = List.copyOf(custom);
        this.flows = flows;
        this.options = options;
    }

    public Style style() {
        return style;
    }

    /** The columns but those only JSON writes (the SRv6 segment list: pmacct's print leaves it out). */
    private static List<Column> withoutJsonOnly(List<Column> columns) {
        return columns.stream().filter(c -> !c.jsonOnly()).toList();
    }

    /** The header line with its newline; null for JSON, which has none. */
    public String header() {
        StringBuilder sb = new StringBuilder(256);
        if (style == Style.JSON) {
            return null;
        }
        if (style.formatted()) {
            for (Column c : columns) {
                padRight(sb, c.header(), c.headerWidth());
            }
            for (CustomPrimitive c : custom) {
                padRight(sb, c.name(), c.formattedWidth() + 2);
            }
            if (!style.event()) {
                padRight(sb, "PACKETS", 22);
                if (flows) {
                    padRight(sb, "FLOWS", 22);
                }
                sb.append("BYTES");
            }
        } else {
            String sep = options.separator();
            boolean first = true;
            for (Column c : columns) {
                if (!first) {
                    sb.append(sep);
                }
                sb.append(c.header());
                first = false;
            }
            for (CustomPrimitive c : custom) {
                if (!first) {
                    sb.append(sep);
                }
                sb.append(c.name());
                first = false;
            }
            if (!style.event()) {
                if (!first) {
                    sb.append(sep);
                }
                sb.append("PACKETS");
                if (flows) {
                    sb.append(sep).append("FLOWS");
                }
                sb.append(sep).append("BYTES");
            }
        }
        return sb.append('\n').toString();
    }

    /** Appends one row and its newline. {@code nowSeconds} is the JSON stamp_updated. */
    public void appendRow(StringBuilder sb, Row row, long nowSeconds) {
        switch (style) {
            case JSON:
                appendJson(sb, row, nowSeconds);
                break;
            case FORMATTED:
            case EVENT_FORMATTED:
                appendFormatted(sb, row);
                break;
            default:
                appendCsv(sb, row);
                break;
        }
        sb.append('\n');
    }

    private void appendFormatted(StringBuilder sb, Row row) {
        for (Column c : columns) {
            int start = sb.length();
            appendValue(sb, row, c, true);
            if (c.kind() == Column.Kind.ADDR && sb.length() == start) {
                sb.append("::");
            }
            padTo(sb, start, c.width());
            spaces(sb, c.gap());
        }
        for (int k = 0; k < custom.size(); k++) {
            int start = sb.length();
            appendCustom(sb, row, k);
            padTo(sb, start, custom.get(k).formattedWidth());
            spaces(sb, 2);
        }
        if (!style.event()) {
            int start = sb.length();
            sb.append(row.packets());
            padTo(sb, start, 20);
            spaces(sb, 2);
            if (flows) {
                start = sb.length();
                sb.append(row.flows());
                padTo(sb, start, 20);
                spaces(sb, 2);
            }
            sb.append(row.bytes());
        }
    }

    private void appendCsv(StringBuilder sb, Row row) {
        String sep = options.separator();
        boolean first = true;
        for (Column c : columns) {
            if (!first) {
                sb.append(sep);
            }
            appendValue(sb, row, c, false);
            first = false;
        }
        for (int k = 0; k < custom.size(); k++) {
            if (!first) {
                sb.append(sep);
            }
            appendCustom(sb, row, k);
            first = false;
        }
        if (!style.event()) {
            if (!first) {
                sb.append(sep);
            }
            sb.append(row.packets());
            if (flows) {
                sb.append(sep).append(row.flows());
            }
            sb.append(sep).append(row.bytes());
        }
    }

    private void appendJson(StringBuilder sb, Row row, long nowSeconds) {
        sb.append('{');
        boolean first = true;
        if (options.jsonEventType()) {
            sb.append("\"event_type\": \"purge\"");
            first = false;
        }
        Encodings enc = options.encodings();
        for (Column c : jsonColumns) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append('"').append(c.jsonKey()).append("\": ");
            if (appendEncoded(sb, row, c, enc)) {
                continue;
            }
            switch (c.kind()) {
                case U64:
                case UINT:
                    appendValue(sb, row, c, false);
                    break;
                default:
                    sb.append('"');
                    int start = sb.length();
                    appendValue(sb, row, c, false);
                    escapeJson(sb, start);
                    sb.append('"');
                    break;
            }
            if (c == Column.MPLS_VPN_RD) { // pmacct 1.8 writes where the route distinguisher came from beside it
                sb.append(", \"mpls_vpn_rd_origin\": \"")
                        .append(FlowRecord.rdOriginName((int) row.field(KeyField.MPLS_VPN_RD_ORIGIN))).append('"');
            }
        }
        for (int k = 0; k < custom.size(); k++) {
            // pmacct prints every custom primitive as a JSON string
            sb.append(first ? "" : ", ").append('"').append(custom.get(k).name()).append("\": \"");
            first = false;
            int start = sb.length();
            appendCustom(sb, row, k);
            escapeJson(sb, start);
            sb.append('"');
        }
        if (options.history()) {
            long bin = row.binStart();
            if (bin != 0) {
                sb.append(first ? "" : ", ").append("\"stamp_inserted\": \"");
                first = false;
                options.timestamps().append(sb, bin * 1_000_000L, false);
                sb.append("\", \"stamp_updated\": \"");
                options.timestamps().append(sb, nowSeconds * 1_000_000L, false);
                sb.append('"');
            }
        }
        if (flows) {
            sb.append(first ? "" : ", ").append("\"flows\": ").append(row.flows());
            first = false;
        }
        sb.append(first ? "" : ", ").append("\"packets\": ").append(row.packets()).append(", \"bytes\": ").append(row.bytes()).append('}');
    }

    /** Appends the bare value of one column (no padding, no quoting). */
    public void appendValue(StringBuilder sb, Row row, Column c, boolean formatted) {
        switch (c) {
            case TAG: sb.append(Long.toUnsignedString(row.field(KeyField.TAG))); break;
            case TAG2: sb.append(Long.toUnsignedString(row.field(KeyField.TAG2))); break;
            case LABEL: sb.append(row.label()); break;
            case CLASS: sb.append(row.classLabel()); break;
            case SRC_MAC: Addr.appendMac(sb, row.field(KeyField.SRC_MAC)); break;
            case DST_MAC: Addr.appendMac(sb, row.field(KeyField.DST_MAC)); break;
            case VLAN: sb.append(row.field(KeyField.VLAN)); break;
            case COS: sb.append(row.field(KeyField.COS)); break;
            case ETYPE: sb.append(Long.toHexString(row.field(KeyField.ETYPE))); break;
            case SRC_AS: sb.append(row.field(KeyField.SRC_AS)); break;
            case DST_AS: sb.append(row.field(KeyField.DST_AS)); break;
            case PEER_SRC_IP: addr(sb, row, KeyField.PEER_SRC_FAMILY, KeyField.PEER_SRC_HI, KeyField.PEER_SRC_LO); break;
            case PEER_DST_IP: addr(sb, row, KeyField.PEER_DST_FAMILY, KeyField.PEER_DST_HI, KeyField.PEER_DST_LO); break;
            case IN_IFACE: sb.append(row.field(KeyField.IN_IFACE)); break;
            case OUT_IFACE: sb.append(row.field(KeyField.OUT_IFACE)); break;
            case SRC_IP: addr(sb, row, KeyField.SRC_FAMILY, KeyField.SRC_HI, KeyField.SRC_LO); break;
            case SRC_NET: addr(sb, row, KeyField.SRC_NET_FAMILY, KeyField.SRC_NET_HI, KeyField.SRC_NET_LO); break;
            case DST_IP: addr(sb, row, KeyField.DST_FAMILY, KeyField.DST_HI, KeyField.DST_LO); break;
            case DST_NET: addr(sb, row, KeyField.DST_NET_FAMILY, KeyField.DST_NET_HI, KeyField.DST_NET_LO); break;
            case SRC_MASK: sb.append(row.field(KeyField.SRC_MASK)); break;
            case DST_MASK: sb.append(row.field(KeyField.DST_MASK)); break;
            case SRC_PORT: sb.append(row.field(KeyField.SRC_PORT)); break;
            case DST_PORT: sb.append(row.field(KeyField.DST_PORT)); break;
            case TCP_FLAGS: sb.append(row.tcpFlags() & 0xFF); break;
            case PROTOCOL: {
                int p = (int) row.field(KeyField.PROTO);
                if (options.numericProtos()) {
                    sb.append(p);
                } else {
                    sb.append(Protocols.name(p));
                }
                break;
            }
            case TOS: sb.append(row.field(KeyField.TOS)); break;
            case SAMPLING_RATE: sb.append(row.field(KeyField.SAMPLING_RATE)); break;
            case TIMESTAMP_START: options.timestamps().append(sb, row.field(KeyField.TIME_START), true); break;
            case TIMESTAMP_END: options.timestamps().append(sb, row.field(KeyField.TIME_END), true); break;
            case TIMESTAMP_ARRIVAL: options.timestamps().append(sb, row.field(KeyField.TIME_ARRIVAL), true); break;
            case TIMESTAMP_MIN: options.timestamps().append(sb, row.timestampMin(), true); break;
            case TIMESTAMP_MAX: options.timestamps().append(sb, row.timestampMax(), true); break;
            case EXPORT_PROTO_SEQNO: sb.append(row.field(KeyField.EXPORT_SEQNO)); break;
            case EXPORT_PROTO_VERSION: sb.append(row.field(KeyField.EXPORT_VERSION)); break;
            case EXPORT_PROTO_SYSID: sb.append(row.field(KeyField.EXPORT_SYSID)); break;
            case MPLS_VPN_RD: appendRd(sb, row.field(KeyField.MPLS_VPN_RD)); break;
            case MPLS_LABEL_TOP: sb.append(row.field(KeyField.MPLS_LABEL_TOP)); break;
            case MPLS_LABEL_BOTTOM: sb.append(row.field(KeyField.MPLS_LABEL_BOTTOM)); break;
            case MPLS_STACK_DEPTH: sb.append(row.field(KeyField.MPLS_STACK_DEPTH)); break;
            case IN_VLAN: sb.append(row.field(KeyField.IN_VLAN)); break;
            case OUT_VLAN: sb.append(row.field(KeyField.OUT_VLAN)); break;
            case IN_CVLAN: sb.append(row.field(KeyField.IN_CVLAN)); break;
            case OUT_CVLAN: sb.append(row.field(KeyField.OUT_CVLAN)); break;
            case FLOW_LABEL: sb.append(row.field(KeyField.FLOW_LABEL)); break;
            case POST_NAT_SRC_IP: addr(sb, row, KeyField.POST_NAT_SRC_FAMILY, KeyField.POST_NAT_SRC_HI, KeyField.POST_NAT_SRC_LO); break;
            case POST_NAT_DST_IP: addr(sb, row, KeyField.POST_NAT_DST_FAMILY, KeyField.POST_NAT_DST_HI, KeyField.POST_NAT_DST_LO); break;
            case POST_NAT_SRC_PORT: sb.append(row.field(KeyField.POST_NAT_SRC_PORT)); break;
            case POST_NAT_DST_PORT: sb.append(row.field(KeyField.POST_NAT_DST_PORT)); break;
            case NAT_EVENT: sb.append(row.field(KeyField.NAT_EVENT)); break;
            case FW_EVENT: sb.append(row.field(KeyField.FW_EVENT)); break;
            case FWD_STATUS: sb.append(row.field(KeyField.FWD_STATUS)); break;
            case MPLS_LABEL_STACK: appendLabelStack(sb, row, false); break;
            case TUNNEL_SRC_MAC: Addr.appendMac(sb, row.field(KeyField.TUNNEL_SRC_MAC)); break;
            case TUNNEL_DST_MAC: Addr.appendMac(sb, row.field(KeyField.TUNNEL_DST_MAC)); break;
            case TUNNEL_SRC_IP: addr(sb, row, KeyField.TUNNEL_SRC_FAMILY, KeyField.TUNNEL_SRC_HI, KeyField.TUNNEL_SRC_LO); break;
            case TUNNEL_DST_IP: addr(sb, row, KeyField.TUNNEL_DST_FAMILY, KeyField.TUNNEL_DST_HI, KeyField.TUNNEL_DST_LO); break;
            case TUNNEL_PROTOCOL: {
                int p = (int) row.field(KeyField.TUNNEL_PROTO);
                if (options.numericProtos()) {
                    sb.append(p);
                } else {
                    sb.append(Protocols.name(p));
                }
                break;
            }
            case TUNNEL_TOS: sb.append(row.field(KeyField.TUNNEL_TOS)); break;
            case TUNNEL_FLOW_LABEL: sb.append(row.field(KeyField.TUNNEL_FLOW_LABEL)); break;
            case TUNNEL_SRC_PORT: sb.append(row.field(KeyField.TUNNEL_SRC_PORT)); break;
            case TUNNEL_DST_PORT: sb.append(row.field(KeyField.TUNNEL_DST_PORT)); break;
            case TUNNEL_TCP_FLAGS: sb.append((row.tcpFlags() >>> 8) & 0xFF); break;
            case VXLAN: sb.append(row.field(KeyField.VXLAN)); break;
            case TIMESTAMP_EXPORT: options.timestamps().append(sb, row.field(KeyField.TIME_EXPORT), true); break;
            case VRF_NAME: sb.append(row.text(KeyField.VRF_NAME)); break;
            case INGRESS_VRF_NAME: sb.append(row.text(KeyField.INGRESS_VRF_NAME)); break;
            case EGRESS_VRF_NAME: sb.append(row.text(KeyField.EGRESS_VRF_NAME)); break;
            case IN_IFACE_NAME: sb.append(row.text(KeyField.IN_IFACE_NAME)); break;
            case OUT_IFACE_NAME: sb.append(row.text(KeyField.OUT_IFACE_NAME)); break;
            case MPLS_PW_ID: sb.append(row.field(KeyField.MPLS_PW_ID)); break;
            case SAMPLING_DIRECTION: sb.append(SAMPLING_DIRECTIONS[(int) row.field(KeyField.SAMPLING_DIRECTION) % 3]); break;
            case NVGRE: sb.append(row.field(KeyField.NVGRE)); break;
            case PATH_DELAY_AVG_USEC: sb.append(row.field(KeyField.PATH_DELAY_AVG)); break;
            case PATH_DELAY_MIN_USEC: sb.append(row.field(KeyField.PATH_DELAY_MIN)); break;
            case PATH_DELAY_MAX_USEC: sb.append(row.field(KeyField.PATH_DELAY_MAX)); break;
            default: break;
        }
    }

    /** pmacct's sampling_direction values, by FlowRecord.DIRECTION_* (unknown, ingress, egress). */
    private static final String[] SAMPLING_DIRECTIONS = {"u", "i", "e"};

    /** pmacct 1.8's mpls_vpn_rd_origin names, by FlowRecord.RD_ORIGIN_*. */

    /** pmacct's TCP flag names, most significant first, for tcpflags_encode_as_array. */
    private static final String[] TCP_FLAG_NAMES = {"URG", "ACK", "PSH", "RST", "SYN", "FIN"};

    /**
     * Writes a column's JSON value in one of pmacct 1.8's encodings, when one is on for it.
     * @return false when the column is written the plain way
     */
    private static boolean appendEncoded(StringBuilder sb, Row row, Column c, Encodings enc) {
        switch (c) {
            case TCP_FLAGS:
                if (!enc.tcpFlagsArray()) {
                    return false;
                }
                appendFlagNames(sb, row.tcpFlags() & 0xFF);
                return true;
            case TUNNEL_TCP_FLAGS:
                if (!enc.tcpFlagsArray()) {
                    return false;
                }
                appendFlagNames(sb, (row.tcpFlags() >>> 8) & 0xFF);
                return true;
            case FWD_STATUS:
                if (!enc.fwdStatusString()) {
                    return false;
                }
                sb.append('"').append(ForwardingStatus.name((int) row.field(KeyField.FWD_STATUS))).append('"');
                return true;
            case MPLS_LABEL_STACK:
                if (!enc.labelStackArray()) {
                    return false;
                }
                appendLabelStack(sb, row, true);
                return true;
            case LABEL:
                if (!enc.labelMap()) {
                    return false;
                }
                appendLabelMap(sb, row.label());
                return true;
            case SRV6_SEG_IPV6_LIST:
                appendSrv6Segments(sb, row.srv6Segments());
                return true;
            default:
                return false;
        }
    }

    /** pmacct's array of flag names; as pmacct, flags beyond the low six bits make it empty. */
    private static void appendFlagNames(StringBuilder sb, int flags) {
        sb.append('[');
        if (flags > 0 && flags < 64) {
            boolean first = true;
            for (int i = 0; i < TCP_FLAG_NAMES.length; i++) {
                if ((flags & (0x20 >>> i)) != 0) {
                    sb.append(first ? "\"" : ", \"").append(TCP_FLAG_NAMES[i]).append('"');
                    first = false;
                }
            }
        }
        sb.append(']');
    }

    /** The label stack as pmacct prints it: "l0_l1_..." or, as a JSON array, ["0-l0", "1-l1", ...]. */
    private static void appendLabelStack(StringBuilder sb, Row row, boolean jsonArray) {
        int depth = (int) row.field(KeyField.MPLS_STACK_LEN);
        if (jsonArray) {
            sb.append('[');
        }
        for (int i = 0; i < depth; i++) {
            KeyField word = i < 3 ? KeyField.MPLS_STACK_0 : i < 6 ? KeyField.MPLS_STACK_1 : i < 9
                    ? KeyField.MPLS_STACK_2 : KeyField.MPLS_STACK_3;
            int label = KeyBuilder.label(row.field(word), i);
            if (jsonArray) {
                sb.append(i == 0 ? "\"" : ", \"").append(i).append('-').append(label).append('"');
            } else {
                sb.append(i == 0 ? "" : "_").append(label);
            }
        }
        if (jsonArray) {
            sb.append(']');
        }
    }

    /** The SRv6 segment list as pmacct 1.8 writes it: ["0-addr0", "1-addr1", ...], [] when there is none. */
    private static void appendSrv6Segments(StringBuilder sb, byte[] segments) {
        sb.append('[');
        int n = segments == null ? 0 : segments.length / 16;
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "\"" : ", \"").append(i).append('-');
            Addr.append(sb, Addr.V6, longAt(segments, 16 * i), longAt(segments, 16 * i + 8));
            sb.append('"');
        }
        sb.append(']');
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = off; i < off + 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /**
     * A pre_tag_map label "k1%v1,k2%v2" as the JSON object {"k1": "v1", "k2": "v2"}, as pmacct 1.8 splits it: on
     * ',' and '%' alike, pairs in order, an unpaired last word dropped.
     */
    private static void appendLabelMap(StringBuilder sb, String label) {
        sb.append('{');
        String[] words = label.replace('%', ',').split(",");
        int n = 0;
        String key = null;
        for (String w : words) {
            if (w.isEmpty()) {
                continue; // strtok skips empty tokens
            }
            if (key == null) {
                key = w;
                continue;
            }
            sb.append(n++ == 0 ? "\"" : ", \"");
            int start = sb.length();
            sb.append(key);
            escapeJson(sb, start);
            sb.append("\": \"");
            start = sb.length();
            sb.append(w);
            escapeJson(sb, start);
            sb.append('"');
            key = null;
        }
        sb.append('}');
    }

    private void appendCustom(StringBuilder sb, Row row, int k) {
        CustomPrimitive c = custom.get(k);
        if (c.inWords()) {
            c.appendValue(sb, row.customWord(k, 0), row.customWord(k, 1));
        } else {
            c.appendValue(sb, row.customValue(k));
        }
    }

    /** A route distinguisher as pmacct's bgp_rd2str prints it: type:admin:assigned, or vrfid:N. */
    static void appendRd(StringBuilder sb, long rd) {
        int type = (int) (rd >>> 48) & 0x1FFF;
        switch (type) {
            case 0: sb.append("0:").append((rd >>> 32) & 0xFFFF).append(':').append(rd & 0xFFFFFFFFL); break;
            case 1:
                sb.append("1:");
                Addr.appendV4(sb, (int) (rd >>> 16));
                sb.append(':').append(rd & 0xFFFF);
                break;
            case 2: sb.append("2:").append((rd >>> 16) & 0xFFFFFFFFL).append(':').append(rd & 0xFFFF); break;
            case 0x1000: sb.append("vrfid:").append(rd & 0xFFFFFFFFL); break;
            default: sb.append("unknown"); break;
        }
    }

    private static void addr(StringBuilder sb, Row row, KeyField fam, KeyField hi, KeyField lo) {
        Addr.append(sb, (int) row.field(fam), row.field(hi), row.field(lo));
    }

    private static void padRight(StringBuilder sb, String s, int width) {
        int start = sb.length();
        sb.append(s);
        padTo(sb, start, width);
    }

    private static void padTo(StringBuilder sb, int start, int width) {
        for (int i = sb.length() - start; i < width; i++) {
            sb.append(' ');
        }
    }

    private static void spaces(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }

    /** Escapes the JSON-special characters appended since {@code start}. */
    private static void escapeJson(StringBuilder sb, int start) {
        for (int i = start; i < sb.length(); i++) {
            char c = sb.charAt(i);
            String rep = null;
            if (c == '"' || c == '\\') {
                rep = "\\" + c;
            } else if (c < 0x20) {
                rep = String.format("\\u%04x", (int) c);
            }
            if (rep != null) {
                sb.replace(i, i + 1, rep);
                i += rep.length() - 1;
            }
        }
    }
}
