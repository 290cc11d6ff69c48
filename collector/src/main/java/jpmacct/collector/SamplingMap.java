package jpmacct.collector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.net.MapLine;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.net.Prefix;

/**
 * pmacct's sampling_map: rules {@code id=RATE ip=EXPORTER[/LEN] [in=IFINDEX] [out=IFINDEX]}, first match wins; a
 * negative in/out matches every other interface. Overrides what exporters announce (or fills in what they do not).
 */
public final class SamplingMap {
    private record Rule(long rate, Prefix exporter, long in, long out) {
        boolean matches(int f, long h, long l, long inIface, long outIface) {
            return exporter.contains(f, h, l) && iface(in, inIface) && iface(out, outIface);
        }

        private static boolean iface(long rule, long value) {
            return rule == 0 || (rule > 0 ? value == rule : value != -rule);
        }
    }

    private final List<Rule> rules;

    private SamplingMap(List<Rule> rules) {
        this.rules = rules;
    }

    public static final SamplingMap EMPTY = new SamplingMap(List.of());

    /** Rate for a record of this exporter and interfaces, or 0 when no rule matches. */
    public long rate(int family, long hi, long lo, long inIface, long outIface) {
        for (int i = 0, n = rules.size(); i < n; i++) {
            Rule r = rules.get(i);
            if (r.matches(family, hi, lo, inIface, outIface)) {
                return r.rate;
            }
        }
        return 0;
    }

    public int size() {
        return rules.size();
    }

    /** sampling_map as a reloadable map of the daemon, or null when the key is not set. */
    public static Supplier<SamplingMap> configured(DaemonConfig config, MapRegistry maps) throws ConfigException {
        if (!config.isSet(CollectorKeys.SAMPLING_MAP)) {
            return null;
        }
        return maps.map("sampling_map", Path.of(config.get(CollectorKeys.SAMPLING_MAP)), SamplingMap::load,
                SamplingMap::size);
    }

    public static SamplingMap load(Path file) throws ConfigException {
        List<Rule> rules = new ArrayList<>();
        for (MapLine.Entry entry : MapLine.readEntries(file, "sampling_map")) {
            int no = entry.line();
            Map<String, String> kv = entry.keys();
            for (String k : kv.keySet()) {
                if (!k.equals("id") && !k.equals("ip") && !k.equals("in") && !k.equals("out")) {
                    throw new ConfigException(file + ":" + no + ": unknown key '" + k + "' (expected id, ip, in, out)");
                }
            }
            if (!kv.containsKey("id") || !kv.containsKey("ip")) {
                throw new ConfigException(file + ":" + no + ": a rule needs id=<rate> and ip=<exporter address or prefix>");
            }
            long rate = number(file, no, "id", kv.get("id"), 1, Integer.MAX_VALUE);
            Prefix exporter;
            try {
                exporter = Prefix.parse(kv.get("ip"), "");
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + ":" + no + ": ip " + e.getMessage());
            }
            long in = kv.containsKey("in") ? number(file, no, "in", kv.get("in"), -0xFFFFFFFFL, 0xFFFFFFFFL) : 0;
            long out = kv.containsKey("out") ? number(file, no, "out", kv.get("out"), -0xFFFFFFFFL, 0xFFFFFFFFL) : 0;
            rules.add(new Rule(rate, exporter, in, out));
        }
        return new SamplingMap(List.copyOf(rules));
    }

    private static long number(Path file, int no, String key, String v, long min, long max) throws ConfigException {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ":" + no + ": " + key + "=" + v + " is not a number from " + min + " to " + max);
        }
    }
}
