package jpmacct.filter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jpmacct.core.config.ConfigException;
import jpmacct.core.net.MapLine;
import jpmacct.core.net.Prefix;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * pmacct's pre_tag_map: rules that set {@code tag}, {@code tag2} and {@code label} on matching records, first
 * match wins; {@code jeq=LABEL} continues at the next rule named {@code label=LABEL} (forward only), {@code
 * stack=sum|or} combines tags met on the way. Immutable: a reload builds a new map and swaps it in whole.
 */
public final class PreTagMap {
    private static final Set<String> KEYS = Set.of("set_tag", "set_tag2", "set_label", "ip", "in", "out", "engine_type",
            "engine_id", "source_id", "agent_id", "nexthop", "bgp_nexthop", "filter", "direction", "vlan", "src_mac",
            "dst_mac", "src_net", "dst_net", "sample_type", "label", "jeq", "stack", "return");
    /** Keys about an exporter or its headers: pmacctd's records have no such data. */
    private static final Set<String> COLLECTOR_KEYS = Set.of("ip", "engine_type", "engine_id", "source_id", "agent_id",
            "nexthop", "bgp_nexthop", "sample_type");
    /** Match keys that take no negation, as in pmacct. */
    private static final Set<String> NOT_NEGATABLE = Set.of("ip", "filter", "sample_type");

    /** One match condition on a record. */
    private interface Match {
        boolean test(FlowRecord r, RecordFilter.Subject s, RecordFilter filter);
    }

    private record Rule(int line, Tag setTag, Tag setTag2, String setLabel, List<Match> matches, RecordFilter filter,
                        String label, String jeq, int jumpTo, boolean stackSum, boolean stackOr) {
    }

    /** A set_tag/set_tag2 value; {@code N++} counts up from N at every match (pmacct's auto-increasing tags). */
    private static final class Tag {
        final long value;
        final AtomicLong next;

        Tag(long value, boolean increasing) {
            this.value = value;
            this.next = increasing ? new AtomicLong(value) : null;
        }

        long get() {
            return next == null ? value : next.getAndIncrement();
        }
    }

    /** Labels met along jeq chains joined with commas, as pmacct does; built once per pair, not per record. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>>
            joined = new ConcurrentHashMap<>();

    private final List<Rule> rules;
    private final boolean hasFilters;

    private PreTagMap(List<Rule> rules) {
        this.rules = rules;
        boolean f = false;
        for (Rule r : rules) {
            f |= r.filter != null;
        }
        this.hasFilters = f;
    }

    public int size() {
        return rules.size();
    }

    /** Whether a rule reads packets (a filter): pmacctd then keeps the frame for it. */
    public boolean hasFilters() {
        return hasFilters;
    }

    /** The map's filters for another thread. */
    RecordFilter[] filtersCopy() {
        RecordFilter[] out = new RecordFilter[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            out[i] = rules.get(i).filter == null ? null : rules.get(i).filter.copy();
        }
        return out;
    }

    /**
     * Tags the record. {@code filters} are the calling thread's copies of the rules' filters (same index).
     */
    void apply(FlowRecord r, RecordFilter.Subject s, RecordFilter[] filters) {
        r.tag = 0;
        r.tag2 = 0;
        r.label = null;
        int i = 0;
        int n = rules.size();
        while (i < n) {
            Rule rule = rules.get(i);
            if (!matches(rule, r, s, filters[i])) {
                i++;
                continue;
            }
            if (rule.setTag != null) {
                long t = rule.setTag.get();
                r.tag = rule.stackSum ? r.tag + t : rule.stackOr ? r.tag | t : t;
            }
            if (rule.setTag2 != null) {
                long t = rule.setTag2.get();
                r.tag2 = rule.stackSum ? r.tag2 + t : rule.stackOr ? r.tag2 | t : t;
            }
            if (rule.setLabel != null) {
                r.label = r.label == null ? rule.setLabel : join(r.label, rule.setLabel);
            }
            if (rule.jumpTo < 0) {
                return; // the first match wins
            }
            i = rule.jumpTo;
        }
    }

    private String join(String before, String added) {
        ConcurrentHashMap<String, String> m = joined.get(before);
        if (m == null) {
            m = joined.computeIfAbsent(before, k -> new ConcurrentHashMap<>());
        }
        String j = m.get(added);
        if (j == null) {
            j = (before + "," + added).intern();
            m.putIfAbsent(added, j);
        }
        return j;
    }

    private static boolean matches(Rule rule, FlowRecord r, RecordFilter.Subject s, RecordFilter filter) {
        for (int k = 0; k < rule.matches.size(); k++) {
            if (!rule.matches.get(k).test(r, s, filter)) {
                return false;
            }
        }
        return true;
    }

    public static PreTagMap load(Path file) throws ConfigException {
        return load(file, RecordSource.PACKETS);
    }

