package jpmacct.core.record;

/** Somewhere records are written to in place: take a slot, fill it, commit it. */
public interface RecordSink {
    /** A cleared record to fill. */
    FlowRecord slot() throws InterruptedException;

    /** Keeps the record last returned by {@link #slot()}. */
    void commit() throws InterruptedException;
}
