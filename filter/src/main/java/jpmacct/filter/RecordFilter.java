package jpmacct.filter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.net.Prefix;
import jpmacct.core.record.FlowRecord;
import jpmacct.filter.bpf.BpfCompiler;
import jpmacct.filter.bpf.BpfProgram;

/**
 * A compiled aggregate_filter (or a pre_tag_map rule's filter): libpcap parts run as BPF in Java on the record's
 * frame (pmacctd) or on a frame built from the record (collectors); this project's terms read the record. One
 * instance per thread ({@link #copy}); evaluating allocates nothing.
 */
public final class RecordFilter {
    private static final int SNAPLEN = 65535;

    /** What a node looks at: the record, and its frame (real or built on first need). */
    static final class Subject {
        FlowRecord record;
        ByteBuffer frame;
        int offset;
        int caplen;
        int wireLen;
        int linkType;
        private final SyntheticFrame synthetic = new SyntheticFrame();
        private boolean built;

        void set(FlowRecord r, ByteBuffer frame, int offset, int caplen, int wireLen, int linkType) {
            this.record = r;
            this.frame = frame;
            this.offset = offset;
            this.caplen = caplen;
            this.wireLen = wireLen;
            this.linkType = linkType;
            this.built = false;
        }

        /** The record's frame, or the one built from it (once per record, for every filter asking). */
        void ensureFrame() {
            if (frame == null && !built) {
                synthetic.build(record);
                built = true;
            }
        }

        ByteBuffer buf() {
            return frame != null ? frame : synthetic.buffer();
        }

        int off() {
            return frame != null ? offset : 0;
        }

        int cap() {
            return frame != null ? caplen : synthetic.length();
        }

        int wire() {
            return frame != null ? wireLen : synthetic.length();
        }

        int link() {
            return frame != null ? linkType : LinkTypes.ETHERNET;
        }
    }

    private interface Eval {
        boolean test(Subject s);

        Eval copy();
    }

    private final String text;
    private final Eval root;

    private RecordFilter(String text, Eval root) {
        this.text = text;
        this.root = root;
    }

    public String text() {
        return text;
    }

