package jpmacct.core.plugin;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyBuilder;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.aggregate.NetOptions;
import jpmacct.core.aggregate.StringDictionary;
import jpmacct.core.aggregate.TimeBins;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.History;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.net.NetworksTable;
import jpmacct.core.net.PortsTable;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.Timestamps;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Column;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBatch;

/**
 * The aggregation every table-keeping plugin (print, memory, sql) sets up the same way from its configuration:
 * {@code aggregate} with pmacct's checks, networks and ports maps, history bins, per-plugin sampling.
 */
public final class PluginAggregation {
    private static final Logger LOG = LoggerFactory.getLogger(PluginAggregation.class);

    private final Aggregate aggregate;
    private final KeyLayout layout;
    private final Aggregator aggregator;
    private final TimeBins bins;
    private final Timestamps timestamps;
    private final OutputFormat.Encodings encodings;
    /** nfacctd_stitching: entries keep timestamp_min and timestamp_max. */
    private final boolean stitching;
    private final long samplingRate;
    private final boolean renormalize;
    private final SplittableRandom random = new SplittableRandom(0x5EED);
    private final FlowRecord sampled = new FlowRecord();

    private PluginAggregation(PluginContext ctx, int initialEntries, long maxEntries) throws ConfigException {
        PluginConfig cfg = ctx.config();
        this.aggregate = checkedAggregate(cfg, ctx.daemon().kind());
        History history = cfg.get(CoreKeys.HISTORY);
        ZoneId zone = cfg.get(CoreKeys.TIMESTAMPS_UTC) ? ZoneOffset.UTC : ZoneId.systemDefault();
        this.timestamps = Timestamps.configured(cfg.get(CoreKeys.TIMESTAMPS_SINCE_EPOCH),
                cfg.get(CoreKeys.TIMESTAMPS_RFC3339), cfg.get(CoreKeys.TIMESTAMPS_RFC9557), cfg.get(CoreKeys.TIMESTAMPS_UTC));
        this.bins = history == null ? null
                : new TimeBins(history, cfg.get(CoreKeys.HISTORY_ROUNDOFF), historyOffset(cfg, history), zone);
        if (history == null && cfg.get(CoreKeys.HISTORY_OFFSET) > 0) {
            // pmacct ignores it silently
            LOG.warn("{} ({}) has no history bins to shift; ignored", cfg.writtenName(CoreKeys.HISTORY_OFFSET),
                    cfg.whereSet(CoreKeys.HISTORY_OFFSET));
        }
        this.layout = new KeyLayout(aggregate, bins != null);
        this.encodings = encodings(cfg);
        this.stitching = cfg.get(CoreKeys.STITCHING);

        Supplier<NetworksTable> networks = null;
        if (cfg.isSet(CoreKeys.NETWORKS_FILE)) {
            networks = ctx.maps().networks(Path.of(cfg.get(CoreKeys.NETWORKS_FILE)));
        }
        Long staticMask = cfg.get(CoreKeys.NETWORKS_MASK);
        NetOptions net = new NetOptions(networks, cfg.get(CoreKeys.NETWORKS_FILE_FILTER),
                staticMask == null ? 0 : staticMask.intValue(), cfg.get(CoreKeys.NETWORKS_NO_MASK_IF_ZERO));
        Supplier<PortsTable> ports = null;
        if (cfg.isSet(CoreKeys.PORTS_FILE)) {
            ports = ctx.maps().ports(Path.of(cfg.get(CoreKeys.PORTS_FILE)));
        }
        StringDictionary labels = new StringDictionary("");
        StringDictionary classes = new StringDictionary("unknown");
        KeyBuilder keys = new KeyBuilder(layout, net, ports, bins, cfg.get(CoreKeys.TIMESTAMPS_SECS), labels, classes);
        Long postTag = cfg.get(CoreKeys.POST_TAG);
        Long postTag2 = cfg.get(CoreKeys.POST_TAG2);
        keys.postTags(postTag == null ? 0 : postTag, postTag2 == null ? 0 : postTag2);
        AggregationTable table = newTable(initialEntries, maxEntries);
        this.aggregator = new Aggregator(keys, table, labels, classes);
        Long rate = cfg.get(CoreKeys.SAMPLING_RATE);
        this.samplingRate = rate == null ? 1 : rate;
        this.renormalize = cfg.get(CoreKeys.RENORMALIZE);
    }