    public static PreTagMap load(Path file, RecordSource source) throws ConfigException {
        List<Rule> rules = new ArrayList<>();
        List<Integer> jumps = new ArrayList<>();
        for (MapLine.Entry entry : MapLine.readEntries(file, "pre_tag_map")) {
            int no = entry.line();
            String where = entry.where();
            Map<String, String> kv = entry.keys();
            for (String k : kv.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new ConfigException(where + ": unknown key '" + k + "' (pre_tag_map keys: "
                            + String.join(", ", new TreeSet<>(KEYS)) + ")");
                }
            }
            try {
                rules.add(rule(no, kv, source));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        // jeq targets: the next rule after the jumping one that carries the label
        List<Rule> resolved = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            int to = -1;
            if (r.jeq != null && !r.jeq.equals("next")) {
                for (int j = i + 1; j < rules.size(); j++) {
                    if (r.jeq.equals(rules.get(j).label)) {
                        to = j;
                        break;
                    }
                }
                if (to < 0) {
                    throw new ConfigException(file + ":" + r.line + ": jeq=" + r.jeq + " names no rule below it");
                }
            } else if ("next".equals(r.jeq)) {
                to = i + 1;
            }
            resolved.add(new Rule(r.line, r.setTag, r.setTag2, r.setLabel, r.matches, r.filter, r.label, r.jeq, to,
                    r.stackSum, r.stackOr));
        }
        return new PreTagMap(List.copyOf(resolved));
    }

