package jpmacct.e2e;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON side of pmacct's upstream flow tests: one object per line, parsed (objects keep their key order,
 * numbers are compared by value as Python compares them), and lists of rows compared the way pmacct's
 * test-framework does (json_tools.compare_json_lists): as many rows on each side, each row matched to exactly one
 * of the other side whatever the order, top-level fields of the case's ignore list left out. Where they differ,
 * the first unmatched row of each side is described with its closest counterpart and the fields that differ.
 */
final class UpstreamJson {
    /** Counters summed when rows that agree on every compared field are merged. */
    private static final List<String> COUNTERS = List.of("packets", "bytes", "flows");

    private UpstreamJson() {
    }

    /** One object per non-blank line (pmacct's framework skips lines of 3 characters or fewer, as here). */
    static List<Map<String, Object>> rows(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.strip().length() > 3) {
                out.add(object(line.strip()));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        Parser p = new Parser(text);
        Object v = p.value();
        p.blanks();
        if (p.i != text.length() || !(v instanceof Map)) {
            throw new IllegalArgumentException("not one JSON object: " + text);
        }
        return (Map<String, Object>) v;
    }

    /**
     * Rows that agree on every field but the counters and the ignored ones, summed into one: a purge or a second
     * boundary falling inside a replay splits what pmacct's framework (replays started at a fixed point of the
     * minute) keeps in one row.
     */
    static List<Map<String, Object>> merged(List<Map<String, Object>> rows, Collection<String> ignored) {
        Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> key = new TreeMap<>(r);
            key.keySet().removeAll(ignored);
            key.keySet().removeAll(COUNTERS);
            Map<String, Object> seen = byKey.putIfAbsent(text(key), new LinkedHashMap<>(r));
            if (seen != null) {
                for (String c : COUNTERS) {
                    if (seen.get(c) instanceof BigDecimal a && r.get(c) instanceof BigDecimal b) {
                        seen.put(c, a.add(b));
                    }
                }
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * pmacct's 1-to-1 match of received rows to expected ones, ignored fields left out of both; null when they
     * match, else what differs.
     */
    static String compare(List<Map<String, Object>> got, List<Map<String, Object>> expected, Collection<String> ignored) {
        List<Map<String, Object>> g = strip(got, ignored);
        List<Map<String, Object>> e = strip(expected, ignored);
        List<Map<String, Object>> unmatchedGot = new ArrayList<>();
        List<Map<String, Object>> unmatchedExpected = new ArrayList<>(e);
        for (Map<String, Object> row : g) {
            int at = indexOf(unmatchedExpected, row);
            if (at < 0) {
                unmatchedGot.add(row);
            } else {
                unmatchedExpected.remove(at);
            }
        }
        if (unmatchedGot.isEmpty() && unmatchedExpected.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(g.size()).append(" rows, ").append(e.size()).append(" expected; ").append(unmatchedGot.size())
                .append(" of ours unmatched, ").append(unmatchedExpected.size()).append(" expected unmatched");
        Map<String, Integer> fields = new TreeMap<>();
        for (Map<String, Object> row : unmatchedGot) {
            for (String d : closest(row, e, true)) {
                fields.merge(d.substring(0, d.indexOf(' ')), 1, Integer::sum);
            }
        }
        if (!fields.isEmpty()) {
            sb.append("; fields differing from the closest expected row (rows): ").append(fields);
        }
        if (!unmatchedGot.isEmpty()) {
            sb.append("\n  first of ours unmatched: ").append(text(unmatchedGot.get(0)))
                    .append("\n    closest differs in: ").append(String.join("; ", closest(unmatchedGot.get(0), e, true)));
        }
        if (!unmatchedExpected.isEmpty()) {
            sb.append("\n  first expected unmatched: ").append(text(unmatchedExpected.get(0)))
                    .append("\n    closest differs in: ").append(String.join("; ", closest(unmatchedExpected.get(0), g, false)));
        }
        return sb.toString();
    }

    private static List<Map<String, Object>> strip(List<Map<String, Object>> rows, Collection<String> ignored) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> c = new LinkedHashMap<>(r);
            c.keySet().removeAll(ignored);
            out.add(c);
        }
        return out;
    }

    private static int indexOf(List<Map<String, Object>> rows, Map<String, Object> row) {
        for (int i = 0; i < rows.size(); i++) {
            if (differences(row, rows.get(i)).isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** How {@code row} differs from the row of {@code among} it differs least from (nothing when there is none). */
    private static List<String> closest(Map<String, Object> row, List<Map<String, Object>> among, boolean rowIsOurs) {
        List<String> best = null;
        for (Map<String, Object> other : among) {
            List<String> d = rowIsOurs ? differences(row, other) : differences(other, row);
            if (best == null || d.size() < best.size()) {
                best = d;
            }
        }
        return best == null ? List.of() : best;
    }

    /** Top-level fields that differ, worded from our side: missing, unknown (ours only), or both values. */
    static List<String> differences(Map<String, Object> ours, Map<String, Object> expected) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            if (!ours.containsKey(e.getKey())) {
                out.add(e.getKey() + " missing (expected " + text(e.getValue()) + ")");
            } else if (!same(ours.get(e.getKey()), e.getValue())) {
                out.add(e.getKey() + " " + text(ours.get(e.getKey())) + " (expected " + text(e.getValue()) + ")");
            }
        }
        for (String k : ours.keySet()) {
            if (!expected.containsKey(k)) {
                out.add(k + " not expected (" + text(ours.get(k)) + ")");
            }
        }
        return out;
    }

    static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            Set<?> keys = x.keySet();
            if (!keys.equals(y.keySet())) {
                return false;
            }
            for (Object k : keys) {
                if (!same(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** Compact JSON of a parsed value, for messages and keys. */
    static String text(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (v instanceof BigDecimal n) {
            sb.append(n.toPlainString());
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ");
                write(sb, e.getKey());
                sb.append(": ");
                write(sb, e.getValue());
                first = false;
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                write(sb, l.get(i));
            }
            sb.append(']');
        } else {
            sb.append(v);
        }
    }

    /** Objects, arrays, strings (with escapes), numbers, true, false, null. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            blanks();
            if (i >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                return members();
            }
            if (c == '[') {
                return elements();
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i) || s.startsWith("false", i) || s.startsWith("null", i)) {
                String w = s.startsWith("true", i) ? "true" : s.startsWith("false", i) ? "false" : "null";
                i += w.length();
                return w.equals("null") ? null : Boolean.valueOf(w);
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw fail("unexpected '" + c + "'");
            }
            return new BigDecimal(s.substring(start, i));
        }

        private Map<String, Object> members() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            blanks();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                blanks();
                String k = string();
                blanks();
                expect(':');
                m.put(k, value());
                blanks();
                if (peek() == ',') {
                    i++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        private List<Object> elements() {
            List<Object> l = new ArrayList<>();
            i++;
            blanks();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                blanks();
                if (peek() == ',') {
                    i++;
                    continue;
                }
                expect(']');
                return l;
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            }
            expect('"');
            return sb.toString();
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }

        void blanks() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException fail(String why) {
            return new IllegalArgumentException(why + " at offset " + i + " of: " + s);
        }
    }
}
