package jpmacct.core.output;

import java.time.ZoneId;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.record.Addr;

/**
 * pmacct's dynamic names for output files and SQL tables: {@code $}-variables taken from the entry (or the
 * plugin's settings), then strftime escapes on a timestamp.
 */
public final class DynamicName {
    /** {@code $peer_src_ip} of an entry without exporter (every pmacctd entry): 0.0.0.0, escaped like an address. */
    public static final String NO_PEER = "0_0_0_0";
    private final String template;
    private final long refreshSeconds;
    private final long historySeconds;
    private final long postTag;
    private final long postTag2;
    private final boolean dynamic;
    private final boolean perEntry;

    public DynamicName(String template, long refreshSeconds, long historySeconds, long postTag, long postTag2) {
        this.template = template;
        this.refreshSeconds = refreshSeconds;
        this.historySeconds = historySeconds;
        this.postTag = postTag;
        this.postTag2 = postTag2;
        this.dynamic = template.indexOf('%') >= 0 || template.indexOf('$') >= 0;
        this.perEntry = template.contains("$peer_src_ip") || template.contains("$tag");
    }

    public String template() {
        return template;
    }

    /** Whether different entries or times can produce different names. */
    public boolean isDynamic() {
        return dynamic;
    }

    /** Whether the name depends on the entry (a $-variable of the entry), not only on time. */
    public boolean perEntry() {
        return perEntry;
    }

    /**
     * @param row   the entry supplying $tag etc.; null gives 0 and {@link #NO_PEER}
     * @param stamp seconds since the epoch for the strftime escapes
     */
    public String resolve(Row row, long stamp, ZoneId zone) {
        if (!dynamic) {
            return template;
        }
        String s = template.indexOf('$') >= 0 ? substitute(row) : template;
        return Strftime.hasEscapes(s) ? Strftime.format(s, stamp, zone) : s;
    }

    private String substitute(Row row) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            while (j < template.length() && isVarChar(template.charAt(j))) {
                j++;
            }
            int end = j;
            if (end > i + 1 && template.charAt(end - 1) == '_') {
                end--;
            }
            String name = template.substring(i + 1, end);
            String value = value(name, row);
            if (value == null) {
                out.append(template, i, end);
            } else {
                out.append(value);
            }
            i = end;
        }
        return out.toString();
    }

    private String value(String name, Row row) {
        switch (name) {
            case "ref":
                return Long.toString(refreshSeconds);
            case "hst":
                return Long.toString(historySeconds);
            case "tag":
                return row == null ? "0" : Long.toUnsignedString(row.field(KeyField.TAG));
            case "tag2":
                return row == null ? "0" : Long.toUnsignedString(row.field(KeyField.TAG2));
            case "post_tag":
                return Long.toUnsignedString(postTag);
            case "post_tag2":
                return Long.toUnsignedString(postTag2);
            case "peer_src_ip": {
                if (row == null || row.field(KeyField.PEER_SRC_FAMILY) == 0) {
                    // pmacct writes "null", "" or leftover bytes here; the unspecified address keeps names regular
                    return NO_PEER;
                }
                String ip = Addr.toString((int) row.field(KeyField.PEER_SRC_FAMILY), row.field(KeyField.PEER_SRC_HI),
                        row.field(KeyField.PEER_SRC_LO));
                return ip.replace('.', '_').replace(':', '_');
            }
            default:
                return null;
        }
    }

    private static boolean isVarChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }
}
