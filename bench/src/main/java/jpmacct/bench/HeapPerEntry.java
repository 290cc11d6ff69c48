package jpmacct.bench;

import java.util.EnumSet;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyBuilder;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.aggregate.NetOptions;
import jpmacct.core.aggregate.StringDictionary;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.FlowRecord;

/**
 * Heap used per aggregate entry: fills a 5-tuple cache (src_host, dst_host, src_port, dst_port, proto) with N
 * distinct IPv4 and IPv6 keys through the same path the plugins use, and measures the heap after a full GC.
 *
 * <p>usage: HeapPerEntry [entries] [ipv6-percent]
 */
public final class HeapPerEntry {
    private HeapPerEntry() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int v6 = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long before = usedAfterGc();
        Aggregate agg = new Aggregate(EnumSet.of(Primitive.SRC_HOST, Primitive.DST_HOST, Primitive.SRC_PORT,
                Primitive.DST_PORT, Primitive.PROTO));
        KeyLayout layout = new KeyLayout(agg, false);
        StringDictionary labels = new StringDictionary("");
        StringDictionary classes = new StringDictionary("unknown");
        KeyBuilder keys = new KeyBuilder(layout, NetOptions.NONE, null, null, false, labels, classes);
        AggregationTable table = new AggregationTable(layout.words(), 16411, 0, false, false);
        Aggregator aggregator = new Aggregator(keys, table, labels, classes);
        FlowRecord r = new FlowRecord();
        for (int i = 0; i < entries; i++) {
            if (i % 100 < v6) {
                r.srcV6(0x20010db800000000L, i);
                r.dstV6(0x2a00000000000000L, i * 31L);
            } else {
                r.srcV4(0x0A000000 | (i & 0xFFFFFF));
                r.dstV4(0xC0A80000 | (i >>> 24));
            }
            r.srcPort = 1024 + (i & 0x7FFF);
            r.dstPort = 443;
            r.proto = 6;
            r.packets = 1;
            r.bytes = 100;
            aggregator.add(r);
        }
        long after = usedAfterGc();
        System.out.printf("entries %d (IPv6 %d%%), key %d words, table capacity %d slots%n", table.size(), v6,
                layout.words(), table.capacity());
        System.out.printf("heap %.1f MiB, %.0f bytes per entry (table arrays alone: %.0f)%n",
                (after - before) / 1048576.0, (after - before) / (double) table.size(),
                table.heapBytes() / (double) table.size());
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
