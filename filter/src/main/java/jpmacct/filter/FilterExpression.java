package jpmacct.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A filter in libpcap's syntax, parsed only as far as this project's own terms need: {@code in_iface N},
 * {@code out_iface N}, {@code peer_src_ip ADDR[/LEN]}, {@code tag N[-M]}, {@code tag2 N[-M]}, {@code label NAME}.
 * Any part without them is kept as its original text and compiled by libpcap as a whole (so libpcap's own rules,
 * such as "port 80 or 443" meaning two ports, keep working). As in libpcap, {@code not} binds tightest and
 * {@code and}/{@code or} have equal precedence, left to right.
 */
public final class FilterExpression {
    static final Set<String> OWN_TERMS = Set.of("in_iface", "out_iface", "peer_src_ip", "tag", "tag2", "label");

    /** A parsed node: its span in the text, so a subtree can be handed to libpcap as written. */
    sealed interface Node permits Leaf, Not, Binary, Group {
        int start();

        int end();

        /** Whether this subtree has one of this project's terms (otherwise libpcap compiles it whole). */
        boolean own();
    }

    record Leaf(int start, int end, List<String> words, boolean own) implements Node {
    }

    record Not(int start, int end, Node child) implements Node {
        public boolean own() {
            return child.own();
        }
    }

    record Binary(int start, int end, boolean and, Node left, Node right) implements Node {
        public boolean own() {
            return left.own() || right.own();
        }
    }

    record Group(int start, int end, Node child) implements Node {
        public boolean own() {
            return child.own();
        }
    }

    private record Token(String text, int start, int end) {
        boolean is(String... options) {
            for (String o : options) {
                if (text.equalsIgnoreCase(o)) {
                    return true;
                }
            }
            return false;
        }

        boolean connector() {
            return is("and", "or", "&&", "||");
        }
    }

    private final String text;
    private final List<Token> tokens;
    /** Where the text starts in the filter the user wrote (positions in messages count from there). */
    private final int base;
    private int next;

    private FilterExpression(String text, int base) {
        this.text = text;
        this.tokens = tokenize(text);
        this.base = base;
    }

    /** Parses; throws IllegalArgumentException naming the position of the fault. */
    static Node parse(String text) {
        return parse(text, 0);
    }

    /** @param base where {@code text} starts in the whole filter, for the positions in messages */
    static Node parse(String text, int base) {
        FilterExpression p = new FilterExpression(text, base);
        if (p.tokens.isEmpty()) {
            throw new IllegalArgumentException("empty filter");
        }
        Node n = p.expr();
        if (p.next < p.tokens.size()) {
            Token t = p.tokens.get(p.next);
            throw new IllegalArgumentException("unexpected '" + t.text + "' at position " + p.p(t));
        }
        return n;
    }

    /** Whether the filter uses any of this project's terms at all (if not, libpcap takes it verbatim). */
    static boolean hasOwnTerms(String text) {
        for (Token t : tokenize(text)) {
            if (OWN_TERMS.contains(t.text.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** A token's position for messages, counting from 1 in the whole filter. */
    private int p(Token t) {
        return base + t.start + 1;
    }

    String text(Node n) {
        return text.substring(n.start(), n.end());
    }

    private Node expr() {
        Node left = unary();
        while (next < tokens.size() && tokens.get(next).connector()) {
            Token op = tokens.get(next++);
            if (next >= tokens.size()) {
                throw new IllegalArgumentException("nothing after '" + op.text + "' at position " + p(op));
            }
            Node right = unary();
            left = new Binary(left.start(), right.end(), op.is("and", "&&"), left, right);
        }
        return left;
    }

    private Node unary() {
        Token t = tokens.get(next);
        if (t.is("not", "!")) {
            next++;
            if (next >= tokens.size()) {
                throw new IllegalArgumentException("nothing after '" + t.text + "' at position " + p(t));
            }
            Node child = unary();
            return new Not(t.start, child.end(), child);
        }
        return primary();
    }

    private Node primary() {
        Token t = tokens.get(next);
        if (t.is("(")) {
            int close = matching(next);
            if (close < 0) {
                throw new IllegalArgumentException("'(' at position " + p(t) + " is never closed");
            }
            boolean continues = close + 1 < tokens.size() && !tokens.get(close + 1).connector()
                    && !tokens.get(close + 1).is(")");
            if (!continues) {
                next++;
                Node inner = expr();
                if (next >= tokens.size() || !tokens.get(next).is(")")) {
                    throw new IllegalArgumentException("')' expected at position " + p(t));
                }
                Token c = tokens.get(next++);
                return new Group(t.start, c.end, inner);
            }
            // arithmetic such as "(tcp[12] & 0xf0) >> 2 > 5": one libpcap term
        } else if (t.is(")")) {
            throw new IllegalArgumentException("unexpected ')' at position " + p(t));
        }
        return leaf();
    }

    private Node leaf() {
        int first = next;
        int depth = 0;
        List<String> words = new ArrayList<>();
        while (next < tokens.size()) {
            Token t = tokens.get(next);
            if (depth == 0 && (t.connector() || t.is(")"))) {
                break;
            }
            if (t.is("(")) {
                depth++;
            } else if (t.is(")")) {
                depth--;
            }
            words.add(t.text);
            next++;
        }
        if (words.isEmpty()) {
            Token t = tokens.get(first);
            throw new IllegalArgumentException("unexpected '" + t.text + "' at position " + p(t));
        }
        boolean own = OWN_TERMS.contains(words.get(0).toLowerCase(Locale.ROOT));
        return new Leaf(tokens.get(first).start, tokens.get(next - 1).end, List.copyOf(words), own);
    }

    private int matching(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).is("(")) {
                depth++;
            } else if (tokens.get(i).is(")") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(new Token(String.valueOf(c), i, i + 1));
                i++;
            } else if (c == '!' && (i + 1 >= n || s.charAt(i + 1) != '=')) {
                out.add(new Token("!", i, i + 1));
                i++;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '(' && s.charAt(i) != ')'
                        && !(s.charAt(i) == '!' && (i + 1 >= n || s.charAt(i + 1) != '=') && i > start)) {
                    i++;
                }
                out.add(new Token(s.substring(start, i), start, i));
            }
        }
        return out;
    }
}
