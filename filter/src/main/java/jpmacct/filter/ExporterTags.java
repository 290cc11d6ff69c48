package jpmacct.filter;

import java.nio.file.Path;
import java.util.function.Supplier;

import jpmacct.core.config.ConfigException;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.record.FlowRecord;

/**
 * The pre_tag_map evaluated on a datagram's sender alone (the tee): a record that only has {@code peer_src_ip},
 * so {@code ip=} rules decide and rules on flow fields see zeros. One instance per thread (scratch record).
 */
public final class ExporterTags {
    private final Supplier<PreTagMap> map;
    private final FlowRecord scratch = new FlowRecord();
    private final RecordFilter.Subject subject = new RecordFilter.Subject();
    private PreTagMap mapInUse;
    private RecordFilter[] filters;

    private ExporterTags(Supplier<PreTagMap> map) {
        this.map = map;
    }

    /** The daemon's pre_tag_map (shared and reloaded with the other maps). */
    public static ExporterTags of(MapRegistry maps, Path file, RecordSource source) throws ConfigException {
        return new ExporterTags(maps.map("pre_tag_map", file, f -> PreTagMap.load(f, source), PreTagMap::size));
    }

    /** The tag the map gives this sender (0 when no rule matches); addresses as {@link FlowRecord} holds them. */
    public long tag(int family, long hi, long lo) {
        PreTagMap m = map.get();
        if (m != mapInUse) {
            filters = m.filtersCopy();
            mapInUse = m;
        }
        scratch.clear(false);
        scratch.peerSrcFamily = family;
        scratch.peerSrcHi = hi;
        scratch.peerSrcLo = lo;
        subject.set(scratch, null, 0, 0, 0, 0);
        m.apply(scratch, subject, filters);
        return scratch.tag;
    }
}
