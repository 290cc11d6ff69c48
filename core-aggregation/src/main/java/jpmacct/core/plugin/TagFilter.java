package jpmacct.core.plugin;

import java.util.ArrayList;
import java.util.List;

import jpmacct.core.config.ValueType;

/**
 * pre_tag_filter / pre_tag2_filter: comma-separated tags and ranges ({@code 10-20}), {@code 0} for untagged
 * data, a leading minus for a negation ({@code -6}: everything but 6).
 */
public final class TagFilter extends SignedFilter {
    private final long[] from;
    private final long[] to;

    private TagFilter(long[] from, long[] to, List<Boolean> neg, String text) {
        super(neg, text);
        this.from = from;
        this.to = to;
    }

    public boolean accepts(long tag) {
        return passes(tag, null);
    }

    @Override
    boolean hit(int i, long tag, String label) {
        return Long.compareUnsigned(tag, from[i]) >= 0 && Long.compareUnsigned(tag, to[i]) <= 0;
    }

    public static TagFilter parse(String text) {
        List<Boolean> neg = new ArrayList<>();
        List<String> entries = entries(text, neg);
        long[] from = new long[entries.size()];
        long[] to = new long[entries.size()];
        for (int i = 0; i < from.length; i++) {
            String p = entries.get(i);
            int dash = p.indexOf('-');
            from[i] = tag(dash < 0 ? p : p.substring(0, dash));
            to[i] = dash < 0 ? from[i] : tag(p.substring(dash + 1));
            if (Long.compareUnsigned(from[i], to[i]) > 0) {
                throw new IllegalArgumentException("range '" + p + "' ends before it starts");
            }
        }
        return new TagFilter(from, to, neg, text);
    }

    private static long tag(String s) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a tag (0 to 2^64-1)");
        }
    }

    /** Value type of the pre_tag_filter keys. */
    public static final ValueType<TagFilter> TYPE = new ValueType<>() {
        @Override
        public TagFilter parse(String text) {
            return TagFilter.parse(text);
        }

        @Override
        public String expected() {
            return "comma-separated tags, ranges (10-20) and negations (-6), 0 for untagged";
        }
    };
}
