package jpmacct.nfacctd.decode;

import java.util.ArrayList;
import java.util.List;

import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;

/** A sink keeping a copy of every record committed. */
final class KeptRecords implements RecordSink {
    final List<FlowRecord> records = new ArrayList<>();
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
