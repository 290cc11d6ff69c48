package jpmacct.core.plugin;

import static jpmacct.core.config.KeyDef.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.record.RecordBuilder;

/** The harness itself, with a plugin that writes down what it is given. */
class PluginHarnessTest {
    static final KeyDef<String> NOTE = key("recorder_note", ValueTypes.STRING).pluginTypes("recorder")
            .defaultValue("none").doc("A value the recorder keeps.").build();

    /** What a recorder saw, in order: "start", "batch N", "purge hh:mm:ss", "close". */
    static final class Recorder implements Plugin {
        final PluginContext ctx;
        final List<String> events = new ArrayList<>();
        final RefreshTimer timer;
        long packets;

        Recorder(PluginContext ctx) {
            this.ctx = ctx;
            this.timer = new RefreshTimer(ctx.config().get(CoreKeys.REFRESH_TIME));
        }

        @Override
        public void start() {
            timer.start(ctx.clock().millis(), ctx.config().get(CoreKeys.HISTORY_ROUNDOFF), ZoneOffset.UTC);
            events.add("start " + ctx.config().get(NOTE));
        }

        @Override
        public void onBatch(RecordBatch batch) {
            int mine = 0;
            for (int i = 0; i < batch.size(); i++) {
                FlowRecord r = batch.get(i);
                if (ctx.accepts(r)) {
                    mine++;
                    packets += r.packets;
                }
            }
            events.add("batch " + mine + "/" + batch.size());
        }

        @Override
        public long tickIntervalMillis() {
            return timer.tickIntervalMillis(ctx.clock().millis());
        }

        @Override
        public void onTick(long nowMillis) {
            if (timer.due(nowMillis)) {
                events.add("purge " + Instant.ofEpochMilli(nowMillis).toString().substring(11, 19));
            }
        }

        @Override
        public void close() {
            events.add("close");
        }
    }

    static final class RecorderFactory implements PluginFactory {
        @Override
        public String type() {
            return "recorder";
        }

        @Override
        public String processTitle() {
            return "Recorder Plugin";
        }

        @Override
        public List<KeyDef<?>> keys() {
            return List.of(NOTE);
        }

        @Override
        public Plugin create(PluginContext context) {
            return new Recorder(context);
        }
    }

    private static PluginHarness.Setup pmacctd() {
        return PluginHarness.daemon(DaemonKind.PMACCTD).factory(new RecorderFactory());
    }

    @Test
    void refreshDeadlinesFallOnTheMinuteAsTheRunnerWouldTickThem() throws Exception {
        try (PluginHarness h = pmacctd().start("plugins: recorder[r]", "print_refresh_time[r]: 60")) {
            Recorder r = (Recorder) h.plugin();
            h.advance(Duration.ofSeconds(39));
            assertEquals(List.of("start none"), r.events, "the first deadline is 22:14:00");
            h.advance(Duration.ofSeconds(150));
            assertEquals(List.of("start none", "purge 22:14:00", "purge 22:15:00", "purge 22:16:00"), r.events);
            assertEquals(Instant.parse("2023-11-14T22:16:29Z"), h.now());
            h.close();
            assertEquals("close", r.events.get(r.events.size() - 1));
        }
    }

    @Test
    void batchesAreCutAndEachPluginTakesTheRecordsOfItsBitAndTags() throws Exception {
        try (PluginHarness h = pmacctd().start("plugins: recorder[a], recorder[b]", "recorder_note[a]: first",
                "pre_tag_filter[b]: 7")) {
            List<FlowRecord> records = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                records.add(RecordBuilder.flow().src("10.0.0.1").dst("10.0.0.2").tag(i < 10 ? 7 : 0).build());
            }
            records.add(RecordBuilder.flow().src("10.0.0.1").dst("10.0.0.2").tag(7).pluginMask(0b01).build());
            h.feed(records);
            Recorder a = (Recorder) h.plugin("a");
            Recorder b = (Recorder) h.plugin("b");
            assertEquals(List.of("start first", "batch 512/512", "batch 89/89"), a.events);
            assertEquals(List.of("start none", "batch 10/512", "batch 0/89"), b.events,
                    "b takes tag 7 only, and not the record without its bit");
            assertEquals(601, a.packets);
            assertEquals(1, h.context("b").index());
            assertEquals("Recorder Plugin [b]", h.context("b").threadName());
        }
    }

    @Test
    void theConfigurationIsCheckedAsADaemonChecksIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> pmacctd().create("plugins: recorder[r]", "recorder_bogus[r]: 1"));
        assertTrue(e.getMessage().contains("harness.conf:2") && e.getMessage().contains("recorder_bogus"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> pmacctd().create("plugins: nosuch[r]"));
        assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
    }

    @Test
    void theClockOnlyMovesForward() throws Exception {
        try (PluginHarness h = pmacctd().start("plugins: recorder[r]")) {
            assertThrows(IllegalArgumentException.class, () -> h.advanceTo(Instant.parse("2023-11-14T22:00:00Z")));
            assertEquals(PluginHarness.DEFAULT_START, h.now());
        }
    }
}
