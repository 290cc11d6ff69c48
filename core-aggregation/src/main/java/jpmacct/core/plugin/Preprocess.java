package jpmacct.core.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.config.ValueType;

/**
 * {@code *_preprocess}: checks an entry has to pass to be written at a purge (minp=..., maxb=...), with
 * {@code *_preprocess_type} any (one check is enough) or all. The SQL plugins also take {@code qnum} (the checks
 * apply only to purges of more entries), maxbpp, maxppf and the actions {@code usrf} and {@code adjb}, which change
 * the counters of the entries written; pmacct gives print, amqp and kafka the other checks only.
 */
public final class Preprocess {
    private static final Logger LOG = LoggerFactory.getLogger(Preprocess.class);
    private static final List<String> CHECKS = List.of("minp", "minb", "minf", "maxp", "maxb", "maxf", "minbpp",
            "maxbpp", "minppf", "maxppf");
    private static final List<String> OTHERS = List.of("qnum", "usrf", "adjb");
    /** What pmacct's preprocess dictionary for its print, amqp and kafka plugins lacks. */
    private static final List<String> SQL_ONLY = List.of("qnum", "maxbpp", "maxppf", "usrf", "adjb");
    private static final List<String> NOT_YET = List.of("fss", "fsrc", "recover");
    private static final Set<String> SQL_PLUGINS = Set.of("sqlite3", "mysql", "pgsql");

    private final Map<String, Long> settings;
    /** The checks as indexes into {@link #CHECKS} and their values, so evaluating an entry allocates nothing. */
    private final int[] checks;
    private final long[] limits;
    /** *_preprocess_type all: every check passes (rather than one). */
    private final boolean all;
    /** The cache counts flows: minppf and maxppf can be evaluated (else they are skipped). */
    private final boolean flows;

    private Preprocess(Map<String, Long> settings, boolean all, boolean flows) {
        this.settings = settings;
        this.all = all;
        this.flows = flows;
        List<String> names = new ArrayList<>();
        for (String k : settings.keySet()) {
            if (CHECKS.contains(k)) {
                names.add(k);
            }
        }
        this.checks = new int[names.size()];
        this.limits = new long[names.size()];
        for (int i = 0; i < checks.length; i++) {
            checks[i] = CHECKS.indexOf(names.get(i));
            limits[i] = settings.get(names.get(i));
        }
    }

    public Map<String, Long> settings() {
        return settings;
    }

    /** The same checks evaluated with {@code *_preprocess_type} all (or any), with or without a flows counter. */
    public Preprocess typed(boolean all, boolean flows) {
        return new Preprocess(settings, all, flows);
    }

    public static final ValueType<Preprocess> TYPE = new ValueType<>() {
        @Override
        public Preprocess parse(String text) {
            Map<String, Long> settings = new LinkedHashMap<>();
            for (String part : text.split(",")) {
                String[] kv = part.strip().split("=", 2);
                String key = kv[0].strip().toLowerCase(Locale.ROOT);
                if (NOT_YET.contains(key)) {
                    throw new IllegalArgumentException("'" + key + "' is not supported yet");
                }
                if (!CHECKS.contains(key) && !OTHERS.contains(key)) {
                    throw new IllegalArgumentException("unknown check '" + key + "'");
                }
                long v;
                try {
                    v = kv.length == 2 ? Long.parseLong(kv[1].strip()) : 0;
                } catch (NumberFormatException e) {
                    v = 0;
                }
                if (v <= 0) {
                    throw new IllegalArgumentException("'" + key + "' needs a number above 0");
                }
                settings.put(key, v);
            }
            if (settings.keySet().stream().noneMatch(k -> CHECKS.contains(k) || k.equals("usrf") || k.equals("adjb"))) {
                throw new IllegalArgumentException("no check or action");
            }
            return new Preprocess(settings, false, true);
        }

        @Override
        public String expected() {
            return "comma-separated name=number pairs of minp, minb, minf, maxp, maxb, maxf, minbpp, maxbpp, minppf, "
                    + "maxppf, qnum, usrf, adjb";
        }

        @Override
        public String render(Preprocess value) {
            List<String> parts = new ArrayList<>();
            value.settings().forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(",", parts);
        }
    };