    public static PluginAggregation create(PluginContext ctx, int initialEntries, long maxEntries) throws ConfigException {
        return new PluginAggregation(ctx, initialEntries, maxEntries);
    }

    /** A fresh empty table shaped for this aggregate. */
    public AggregationTable newTable(int initialEntries, long maxEntries) {
        return new AggregationTable(layout.words(), initialEntries, maxEntries, aggregate.has(Primitive.FLOWS),
                aggregate.has(Primitive.TCPFLAGS) || aggregate.has(Primitive.TUNNEL_TCPFLAGS), stitching);
    }

    /** {@code *_history_offset}, below the shortest bin as pmacct requires (it exits at the plugin's start). */
    private static long historyOffset(PluginConfig cfg, History history) throws ConfigException {
        long offset = cfg.get(CoreKeys.HISTORY_OFFSET);
        long bin = TimeBins.shortestBin(history);
        if (offset >= bin) {
            throw cfg.error(CoreKeys.HISTORY_OFFSET, offset + " s is not less than the history bins of " + history
                    + " (" + bin + " s" + (history.monthly() ? ": 28 days a month" : "") + ")");
        }
        return offset;
    }

    /**
     * pmacct's rules for {@code aggregate}: sum primitives stand alone (others are dropped with a warning, tag,
     * tag2, class and flows kept); network and AS primitives need a source of networks in pmacctd.
     */
    static Aggregate checkedAggregate(PluginConfig cfg, DaemonKind daemon) throws ConfigException {
        Aggregate agg = cfg.get(CoreKeys.AGGREGATE);
        EnumSet<Primitive> set = agg.primitives().isEmpty() ? EnumSet.noneOf(Primitive.class) : EnumSet.copyOf(agg.primitives());
        Primitive[] sums = {Primitive.SUM_MAC, Primitive.SUM_HOST, Primitive.SUM_NET, Primitive.SUM_AS, Primitive.SUM_PORT};
        for (Primitive sum : sums) {
            if (set.contains(sum)) {
                EnumSet<Primitive> kept = EnumSet.of(sum);
                for (Primitive p : new Primitive[] {Primitive.TAG, Primitive.TAG2, Primitive.CLASS, Primitive.FLOWS}) {
                    if (set.contains(p)) {
                        kept.add(p);
                    }
                }
                if (!kept.equals(set)) {
                    LOG.warn("{} is to be used alone (with tag, tag2, class, flows); ignoring the other "
                            + "primitives of '{}'", sum.configName(), agg);
                }
                set = kept;
                break;
            }
        }
        set.remove(Primitive.NONE);
        if (daemon == DaemonKind.PMACCTD) {
            boolean haveNetworks = cfg.isSet(CoreKeys.NETWORKS_FILE);
            if (!haveNetworks && (set.contains(Primitive.SRC_AS) || set.contains(Primitive.DST_AS) || set.contains(Primitive.SUM_AS))) {
                throw cfg.error(CoreKeys.AGGREGATE, "AS aggregation selected but no 'networks_file' is specified");
            }
            boolean netNeeded = set.contains(Primitive.SRC_NET) || set.contains(Primitive.DST_NET)
                    || set.contains(Primitive.SUM_NET) || set.contains(Primitive.SRC_MASK)
                    || set.contains(Primitive.DST_MASK) || set.contains(Primitive.PEER_DST_IP);
            if (netNeeded && !haveNetworks && !cfg.isSet(CoreKeys.NETWORKS_MASK)) {
                throw cfg.error(CoreKeys.AGGREGATE,
                        "network aggregation selected but neither 'networks_file' nor 'networks_mask' is specified");
            }
        }
        for (Primitive p : set) {
            if (!p.carriesDataIn(daemon)) {
                LOG.warn("primitive '{}' carries no data in {}; it will always be empty",
                        p.configName(), daemon.programName());
            }
        }
        if (set.contains(Primitive.CLASS)) {
            LOG.warn("no traffic classifier in this build: 'class' is always 'unknown'");
        }
        return new Aggregate(set, agg.custom());
    }

