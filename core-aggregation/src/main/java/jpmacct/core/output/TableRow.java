package jpmacct.core.output;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.aggregate.StringDictionary;

/** A cursor over the used slots of an {@link AggregationTable}, presenting each as a {@link Row}. */
public final class TableRow implements Row {
    private final AggregationTable table;
    private final KeyLayout layout;
    private final StringDictionary labels;
    private final StringDictionary classes;
    private int slot = -1;

    public TableRow(AggregationTable table, KeyLayout layout, StringDictionary labels, StringDictionary classes) {
        this.table = table;
        this.layout = layout;
        this.labels = labels;
        this.classes = classes;
    }

    /** Moves to the next used slot; false at the end. */
    public boolean next() {
        int cap = table.capacity();
        while (++slot < cap) {
            if (table.used(slot)) {
                return true;
            }
        }
        return false;
    }

    /** Positions the cursor on a used slot. */
    public void moveTo(int slot) {
        this.slot = slot;
    }

    public int slot() {
        return slot;
    }

    @Override
    public long field(KeyField f) {
        return layout.get(table.keyArray(), table.keyBase(slot), f);
    }

    @Override
    public long packets() {
        return table.packets(slot);
    }

    @Override
    public long bytes() {
        return table.bytes(slot);
    }

    @Override
    public long flows() {
        return table.flows(slot);
    }

    @Override
    public int tcpFlags() {
        return table.tcpFlags(slot);
    }

    @Override
    public long timestampMin() {
        return table.timestampMin(slot);
    }

    @Override
    public long timestampMax() {
        return table.timestampMax(slot);
    }

    @Override
    public String label() {
        return labels.value((int) field(KeyField.LABEL));
    }

    @Override
    public String classLabel() {
        return classes.value((int) field(KeyField.CLASS));
    }

    @Override
    public String text(KeyField f) {
        return labels.value((int) field(f));
    }

    @Override
    public long customWord(int k, int i) {
        return layout.custom(table.keyArray(), table.keyBase(slot), k, i);
    }

    @Override
    public byte[] customValue(int k) {
        return layout.customValues().value((int) customWord(k, 0));
    }

    @Override
    public byte[] srv6Segments() {
        return layout.srv6Lists().value((int) field(KeyField.SRV6_LIST));
    }
}
