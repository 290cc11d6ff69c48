package jpmacct.plugins.print;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.History;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.DynamicName;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.Preprocess;
import jpmacct.core.plugin.PurgeCycle;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.TriggerExec;

/**
 * pmacct's print plugin: aggregates into a cache and, every {@code print_refresh_time}, writes it as formatted
 * text, CSV or JSON to stdout or to (dynamically named) files, then empties it. Writing happens on a writer
 * thread with a fresh cache swapped in, so accounting never pauses for I/O. With {@code print_history}, bins
 * still open are carried to the next purge, as pmacct does; {@code print_preprocess} leaves out entries that fail
 * its checks.
 */
final class PrintPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(PrintPlugin.class);

    private final PluginContext ctx;
    private final PluginConfig cfg;
    private final PluginAggregation aggregation;
    private final OutputFormat format;
    private final PurgeWriter writer;
    private final PurgeCycle purges;

    PrintPlugin(PluginContext ctx) throws ConfigException {
        this.ctx = ctx;
        this.cfg = ctx.config();
        String file = cfg.get(PrintKeys.OUTPUT_FILE);
        if (file == null && cfg.daemon().get(CoreKeys.DAEMONIZE)) {
            throw cfg.error(PrintKeys.OUTPUT_FILE, "no print_output_file and 'daemonize: true': output would be lost");
        }
        int cacheEntries = cfg.get(CoreKeys.CACHE_ENTRIES).intValue();
        this.aggregation = PluginAggregation.create(ctx, cacheEntries, 0);
        OutputFormat.Style style = OutputFormat.Style.parse(cfg.get(PrintKeys.OUTPUT));
        String sep = OutputFormat.separator(cfg.get(PrintKeys.OUTPUT_SEPARATOR));
        OutputFormat.Encodings enc = aggregation.encodings();
        if (style != OutputFormat.Style.JSON && (enc.tcpFlagsArray() || enc.labelStackArray() || enc.labelMap())) {
            LOG.warn("Complex data types (ie. pre_tag_label_encode_as_map) not supported by the selected "
                    + "print_output. Ignored.");
        }
        if (style != OutputFormat.Style.JSON && aggregation.aggregate().has(Primitive.SRV6_SEG_IPV6_LIST)) {
            // pmacct's formatted output exits on it and its CSV leaves it out; here both leave it out
            LOG.warn("srv6_seg_ipv6_list is written in JSON output only; it is left out of print_output {}",
                    cfg.get(PrintKeys.OUTPUT));
        }
        if (style == OutputFormat.Style.JSON) {
            // pmacct 1.8's line when a plugin sets up its JSON encoding
            LOG.info("JSON: setting object handlers.");
        }
        this.format = new OutputFormat(style, aggregation.columns(), aggregation.aggregate().custom(),
                aggregation.aggregate().has(Primitive.FLOWS), aggregation.outputOptions(cfg.get(CoreKeys.NUM_PROTOS), sep));
        long refreshSeconds = Math.max(1, cfg.get(CoreKeys.REFRESH_TIME));
        History h = cfg.get(CoreKeys.HISTORY);
        long hst = h == null ? 0 : h.seconds();
        ZoneId zone = aggregation.timestamps().zone();
        DynamicName name = file == null ? null : new DynamicName(file, refreshSeconds, hst, 0, 0);
        String latest = cfg.get(PrintKeys.LATEST_FILE);
        DynamicName latestName = latest == null ? null : new DynamicName(latest, refreshSeconds, hst, 0, 0);
        if (latestName != null && (name == null || !name.isDynamic())) {
            LOG.warn("print_latest_file ignored: print_output_file is not dynamic");
            latestName = null;
        }
        Writer stdout = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16);
        this.writer = new PurgeWriter(cfg.id(), format, name, latestName, zone, aggregation.aggregator(),
                cfg.get(PrintKeys.OUTPUT_FILE_APPEND), cfg.get(CoreKeys.MARKERS), cfg.get(PrintKeys.WRITE_EMPTY_FILE),
                Preprocess.configured(cfg, aggregation.aggregate().has(Primitive.FLOWS)),
                TriggerExec.configured(cfg), stdout, ctx);
        this.purges = new PurgeCycle(ctx, aggregation, cacheEntries, cfg.get(CoreKeys.MAX_WRITERS).intValue(),
                (table, purgeTime, cutoff, last) -> writer.write(table, purgeTime, cutoff));
        LOG.info("cache entries={} base cache memory={} bytes", cacheEntries,
                aggregation.aggregator().table().heapBytes());
    }

    @Override
    public void start() {
        purges.start();
    }

    @Override
    public void onBatch(RecordBatch batch) {
        aggregation.addBatch(batch, ctx);
    }

    @Override
    public long tickIntervalMillis() {
        return purges.tickIntervalMillis();
    }

    @Override
    public void onTick(long nowMillis) {
        purges.onTick(nowMillis);
    }

    @Override
    public void close() {
        purges.close();
        writer.awaitTriggers();
    }
}
