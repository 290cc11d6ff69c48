package jpmacct.core.aggregate;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import jpmacct.core.net.NetworksTable;
import jpmacct.core.net.PortsTable;
import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * Builds one plugin's key for a record into a reused word array: networks lookups, {@code ports_file}, history
 * bin, sum swapping. No allocation.
 */
public final class KeyBuilder {
    private final KeyLayout layout;
    private final NetOptions net;
    private final Supplier<PortsTable> ports;
    private final TimeBins bins;
    private final boolean secondsOnly;
    private final StringDictionary labels;
    private final StringDictionary classes;
    private final long[] key;
    private final boolean needsLookup;
    /** For the plugin's k-th custom primitive, its slot in records. */
    private final int[] customSlot;
    /** post_tag / post_tag2 of the plugin, 0 when unset: the key takes them instead of the record's. */
    private long postTag;
    private long postTag2;

    // per-build scratch for the (possibly swapped) source side and the destination side
    private int sEntry;
    private int dEntry;
    private NetworksTable table;

    public KeyBuilder(KeyLayout layout, NetOptions net, Supplier<PortsTable> ports, TimeBins bins, boolean secondsOnly,
                      StringDictionary labels, StringDictionary classes) {
        this.layout = layout;
        this.net = net;
        this.ports = ports;
        this.bins = bins;
        this.secondsOnly = secondsOnly;
        this.labels = labels;
        this.classes = classes;
        this.key = new long[layout.words()];
        boolean lookup = false;
        for (int i = 0; i < layout.fieldCount(); i++) {
            switch (layout.field(i)) {
                case SRC_FAMILY: case SRC_HI: case SRC_LO: case DST_FAMILY: case DST_HI: case DST_LO:
                    lookup |= net.filter();
                    break;
                case SRC_NET_FAMILY: case SRC_NET_HI: case SRC_NET_LO: case DST_NET_FAMILY: case DST_NET_HI:
                case DST_NET_LO: case SRC_MASK: case DST_MASK: case SRC_AS: case DST_AS:
                case PEER_DST_FAMILY: case PEER_DST_HI: case PEER_DST_LO:
                    lookup = true;
                    break;
                default:
                    break;
            }
        }
        this.needsLookup = lookup && net.networks() != null;
        List<CustomPrimitive> custom = layout.aggregate().custom();
        this.customSlot = new int[custom.size()];
        for (int k = 0; k < custom.size(); k++) {
            customSlot[k] = custom.get(k).slot();
        }
    }

    /** post_tag / post_tag2 (0 for none). */
    public void postTags(long tag, long tag2) {
        this.postTag = tag;
        this.postTag2 = tag2;
    }

    public KeyLayout layout() {
        return layout;
    }

    /** The key built by the last {@link #build}; valid until the next call. */
    public long[] key() {
        return key;
    }

    /**
     * @param swap account the destination side as the source (second pass of the {@code sum_*} primitives)
     */
    public long[] build(FlowRecord r, boolean swap) {
        build(r, swap, key, 0);
        return key;
    }

