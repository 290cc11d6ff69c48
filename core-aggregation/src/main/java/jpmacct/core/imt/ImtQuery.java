package jpmacct.core.imt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jpmacct.core.primitive.Primitive;

/**
 * One client request, as the {@code pmacct} client's flags describe it; encoded as {@code key=value} lines.
 * Both sides validate it the same way: the client to fail before connecting, the daemon because anything may
 * write to its socket.
 */
public final class ImtQuery {
    /** What the client asked for. */
    public enum Op {
        /** -s: the whole table. */
        SHOW,
        /** -N: counters of the entries matching each request. */
        COUNTERS,
        /** -M: the table of the entries matching any request. */
        TABLE,
        /** -e: clear the table. */
        ERASE,
        /** -i: seconds since the last clear. */
        SINCE_ERASE,
        /** -t: table status. */
        STATUS
    }

    /** The output formats of -O. */
    public static final List<String> OUTPUTS = List.of("formatted", "csv", "json", "event_formatted", "event_csv");

    public Op op = Op.SHOW;
    /** -c: the primitives the -N/-M values give, in order. */
    public List<Primitive> primitives = new ArrayList<>();
    /** -N/-M: one entry per request, each a comma-separated value list matching {@link #primitives}. */
    public List<String> matches = new ArrayList<>();
    /** -n: bytes, packets, flows or all. */
    public String counter = "bytes";
    /** -S. */
    public boolean sum;
    /** -T: bytes, packets or flows; null for no sorting. */
    public String topCounter;
    /** -T ...,N: 0 for all. */
    public int topN;
    /** -O. */
    public String output = "formatted";
    /** -E. */
    public String separator = ",";
    /** -u. */
    public boolean numericProtos;
    /** -a. */
    public boolean allFields;
    /** -I. */
    public boolean sinceEpoch;
    /** -0 (else the client's own time zone, {@link #zone}). */
    public boolean utc;
    /** -r. */
    public boolean reset;
    /** -e with -s or -M: print the table and clear it in the same lock hold. */
    public boolean erase;
    /** The client's TZ, so timestamps print as the client's pmacct would; empty for the system's zone. */
    public String zone = "";

    public String encode() {
        StringBuilder sb = new StringBuilder();
        line(sb, "op", op.name().toLowerCase(Locale.ROOT));
        List<String> names = new ArrayList<>();
        for (Primitive p : primitives) {
            names.add(p.configName());
        }
        line(sb, "primitives", String.join(",", names));
        for (String m : matches) {
            line(sb, "match", m);
        }
        line(sb, "counter", counter);
        line(sb, "sum", sum);
        line(sb, "top", topCounter == null ? "" : topCounter);
        line(sb, "topn", topN);
        line(sb, "output", output);
        line(sb, "separator", separator);
        line(sb, "numeric", numericProtos);
        line(sb, "all", allFields);
        line(sb, "epoch", sinceEpoch);
        line(sb, "utc", utc);
        line(sb, "reset", reset);
        if (erase) { // sent only when set, so daemons from before this key answer every other query
            line(sb, "erase", true);
        }
        line(sb, "zone", zone);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, Object value) {
        String v = String.valueOf(value);
        if (v.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(key + ": a value cannot contain a line break");
        }
        sb.append(key).append('=').append(v).append('\n');
    }

    /** Parses and validates a request; {@link IllegalArgumentException} names what is wrong. */
    public static ImtQuery decode(String text) {
        ImtQuery q = new ImtQuery();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("malformed request line '" + abbreviate(line) + "'");
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            switch (k) {
                case "op" -> q.op = op(v);
                case "primitives" -> q.primitives = primitives(v);
                case "match" -> q.matches.add(v);
                case "counter" -> q.counter = oneOf("counter", v, "bytes", "packets", "flows", "all");
                case "sum" -> q.sum = bool(k, v);
                case "top" -> q.topCounter = v.isEmpty() ? null : oneOf("top", v, "bytes", "packets", "flows");
                case "topn" -> q.topN = nonNegative(k, v);
                case "output" -> q.output = oneOf("output", v, OUTPUTS.toArray(new String[0]));
                case "separator" -> q.separator = v;
                case "numeric" -> q.numericProtos = bool(k, v);
                case "all" -> q.allFields = bool(k, v);
                case "epoch" -> q.sinceEpoch = bool(k, v);
                case "utc" -> q.utc = bool(k, v);
                case "reset" -> q.reset = bool(k, v);
                case "erase" -> q.erase = bool(k, v);
                case "zone" -> q.zone = v;
                default -> throw new IllegalArgumentException("unknown request key '" + abbreviate(k) + "'");
            }
        }
        if ((q.op == Op.COUNTERS || q.op == Op.TABLE) && (q.primitives.isEmpty() || q.matches.isEmpty())) {
            throw new IllegalArgumentException("-N or -M needs -c and at least one value");
        }
        if (q.erase && q.op != Op.SHOW && q.op != Op.TABLE) {
            throw new IllegalArgumentException("erase=true applies to op=show and op=table only");
        }
        for (String m : q.matches) {
            MatchSpec.parse(q.primitives, m);
        }
        return q;
    }

    /** The primitives of a {@code -c} list; unknown names are refused with pmacct's message. */
    public static List<Primitive> primitives(String list) {
        List<Primitive> out = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.strip();
            if (n.isEmpty()) {
                continue;
            }
            Primitive p = Primitive.byName(n);
            if (p == null) {
                throw new IllegalArgumentException("unknown primitive '" + abbreviate(n) + "'");
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static Op op(String v) {
        for (Op o : Op.values()) {
            if (o.name().equalsIgnoreCase(v)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + abbreviate(v) + "'");
    }

    private static String oneOf(String key, String v, String... allowed) {
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(key + ": '" + abbreviate(v) + "' is not one of " + String.join(", ", allowed));
    }

    private static boolean bool(String key, String v) {
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new IllegalArgumentException(key + ": expected true or false");
    }

    private static int nonNegative(String key, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(key + ": expected a non-negative number, got '" + abbreviate(v) + "'");
    }

    static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