    private static Rule rule(int line, Map<String, String> kv, RecordSource source) {
        Tag tag = kv.containsKey("set_tag") ? tag(kv.get("set_tag"), "set_tag") : null;
        Tag tag2 = kv.containsKey("set_tag2") ? tag(kv.get("set_tag2"), "set_tag2") : null;
        String label = kv.containsKey("set_label") ? kv.get("set_label").intern() : null;
        if (tag == null && tag2 == null && label == null) {
            throw new IllegalArgumentException("a rule needs set_tag, set_tag2 or set_label");
        }
        if ("next".equals(kv.get("label"))) {
            throw new IllegalArgumentException("label=next is reserved (jeq=next goes to the next rule)");
        }
        if (kv.containsKey("return") && !kv.get("return").equals("false")) {
            throw new IllegalArgumentException("return=" + kv.get("return") + ": pmacct is discontinuing 'return'"
                    + " and this project does not send a record twice; use jeq and stack");
        }
        List<Match> m = new ArrayList<>();
        RecordFilter filter = null;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String key = e.getKey();
            if (source == RecordSource.PACKETS && COLLECTOR_KEYS.contains(key)) {
                throw new IllegalArgumentException(key + " is about an exporter (nfacctd, sfacctd); pmacctd's packets"
                        + " have none");
            }
            String v = e.getValue();
            boolean negated = v.startsWith("-") && !NOT_NEGATABLE.contains(key) && !key.startsWith("set_")
                    && !Set.of("label", "jeq", "stack", "return").contains(key);
            if (negated) {
                v = v.substring(1);
            }
            int before = m.size();
            switch (key) {
                case "ip": {
                    Prefix p = Prefix.parse(v, "");
                    m.add((r, s, f) -> p.contains(r.peerSrcFamily, r.peerSrcHi, r.peerSrcLo));
                    break;
                }
                case "in": m.add(iface(v, true)); break;
                case "out": m.add(iface(v, false)); break;
                case "engine_type": {
                    long t = number(v, "engine_type");
                    m.add((r, s, f) -> r.engineType == t);
                    break;
                }
                case "engine_id":
                case "source_id":
                case "agent_id": {
                    long id = number(v, e.getKey());
                    m.add((r, s, f) -> r.exportProtoSysid == id);
                    break;
                }
                case "nexthop":
                case "bgp_nexthop": {
                    Prefix p = Prefix.parse(v, "");
                    m.add((r, s, f) -> p.contains(r.peerDstFamily, r.peerDstHi, r.peerDstLo));
                    break;
                }
                case "src_net": {
                    Prefix p = Prefix.parse(v, "");
                    m.add((r, s, f) -> p.contains(r.srcFamily, r.srcHi, r.srcLo));
                    break;
                }
                case "dst_net": {
                    Prefix p = Prefix.parse(v, "");
                    m.add((r, s, f) -> p.contains(r.dstFamily, r.dstHi, r.dstLo));
                    break;
                }
                case "direction": {
                    int d = (int) number(v, "direction");
                    if (d != 0 && d != 1) {
                        throw new IllegalArgumentException("direction=" + v + ": expected 0 (ingress) or 1 (egress)");
                    }
                    int want = d == 0 ? FlowRecord.DIRECTION_INGRESS : FlowRecord.DIRECTION_EGRESS;
                    m.add((r, s, f) -> r.direction == want);
                    break;
                }
                case "vlan": {
                    long vl = number(v, "vlan");
                    m.add((r, s, f) -> r.vlan == vl);
                    break;
                }
                case "src_mac": {
                    long mac = mac(v);
                    m.add((r, s, f) -> r.srcMac == mac);
                    break;
                }
                case "dst_mac": {
                    long mac = mac(v);
                    m.add((r, s, f) -> r.dstMac == mac);
                    break;
                }
                case "sample_type":
                    m.add(sampleType(v, source));
                    break;
                case "filter":
                    try {
                        filter = RecordFilter.compile(v);
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalArgumentException("filter='" + v + "': " + bad.getMessage(), bad);
                    }
                    m.add((r, s, f) -> f.test(s));
                    break;
                default:
                    break; // set_*, label, jeq, stack, return
            }
            if (negated && m.size() > before) {
                Match plain = m.remove(before);
                m.add((r, s, f) -> !plain.test(r, s, f));
            }
        }
        String stack = kv.get("stack");
        if (stack != null && !stack.equals("sum") && !stack.equals("or")) {
            throw new IllegalArgumentException("stack=" + stack + ": expected sum or or");
        }
        return new Rule(line, tag, tag2, label, List.copyOf(m), filter, kv.get("label"), kv.get("jeq"), -1,
                "sum".equals(stack), "or".equals(stack));
    }

    /**
     * sample_type as pmacct reads it: sFlow "enterprise:format" (0:1 flow sample, 0:3 expanded flow sample);
     * NetFlow/IPFIX flow, flow-ipv4, flow-ipv6, flow-mpls-ipv4, flow-mpls-ipv6, event, option. A leading '-'
     * negates. Only flow records reach the map, so event and option never match.
     */
    private static Match sampleType(String value, RecordSource source) {
        boolean neg = value.startsWith("-");
        String v = neg ? value.substring(1) : value;
        Match m;
        switch (source) {
            case SFLOW: {
                String[] p = v.split(":", -1);
                long enterprise;
                long format;
                try {
                    enterprise = p.length == 2 ? Long.parseLong(p[0]) : -1;
                    format = p.length == 2 ? Long.parseLong(p[1]) : -1;
                } catch (NumberFormatException e) {
                    enterprise = -1;
                    format = -1;
                }
                if (enterprise < 0 || enterprise > 0xFFFFF || format < 0 || format > 0xFFF) {
                    throw new IllegalArgumentException("sample_type=" + value
                            + ": expected enterprise:format, e.g. 0:1 (flow sample) or 0:3 (expanded flow sample)");
                }
                int want = (int) (enterprise << 12 | format);
                m = (r, s, f) -> r.sampleType == want;
                break;
            }
            case NETFLOW:
                switch (v) {
                    case "flow": m = (r, s, f) -> true; break;
                    case "flow-ipv4": m = (r, s, f) -> r.srcFamily == Addr.V4 && r.mplsLabelTop == 0; break;
                    case "flow-ipv6": m = (r, s, f) -> r.srcFamily == Addr.V6 && r.mplsLabelTop == 0; break;
                    case "flow-mpls-ipv4": m = (r, s, f) -> r.srcFamily == Addr.V4 && r.mplsLabelTop != 0; break;
                    case "flow-mpls-ipv6": m = (r, s, f) -> r.srcFamily == Addr.V6 && r.mplsLabelTop != 0; break;
                    case "event":
                    case "option": m = (r, s, f) -> false; break;
                    default:
                        throw new IllegalArgumentException("sample_type=" + value + ": expected flow, flow-ipv4, "
                                + "flow-ipv6, flow-mpls-ipv4, flow-mpls-ipv6, event or option");
                }
                break;
            default:
                throw new IllegalArgumentException("sample_type applies to nfacctd and sfacctd records only");
        }
        return neg ? (r, s, f) -> !m.test(r, s, f) : m;
    }

    private static Match iface(String v, boolean in) {
        long n = number(v, in ? "in" : "out");
        return (r, s, f) -> (in ? r.inIface : r.outIface) == n;
    }

    private static Tag tag(String v, String key) {
        boolean increasing = v.endsWith("++");
        String digits = increasing ? v.substring(0, v.length() - 2) : v;
        try {
            long t = Long.parseUnsignedLong(digits);
            if (t == 0) {
                throw new NumberFormatException();
            }
            return new Tag(t, increasing);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": expected a tag from 1 to 2^64-1, or N++ to count up");
        }
    }

    private static long number(String v, String key) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": expected a number");
        }
    }

    private static long mac(String v) {
        long mac = Addr.parseMac(v);
        if (mac < 0) {
            throw new IllegalArgumentException("'" + v + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        }
        return mac;
    }
}
