package jpmacct.core.record;

import java.util.ArrayList;
import java.util.List;

/** A sink keeping a copy of every record committed, for decoder tests. */
public final class KeptRecords implements RecordSink {
    public final List<FlowRecord> records = new ArrayList<>();
    private final FlowRecord slot = new FlowRecord();

    @Override
    public FlowRecord slot() {
        return slot;
    }

    @Override
    public void commit() {
        FlowRecord copy = new FlowRecord();
        copy.copyFrom(slot);
        records.add(copy);
    }
}
