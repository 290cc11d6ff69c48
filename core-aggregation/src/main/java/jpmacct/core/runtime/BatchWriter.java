package jpmacct.core.runtime;

import java.nio.ByteBuffer;

import jpmacct.core.record.BatchPool;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.record.RecordSink;
import jpmacct.core.record.RecordStage;

/**
 * The producer side for one core thread: fills the current batch record by record and publishes it when full, or
 * when it has waited too long (so sparse live traffic still reaches the plugins promptly).
 */
public final class BatchWriter implements RecordSink {
    private final BatchPool pool;
    private final Dispatcher dispatcher;
    private final long maxDelayNanos;
    private final RecordStage stage;
    private RecordBatch current;
    private long firstRecordNanos;
    private ByteBuffer frame;
    private int frameOffset;
    private int frameCaplen;
    private int frameWireLen;
    private int frameLinkType;

    public BatchWriter(BatchPool pool, Dispatcher dispatcher, long maxDelayMillis) {
        this(pool, dispatcher, maxDelayMillis, null);
    }

    /** @param stage tagging and filters run on each record at commit, or null */
    public BatchWriter(BatchPool pool, Dispatcher dispatcher, long maxDelayMillis, RecordStage stage) {
        this.pool = pool;
        this.dispatcher = dispatcher;
        this.maxDelayNanos = maxDelayMillis * 1_000_000L;
        this.stage = stage;
    }

    /** Whether records pass a stage at commit (then {@link #frame} is worth calling). */
    public boolean staged() {
        return stage != null;
    }

    /** The frame the next records come from, for filters that read packets (pmacctd). */
    public void frame(ByteBuffer buf, int offset, int caplen, int wireLen, int linkType) {
        frame = buf;
        frameOffset = offset;
        frameCaplen = caplen;
        frameWireLen = wireLen;
        frameLinkType = linkType;
    }

    /** Records from now on have no frame of their own. */
    public void noFrame() {
        frame = null;
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
        if (stage != null) {
            stage.apply(current.next(), frame, frameOffset, frameCaplen, frameWireLen, frameLinkType);
        }
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
