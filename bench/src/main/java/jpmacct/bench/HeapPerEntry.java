package jpmacct.bench;


import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyLayout;
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
        Aggregator aggregator = DecodeAggregateBenchmark.fiveTupleAggregator(16411);
        KeyLayout layout = aggregator.layout();
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
        System.out.printf("entries %d (IPv6 %d%%), key %d words, table capacity %d slots%n", aggregator.table().size(), v6,
                layout.words(), aggregator.table().capacity());
        System.out.printf("heap %.1f MiB, %.0f bytes per entry (table arrays alone: %.0f)%n",
                (after - before) / 1048576.0, (after - before) / (double) aggregator.table().size(),
                aggregator.table().heapBytes() / (double) aggregator.table().size());
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
