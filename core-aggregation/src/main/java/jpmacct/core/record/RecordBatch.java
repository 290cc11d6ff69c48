package jpmacct.core.record;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed array of reusable {@link FlowRecord}s that crosses from the core thread to the plugin threads. One batch
 * is shared, read-only, by every plugin it is handed to; the last reader returns it to its pool.
 */
public final class RecordBatch {
    private final FlowRecord[] records;
    private final AtomicInteger readers = new AtomicInteger();
    private final BatchPool pool;
    private int size;

    RecordBatch(int capacity, BatchPool pool) {
        this.records = new FlowRecord[capacity];
        for (int i = 0; i < capacity; i++) {
            records[i] = new FlowRecord();
        }
        this.pool = pool;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return records.length;
    }

    public boolean isFull() {
        return size == records.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public FlowRecord get(int i) {
        return records[i];
    }

    /**
     * The next free slot; it becomes part of the batch only after {@link #commit()}. Slots are reused as they
     * are, not cleared (clearing every field of every record is the single largest cost of the core thread):
     * a producer overwrites every field it produces, and fields no producer of the daemon writes keep their
     * initial zero.
     */
    public FlowRecord next() {
        return records[size];
    }

    /** Keeps the record last returned by {@link #next()}. */
    public void commit() {
        size++;
    }

    /** Sets how many plugins will read this batch before it is recycled. */
    public void share(int count) {
        readers.set(count);
    }

    /** Called by each reader when done; the last one recycles the batch. */
    public void release() {
        if (readers.decrementAndGet() == 0) {
            size = 0;
            if (pool != null) {
                pool.recycle(this);
            }
        }
    }
}
