package jpmacct.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One registry of the daemon's health counters (drops, malformed input, queue overflows, table refusals), printed
 * on SIGUSR1 and in the periodic stats line; shaped so a metrics endpoint can serve it later.
 */
public final class Metrics {
    /** A read-only view of one value. */
    public record Sample(String name, String labels, String help, long value) {
    }

    private final Map<String, Counter> counters = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final Map<String, Gauge> gauges = new LinkedHashMap<>();

    private record Gauge(String name, String labels, LongSupplier supplier) {
    }

    /**
     * @param labelPairs alternating label names and values: {@code "plugin", "csv"}
     */
    public synchronized Counter counter(String name, String description, String... labelPairs) {
        String labels = labels(labelPairs);
        help.putIfAbsent(name, description);
        return counters.computeIfAbsent(name + "{" + labels + "}", k -> new Counter(name, labels));
    }

    public synchronized void gauge(String name, String description, LongSupplier supplier, String... labelPairs) {
        String labels = labels(labelPairs);
        help.putIfAbsent(name, description);
        gauges.put(name + "{" + labels + "}", new Gauge(name, labels, supplier));
    }

    public synchronized List<Sample> snapshot() {
        List<Sample> out = new ArrayList<>();
        for (Counter c : counters.values()) {
            out.add(new Sample(c.name(), c.labels(), help.get(c.name()), c.get()));
        }
        for (Gauge g : gauges.values()) {
            out.add(new Sample(g.name(), g.labels(), help.get(g.name()), g.supplier().getAsLong()));
        }
        return out;
    }

    private static String labels(String[] pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("label names and values must pair up");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(pairs[i]).append("=\"").append(pairs[i + 1].replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }
}
