package jpmacct.plugins.messaging;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.output.DynamicName;
import jpmacct.core.output.Row;
import jpmacct.core.record.Addr;

/**
 * A message's destination (kafka_topic, amqp_routing_key) or Kafka key (kafka_partition_key) with pmacct's
 * variables, taken from each aggregate. As in pmacct a variable's name runs over letters, digits and {@code _}, a
 * trailing {@code _} being text again ({@code $tag_} is {@code $tag} and {@code _}), and addresses are written with
 * {@code _} for their dots and colons. An unknown variable is refused (pmacct leaves it in the name). Parsed once;
 * {@link #append} allocates nothing.
 */
public final class NameTemplate {

    /** The variables; destinations take the first five, Kafka keys all (pmacct's DYN_STR_KAFKA_PART). */
    public enum Variable {
        PEER_SRC_IP, TAG, TAG2, POST_TAG, POST_TAG2, SRC_HOST, DST_HOST, SRC_PORT, DST_PORT, PROTO, IN_IFACE;

        final String spelled = "$" + name().toLowerCase(Locale.ROOT);
    }

    public static final Set<Variable> DESTINATION = EnumSet.range(Variable.PEER_SRC_IP, Variable.POST_TAG2);
    public static final Set<Variable> MESSAGE_KEY = EnumSet.allOf(Variable.class);

    private final String text;
    /** Text pieces as themselves, variables as {@link Variable}. */
    private final Object[] tokens;
    private final boolean variables;
    private final long postTag;
    private final long postTag2;

    private NameTemplate(String text, List<Object> tokens, long postTag, long postTag2) {
        this.text = text;
        this.tokens = tokens.toArray();
        this.variables = tokens.stream().anyMatch(t -> t instanceof Variable);
        this.postTag = postTag;
        this.postTag2 = postTag2;
    }

    /**
     * @param allowed  the variables this name may use
     * @param postTag  the plugin's post_tag (0 without), for $post_tag
     * @throws IllegalArgumentException naming a variable that is unknown or not allowed here
     */
    public static NameTemplate parse(String text, Set<Variable> allowed, long postTag, long postTag2) {
        List<Object> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int dollar = text.indexOf('$', i);
            if (dollar != i) {
                int end = dollar < 0 ? text.length() : dollar;
                tokens.add(text.substring(i, end));
                i = end;
                continue;
            }
            int end = i + 1;
            while (end < text.length() && isNameChar(text.charAt(end))) {
                end++;
            }
            if (end > i + 2 && text.charAt(end - 1) == '_') {
                end--;
            }
            String name = text.substring(i, end);
            Variable v = null;
            for (Variable candidate : allowed) {
                if (candidate.spelled.equals(name)) {
                    v = candidate;
                }
            }
            if (v == null) {
                StringBuilder known = new StringBuilder();
                for (Variable candidate : allowed) {
                    known.append(known.length() == 0 ? "" : ", ").append(candidate.spelled);
                }
                throw new IllegalArgumentException((name.length() == 1 ? "'$' without a variable name"
                        : "unknown variable '" + name + "'") + " (variables here: " + known + ")");
            }
            tokens.add(v);
            i = end;
        }
        return new NameTemplate(text, tokens, postTag, postTag2);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** Whether the name has variables (pmacct's test for a dynamic name: any {@code $}). */
    public boolean hasVariables() {
        return variables;
    }

    public String text() {
        return text;
    }

    /** The name for one aggregate; {@code row} null gives what an aggregate without the fields gives. */
    public String resolve(Row row) {
        if (!variables) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 32);
        append(sb, row);
        return sb.toString();
    }

    public void append(StringBuilder sb, Row row) {
        for (Object t : tokens) {
            if (!(t instanceof Variable v)) {
                sb.append((String) t);
                continue;
            }
            switch (v) {
                case PEER_SRC_IP -> address(sb, row, KeyField.PEER_SRC_FAMILY, KeyField.PEER_SRC_HI, KeyField.PEER_SRC_LO);
                case SRC_HOST -> address(sb, row, KeyField.SRC_FAMILY, KeyField.SRC_HI, KeyField.SRC_LO);
                case DST_HOST -> address(sb, row, KeyField.DST_FAMILY, KeyField.DST_HI, KeyField.DST_LO);
                case TAG -> unsigned(sb, row == null ? 0 : row.field(KeyField.TAG));
                case TAG2 -> unsigned(sb, row == null ? 0 : row.field(KeyField.TAG2));
                case POST_TAG -> unsigned(sb, postTag);
                case POST_TAG2 -> unsigned(sb, postTag2);
                case SRC_PORT -> sb.append(row == null ? 0 : row.field(KeyField.SRC_PORT));
                case DST_PORT -> sb.append(row == null ? 0 : row.field(KeyField.DST_PORT));
                case PROTO -> sb.append(row == null ? 0 : row.field(KeyField.PROTO));
                default -> sb.append(row == null ? 0 : row.field(KeyField.IN_IFACE));
            }
        }
    }

    private static void unsigned(StringBuilder sb, long v) {
        if (v >= 0) {
            sb.append(v);
        } else {
            sb.append(Long.toUnsignedString(v));
        }
    }

    /** An address with '_' for its dots and colons; an aggregate without it gives 0_0_0_0, as print's file names. */
    private static void address(StringBuilder sb, Row row, KeyField family, KeyField hi, KeyField lo) {
        int f = row == null ? 0 : (int) row.field(family);
        if (f == 0) {
            sb.append(DynamicName.NO_PEER);
            return;
        }
        int start = sb.length();
        Addr.append(sb, f, row.field(hi), row.field(lo));
        for (int i = start; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c == '.' || c == ':') {
                sb.setCharAt(i, '_');
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
