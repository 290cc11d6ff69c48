package jpmacct.plugins.memory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * pmacct's memory plugin: the aggregate lives in the plugin and is served to {@code pmacct} on a UNIX socket.
 * The plugin thread holds {@link #lock} while it adds a batch; queries take it only to copy what they need (or to
 * clear), so every answer is a consistent snapshot between two batches and no count is lost or doubled by -e.
 */
final class MemoryPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryPlugin.class);

    private final PluginContext ctx;
    private final PluginAggregation aggregation;
    private final ReentrantLock lock = new ReentrantLock();
    private final int initialEntries;
    private final long maxEntries;
    private final Path socketPath;
    private final long socketPerms;
    private final RateLimitedLog fullLog = new RateLimitedLog(LOG, 60_000);
    private ImtServer server;
    /** Wall-clock seconds of the last clear, 0 for never; written under the lock. */
    private volatile long erasedAt;
    /** New keys refused by full tables already cleared away; under the lock. */
    private long refusedBefore;
    private long refusedLogged;

    MemoryPlugin(PluginContext ctx) throws ConfigException {
        this.ctx = ctx;
        PluginConfig cfg = ctx.config();
        this.initialEntries = cfg.get(MemoryKeys.BUCKETS).intValue();
        long pools = cfg.isSet(MemoryKeys.POOLS_NUMBER) ? cfg.get(MemoryKeys.POOLS_NUMBER) : 0;
        this.maxEntries = pools == 0 ? 0 : Math.max(1, pools * cfg.get(MemoryKeys.POOLS_SIZE) / MemoryKeys.ENTRY_BYTES);
        this.aggregation = PluginAggregation.create(ctx, initialEntries, maxEntries);
        this.socketPath = Path.of(cfg.get(MemoryKeys.PATH));
        this.socketPerms = cfg.get(MemoryKeys.PERMS);
    }

    @Override
    public void start() throws IOException {
        server = ImtServer.open(socketPath, socketPerms, new QueryAnswers(this), ctx.threadName());
        LOG.info("waiting for data on: '{}'{}", socketPath, maxEntries > 0 ? " (at most " + maxEntries + " entries)" : "");
    }

    @Override
    public void onBatch(RecordBatch batch) {
        lock.lock();
        try {
            aggregation.addBatch(batch, ctx);
        } finally {
            lock.unlock();
        }
        long refused = refusedNewKeys();
        if (refused != refusedLogged) {
            refusedLogged = refused;
            fullLog.warn("full", "table full at " + maxEntries + " entries: " + refused
                    + " records of new keys dropped so far (existing keys keep counting); raise imt_mem_pools_number");
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    PluginAggregation aggregation() {
        return aggregation;
    }

    ReentrantLock lock() {
        return lock;
    }

    long maxEntries() {
        return maxEntries;
    }

    /** Seconds since the epoch on the plugin's clock (clears and -i, timestamps printed as of now). */
    long nowSeconds() {
        return ctx.clock().millis() / 1000;
    }

    long erasedAt() {
        return erasedAt;
    }

    /** New keys dropped because the table was full, since start; call under the lock or from the plugin thread. */
    long refusedNewKeys() {
        return refusedBefore + aggregation.aggregator().table().refused();
    }

    /** An empty table for {@link #erase}; allocated before taking the lock, so the lock is held only for the swap. */
    AggregationTable emptyTable() {
        return aggregation.newTable(initialEntries, maxEntries);
    }

    /** Swaps in {@code empty} (from {@link #emptyTable}); call under the lock. */
    void erase(AggregationTable empty, long nowSeconds) {
        AggregationTable old = aggregation.aggregator().swap(empty);
        refusedBefore += old.refused();
        erasedAt = nowSeconds;
    }
}
