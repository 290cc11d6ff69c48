package jpmacct.core.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.metrics.Counter;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.record.BatchPool;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.redis.RedisHeartbeat;

/**
 * The thread of one plugin instance: takes batches from its bounded queue, calls the plugin, ticks it, and on stop
 * drains the queue and closes the plugin (its final purge).
 */
public final class PluginRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRunner.class);
    /** Queued by {@link #stop} so that a thread waiting for batches sees the stop at once, not at its poll timeout. */
    private static final RecordBatch WAKE_UP = BatchPool.standalone(0);

    private final Plugin plugin;
    private final PluginContext context;
    private final ArrayBlockingQueue<RecordBatch> queue;
    private final Thread thread;
    private final Counter droppedBatches;
    private final Counter droppedRecords;
    private final Counter failures;
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 60_000);
    private volatile boolean running = true;
    private volatile Throwable closeFailure;
    private RedisHeartbeat heartbeat;

    public PluginRunner(Plugin plugin, PluginContext context, int queueBatches) {
        this.plugin = plugin;
        this.context = context;
        this.queue = new ArrayBlockingQueue<>(Math.max(2, queueBatches));
        String id = context.config().id();
        this.droppedBatches = context.metrics().counter("plugin_queue_dropped_batches",
                "Batches dropped because the plugin's queue was full", "plugin", id);
        this.droppedRecords = context.metrics().counter("plugin_queue_dropped_records",
                "Records dropped because the plugin's queue was full", "plugin", id);
        this.failures = context.metrics().counter("plugin_failures",
                "Batches or ticks a plugin failed on (logged with the cause)", "plugin", id);
        context.metrics().gauge("plugin_queue_batches", "Batches waiting in the plugin's queue", queue::size, "plugin", id);
        this.thread = new Thread(this::run, context.threadName());
    }

    public Plugin plugin() {
        return plugin;
    }

    public PluginContext context() {
        return context;
    }

    public int queueCapacity() {
        return queue.remainingCapacity() + queue.size();
    }

    public void start() {
        thread.start();
    }

    /** Whether the plugin's thread runs (started and not yet ended). */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Starts the plugin's link to redis_host; it ends when the plugin stops. */
    void heartbeat(RedisHeartbeat h) {
        heartbeat = h;
        h.start();
    }

    /** Hands a batch over without waiting; a full queue drops it, counted and logged per plugin. */
    boolean offer(RecordBatch batch) {
        if (queue.offer(batch)) {
            return true;
        }
        droppedBatches.inc();
        droppedRecords.add(batch.size());
        dropLog.warn("queue", "plugin " + context.config().id() + ": queue full, dropped a batch of "
                + batch.size() + " records; raise plugin_pipe_size or reduce load");
        batch.release();
        return false;
    }

    /** Hands a batch over, waiting while the queue is full (savefiles: nothing may be lost). */
    void put(RecordBatch batch) throws InterruptedException {
        queue.put(batch);
    }

    private void run() {
        MDC.put("pm", context.config().id());
        long tick = Math.max(10, plugin.tickIntervalMillis());
        Clock clock = context.clock();
        long nextTick = clock.millis() + tick;
        try {
            while (running || !queue.isEmpty()) {
                long wait = Math.max(1, nextTick - clock.millis());
                RecordBatch batch = queue.poll(Math.min(wait, 100), TimeUnit.MILLISECONDS);
                if (batch != null && batch != WAKE_UP) {
                    try {
                        plugin.onBatch(batch);
                    } catch (RuntimeException e) {
                        failures.inc();
                        LOG.error("plugin failed on a batch of {} records", batch.size(), e);
                    } finally {
                        batch.release();
                    }
                }
                long now = clock.millis();
                if (now >= nextTick) {
                    try {
                        plugin.onTick(now);
                    } catch (RuntimeException e) {
                        failures.inc();
                        LOG.error("plugin failed in its periodic work", e);
                    }
                    tick = Math.max(10, plugin.tickIntervalMillis());
                    nextTick = now + tick;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                plugin.close();
            } catch (Throwable t) {
                closeFailure = t;
                LOG.error("plugin failed while closing", t);
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            if (mx.isCurrentThreadCpuTimeSupported()) {
                LOG.info("CPU time: {} s", String.format(Locale.ROOT, "%.2f", mx.getCurrentThreadCpuTime() / 1e9));
            }
            MDC.remove("pm");
        }
    }

    /** Asks the plugin thread to drain its queue, close the plugin and exit; waits up to {@code timeoutMillis}. */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        running = false;
        // a full queue needs no wake-up: the thread drains it and then sees the stop
        queue.offer(WAKE_UP);
        thread.join(timeoutMillis);
        if (heartbeat != null) {
            heartbeat.close();
        }
        return !thread.isAlive();
    }

    public boolean closedCleanly() {
        return closeFailure == null;
    }

    public void mapsReloaded() {
        // the plugin runs single-threaded; it reads maps through suppliers, so just notify on its own thread later
        plugin.onMapsReloaded();
    }
}
