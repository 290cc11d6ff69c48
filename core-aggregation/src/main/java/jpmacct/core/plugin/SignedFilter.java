package jpmacct.core.plugin;

import java.util.ArrayList;
import java.util.List;

/**
 * The pre_tag filters' shape: comma-separated entries, a leading minus for a negation. A value passes when it
 * matches one of the positive entries (or there are none) and none of the negations.
 */
abstract class SignedFilter {
    private final boolean[] negated;
    private final boolean anyPositive;
    private final String text;

    SignedFilter(List<Boolean> negated, String text) {
        this.negated = new boolean[negated.size()];
        boolean pos = false;
        for (int i = 0; i < this.negated.length; i++) {
            this.negated[i] = negated.get(i);
            pos |= !this.negated[i];
        }
        this.anyPositive = pos;
        this.text = text;
    }

    /** Whether entry i matches the value (a tag, or a label for label filters). */
    abstract boolean hit(int i, long tag, String label);

    final boolean passes(long tag, String label) {
        boolean positive = !anyPositive;
        for (int i = 0; i < negated.length; i++) {
            if (hit(i, tag, label)) {
                if (negated[i]) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    /** Splits the text into entries without their minus; {@code negated} receives one flag per entry. */
    static List<String> entries(String text, List<Boolean> negated) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            boolean n = p.startsWith("-");
            if (n) {
                p = p.substring(1);
            }
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty entry");
            }
            out.add(p);
            negated.add(n);
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
