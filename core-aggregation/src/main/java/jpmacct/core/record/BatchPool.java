package jpmacct.core.record;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Batches for the core-to-plugin hand-off, created on first need up to a bound and then recycled, so a large
 * {@code plugin_pipe_size} costs memory only while plugins actually lag. Sized so that it cannot run dry while
 * every plugin queue is full (see the dispatcher); a producer that still finds it empty waits.
 */
public final class BatchPool {
    private final ArrayBlockingQueue<RecordBatch> free;
    private final int batchSize;
    private final int max;
    private int created;

    public BatchPool(int batches, int batchSize) {
        this.free = new ArrayBlockingQueue<>(batches);
        this.batchSize = batchSize;
        this.max = batches;
    }

    /** A batch for tests and tools that is not recycled. */
    public static RecordBatch standalone(int capacity) {
        return new RecordBatch(capacity, null);
    }

    public int batchSize() {
        return batchSize;
    }

    /** Called by the producing thread(s). */
    public RecordBatch acquire() throws InterruptedException {
        RecordBatch b = free.poll();
        if (b != null) {
            return b;
        }
        synchronized (this) {
            if (created < max) {
                created++;
                return new RecordBatch(batchSize, this);
            }
        }
        return free.poll(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    void recycle(RecordBatch b) {
        free.offer(b);
    }

    /** Batches created so far (each holds {@link #batchSize()} records). */
    public synchronized int created() {
        return created;
    }

    public int available() {
        return free.size();
    }
}
