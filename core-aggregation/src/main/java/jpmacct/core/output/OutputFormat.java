package jpmacct.core.output;

import java.util.List;
import java.util.Locale;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.primitive.Column;
import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.record.Addr;

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
                          boolean jsonEventType) {
        /** Options of the print plugin, whose JSON rows start with {@code "event_type": "purge"}. */
        public Options(boolean numericProtos, String separator, Timestamps timestamps, boolean history) {
            this(numericProtos, separator, timestamps, history, true);
        }

        public static Options defaults() {
            return new Options(false, ",", Timestamps.defaults(), false);
        }
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
    private final List<CustomPrimitive> custom;
    private final boolean flows;
    private final Options options;

    public OutputFormat(Style style, List<Column> columns, boolean flows, Options options) {
        this(style, columns, List.of(), flows, options);
    }

    /** @param custom custom primitives, printed after the built-in columns (pmacct's place for them) */
    public OutputFormat(Style style, List<Column> columns, List<CustomPrimitive> custom, boolean flows, Options options) {
        this.style = style;
        this.columns = List.copyOf(columns);
        this.custom = List.copyOf(custom);
        this.flows = flows;
        this.options = options;
    }

    public Style style() {
        return style;
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
        for (Column c : columns) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append('"').append(c.jsonKey()).append("\": ");
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
            case TCP_FLAGS: sb.append(row.tcpFlags()); break;
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
            default: break;
        }
    }

    private void appendCustom(StringBuilder sb, Row row, int k) {
        custom.get(k).appendValue(sb, row.field(KeyField.customHi(k)), row.field(KeyField.customLo(k)));
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