    /**
     * This plugin's {@code *_preprocess} with its {@code *_preprocess_type}, or null when it has none. A print,
     * amqp or kafka plugin refuses what pmacct gives the SQL plugins only; what cannot take effect is logged.
     *
     * @param flows the plugin's cache counts flows
     */
    public static Preprocess configured(PluginConfig cfg, boolean flows) throws ConfigException {
        Preprocess p = cfg.get(CoreKeys.PREPROCESS);
        if (p == null) {
            if (cfg.isSet(CoreKeys.PREPROCESS_TYPE)) {
                note(cfg, CoreKeys.PREPROCESS_TYPE, "has no preprocess to apply to; ignored");
            }
            return null;
        }
        if (!SQL_PLUGINS.contains(cfg.type())) {
            for (String k : p.settings.keySet()) {
                if (SQL_ONLY.contains(k)) {
                    throw cfg.error(CoreKeys.PREPROCESS, "'" + k + "' applies to the SQL plugins only (the " + cfg.type()
                            + " plugin takes minp, minb, minf, maxp, maxb, maxf, minbpp, minppf); scope the key to "
                            + "the SQL plugins, e.g. sql_preprocess[name]");
                }
            }
        }
        if (p.needsFlows() && !flows) {
            note(cfg, CoreKeys.PREPROCESS, "minppf/maxppf need the flows primitive in aggregate; those checks are "
                    + "skipped");
        }
        return p.typed(cfg.get(CoreKeys.PREPROCESS_TYPE).equals("all"), flows);
    }

    private static void note(PluginConfig cfg, KeyDef<?> key, String what) {
        LOG.warn("{} ({}) {}", cfg.writtenName(key), cfg.whereSet(key), what);
    }

    /** The checks per packets per flow need the flows counter; without it they cannot be evaluated. */
    public boolean needsFlows() {
        return settings.containsKey("minppf") || settings.containsKey("maxppf");
    }

    /**
     * The entries of a purge that pass, with the actions applied (the SQL plugins): {@code t} itself when it is
     * unchanged, otherwise a new table (of the same layout) from {@code fresh}.
     */
    public AggregationTable apply(AggregationTable t, Supplier<AggregationTable> fresh) {
        boolean checking = t.size() > settings.getOrDefault("qnum", 0L) && checks.length > 0;
        long usrf = settings.getOrDefault("usrf", 1L);
        long adjb = settings.getOrDefault("adjb", 0L);
        if (!checking && usrf == 1 && adjb == 0) {
            return t;
        }
        AggregationTable out = fresh.get();
        long[] keys = t.keyArray();
        int words = t.keyWords();
        for (int s = 0, cap = t.capacity(); s < cap; s++) {
            if (!t.used(s) || checking && !passes(t.packets(s), t.bytes(s), t.flows(s))) {
                continue;
            }
            long packets = t.packets(s);
            long bytes = t.bytes(s);
            if (usrf != 1) {
                // pmacct renormalizes bytes and derives packets from the bytes per packet seen
                long bytesPerPacket = Math.max(1, bytes / packets);
                bytes *= usrf;
                packets = bytes / bytesPerPacket;
            }
            bytes += packets * adjb;
            int base = t.keyBase(s);
            out.add(keys, base, AggregationTable.hash(keys, base, words), packets, bytes, t.flows(s), t.tcpFlags(s),
                    t.timestampMin(s), t.timestampMax(s));
        }
        return out;
    }

    /** Whether the entry in {@code slot} passes the checks (print, amqp, kafka: checks only, no actions). */
    public boolean passes(AggregationTable t, int slot) {
        return passes(t.packets(slot), t.bytes(slot), t.flows(slot));
    }

    private boolean passes(long packets, long bytes, long flowCount) {
        int evaluated = 0;
        int passed = 0;
        for (int i = 0; i < checks.length; i++) {
            long v = limits[i];
            boolean ok;
            switch (checks[i]) {
                case 0 -> ok = packets >= v;
                case 1 -> ok = bytes >= v;
                case 2 -> ok = flowCount >= v;
                case 3 -> ok = packets < v;
                case 4 -> ok = bytes < v;
                case 5 -> ok = flowCount < v;
                case 6 -> ok = bytes / Math.max(1, packets) >= v;
                case 7 -> ok = bytes / Math.max(1, packets) < v;
                case 8 -> {
                    if (!flows) {
                        continue; // no flows counter to divide by
                    }
                    ok = packets / Math.max(1, flowCount) >= v;
                }
                default -> {
                    if (!flows) {
                        continue;
                    }
                    ok = packets / Math.max(1, flowCount) < v;
                }
            }
            evaluated++;
            if (ok) {
                passed++;
            }
        }
        return evaluated == 0 || (all ? passed == evaluated : passed > 0);
    }
}
