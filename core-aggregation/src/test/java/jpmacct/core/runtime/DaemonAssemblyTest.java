package jpmacct.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;

/** The assembly's order: what runs when, what a failing input does, and that every record reaches the plugins. */
class DaemonAssemblyTest {
    /** Everything that happened, in order, across the daemon's parts. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** Counts the packets it is given and says when it starts and closes. */
    private final class Counter implements Plugin {
        long packets;

        @Override
        public void start() {
            events.add("plugin start");
        }

        @Override
        public void onBatch(RecordBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                packets += batch.get(i).packets;
            }
        }

        @Override
        public void close() {
            events.add("plugin close " + packets);
        }
    }

    private final class CounterFactory implements PluginFactory {
        @Override
        public String type() {
            return "counter";
        }

        @Override
        public String processTitle() {
            return "Counter Plugin";
        }

        @Override
        public Plugin create(PluginContext context) {
            return new Counter();
        }
    }

    /** A finite input of {@code records} records of one packet each, written on the core thread. */
    private final class Records implements Input {
        private final int records;
        private final boolean starts;
        private BatchWriter writer;

        Records(int records, boolean starts) {
            this.records = records;
            this.starts = starts;
        }

        @Override
        public int producers() {
            return 1;
        }

        @Override
        public boolean start(Writers writers, CoreThread core) {
            events.add("input start");
            writer = writers.newWriter();
            return starts;
        }

        @Override
        public int run(CoreThread core) throws InterruptedException {
            events.add("input run");
            for (int i = 0; i < records; i++) {
                FlowRecord r = writer.slot();
                r.packets = 1;
                writer.commit();
            }
            core.pause(50); // the chores run meanwhile
            writer.flush();
            return 0;
        }

        @Override
        public boolean finite() {
            return true;
        }

        @Override
        public void report(boolean last) {
            if (last) {
                events.add("report");
            }
        }

        @Override
        public void close() {
            events.add("input close");
        }
    }

    /** A daemon's core thread keeps its log tag; this test's thread goes on to other tests. */
    @AfterEach
    void forgetTheCoreTag() {
        MDC.remove("pm");
    }

    private DaemonAssembly.Plugins daemon(String... lines) throws ConfigException {
        Map<String, PluginFactory> factories = Map.of("counter", new CounterFactory());
        DaemonConfig config = DaemonCli.resolve(DaemonKind.PMACCTD, ConfigParser.parse("test.conf", List.of(lines)),
                List.of(), true, DaemonCli.registry(SavefileKeys.all(), factories), factories);
        return DaemonAssembly.create(DaemonKind.PMACCTD, config, factories, false, DaemonAssemblyTest.class, new String[0]);
    }

    @Test
    void stepsRunInTheirOrderAndEveryRecordArrives() throws Exception {
        int status = daemon("plugins: counter[c]")
                .input(d -> new Records(10_000, true))
                .records(input -> null)
                .atStart(() -> events.add("at start"))
                .every(10, () -> events.add("chore"))
                .atStop(() -> events.add("at stop"))
                .run();
        assertEquals(0, status);
        List<String> seen = new ArrayList<>(events);
        seen.removeIf("chore"::equals);
        // the input closes once its run is over and again at exit, which is allowed
        assertEquals(List.of("at start", "plugin start", "input start", "input run", "input close", "at stop",
                "report", "plugin close 10000", "input close"), seen, events.toString());
        assertTrue(events.contains("chore"), "periodic chores run while the input runs: " + events);
    }

    @Test
    void anInputThatCannotStartEndsTheDaemonWithItsPluginsClosed() throws Exception {
        int status = daemon("plugins: counter[c]")
                .input(d -> new Records(5, false))
                .records(input -> null)
                .atStop(() -> events.add("at stop"))
                .run();
        assertEquals(1, status);
        assertEquals(List.of("plugin start", "input start", "input close", "plugin close 0"),
                events.subList(0, 4), "the input closes before the plugins drain");
        assertTrue(!events.contains("input run") && !events.contains("at stop"), events.toString());
    }

    @Test
    void anInputThatCannotOpenEndsTheDaemonBeforeAnythingStarts() throws Exception {
        int status = daemon("plugins: counter[c]")
                .input(d -> {
                    throw new IOException("capture.pcap: no such file");
                })
                .records(input -> null)
                .run();
        assertEquals(1, status);
        assertEquals(List.of(), events);
    }

    @Test
    void theRecordStageSeesEveryRecord() throws Exception {
        long[] staged = {0};
        int status = daemon("plugins: counter[c]")
                .input(d -> new Records(777, true))
                .records(input -> () -> (record, frame, offset, caplen, wireLen, linkType) -> staged[0]++)
                .run();
        assertEquals(0, status);
        assertEquals(777, staged[0]);
        assertTrue(events.contains("plugin close 777"), events.toString());
    }
}