    /** Accounts one record, applying this plugin's {@code sampling_rate} and renormalization. */
    public void add(FlowRecord r) {
        if (renormalize && r.samplingRate > 1 && samplingRate <= 1) {
            aggregator.add(renormalized(r));
            return;
        }
        if (samplingRate > 1) {
            if (random.nextLong(samplingRate) != 0) {
                return;
            }
            sampled.copyFrom(r);
            if (renormalize) {
                sampled.packets *= samplingRate;
                sampled.bytes *= samplingRate;
                sampled.flows *= samplingRate;
                sampled.samplingRate = 1;
            } else {
                sampled.samplingRate = samplingRate;
            }
            aggregator.add(sampled);
            return;
        }
        aggregator.add(r);
    }

    /**
     * Accounts every record of a batch meant for this plugin ({@link PluginContext#accepts}); the records are only
     * read during the call.
     */
    public void addBatch(RecordBatch batch, PluginContext ctx) {
        Aggregator agg = aggregator;
        if (samplingRate > 1) {
            for (int i = 0, n = batch.size(); i < n; i++) {
                FlowRecord r = batch.get(i);
                if (ctx.accepts(r)) {
                    add(r);
                }
            }
            return;
        }
        for (int i = 0, n = batch.size(); i < n; i++) {
            FlowRecord r = batch.get(i);
            if (ctx.accepts(r)) {
                if (renormalize && r.samplingRate > 1) {
                    agg.add(renormalized(r)); // at once: the copy is reused by the next record
                } else {
                    agg.offer(r);
                }
            }
        }
        agg.flush();
    }

    /**
     * A record sampled at the exporter (NetFlow/sFlow sampling_rate), scaled to the traffic it stands for; as in
     * pmacct the rate then prints as 1 and flows are not scaled. The copy is this plugin's: batches are shared.
     */
    private FlowRecord renormalized(FlowRecord r) {
        sampled.copyFrom(r);
        sampled.packets *= r.samplingRate;
        sampled.bytes *= r.samplingRate;
        sampled.samplingRate = 1;
        return sampled;
    }

    public Aggregate aggregate() {
        return aggregate;
    }

    public KeyLayout layout() {
        return layout;
    }

    public Aggregator aggregator() {
        return aggregator;
    }

    /** History bins, or null without {@code *_history}. */
    public TimeBins bins() {
        return bins;
    }

    public Timestamps timestamps() {
        return timestamps;
    }

    /** Whether entries keep timestamp_min and timestamp_max (nfacctd_stitching). */
    public boolean stitching() {
        return stitching;
    }

    /** The columns of this plugin's rows in print order: the aggregate's, with nfacctd_stitching's two times. */
    public List<Column> columns() {
        if (!stitching) {
            return aggregate.columns();
        }
        EnumSet<Column> cols = EnumSet.of(Column.TIMESTAMP_MIN, Column.TIMESTAMP_MAX);
        cols.addAll(aggregate.columns());
        return new ArrayList<>(cols);
    }

    /** Output options for this plugin's rows. */
    public OutputFormat.Options outputOptions(boolean numericProtos, String separator) {
        return new OutputFormat.Options(numericProtos, separator, timestamps, bins != null).withEncodings(encodings);
    }

    /** pmacct 1.8's JSON encodings. */
    static OutputFormat.Encodings encodings(PluginConfig cfg) {
        return new OutputFormat.Encodings(cfg.get(CoreKeys.TCPFLAGS_ENCODE_AS_ARRAY),
                cfg.get(CoreKeys.FWD_STATUS_ENCODE_AS_STRING), cfg.get(CoreKeys.MPLS_LABEL_STACK_ENCODE_AS_ARRAY),
                cfg.get(CoreKeys.PRE_TAG_LABEL_ENCODE_AS_MAP));
    }

    public OutputFormat.Encodings encodings() {
        return encodings;
    }
}
