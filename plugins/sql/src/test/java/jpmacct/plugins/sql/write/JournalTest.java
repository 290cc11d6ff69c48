package jpmacct.plugins.sql.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.runtime.FilePermissions;
import jpmacct.plugins.sql.SqlConfigs;

/** The recovery journal keeps what an entry holds, nfacctd_stitching's times included, and refuses another shape. */
class JournalTest {

    private static PluginAggregation aggregation(String lines) throws Exception {
        return PluginAggregation.create(new PluginContext(SqlConfigs.of("sqlite3", "aggregate[q]: proto\n" + lines),
                new DaemonInfo(DaemonKind.NFACCTD, "default", false), new Metrics(), new MapRegistry(),
                "SQLite3 Plugin [q]", FilePermissions.defaults()), 16, 0);
    }

    /** A purge of two tcp flows, 10.5 to 20 s and 5 to 8 s after the epoch. */
    private static AggregationTable purge(PluginAggregation a) {
        for (long[] t : new long[][] {{10_500_000, 20_000_000}, {5_000_000, 8_000_000}}) {
            FlowRecord r = new FlowRecord();
            r.proto = 6;
            r.packets = 1;
            r.bytes = 40;
            r.timeStartMicros = t[0];
            r.timeEndMicros = t[1];
            a.add(r);
        }
        return a.aggregator().swap(a.newTable(16, 0));
    }

    @Test
    void stitchingTimesSurviveTheJournalAndAnotherShapeIsRefused(@TempDir Path dir) throws Exception {
        PluginAggregation stitched = aggregation("nfacctd_stitching: true\n");
        Journal journal = new Journal(dir.resolve("q.journal"), stitched);
        journal.append(purge(stitched));
        journal.append(purge(stitched));
        List<AggregationTable> back = journal.read();
        assertEquals(2, back.size());
        AggregationTable merged = stitched.newTable(16, 0);
        for (AggregationTable t : back) {
            for (int s = 0; s < t.capacity(); s++) {
                if (t.used(s)) {
                    merged.addFrom(t, s);
                }
            }
        }
        assertEquals(1, merged.size());
        int slot = onlySlot(merged);
        assertEquals(List.of(4L, 160L, 5_000_000L, 20_000_000L),
                List.of(merged.packets(slot), merged.bytes(slot), merged.timestampMin(slot), merged.timestampMax(slot)));

        IOException e = assertThrows(IOException.class, () -> new Journal(dir.resolve("q.journal"), aggregation("")).read());
        assertTrue(e.getMessage().contains("|stitching'"), e.getMessage());
    }

    private static int onlySlot(AggregationTable t) {
        int s = 0;
        while (!t.used(s)) {
            s++;
        }
        return s;
    }
}
