package jpmacct.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AggregationTableTest {

    private static Map<List<Long>, long[]> contents(AggregationTable t) {
        Map<List<Long>, long[]> out = new HashMap<>();
        for (int s = 0; s < t.capacity(); s++) {
            if (t.used(s)) {
                int b = t.keyBase(s);
                Long[] key = new Long[t.keyWords()];
                for (int i = 0; i < key.length; i++) {
                    key[i] = t.keyArray()[b + i];
                }
                out.put(List.of(key), new long[] {t.packets(s), t.bytes(s), t.flows(s), t.tcpFlags(s)});
            }
        }
        return out;
    }

    @Test
    void addsUpCountersPerKey() {
        AggregationTable t = new AggregationTable(2, 16, 0, true, true);
        t.add(new long[] {1, 2}, 1, 100, 1, 0x02);
        t.add(new long[] {1, 2}, 2, 50, 0, 0x10);
        t.add(new long[] {2, 1}, 1, 60, 1, 0);
        Map<List<Long>, long[]> c = contents(t);
        assertEquals(2, t.size());
        assertEquals(List.of(3L, 150L, 1L, 0x12L), List.of(c.get(List.of(1L, 2L))[0], c.get(List.of(1L, 2L))[1],
                c.get(List.of(1L, 2L))[2], c.get(List.of(1L, 2L))[3]), "packets, bytes, flows, OR of TCP flags");
        assertEquals(60L, c.get(List.of(2L, 1L))[1]);
    }

    /** pmacct's print_cache_entries is a fixed size that forces an early purge; here it is only the initial size. */
    @Test
    void growsPastItsInitialSizeWithoutLosingEntries() {
        AggregationTable t = new AggregationTable(3, 16, 0, false, false);
        int initialCapacity = t.capacity();
        Random rnd = new Random(1);
        Map<List<Long>, Long> expected = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            long[] key = {rnd.nextInt(20_000), 7, rnd.nextInt(3)};
            t.add(key, 1, i, 0, 0);
            expected.merge(List.of(key[0], key[1], key[2]), (long) i, Long::sum);
        }
        assertTrue(t.capacity() > initialCapacity);
        assertEquals(expected.size(), t.size());
        Map<List<Long>, long[]> c = contents(t);
        for (Map.Entry<List<Long>, Long> e : expected.entrySet()) {
            assertEquals(e.getValue(), c.get(e.getKey())[1], e.getKey().toString());
        }
    }

    @Test
    void aLimitRefusesNewKeysAndCountsThem() {
        AggregationTable t = new AggregationTable(1, 16, 2, false, false);
        assertTrue(t.add(new long[] {1}, 1, 1, 0, 0));
        assertTrue(t.add(new long[] {2}, 1, 1, 0, 0));
        assertFalse(t.add(new long[] {3}, 1, 1, 0, 0));
        assertTrue(t.add(new long[] {1}, 1, 1, 0, 0), "existing keys still count");
        assertEquals(1, t.refused());
        assertEquals(2, t.size());
    }

    @Test
    void clearKeepsCapacityAndAddFromCopiesEntries() {
        AggregationTable a = new AggregationTable(1, 16, 0, true, false);
        a.add(new long[] {5}, 2, 20, 1, 0);
        AggregationTable b = new AggregationTable(1, 16, 0, true, false);
        for (int s = 0; s < a.capacity(); s++) {
            if (a.used(s)) {
                b.addFrom(a, s);
            }
        }
        int cap = a.capacity();
        a.clear();
        assertEquals(0, a.size());
        assertEquals(cap, a.capacity());
        long[] v = contents(b).get(List.of(5L));
        assertEquals(List.of(2L, 20L, 1L), List.of(v[0], v[1], v[2]));
    }

    @Test
    void keysDifferingOnlyInOneWordStayApart() {
        AggregationTable t = new AggregationTable(4, 16, 0, false, false);
        for (int w = 0; w < 4; w++) {
            long[] key = new long[4];
            key[w] = 1;
            t.add(key, 1, 1, 0, 0);
        }
        t.add(new long[4], 1, 1, 0, 0);
        assertEquals(5, t.size());
    }

    /**
     * nfacctd_stitching: an entry keeps the earliest and the latest time added to it, whatever their order (pmacct
     * keeps the first start and moves the end only when seconds and microseconds are both larger); entries carried
     * into another table (a purge's open bins, pending SQL purges) merge the same way, and growing keeps them.
     */
    @Test
    void stitchingKeepsTheEarliestAndLatestTimes() {
        AggregationTable t = new AggregationTable(1, 16, 0, false, false, true);
        assertTrue(t.stitching());
        t.add(new long[] {1}, 1, 10, 0, 0, 5_000_000, 6_000_000);
        t.add(new long[] {1}, 1, 10, 0, 0, 3_500_000, 4_000_000); // earlier start, earlier end
        t.add(new long[] {1}, 1, 10, 0, 0, 5_000_000, 9_000_000); // same start second, later end second
        t.add(new long[] {2}, 1, 10, 0, 0, 7_000_000, 7_000_000);
        int one = t.find(new long[] {1});
        assertEquals(List.of(3L, 30L, 3_500_000L, 9_000_000L),
                List.of(t.packets(one), t.bytes(one), t.timestampMin(one), t.timestampMax(one)));

        AggregationTable merged = new AggregationTable(1, 16, 0, false, false, true);
        merged.add(new long[] {1}, 1, 1, 0, 0, 4_000_000, 12_000_000);
        merged.add(new long[] {2}, 1, 1, 0, 0, 6_000_000, 6_500_000);
        for (int s = 0; s < t.capacity(); s++) {
            if (t.used(s)) {
                merged.addFrom(t, s);
            }
        }
        one = merged.find(new long[] {1});
        int two = merged.find(new long[] {2});
        assertEquals(List.of(3_500_000L, 12_000_000L), List.of(merged.timestampMin(one), merged.timestampMax(one)));
        assertEquals(List.of(6_000_000L, 7_000_000L), List.of(merged.timestampMin(two), merged.timestampMax(two)));

        for (int i = 3; i < 1000; i++) {
            merged.add(new long[] {i}, 1, 1, 0, 0, i, i + 1);
        }
        one = merged.find(new long[] {1});
        assertEquals(List.of(3_500_000L, 12_000_000L), List.of(merged.timestampMin(one), merged.timestampMax(one)),
                "kept across growth");
        int last = merged.find(new long[] {999});
        assertEquals(List.of(999L, 1000L), List.of(merged.timestampMin(last), merged.timestampMax(last)));
    }

    /** Without stitching a slot has no room for times (they read 0); with it, two words more per slot. */
    @Test
    void withoutStitchingTimesAreNotKept() {
        AggregationTable t = new AggregationTable(1, 16, 0, true, false);
        AggregationTable stitched = new AggregationTable(1, 16, 0, true, false, true);
        t.add(new long[] {1}, 1, 1, 1, 0, 5, 6);
        int s = t.find(new long[] {1});
        assertFalse(t.stitching());
        assertEquals(List.of(1L, 1L, 0L, 0L), List.of(t.packets(s), t.flows(s), t.timestampMin(s), t.timestampMax(s)));
        assertEquals(t.capacity(), stitched.capacity());
        assertEquals(2L * 8 * t.capacity(), stitched.heapBytes() - t.heapBytes());
    }
}