    /** Builds the key into {@code out} starting at {@code off} ({@code layout().words()} words). */
    public void build(FlowRecord r, boolean swap, long[] out, int off) {
        Arrays.fill(out, off, off + layout.words(), 0);
        int sFam = swap ? r.dstFamily : r.srcFamily;
        long sHi = swap ? r.dstHi : r.srcHi;
        long sLo = swap ? r.dstLo : r.srcLo;
        if (needsLookup) {
            table = net.networks().get();
            sEntry = table.lookup(sFam, sHi, sLo);
            dEntry = table.lookup(r.dstFamily, r.dstHi, r.dstLo);
        } else {
            table = null;
            sEntry = -1;
            dEntry = -1;
        }
        int n = layout.fieldCount();
        for (int i = 0; i < n; i++) {
            long v;
            switch (layout.field(i)) {
                case SRC_MAC: v = swap ? r.dstMac : r.srcMac; break;
                case DST_MAC: v = r.dstMac; break;
                case VLAN: v = r.vlan; break;
                case COS: v = r.cos; break;
                case ETYPE: v = r.etype; break;
                case SRC_FAMILY: v = sFam; break;
                case SRC_HI: v = hostFiltered(sEntry) ? 0 : sHi; break;
                case SRC_LO: v = hostFiltered(sEntry) ? 0 : sLo; break;
                case DST_FAMILY: v = r.dstFamily; break;
                case DST_HI: v = hostFiltered(dEntry) ? 0 : r.dstHi; break;
                case DST_LO: v = hostFiltered(dEntry) ? 0 : r.dstLo; break;
                case SRC_NET_FAMILY: v = sFam; break;
                case SRC_NET_HI: v = netHi(sFam, sHi, mask(sEntry, swap ? r.dstMask : r.srcMask)); break;
                case SRC_NET_LO: v = netLo(sFam, sLo, mask(sEntry, swap ? r.dstMask : r.srcMask)); break;
                case DST_NET_FAMILY: v = r.dstFamily; break;
                case DST_NET_HI: v = netHi(r.dstFamily, r.dstHi, mask(dEntry, r.dstMask)); break;
                case DST_NET_LO: v = netLo(r.dstFamily, r.dstLo, mask(dEntry, r.dstMask)); break;
                case SRC_MASK: v = mask(sEntry, swap ? r.dstMask : r.srcMask); break;
                case DST_MASK: v = mask(dEntry, r.dstMask); break;
                case PROTO: v = r.proto; break;
                case TOS: v = r.tos; break;
                case SRC_PORT: v = port(swap ? r.dstPort : r.srcPort); break;
                case DST_PORT: v = port(r.dstPort); break;
                case SRC_AS: v = table != null ? (sEntry >= 0 ? table.entry(sEntry).as() : 0) : (swap ? r.dstAs : r.srcAs); break;
                case DST_AS: v = table != null ? (dEntry >= 0 ? table.entry(dEntry).as() : 0) : r.dstAs; break;
                case PEER_SRC_FAMILY: v = r.peerSrcFamily; break;
                case PEER_SRC_HI: v = r.peerSrcHi; break;
                case PEER_SRC_LO: v = r.peerSrcLo; break;
                case PEER_DST_FAMILY: v = table != null ? (dEntry >= 0 ? table.entry(dEntry).nextHopFamily() : 0) : r.peerDstFamily; break;
                case PEER_DST_HI: v = table != null ? (dEntry >= 0 ? table.entry(dEntry).nextHopHi() : 0) : r.peerDstHi; break;
                case PEER_DST_LO: v = table != null ? (dEntry >= 0 ? table.entry(dEntry).nextHopLo() : 0) : r.peerDstLo; break;
                case CLASS: v = classes.id(r.classLabel); break;
                case IN_IFACE: v = r.inIface; break;
                case OUT_IFACE: v = r.outIface; break;
                case SAMPLING_RATE: v = r.samplingRate; break;
                case TAG: v = postTag != 0 ? postTag : r.tag; break;
                case TAG2: v = postTag2 != 0 ? postTag2 : r.tag2; break;
                case LABEL: v = labels.id(r.label); break;
                case EXPORT_SEQNO: v = r.exportProtoSeqno; break;
                case EXPORT_VERSION: v = r.exportProtoVersion; break;
                case EXPORT_SYSID: v = r.exportProtoSysid; break;
                case TIME_START: v = micros(r.timeStartMicros); break;
                case TIME_END: v = micros(r.timeEndMicros); break;
                case TIME_ARRIVAL: v = micros(r.timeArrivalMicros); break;
                case BIN: v = bins.binStart(Math.floorDiv(recordTime(r), 1_000_000L)); break;
                case MPLS_VPN_RD: v = r.mplsVpnRd; break;
                case MPLS_LABEL_TOP: v = r.mplsLabelTop; break;
                case MPLS_LABEL_BOTTOM: v = r.mplsLabelBottom; break;
                case MPLS_STACK_DEPTH: v = r.mplsStackDepth; break;
                default: v = custom(r, layout.field(i)); break;
            }
            layout.put(out, off, i, v);
        }
    }

    private long custom(FlowRecord r, KeyField f) {
        int k = f.customIndex();
        if (k < 0) {
            return 0;
        }
        int slot = customSlot[k];
        return f.customHigh() ? r.custom[2 * slot] : r.custom[2 * slot + 1];
    }

    /** The time a record is binned by: the collector's choice, else flow start when known, else arrival. */
    static long recordTime(FlowRecord r) {
        if (r.binTimeMicros != 0) {
            return r.binTimeMicros;
        }
        return r.timeStartMicros != 0 ? r.timeStartMicros : r.timeArrivalMicros;
    }

    private boolean hostFiltered(int entry) {
        return net.filter() && table != null && entry < 0;
    }

    private int mask(int entry, int recordMask) {
        if (table != null) {
            return entry >= 0 ? table.entry(entry).maskLength() : 0;
        }
        if (net.staticMask() > 0) {
            return net.staticMask();
        }
        return recordMask;
    }

    private long netHi(int family, long hi, int mask) {
        if (family != Addr.V6) {
            return 0;
        }
        if (mask == 0) {
            return net.noMaskIfZero() ? hi : 0;
        }
        return mask >= 64 ? hi : hi & (-1L << (64 - mask));
    }

    private long netLo(int family, long lo, int mask) {
        if (family == Addr.V4) {
            if (mask == 0) {
                return net.noMaskIfZero() ? lo : 0;
            }
            int m = Math.min(mask, 32);
            return lo & ((0xFFFFFFFFL << (32 - m)) & 0xFFFFFFFFL);
        }
        if (family == Addr.V6) {
            if (mask == 0) {
                return net.noMaskIfZero() ? lo : 0;
            }
            if (mask <= 64) {
                return 0;
            }
            return mask >= 128 ? lo : lo & (-1L << (128 - mask));
        }
        return 0;
    }

    private int port(int p) {
        return ports == null ? p : ports.get().filter(p);
    }

    /**
     * The time a record gives nfacctd_stitching's timestamp_min: its start, or its arrival when it has none or with
     * nfacctd_time_new (which puts the arrival in {@code binTimeMicros}); whole seconds with timestamps_secs.
     */
    public long stitchStart(FlowRecord r) {
        return micros(r.binTimeMicros != 0 ? r.binTimeMicros
                : r.timeStartMicros != 0 ? r.timeStartMicros : r.timeArrivalMicros);
    }

    /** The time a record gives timestamp_max: its end, or its arrival as {@link #stitchStart}. */
    public long stitchEnd(FlowRecord r) {
        return micros(r.binTimeMicros != 0 ? r.binTimeMicros
                : r.timeEndMicros != 0 ? r.timeEndMicros : r.timeArrivalMicros);
    }

    private long micros(long t) {
        return secondsOnly ? t - Math.floorMod(t, 1_000_000L) : t;
    }
}
