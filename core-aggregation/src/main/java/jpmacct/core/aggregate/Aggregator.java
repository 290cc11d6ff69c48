package jpmacct.core.aggregate;

import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.FlowRecord;

/**
 * Folds records into an {@link AggregationTable} under one plugin's key, applying pmacct's {@code sum_*}
 * semantics (each record accounted once per direction). Counts what the table refuses when it is full.
 */
public final class Aggregator {
    private final KeyBuilder keys;
    private final boolean sum;
    /** Tables keep timestamp_min and timestamp_max (nfacctd_stitching); every table of this aggregator does or none. */
    private final boolean stitching;
    private AggregationTable table;
    private final StringDictionary labels;
    private final StringDictionary classes;
    private long refusedRecords;

    public Aggregator(KeyBuilder keys, AggregationTable table, StringDictionary labels, StringDictionary classes) {
        this.keys = keys;
        this.table = table;
        this.stitching = table.stitching();
        this.labels = labels;
        this.classes = classes;
        Primitive s = keys.layout().aggregate().sum();
        this.sum = s != null;
    }

    public void add(FlowRecord r) {
        account(r, false);
        if (sum) {
            account(r, true);
        }
    }

    /** Records per group in {@link #offer}: enough independent table loads in flight to hide their latency. */
    private static final int GROUP = 32;
    private long[] groupKeys;
    private final int[] groupHashes = new int[GROUP * 2];
    private final FlowRecord[] groupRecords = new FlowRecord[GROUP * 2];
    private int grouped;
    private long touched;

    /**
     * Accounts a record as part of a group: its key and hash are computed now, the insert happens in
     * {@link #flush()} (called when the group is full and by the caller before the records it offered become
     * invalid). Reading the group's table slots back to back first lets the CPU overlap their cache misses
     * instead of paying them one after the other.
     */
    public void offer(FlowRecord r) {
        stage(r, false);
        if (sum) {
            stage(r, true);
        }
        if (grouped >= GROUP) {
            flush();
        }
    }

    private void stage(FlowRecord r, boolean swap) {
        int words = keys.layout().words();
        if (groupKeys == null) {
            groupKeys = new long[GROUP * 2 * words];
        }
        int off = grouped * words;
        keys.build(r, swap, groupKeys, off);
        groupHashes[grouped] = AggregationTable.hash(groupKeys, off, words);
        groupRecords[grouped] = r;
        grouped++;
    }

    /** Inserts the records offered since the last flush. */
    public void flush() {
        int words = keys.layout().words();
        // first read every home slot back to back, so the misses overlap; then insert
        long t = 0;
        for (int i = 0; i < grouped; i++) {
            t += table.touch(groupHashes[i]);
        }
        touched += t;
        for (int i = 0; i < grouped; i++) {
            FlowRecord r = groupRecords[i];
            long start = stitching ? keys.stitchStart(r) : 0;
            long end = stitching ? keys.stitchEnd(r) : 0;
            if (!table.add(groupKeys, i * words, groupHashes[i], r.packets, r.bytes, r.flows, flags(r), start,
                    end)) {
                refusedRecords++;
            }
            groupRecords[i] = null;
        }
        grouped = 0;
    }

    /** Keeps the touched loads observable so they are not optimised away. */
    long touched() {
        return touched;
    }

    private void account(FlowRecord r, boolean swap) {
        long[] k = keys.build(r, swap);
        long start = stitching ? keys.stitchStart(r) : 0;
        long end = stitching ? keys.stitchEnd(r) : 0;
        if (!table.add(k, r.packets, r.bytes, r.flows, flags(r), start, end)) {
            refusedRecords++;
        }
    }

    public KeyLayout layout() {
        return keys.layout();
    }

    public AggregationTable table() {
        return table;
    }

    /** Swaps in another table of the same shape (for purging the current one elsewhere) and returns the old one. */
    public AggregationTable swap(AggregationTable fresh) {
        AggregationTable old = table;
        table = fresh;
        return old;
    }

    public StringDictionary labels() {
        return labels;
    }

    public StringDictionary classes() {
        return classes;
    }

    /** The TCP flags an entry ORs in: the packet's in the low byte, the tunnelled packet's in the next one. */
    static int flags(FlowRecord r) {
        return r.tcpFlags | r.tunnelTcpFlags << 8;
    }

    /** Records (per direction for sum primitives) refused because the table was full. */
    public long refusedRecords() {
        return refusedRecords;
    }
}
