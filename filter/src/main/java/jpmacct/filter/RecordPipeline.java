package jpmacct.filter;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordStage;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * The record's way from the decoder to the plugins in every daemon: pre_tag_map sets tag, tag2 and label, then
 * each plugin's aggregate_filter keeps or clears the record's bit for that plugin. One instance per producing
 * thread (the filters' scratch memory is its own); the map may be swapped by a reload between two records.
 */
public final class RecordPipeline implements RecordStage {
    private static final Logger LOG = LoggerFactory.getLogger(RecordPipeline.class);
    private static final RateLimitedLog LATE_COMPILE = new RateLimitedLog(LOG, 60_000);

    private final Supplier<PreTagMap> tags;
    private final RecordFilter[] filters;
    private final long[] bits;
    private final String[] names;
    private final RecordFilter.Subject subject = new RecordFilter.Subject();
    private PreTagMap mapInUse;
    private RecordFilter[] mapFilters;

    private RecordPipeline(Supplier<PreTagMap> tags, RecordFilter[] filters, long[] bits, String[] names) {
        this.tags = tags;
        this.filters = filters;
        this.bits = bits;
        this.names = names;
    }

    /**
     * The stages a daemon's producing threads use, or null when there is nothing to do (no pre_tag_map, no
     * aggregate_filter). Filters are compiled here, so a bad one stops the daemon at start-up.
     *
     * @param source the daemon's kind of records (pre_tag_map sample_type depends on it)
     * @param linkTypes link types of the frames pmacctd will see (collectors: none; their filters see built frames)
     */
    public static Supplier<RecordStage> stages(DaemonConfig config, MapRegistry maps, RecordSource source,
            int... linkTypes)
            throws ConfigException {
        Supplier<PreTagMap> tags = null;
        if (config.isSet(CoreKeys.PRE_TAG_MAP)) {
            tags = maps.map("pre_tag_map", Path.of(config.get(CoreKeys.PRE_TAG_MAP)), file -> PreTagMap.load(file, source),
                    PreTagMap::size);
        }
        List<RecordFilter> fs = new ArrayList<>();
        List<Long> bs = new ArrayList<>();
        List<String> ns = new ArrayList<>();
        for (PluginConfig pc : config.plugins()) {
            String text = pc.get(CoreKeys.AGGREGATE_FILTER);
            if (text != null && !text.isBlank()) {
                try {
                    fs.add(RecordFilter.compile(text, linkTypes));
                } catch (IllegalArgumentException e) {
                    throw pc.error(CoreKeys.AGGREGATE_FILTER, "'" + text + "': " + e.getMessage());
                }
                bs.add(pc.bit());
                ns.add(pc.name());
            }
        }
        if (tags == null && fs.isEmpty()) {
            return null;
        }
        Supplier<PreTagMap> map = tags;
        RecordFilter[] shared = fs.toArray(new RecordFilter[0]);
        long[] bits = bs.stream().mapToLong(Long::longValue).toArray();
        String[] names = ns.toArray(new String[0]);
        return () -> {
            RecordFilter[] own = new RecordFilter[shared.length];
            for (int i = 0; i < own.length; i++) {
                own[i] = shared[i].copy();
            }
            return new RecordPipeline(map, own, bits, names);
        };
    }

    @Override
    public void apply(FlowRecord r, ByteBuffer frame, int offset, int caplen, int wireLen, int linkType) {
        subject.set(r, frame, offset, caplen, wireLen, linkType);
        try {
            if (tags != null) {
                PreTagMap m = tags.get();
                if (m != mapInUse) { // reloaded: this thread's copies of its filters
                    mapFilters = m.filtersCopy();
                    mapInUse = m;
                }
                m.apply(r, subject, mapFilters);
            }
            for (int i = 0; i < filters.length; i++) {
                if (!filters[i].test(subject)) {
                    r.pluginMask &= ~bits[i];
                }
            }
        } catch (IllegalArgumentException e) {
            // a link type first seen now, on which libpcap cannot compile a filter: the record goes nowhere filtered
            for (long b : bits) {
                r.pluginMask &= ~b;
            }
            LATE_COMPILE.warn("link " + linkType, "a filter does not compile for link type " + linkType + " ("
                    + e.getMessage() + "); such records are filtered out of " + String.join(", ", names));
        }
    }
}