    /**
     * Compiles a filter; throws IllegalArgumentException with libpcap's message or the position of a fault.
     *
     * @param linkTypes the link types it will see on real frames (compiled up front so errors show at start-up)
     */
    public static RecordFilter compile(String text, int... linkTypes) {
        // pmacct takes a comma-separated list of filters, any of which may match (libpcap's syntax has no comma)
        Eval e = null;
        int from = 0;
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("empty filter" + (text.contains(",") ? " between commas at position "
                        + (from + 1) : ""));
            }
            Eval one = compilePart(text, from, from + part.length());
            e = e == null ? one : new Either(e, one);
            from += part.length() + 1;
        }
        RecordFilter f = new RecordFilter(text, e);
        f.prepare(LinkTypes.ETHERNET);
        for (int lt : linkTypes) {
            f.prepare(lt);
        }
        return f;
    }

    private static Eval compilePart(String text, int start, int end) {
        String part = text.substring(start, end);
        if (!FilterExpression.hasOwnTerms(part)) {
            return new Bpf(part, start);
        }
        FilterExpression.Node n = FilterExpression.parse(part, start);
        return compile(n, part, start);
    }

    /** @param base where {@code text} starts in the whole filter */
    private static Eval compile(FilterExpression.Node n, String text, int base) {
        if (!n.own()) {
            return new Bpf(text.substring(n.start(), n.end()), base + n.start());
        }
        if (n instanceof FilterExpression.Group g) {
            return compile(g.child(), text, base);
        }
        if (n instanceof FilterExpression.Not not) {
            Eval c = compile(not.child(), text, base);
            return new Negation(c);
        }
        if (n instanceof FilterExpression.Binary b) {
            Eval l = compile(b.left(), text, base);
            Eval r = compile(b.right(), text, base);
            return b.and() ? new Both(l, r) : new Either(l, r);
        }
        FilterExpression.Leaf leaf = (FilterExpression.Leaf) n;
        return own(leaf, text, base);
    }

    /** This project's terms. */
    private static Eval own(FilterExpression.Leaf leaf, String text, int base) {
        String term = leaf.words().get(0).toLowerCase(Locale.ROOT);
        String where = " (position " + (base + leaf.start() + 1) + ")";
        if (leaf.words().size() != 2) {
            throw new IllegalArgumentException("'" + text.substring(leaf.start(), leaf.end()) + "'" + where
                    + ": expected '" + term + " " + argument(term) + "'");
        }
        String arg = leaf.words().get(1);
        switch (term) {
            case "in_iface":
            case "out_iface": {
                long v = number(arg, where);
                boolean in = term.equals("in_iface");
                return new Term(s -> (in ? s.record.inIface : s.record.outIface) == v);
            }
            case "tag":
            case "tag2": {
                long[] range = range(arg, where);
                boolean first = term.equals("tag");
                return new Term(s -> {
                    long t = first ? s.record.tag : s.record.tag2;
                    return Long.compareUnsigned(t, range[0]) >= 0 && Long.compareUnsigned(t, range[1]) <= 0;
                });
            }
            case "label": {
                String label = arg.intern();
                return new Term(s -> label.equals(s.record.label));
            }
            default: { // peer_src_ip
                Prefix p = Prefix.parse(arg, where);
                return new Term(s -> p.contains(s.record.peerSrcFamily, s.record.peerSrcHi, s.record.peerSrcLo));
            }
        }
    }

    private static String argument(String term) {
        switch (term) {
            case "peer_src_ip": return "ADDRESS[/LEN]";
            case "label": return "NAME";
            case "tag":
            case "tag2": return "N or N-M";
            default: return "IFINDEX";
        }
    }

    private static long number(String s, String where) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "'" + where + " is not a number");
        }
    }

    private static long[] range(String s, String where) {
        int dash = s.indexOf('-');
        try {
            long a = Long.parseUnsignedLong(dash < 0 ? s : s.substring(0, dash));
            long b = dash < 0 ? a : Long.parseUnsignedLong(s.substring(dash + 1));
            return new long[] {a, b};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "'" + where + " is not a tag or a range N-M");
        }
    }

    /** This filter for another thread: the same programs, their own scratch memory. */
    public RecordFilter copy() {
        return new RecordFilter(text, root.copy());
    }

    private void prepare(int linkType) {
        prepare(root, linkType);
    }

    private static void prepare(Eval e, int linkType) {
        if (e instanceof Bpf b) {
            b.program(linkType);
        } else if (e instanceof Negation n) {
            prepare(n.child, linkType);
        } else if (e instanceof Both b) {
            prepare(b.left, linkType);
            prepare(b.right, linkType);
        } else if (e instanceof Either o) {
            prepare(o.left, linkType);
            prepare(o.right, linkType);
        }
    }

    /** Whether the record (and its frame) passes. */
    public boolean test(Subject s) {
        return root.test(s);
    }

    private static final class Bpf implements Eval {
        private final String expression;
        /** Where the expression starts in the filter as written. */
        private final int base;
        /** Compiled per link type: a small array, as a daemon sees one or two. */
        private int[] linkTypes = new int[0];
        private BpfProgram[] programs = new BpfProgram[0];

        Bpf(String expression, int base) {
            this.expression = expression;
            this.base = base;
        }

        BpfProgram program(int linkType) {
            for (int i = 0; i < linkTypes.length; i++) {
                if (linkTypes[i] == linkType) {
                    return programs[i];
                }
            }
            BpfProgram p;
            try {
                p = BpfCompiler.compile(expression, linkType, SNAPLEN);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(fault(expression, base, linkType, e.getMessage()), e);
            }
            linkTypes = Arrays.copyOf(linkTypes, linkTypes.length + 1);
            programs = Arrays.copyOf(programs, programs.length + 1);
            linkTypes[linkTypes.length - 1] = linkType;
            programs[programs.length - 1] = p;
            return p;
        }

        @Override
        public boolean test(Subject s) {
            s.ensureFrame();
            return program(s.link()).matches(s.buf(), s.off(), s.cap(), s.wire());
        }

        @Override
        public Eval copy() {
            Bpf b = new Bpf(expression, base);
            b.linkTypes = linkTypes.clone();
            b.programs = new BpfProgram[programs.length];
            for (int i = 0; i < programs.length; i++) {
                b.programs[i] = programs[i].copy();
            }
            return b;
        }
    }

    /**
     * Where a libpcap expression goes wrong: libpcap says only what (e.g. "syntax error"), so the expression is
     * compiled term by term, prefix after prefix, and the first term whose prefix fails is named.
     */
    static String fault(String expression, int base, int linkType, String libpcapMessage) {
        List<FilterExpression.Leaf> leaves = new ArrayList<>();
        try {
            leaves(FilterExpression.parse(expression, base), leaves);
        } catch (IllegalArgumentException structural) {
            return structural.getMessage() + " (libpcap: " + libpcapMessage + ")";
        }
        for (FilterExpression.Leaf leaf : leaves) {
            String prefix = expression.substring(0, leaf.end());
            int open = 0;
            for (int i = 0; i < prefix.length(); i++) {
                open += prefix.charAt(i) == '(' ? 1 : prefix.charAt(i) == ')' ? -1 : 0;
            }
            try {
                BpfCompiler.compile(prefix + ")".repeat(Math.max(0, open)), linkType, SNAPLEN);
            } catch (IllegalArgumentException e) {
                return "at position " + (base + leaf.start() + 1) + " ('" + expression.substring(leaf.start(), leaf.end())
                        + "'): " + e.getMessage();
            }
        }
        return libpcapMessage + " (in '" + expression + "' at position " + (base + 1) + ")";
    }

    private static void leaves(FilterExpression.Node n, List<FilterExpression.Leaf> out) {
        if (n instanceof FilterExpression.Leaf l) {
            out.add(l);
        } else if (n instanceof FilterExpression.Not not) {
            leaves(not.child(), out);
        } else if (n instanceof FilterExpression.Group g) {
            leaves(g.child(), out);
        } else if (n instanceof FilterExpression.Binary b) {
            leaves(b.left(), out);
            leaves(b.right(), out);
        }
    }

    private record Term(Predicate<Subject> p) implements Eval {
        public boolean test(Subject s) {
            return p.test(s);
        }

        public Eval copy() {
            return this; // stateless
        }
    }

    private record Negation(Eval child) implements Eval {
        public boolean test(Subject s) {
            return !child.test(s);
        }

        public Eval copy() {
            return new Negation(child.copy());
        }
    }

    private record Both(Eval left, Eval right) implements Eval {
        public boolean test(Subject s) {
            return left.test(s) && right.test(s);
        }

        public Eval copy() {
            return new Both(left.copy(), right.copy());
        }
    }

    private record Either(Eval left, Eval right) implements Eval {
        public boolean test(Subject s) {
            return left.test(s) || right.test(s);
        }

        public Eval copy() {
            return new Either(left.copy(), right.copy());
        }
    }
}
