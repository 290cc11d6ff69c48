package jpmacct.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.record.BatchPool;
import jpmacct.core.record.RecordBatch;

class DispatcherTest {
    private static final int BATCHES = 50;
    private static final int RECORDS = 10;

    /** Counts records; the first batch waits on {@code gate} so that the plugin's queue fills up. */
    private static final class CountingPlugin implements Plugin {
        final AtomicLong records = new AtomicLong();
        final CountDownLatch gate;
        final CountDownLatch closed = new CountDownLatch(1);

        CountingPlugin(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public void onBatch(RecordBatch batch) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            records.addAndGet(batch.size());
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private final Metrics metrics = new Metrics();

    /** DaemonRuntime leaves the core's log tag on the thread that created the plugins, as a daemon wants. */
    @AfterEach
    void forgetTheCoreLogTag() {
        MDC.remove("pm");
    }
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountingPlugin fast = new CountingPlugin(new CountDownLatch(0));
    private final CountingPlugin slow = new CountingPlugin(gate);
    private List<PluginRunner> runners;
    private BatchPool pool;

    /** Starts the fast and the slow plugin behind a dispatcher. */
    private Dispatcher start(Dispatcher.Overflow overflow) throws Exception {
        runners = runners();
        pool = new BatchPool(Dispatcher.poolSizeFor(runners, 1), RECORDS);
        return new Dispatcher(runners, overflow);
    }

    private void stopAll() throws InterruptedException {
        for (PluginRunner r : runners) {
            assertTrue(r.stop(10_000));
        }
    }

    private List<PluginRunner> runners() throws Exception {
        DaemonConfig config = new ConfigResolver(DaemonKind.PMACCTD, new KeyRegistry(CoreKeys.all()), Set.of("test"))
                .resolve(ConfigParser.parse("d.conf", List.of("plugins: test[fast], test[slow]")), List.of(), true);
        List<PluginRunner> out = new ArrayList<>();
        CountingPlugin[] plugins = {fast, slow};
        for (int i = 0; i < 2; i++) {
            PluginContext ctx = new PluginContext(config.plugins().get(i), new DaemonInfo(DaemonKind.PMACCTD,
                    "default", false), metrics, new MapRegistry(), "test-" + i, FilePermissions.defaults());
            PluginRunner r = new PluginRunner(plugins[i], ctx, 4);
            r.start();
            out.add(r);
        }
        return out;
    }

    private static RecordBatch filled(BatchPool pool) throws InterruptedException {
        RecordBatch batch = pool.acquire();
        for (int i = 0; i < RECORDS; i++) {
            batch.next();
            batch.commit();
        }
        return batch;
    }

    private static void publishAll(Dispatcher d, BatchPool pool) throws InterruptedException {
        for (int b = 0; b < BATCHES; b++) {
            d.publish(filled(pool));
        }
    }

    private long metric(String name, String plugin) {
        for (Metrics.Sample s : metrics.snapshot()) {
            if (s.name().equals(name) && s.labels().contains(plugin)) {
                return s.value();
            }
        }
        throw new AssertionError("no metric " + name + " for " + plugin);
    }

    /** Savefiles: a slow plugin holds the reader back; nothing is lost (pmacct loses data here). */
    @Test
    void waitLosesNothingForASlowPlugin() throws Exception {
        Dispatcher d = start(Dispatcher.Overflow.WAIT);
        Thread reader = new Thread(() -> {
            try {
                publishAll(d, pool);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        reader.join(300);
        assertTrue(reader.isAlive(), "the reader waits while the slow plugin's queue is full");
        gate.countDown();
        reader.join(10_000);
        stopAll();
        assertEquals(BATCHES * RECORDS, fast.records.get());
        assertEquals(BATCHES * RECORDS, slow.records.get());
        assertEquals(0, metric("plugin_queue_dropped_records", "slow"));
    }

    /**
     * Live capture: a stuck plugin drops (counted) but never stalls the capture or the other plugins; the drops are
     * logged once per interval (see RateLimitedLogTest), naming the plugin.
     */
    @Test
    void dropCountsForTheSlowPluginOnly() throws Exception {
        LogCapture log = new LogCapture(PluginRunner.class);
        Dispatcher d = start(Dispatcher.Overflow.DROP);
        for (int b = 0; b < BATCHES; b++) {
            d.publish(filled(pool));
            // let the fast plugin keep up, as a real one would between packets
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (fast.records.get() < (b + 1L) * RECORDS && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        gate.countDown();
        stopAll();
        assertEquals(BATCHES * RECORDS, fast.records.get(), "the other plugin loses nothing");
        long dropped = metric("plugin_queue_dropped_records", "slow");
        assertTrue(dropped > 0, "the stuck plugin's overflow is counted");
        assertEquals(BATCHES * RECORDS, slow.records.get() + dropped, "every record is either accounted or counted");
        assertEquals(0, metric("plugin_queue_dropped_records", "fast"));
        assertEquals(0, slow.closed.getCount(), "closed after draining its queue");
        log.close();
        List<String> lines = log.matching("queue full");
        assertEquals(1, lines.size(), "one line for every drop in the interval: " + lines);
        assertTrue(lines.get(0).startsWith("WARN (") && lines.get(0).endsWith("): plugin slow/test: queue full, dropped "
                + "a batch of 10 records; raise plugin_pipe_size or reduce load"), lines.get(0));
    }

    private static final class TestFactory implements PluginFactory {
        @Override
        public String type() {
            return "test";
        }

        @Override
        public String processTitle() {
            return "Test Plugin";
        }

        @Override
        public Plugin create(PluginContext context) {
            return new CountingPlugin(new CountDownLatch(0));
        }
    }

    private static DaemonRuntime runtime(boolean savefile, String... lines) throws Exception {
        List<String> conf = new ArrayList<>(List.of("plugins: test[fast], test[slow]"));
        conf.addAll(List.of(lines));
        DaemonConfig config = new ConfigResolver(DaemonKind.PMACCTD, new KeyRegistry(CoreKeys.all()), Set.of("test"))
                .resolve(ConfigParser.parse("d.conf", conf), List.of(), true);
        DaemonRuntime rt = new DaemonRuntime(config, new DaemonInfo(DaemonKind.PMACCTD, "default", savefile),
                Map.of("test", new TestFactory()));
        rt.createPlugins();
        return rt;
    }

    /**
     * plugin_buffer_size is the batch in bytes (256 per record; the smallest of the plugins, since one pool feeds
     * them all); plugin_pipe_size / plugin_buffer_size is each plugin's queue in batches, at most 32 on a savefile.
     */
    @Test
    void bufferAndPipeSizesShapeBatchesAndQueues() throws Exception {
        DaemonRuntime defaults = runtime(false);
        assertEquals(256, defaults.batchRecords(), "64 KiB / 256 bytes");
        assertEquals(64, defaults.runners().get(0).queueCapacity(), "4 MiB / 64 KiB");

        DaemonRuntime sized = runtime(false, "plugin_buffer_size: 10240", "plugin_buffer_size[slow]: 5120",
                "plugin_pipe_size[slow]: 51200");
        assertEquals(20, sized.batchRecords(), "the smaller buffer, 5120 bytes / 256");
        assertEquals(409, sized.runners().get(0).queueCapacity(), "fast: 4 MiB / 10240 bytes");
        assertEquals(10, sized.runners().get(1).queueCapacity(), "slow: 51200 / 5120 bytes");

        DaemonRuntime savefile = runtime(true, "plugin_buffer_size: 10240");
        assertEquals(32, savefile.runners().get(0).queueCapacity(), "a savefile waits instead of queueing deeper");
    }
}
