package jpmacct.core.runtime;

import jpmacct.core.record.BatchPool;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.record.RecordSink;

/**
 * The producer side for one core thread: fills the current batch record by record and publishes it when full, or
 * when it has waited too long (so sparse live traffic still reaches the plugins promptly).
 */
public final class BatchWriter implements RecordSink {
    private final BatchPool pool;
    private final Dispatcher dispatcher;
    private final long maxDelayNanos;
    private RecordBatch current;
    private long firstRecordNanos;

    public BatchWriter(BatchPool pool, Dispatcher dispatcher, long maxDelayMillis) {
        this.pool = pool;
        this.dispatcher = dispatcher;
        this.maxDelayNanos = maxDelayMillis * 1_000_000L;
    }

    /** A cleared slot to decode into; call {@link #commit()} to keep it. */
    @Override
    public FlowRecord slot() throws InterruptedException {
        if (current == null) {
            current = pool.acquire();
        }
        return current.next();
    }

    @Override
    public void commit() throws InterruptedException {
        if (current.isEmpty()) {
            firstRecordNanos = System.nanoTime();
        }
        current.commit();
        if (current.isFull()) {
            publish();
        }
    }

    /** Publishes a partly filled batch if its first record waited longer than the delay. */
    public void flushIfDue(long nowNanos) throws InterruptedException {
        if (current != null && !current.isEmpty() && nowNanos - firstRecordNanos >= maxDelayNanos) {
            publish();
        }
    }

    public void flush() throws InterruptedException {
        if (current != null && !current.isEmpty()) {
            publish();
        }
    }

    private void publish() throws InterruptedException {
        RecordBatch b = current;
        current = null;
        dispatcher.publish(b);
    }
}
