package jpmacct.core.plugin;

import jpmacct.core.record.FlowRecord;

/**
 * An interface index setting of the probe plugins (nfprobe_ifindex, sfprobe_ifindex): a fixed number, or the
 * packet's tag or tag2.
 *
 * @param fixed the number, 0 when unset or a tag
 * @param tag   1 = tag, 2 = tag2, 0 = neither
 */
public record IfIndexSetting(long fixed, int tag) {
    public static final IfIndexSetting NONE = new IfIndexSetting(0, 0);

    /** null gives NONE; IllegalArgumentException with the reason when the text is neither a tag nor an index. */
    public static IfIndexSetting parse(String text) {
        if (text == null) {
            return NONE;
        }
        if (text.equals("tag") || text.equals("tag2")) {
            return new IfIndexSetting(0, text.equals("tag") ? 1 : 2);
        }
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("'" + text + "' is not tag, tag2 or an interface index (1-4294967295)");
        }
        return new IfIndexSetting(n, 0);
    }

    /** The index for this packet, 0 when there is none. */
    public long of(FlowRecord r) {
        long v = tag == 1 ? r.tag : tag == 2 ? r.tag2 : fixed;
        return v & 0xFFFFFFFFL;
    }
}
