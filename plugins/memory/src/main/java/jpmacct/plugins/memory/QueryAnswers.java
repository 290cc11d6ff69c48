package jpmacct.plugins.memory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.imt.ImtProtocol;
import jpmacct.core.imt.ImtQuery;
import jpmacct.core.imt.MatchSpec;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.Row;
import jpmacct.core.output.Timestamps;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.primitive.Column;
import jpmacct.core.primitive.Primitive;

/** Answers client queries against a memory plugin's table; runs on the server's threads. */
final class QueryAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(QueryAnswers.class);
    private static final int COUNTERS = 4; // packets, bytes, flows, tcp flags before the key words of a copied row

    private final MemoryPlugin plugin;

    QueryAnswers(MemoryPlugin plugin) {
        this.plugin = plugin;
    }

    /** Writes the whole response (header and body) for a validated query. */
    void answer(ImtQuery q, OutputStream out) throws IOException {
        switch (q.op) {
            case SHOW, TABLE -> table(q, out);
            case COUNTERS -> counters(q, out);
            case ERASE -> {
                AggregationTable empty = plugin.emptyTable();
                withLock(() -> plugin.erase(empty, plugin.nowSeconds()));
                ImtProtocol.writeShort(out, ImtProtocol.OK, "OK: Clearing stats.\n");
            }
            case SINCE_ERASE -> {
                long at = plugin.erasedAt();
                ImtProtocol.writeShort(out, ImtProtocol.OK,
                        at == 0 ? "never\n" : (plugin.nowSeconds() - at) + "\n");
            }
            case STATUS -> ImtProtocol.writeShort(out, ImtProtocol.OK, status());
        }
    }

    private void withLock(Runnable r) {
        plugin.lock().lock();
        try {
            r.run();
        } finally {
            plugin.lock().unlock();
        }
    }

    private String status() {
        StringBuilder sb = new StringBuilder();
        withLock(() -> {
            AggregationTable t = plugin.aggregation().aggregator().table();
            long max = plugin.maxEntries();
            sb.append("entries: ").append(t.size()).append('\n');
            sb.append("capacity: ").append(t.capacity()).append(" slots\n");
            sb.append("limit: ").append(max == 0 ? "unlimited" : Long.toString(max)).append('\n');
            sb.append("records of new keys dropped (table full): ").append(plugin.refusedNewKeys()).append('\n');
            sb.append("table heap bytes: ").append(t.heapBytes()).append('\n');
        });
        long at = plugin.erasedAt();
        sb.append("last cleared: ").append(at == 0 ? "never" : (plugin.nowSeconds() - at) + " s ago").append('\n');
        return sb.toString();
    }

    /** -N: one line per request (or one summed line with -S) of the chosen counter(s). */
    private void counters(ImtQuery q, OutputStream out) throws IOException {
        List<MatchSpec> specs = specs(q);
        long[][] totals = new long[specs.size()][4]; // packets, bytes, flows, entries
        withLock(() -> {
            Aggregator agg = plugin.aggregation().aggregator();
            AggregationTable t = agg.table();
            for (int i = 0; i < specs.size(); i++) {
                MatchSpec.Bound b = specs.get(i).bind(agg.layout(), agg.labels(), agg.classes());
                long[] exact = b.exactKey();
                if (exact != null) {
                    int s = t.find(exact);
                    if (s >= 0) {
                        count(t, s, totals[i], q.reset);
                    }
                    continue;
                }
                long[] words = t.keyArray();
                for (int s = 0, cap = t.capacity(); s < cap; s++) {
                    if (t.used(s) && b.test(words, t.keyBase(s))) {
                        count(t, s, totals[i], q.reset);
                    }
                }
            }
        });
        StringBuilder sb = new StringBuilder();
        if (q.sum) {
            long[] sum = new long[4];
            for (long[] t : totals) {
                for (int k = 0; k < 4; k++) {
                    sum[k] += t[k];
                }
            }
            counterLine(sb, q.counter, sum);
        } else {
            for (long[] t : totals) {
                counterLine(sb, q.counter, t);
            }
        }
        ImtProtocol.writeShort(out, ImtProtocol.OK, sb.toString());
    }

    private static void count(AggregationTable t, int slot, long[] totals, boolean reset) {
        totals[0] += t.packets(slot);
        totals[1] += t.bytes(slot);
        totals[2] += t.flows(slot);
        totals[3]++;
        if (reset) {
            t.zeroCounters(slot);
        }
    }

    private static void counterLine(StringBuilder sb, String counter, long[] t) {
        switch (counter) {
            case "packets" -> sb.append(t[0]);
            case "flows" -> sb.append(t[2]);
            case "all" -> sb.append(t[0]).append(' ').append(t[1]).append(' ').append(t[2]).append(' ').append(t[3]);
            default -> sb.append(t[1]);
        }
        sb.append('\n');
    }

    private static List<MatchSpec> specs(ImtQuery q) {
        List<MatchSpec> out = new ArrayList<>();
        for (String m : q.matches) {
            out.add(MatchSpec.parse(q.primitives, m));
        }
        return out;
    }

    /**
     * -s and -M: copies the (matching) entries under the lock, then sorts and prints them without it. With -e the
     * table is cleared in the same lock hold, so each record is printed by exactly one read-and-clear.
     */
    private void table(ImtQuery q, OutputStream out) throws IOException {
        PluginAggregation aggregation = plugin.aggregation();
        List<MatchSpec> specs = q.op == ImtQuery.Op.TABLE ? specs(q) : List.of();
        Snapshot snap = new Snapshot();
        AggregationTable empty = q.erase ? plugin.emptyTable() : null;
        long t0 = System.nanoTime();
        withLock(() -> {
            snap.copy(aggregation.aggregator(), specs, q.reset);
            if (empty != null) {
                plugin.erase(empty, plugin.nowSeconds());
            }
        });
        LOG.debug("{}{}: {} entries copied in {} ms under the table lock", q.op, q.erase ? " and clear" : "", snap.rows, (System.nanoTime() - t0) / 1_000_000);

        int[] order = order(snap, q.topCounter, q.topN);
        OutputFormat format = format(q, aggregation);
        out.write(ImtProtocol.responseHeader(ImtProtocol.OK));
        StringBuilder sb = new StringBuilder(1 << 16);
        String header = format.header();
        if (header != null) {
            sb.append(header);
        }
        long now = plugin.nowSeconds();
        SnapshotRow row = new SnapshotRow(snap);
        for (int i : order) {
            row.moveTo(i);
            format.appendRow(sb, row, now);
            if (sb.length() >= 1 << 16) {
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                sb.setLength(0);
            }
        }
        if (format.style() == OutputFormat.Style.FORMATTED || format.style() == OutputFormat.Style.EVENT_FORMATTED) {
            sb.append("\nFor a total of: ").append(order.length).append(" entries\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static OutputFormat format(ImtQuery q, PluginAggregation aggregation) {
        ZoneId zone;
        try {
            zone = q.utc ? ZoneOffset.UTC : q.zone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(q.zone);
        } catch (DateTimeException e) {
            zone = ZoneOffset.UTC;
        }
        OutputFormat.Style style = OutputFormat.Style.parse(q.output.toUpperCase(Locale.ROOT));
        boolean all = q.allFields && style != OutputFormat.Style.JSON;
        List<Column> columns = all ? Column.pmacct177() : aggregation.aggregate().columns();
        if (style != OutputFormat.Style.JSON) {
            columns = Column.clientOrder(columns);
        }
        boolean flows = all || aggregation.aggregate().has(Primitive.FLOWS);
        OutputFormat.Options options = new OutputFormat.Options(q.numericProtos, q.separator,
                new Timestamps(q.sinceEpoch, true, zone), aggregation.bins() != null, false);
        return new OutputFormat(style, columns, all ? List.of() : aggregation.aggregate().custom(), flows, options);
    }

    /** Row indexes in print order: table order, or by a counter (largest first) and cut to the top N. */
    private static int[] order(Snapshot snap, String topCounter, int topN) {
        int n = snap.rows;
        if (topCounter == null) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int field = switch (topCounter) {
            case "packets" -> 0;
            case "flows" -> 2;
            default -> 1;
        };
        Integer[] idx = new Integer[n];
        Arrays.setAll(idx, i -> i);
        long[] d = snap.data;
        int stride = snap.stride;
        Arrays.sort(idx, (a, b) -> Long.compare(d[b * stride + field], d[a * stride + field]));
        int keep = topN > 0 ? Math.min(topN, n) : n;
        int[] out = new int[keep];
        for (int i = 0; i < keep; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Entries copied out of the table: per row the counters, then the key words. */
    static final class Snapshot {
        long[] data = new long[0];
        int stride;
        int rows;
        KeyLayout layout;
        String[] labels;
        String[] classes;

        void copy(Aggregator agg, List<MatchSpec> specs, boolean reset) {
            AggregationTable t = agg.table();
            layout = agg.layout();
            int words = t.keyWords();
            stride = COUNTERS + words;
            List<MatchSpec.Bound> bound = new ArrayList<>();
            for (MatchSpec m : specs) {
                bound.add(m.bind(layout, agg.labels(), agg.classes()));
            }
            data = new long[(specs.isEmpty() ? t.size() : 16) * stride];
            long[] keys = t.keyArray();
            for (int s = 0, cap = t.capacity(); s < cap; s++) {
                if (!t.used(s) || !(bound.isEmpty() || anyMatch(bound, keys, t.keyBase(s)))) {
                    continue;
                }
                int at = rows * stride;
                if (at + stride > data.length) {
                    data = Arrays.copyOf(data, Math.max(data.length * 2, at + stride));
                }
                data[at] = t.packets(s);
                data[at + 1] = t.bytes(s);
                data[at + 2] = t.flows(s);
                data[at + 3] = t.tcpFlags(s);
                System.arraycopy(keys, t.keyBase(s), data, at + COUNTERS, words);
                rows++;
                if (reset) {
                    t.zeroCounters(s);
                }
            }
            if (layout.usesLabels()) {
                labels = agg.labels().values();
            }
            if (layout.has(KeyField.CLASS)) {
                classes = agg.classes().values();
            }
        }

        private static boolean anyMatch(List<MatchSpec.Bound> bound, long[] keys, int base) {
            for (MatchSpec.Bound b : bound) {
                if (b.test(keys, base)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A cursor over a {@link Snapshot}, presenting each copied entry as a {@link Row}. */
    static final class SnapshotRow implements Row {
        private final Snapshot snap;
        private int base;

        SnapshotRow(Snapshot snap) {
            this.snap = snap;
        }

        void moveTo(int row) {
            base = row * snap.stride;
        }

        @Override
        public long field(KeyField f) {
            return snap.layout.get(snap.data, base + COUNTERS, f);
        }

        @Override
        public long packets() {
            return snap.data[base];
        }

        @Override
        public long bytes() {
            return snap.data[base + 1];
        }

        @Override
        public long flows() {
            return snap.data[base + 2];
        }

        @Override
        public int tcpFlags() {
            return (int) snap.data[base + 3];
        }

        @Override
        public String label() {
            return text(snap.labels, (int) field(KeyField.LABEL), "");
        }

        @Override
        public String classLabel() {
            return text(snap.classes, (int) field(KeyField.CLASS), "unknown");
        }

        @Override
        public String text(KeyField f) {
            return text(snap.labels, (int) field(f), "");
        }

        @Override
        public long customWord(int k, int i) {
            return snap.layout.custom(snap.data, base + COUNTERS, k, i);
        }

        @Override
        public byte[] customValue(int k) {
            return snap.layout.customValues().value((int) customWord(k, 0));
        }

        @Override
        public byte[] srv6Segments() {
            return snap.layout.srv6Lists().value((int) field(KeyField.SRV6_LIST));
        }

        private static String text(String[] values, int id, String absent) {
            return values != null && id >= 0 && id < values.length ? values[id] : absent;
        }
    }
}
