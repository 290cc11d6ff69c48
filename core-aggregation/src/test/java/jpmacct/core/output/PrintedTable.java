package jpmacct.core.output;

import java.util.ArrayList;
import java.util.List;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyBuilder;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.aggregate.NetOptions;
import jpmacct.core.aggregate.StringDictionary;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.FlowRecord;

/** One plugin's aggregation without a plugin around it: records go in, printed rows come out. */
public final class PrintedTable {
    public final Aggregate aggregate;
    public final KeyLayout layout;
    public final AggregationTable table;
    private final Aggregator aggregator;
    private final StringDictionary labels = new StringDictionary("");
    private final StringDictionary classes = new StringDictionary("unknown");

    public PrintedTable(Aggregate aggregate) {
        this.aggregate = aggregate;
        layout = new KeyLayout(aggregate, false);
        KeyBuilder keys = new KeyBuilder(layout, NetOptions.NONE, null, null, false, labels, classes);
        table = new AggregationTable(layout.words(), 16, 0, false,
                aggregate.has(Primitive.TCPFLAGS) || aggregate.has(Primitive.TUNNEL_TCPFLAGS));
        aggregator = new Aggregator(keys, table, labels, classes);
    }

    /** One record, without the varargs array (the allocation tests count every byte). */
    public void add(FlowRecord r) {
        aggregator.add(r);
    }

    public PrintedTable add(FlowRecord... records) {
        for (FlowRecord r : records) {
            aggregator.add(r);
        }
        return this;
    }

    /** A cursor over the table's rows, as a plugin's purge reads them (the table's hash order). */
    public TableRow cursor() {
        return new TableRow(table, layout, labels, classes);
    }

    /** The table's rows in a style, sorted (the table's order is its hash order), the header first. */
    public List<String> rows(OutputFormat.Style style, OutputFormat.Options options) {
        OutputFormat f = new OutputFormat(style, aggregate.columns(), aggregate.custom(), false, options);
        TableRow row = cursor();
        List<String> out = new ArrayList<>();
        while (row.next()) {
            StringBuilder sb = new StringBuilder();
            f.appendRow(sb, row, 0);
            out.add(sb.toString().stripTrailing());
        }
        out.sort(null);
        if (f.header() != null) {
            out.add(0, f.header().stripTrailing());
        }
        return out;
    }
}
