package jpmacct.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.aggregate.AggregationTable;

class PreprocessTest {

    /** Entries keyed 0..n-1 with these packets, bytes and flows. */
    private static AggregationTable table(long[][] entries) {
        AggregationTable t = new AggregationTable(1, 16, 0, true, false);
        for (int i = 0; i < entries.length; i++) {
            t.add(new long[] {i}, entries[i][0], entries[i][1], entries[i][2], 0);
        }
        return t;
    }

    private static List<String> entries(AggregationTable t) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < t.capacity(); s++) {
            if (t.used(s)) {
                out.add(t.keyArray()[t.keyBase(s)] + ":" + t.packets(s) + "/" + t.bytes(s));
            }
        }
        out.sort(null);
        return out;
    }

    private static AggregationTable apply(String spec, boolean all, AggregationTable t) {
        return Preprocess.TYPE.parse(spec).typed(all, true).apply(t, () -> new AggregationTable(1, 16, 0, true, false));
    }

    private static final long[][] SAMPLE = {{1, 100, 1}, {5, 6000, 1}, {20, 800, 4}, {3, 90, 3}};

    @Test
    void anyAndAll() {
        assertEquals(List.of("1:5/6000", "2:20/800"), entries(apply("minp=10,minb=5000", false, table(SAMPLE))));
        assertEquals(List.of(), entries(apply("minp=10,minb=5000", true, table(SAMPLE))));
        assertEquals(List.of("2:20/800", "3:3/90"), entries(apply("minp=3,maxb=5000", true, table(SAMPLE))));
        assertEquals(List.of("1:5/6000"), entries(apply("minbpp=1000", false, table(SAMPLE))));
        assertEquals(List.of("0:1/100", "3:3/90"), entries(apply("maxppf=2", false, table(SAMPLE))));
        assertEquals(List.of("1:5/6000", "2:20/800"), entries(apply("minppf=5", false, table(SAMPLE))));
        assertEquals(List.of("2:20/800", "3:3/90"), entries(apply("minf=3", false, table(SAMPLE))));
    }

    /** What print, amqp and kafka ask of each entry: the same checks, without a copy of the table. */
    @Test
    void passesAnEntryInPlace() {
        AggregationTable t = table(SAMPLE);
        Preprocess any = Preprocess.TYPE.parse("minp=10,minb=5000").typed(false, true);
        Preprocess all = Preprocess.TYPE.parse("minp=3,maxb=5000").typed(true, true);
        List<String> passedAny = new ArrayList<>();
        List<String> passedAll = new ArrayList<>();
        for (int s = 0; s < t.capacity(); s++) {
            if (t.used(s)) {
                long key = t.keyArray()[t.keyBase(s)];
                if (any.passes(t, s)) {
                    passedAny.add(key + "");
                }
                if (all.passes(t, s)) {
                    passedAll.add(key + "");
                }
            }
        }
        passedAny.sort(null);
        passedAll.sort(null);
        assertEquals(List.of("1", "2"), passedAny);
        assertEquals(List.of("2", "3"), passedAll);
        Preprocess perFlow = Preprocess.TYPE.parse("minppf=5").typed(false, false);
        assertTrue(perFlow.passes(t, t.find(new long[] {0})), "without a flows counter the check is skipped");
    }

    @Test
    void qnumLeavesSmallPurgesAlone() {
        AggregationTable t = table(SAMPLE);
        assertSame(t, apply("qnum=4,minp=10", false, t));
        assertEquals(List.of("2:20/800"), entries(apply("qnum=3,minp=10", false, table(SAMPLE))));
    }

    @Test
    void actionsChangeTheCounters() {
        assertEquals(List.of("0:1/110", "1:5/6050", "2:20/1000", "3:3/120"), entries(apply("adjb=10", false, table(SAMPLE))));
        // usrf: bytes times the factor, packets at the same bytes per packet
        assertEquals(List.of("0:2/200", "1:10/12000", "2:40/1600", "3:6/180"), entries(apply("usrf=2", false, table(SAMPLE))));
    }

    /** An entry kept, its counters changed, keeps nfacctd_stitching's times. */
    @Test
    void stitchingTimesStayWithTheEntry() {
        AggregationTable t = new AggregationTable(1, 16, 0, true, false, true);
        t.add(new long[] {7}, 2, 100, 1, 0, 5_000_000, 9_000_000);
        AggregationTable out = Preprocess.TYPE.parse("adjb=10").apply(t,
                () -> new AggregationTable(1, 16, 0, true, false, true));
        int s = out.find(new long[] {7});
        assertEquals(List.of(120L, 5_000_000L, 9_000_000L), List.of(out.bytes(s), out.timestampMin(s), out.timestampMax(s)));
    }

    @Test
    void refusals() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preprocess.TYPE.parse("fsrc=10")).getMessage()
                .contains("not supported yet"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preprocess.TYPE.parse("minp=x")).getMessage()
                .contains("above 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preprocess.TYPE.parse("qnum=5")).getMessage()
                .contains("no check"));
        assertEquals("minp=2,adjb=3", Preprocess.TYPE.render(Preprocess.TYPE.parse("MINP=2, adjb=3")));
    }
}
