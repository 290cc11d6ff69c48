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
    /** For the plugin's k-th custom primitive, its slot in records and whether it is kept in two key words. */
    private final int[] customSlot;
    private final boolean[] customInWords;
    private final ByteDictionary customValues;
    private final ByteDictionary srv6Lists;
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
        this.customInWords = new boolean[custom.size()];
        for (int k = 0; k < custom.size(); k++) {
            customSlot[k] = custom.get(k).slot();
            customInWords[k] = custom.get(k).inWords();
        }
        this.customValues = layout.customValues();
        this.srv6Lists = layout.srv6Lists();
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
                case MPLS_VPN_RD_ORIGIN: v = r.mplsVpnRdOrigin; break;
                case IN_VLAN: v = r.inVlan; break;
                case OUT_VLAN: v = r.outVlan; break;
                case IN_CVLAN: v = r.inCvlan; break;
                case OUT_CVLAN: v = r.outCvlan; break;
                case FLOW_LABEL: v = r.flowLabel; break;
                case FWD_STATUS: v = r.fwdStatus; break;
                case NAT_EVENT: v = r.natEvent; break;
                case FW_EVENT: v = r.fwEvent; break;
                case POST_NAT_SRC_FAMILY: v = r.postNatSrcFamily; break;
                case POST_NAT_SRC_HI: v = r.postNatSrcHi; break;
                case POST_NAT_SRC_LO: v = r.postNatSrcLo; break;
                case POST_NAT_DST_FAMILY: v = r.postNatDstFamily; break;
                case POST_NAT_DST_HI: v = r.postNatDstHi; break;
                case POST_NAT_DST_LO: v = r.postNatDstLo; break;
                case POST_NAT_SRC_PORT: v = r.postNatSrcPort; break;
                case POST_NAT_DST_PORT: v = r.postNatDstPort; break;
                case MPLS_STACK_LEN: v = r.mplsLabelCount; break;
                case MPLS_STACK_0: v = stackLabels(r, 0); break;
                case MPLS_STACK_1: v = stackLabels(r, 3); break;
                case MPLS_STACK_2: v = stackLabels(r, 6); break;
                case MPLS_STACK_3: v = stackLabels(r, 9); break;
                case TUNNEL_SRC_MAC: v = r.tunnelSrcMac; break;
                case TUNNEL_DST_MAC: v = r.tunnelDstMac; break;
                case TUNNEL_SRC_FAMILY: v = r.tunnelSrcFamily; break;
                case TUNNEL_SRC_HI: v = r.tunnelSrcHi; break;
                case TUNNEL_SRC_LO: v = r.tunnelSrcLo; break;
                case TUNNEL_DST_FAMILY: v = r.tunnelDstFamily; break;
                case TUNNEL_DST_HI: v = r.tunnelDstHi; break;
                case TUNNEL_DST_LO: v = r.tunnelDstLo; break;
                case TUNNEL_PROTO: v = r.tunnelProto; break;
                case TUNNEL_TOS: v = r.tunnelTos; break;
                case TUNNEL_SRC_PORT: v = r.tunnelSrcPort; break;
                case TUNNEL_DST_PORT: v = r.tunnelDstPort; break;
                case TUNNEL_FLOW_LABEL: v = r.tunnelFlowLabel; break;
                case VXLAN: v = r.vxlan; break;
                case TIME_EXPORT: v = micros(r.timeExportMicros); break;
                case VRF_NAME: v = labels.id(r.vrfName); break;
                case INGRESS_VRF_NAME: v = labels.id(r.ingressVrfName); break;
                case EGRESS_VRF_NAME: v = labels.id(r.egressVrfName); break;
                case IN_IFACE_NAME: v = labels.id(r.inIfaceName); break;
                case OUT_IFACE_NAME: v = labels.id(r.outIfaceName); break;
                case NVGRE: v = r.nvgre; break;
                case MPLS_PW_ID: v = r.mplsPwId; break;
                case PATH_DELAY_AVG: v = r.pathDelayAvgUsec; break;
                case PATH_DELAY_MIN: v = r.pathDelayMinUsec; break;
                case PATH_DELAY_MAX: v = r.pathDelayMaxUsec; break;
                case SAMPLING_DIRECTION: v = r.direction; break;
                case SRV6_LIST: v = srv6List(r); break;
                default: v = 0; break;
            }
            layout.put(out, off, i, v);
        }
        for (int k = 0; k < customSlot.length; k++) {
            custom(r, k, out, off);
        }
    }

    /** The id of the record's SRv6 segment list (its bytes interned: nothing allocated for a known list), 0 for none. */
    private long srv6List(FlowRecord r) {
        return r.srv6SegmentCount == 0 ? 0 : srv6Lists.id(r.srv6Segments, 0, SRV6_SEGMENT_BYTES * r.srv6SegmentCount);
    }

    private static final int SRV6_SEGMENT_BYTES = 16;

    /** Up to three labels of the stack from index {@code from}, 20 bits each, the first in the low bits. */
    static long stackLabels(FlowRecord r, int from) {
        long v = 0;
        int to = Math.min(r.mplsLabelCount, from + 3);
        for (int i = to - 1; i >= from; i--) {
            v = (v << 20) | (r.mplsLabels[i] & 0xFFFFF);
        }
        return v;
    }

    /** The label at {@code index} of a stack packed by {@link #stackLabels}, from its word. */
    public static int label(long word, int index) {
        return (int) (word >>> (20 * (index % 3))) & 0xFFFFF;
    }

    /**
     * The k-th custom primitive's key words: its bytes right-aligned in two words, or the id of its interned
     * bytes; zeros when the record does not carry it.
     */
    private void custom(FlowRecord r, int k, long[] out, int off) {
        int slot = customSlot[k];
        int len = r.customLength(slot);
        int start = len == 0 ? 0 : r.customStart[slot];
        if (!customInWords[k]) {
            layout.putCustom(out, off, k, 0, len == 0 ? 0 : customValues.id(r.customBytes, start, len));
            return;
        }
        long hi = 0;
        long lo = 0;
        byte[] b = r.customBytes;
        for (int i = start; i < start + len; i++) {
            hi = (hi << 8) | (lo >>> 56);
            lo = (lo << 8) | (b[i] & 0xFF);
        }
        layout.putCustom(out, off, k, 0, hi);
        layout.putCustom(out, off, k, 1, lo);
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
