package jpmacct.core.plugin;

import java.util.ArrayList;
import java.util.List;

import jpmacct.core.config.ValueType;

/** pre_tag_label_filter: comma-separated labels, {@code null} for unlabelled data, a leading minus for a negation. */
public final class LabelFilter extends SignedFilter {
    private final String[] labels;

    private LabelFilter(List<String> labels, List<Boolean> neg, String text) {
        super(neg, text);
        this.labels = labels.toArray(new String[0]);
    }

    /** @param label the record's label, null when unlabelled */
    public boolean accepts(String label) {
        return passes(0, label);
    }

    @Override
    boolean hit(int i, long tag, String label) {
        return labels[i] == null ? label == null || label.isEmpty() : labels[i].equals(label);
    }

    public static final ValueType<LabelFilter> TYPE = new ValueType<>() {
        @Override
        public LabelFilter parse(String text) {
            List<Boolean> neg = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String e : entries(text, neg)) {
                labels.add(e.equals("null") ? null : e);
            }
            return new LabelFilter(labels, neg, text);
        }

        @Override
        public String expected() {
            return "comma-separated labels, null for unlabelled, -label for a negation";
        }
    };
}
