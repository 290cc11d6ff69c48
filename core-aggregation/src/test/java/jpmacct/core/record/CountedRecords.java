package jpmacct.core.record;

/** A sink that keeps nothing but counts, for tests that measure what decoding allocates. */
public final class CountedRecords implements RecordSink {
    private final FlowRecord slot = new FlowRecord();
    public long records;
    public long bytes;

    @Override
    public FlowRecord slot() {
        return slot;
    }

    @Override
    public void commit() {
        records++;
        bytes += slot.bytes;
    }
}
