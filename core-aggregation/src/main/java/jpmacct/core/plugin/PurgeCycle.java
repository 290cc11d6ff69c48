package jpmacct.core.plugin;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.aggregate.TimeBins;
import jpmacct.core.output.TableRow;

/**
 * The purge of a plugin that writes its cache out every refresh (print, amqp, kafka): the full cache is swapped for
 * an empty one and handed to a writer thread, so accounting never waits for output. With history, bins still open
 * are carried over to the new cache, as pmacct does. At most {@code *_max_writers} caches are out being written;
 * beyond that a purge waits for the next refresh (pmacct drops it).
 */
public final class PurgeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeCycle.class);

    /** Writes one purged cache. */
    public interface Writer {
        /**
         * @param purgeTime seconds since the epoch (JSON's stamp_updated)
         * @param cutoff    entries whose history bin starts at or after it are still open: not written
         * @param last      the final purge, at exit
         */
        void write(AggregationTable table, long purgeTime, long cutoff, boolean last);
    }

    private final PluginContext ctx;
    private final PluginAggregation aggregation;
    private final int cacheEntries;
    private final int maxWriters;
    private final Writer writer;
    private final ConcurrentLinkedQueue<AggregationTable> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger tables = new AtomicInteger(1);
    private final ExecutorService writerThread;
    private boolean warnedWriters;

    public PurgeCycle(PluginContext ctx, PluginAggregation aggregation, int cacheEntries, int maxWriters, Writer writer) {
        this.ctx = ctx;
        this.aggregation = aggregation;
        this.cacheEntries = cacheEntries;
        this.maxWriters = maxWriters;
        this.writer = writer;
        this.writerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, ctx.threadName() + " writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Swaps in an empty cache and hands the full one to the writer; open history bins stay. Plugin thread only. */
    public void purge(long nowMillis) {
        AggregationTable fresh = spare.poll();
        if (fresh == null) {
            if (tables.get() > maxWriters) {
                if (!warnedWriters) {
                    LOG.warn("maximum number of writers reached ({}); purge postponed to the next refresh", maxWriters);
                    warnedWriters = true;
                }
                return;
            }
            fresh = aggregation.newTable(cacheEntries, 0);
            tables.incrementAndGet();
        }
        warnedWriters = false;
        AggregationTable full = aggregation.aggregator().swap(fresh);
        long openBin = Long.MAX_VALUE;
        TimeBins bins = aggregation.bins();
        if (bins != null) {
            // bins still open stay in the cache; the writer skips them
            openBin = bins.binStart(nowMillis / 1000);
            TableRow row = new TableRow(full, aggregation.layout(), aggregation.aggregator().labels(),
                    aggregation.aggregator().classes());
            while (row.next()) {
                if (row.field(KeyField.BIN) >= openBin) {
                    fresh.addFrom(full, row.slot());
                }
            }
        }
        AggregationTable toWrite = full;
        long cutoff = openBin;
        long purgeTime = nowMillis / 1000;
        String tag = ctx.config().id();
        writerThread.execute(() -> {
            MDC.put("pm", tag);
            try {
                writer.write(toWrite, purgeTime, cutoff, false);
            } catch (RuntimeException e) {
                LOG.error("purge failed", e);
            } finally {
                toWrite.clear();
                if (toWrite.capacity() > cacheEntries * 4 && tables.get() > 2) {
                    tables.decrementAndGet(); // let an oversized extra table go
                } else {
                    spare.offer(toWrite);
                }
            }
        });
    }

    /** Waits for the writer, then writes what the cache holds, open bins too, on the calling thread. */
    public void close() {
        writerThread.shutdown();
        try {
            if (!writerThread.awaitTermination(10, TimeUnit.MINUTES)) {
                LOG.error("previous purge still writing after 10 minutes; writing the final purge anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.write(aggregation.aggregator().table(), ctx.clock().millis() / 1000, Long.MAX_VALUE, true);
        } catch (RuntimeException e) {
            LOG.error("final purge failed", e);
        }
        long refused = aggregation.aggregator().refusedRecords();
        if (refused > 0) {
            LOG.warn("{} records were refused by a full cache", refused);
        }
    }
}
