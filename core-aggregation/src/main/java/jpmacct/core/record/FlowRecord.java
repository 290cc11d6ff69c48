package jpmacct.core.record;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One observation (a packet, a flow record, a sample), decoded in place. Mutable and reused: a decoder fills a
 * slot of a {@link RecordBatch}; plugins read it. Primitive fields only, so the hot path allocates nothing.
 *
 * <p>Addresses are a family ({@link Addr#NONE}, {@link Addr#V4}, {@link Addr#V6}) plus two longs; IPv4 lives in
 * the low 32 bits of {@code lo}.
 */
public final class FlowRecord {
    // L2
    public long srcMac;
    public long dstMac;
    public int vlan;
    public int cos;
    public int etype;
    /**
     * Whether any field of pmacct 1.8's primitives marked "extended" (VLANs in/out, post-NAT addresses and ports,
     * tunnel, NVGRE, pseudowire, path delays, SRv6 segments, VRF and interface names) may be set: a decoder sets it
     * before writing one, so that clearing a record that has none costs one test instead of forty stores.
     */
    public boolean extended;
    /**
     * Whether any of pmacct 1.8's small primitives outside the extended ones (flow label, forwarding status, NAT
     * and firewall events, RD origin) may be set: a writer sets it with the field, so that clearing a record that
     * has none costs one test. Not the export time: every NetFlow v5/v9/IPFIX record has one, so it would set the
     * flag on each.
     */
    public boolean pmacct18;

    /** Extended: pmacct 1.8's in_vlan/out_vlan (input/output 802.1Q VLAN) and in_cvlan/out_cvlan (customer VLAN). */
    public int inVlan;
    public int outVlan;
    public int inCvlan;
    public int outCvlan;

    // L3/L4
    public int srcFamily;
    public long srcHi;
    public long srcLo;
    public int dstFamily;
    public long dstHi;
    public long dstLo;
    /** Prefix lengths reported by an exporter (NetFlow/sFlow); 0 when unknown (pmacctd). */
    public int srcMask;
    public int dstMask;
    public int srcPort;
    public int dstPort;
    public int proto;
    public int tos;
    public int tcpFlags;
    /** ICMP/ICMPv6 type << 8 | code (pmacctd); nfprobe exports it as the destination port, as pmacct. */
    public int icmpTypeCode;
    /** pmacct18: IPv6 flow label (20 bits). */
    public int flowLabel;

    // extended: post-NAT addresses and ports (pmacct 1.8; NetFlow v9/IPFIX and Cisco ASA NSEL)
    public int postNatSrcFamily;
    public long postNatSrcHi;
    public long postNatSrcLo;
    public int postNatDstFamily;
    public long postNatDstHi;
    public long postNatDstLo;
    public int postNatSrcPort;
    public int postNatDstPort;
    // pmacct18: NAT and firewall events, forwarding status
    public int natEvent;
    public int fwEvent;
    /** RFC 7270 forwardingStatus: status in the top 2 bits, reason code below. */
    public int fwdStatus;

    // extended: the inner (tunnelled) header, pmacct's tunnel_* primitives
    public long tunnelSrcMac;
    public long tunnelDstMac;
    public int tunnelSrcFamily;
    public long tunnelSrcHi;
    public long tunnelSrcLo;
    public int tunnelDstFamily;
    public long tunnelDstHi;
    public long tunnelDstLo;
    public int tunnelProto;
    public int tunnelTos;
    public int tunnelSrcPort;
    public int tunnelDstPort;
    public int tunnelTcpFlags;
    public int tunnelFlowLabel;
    /** VXLAN network identifier (24 bits). */
    public int vxlan;

    // extended: pmacct 1.8's NVGRE, pseudowire, path delays and SRv6 segment list
    /** NVGRE tenant network identifier (24 bits). */
    public int nvgre;
    /** MPLS L2 VPN pseudowire id (NetFlow v9/IPFIX pseudoWireId, sFlow's extended MPLS VC id). */
    public long mplsPwId;
    /** On-path telemetry delays in microseconds (unsigned 32 bits). */
    public long pathDelayAvgUsec;
    public long pathDelayMinUsec;
    public long pathDelayMaxUsec;
    /**
     * SRv6 segment list: {@link #srv6SegmentCount} IPv6 addresses of 16 bytes each, in the order they came; null
     * until a record of this slot first carries one (then kept and reused).
     */
    public byte[] srv6Segments;
    public int srv6SegmentCount;

    // exporter side
    public long inIface;
    public long outIface;
    public long srcAs;
    public long dstAs;
    public int peerSrcFamily;
    public long peerSrcHi;
    public long peerSrcLo;
    public int peerDstFamily;
    public long peerDstHi;
    public long peerDstLo;
    public long samplingRate;
    public int exportProtoVersion;
    public long exportProtoSeqno;
    public long exportProtoSysid;
    /** NetFlow v5/v8 engine type (pre_tag_map's engine_type; the engine id is export_proto_sysid). */
    public int engineType;
    /** sFlow sample type as pmacct encodes it: enterprise << 12 | format (1 flow sample, 3 expanded); 0 elsewhere. */
    public int sampleType;
    /** The flow's direction when the source says it: {@link #DIRECTION_UNKNOWN}, ingress or egress. */
    public int direction;
    /** MPLS VPN route distinguisher as 8 bytes (type in the top 16 bits; 0x1000 = a VRF id, pmacct's "vrfid:N"). */
    public long mplsVpnRd;
    public int mplsLabelTop;
    public int mplsLabelBottom;
    public int mplsStackDepth;
    /** pmacct 1.8's mpls_label_stack: label values (20 bits, no TC/S bits), outermost first; see mplsLabelCount. */
    public final int[] mplsLabels = new int[MAX_MPLS_LABELS];
    /** Labels held in {@link #mplsLabels}; clearing a record zeroes only this. */
    public int mplsLabelCount;
    /** pmacct18: where {@link #mplsVpnRd} came from, {@link #RD_ORIGIN_UNKNOWN} (none), ..._MAP or ..._FLOW. */
    public int mplsVpnRdOrigin;
    /**
     * Extended: VRF and interface names an exporter's options data gave (nfacctd), or null; interned, never built
     * per record.
     */
    public String vrfName;
    public String ingressVrfName;
    public String egressVrfName;
    public String inIfaceName;
    public String outIfaceName;
    /**
     * Custom primitive values (aggregate_primitives) as their bytes arrived: slot s is {@code customLength[s]}
     * bytes of {@link #customBytes} from {@code customStart[s]}, a length of 0 meaning the record does not carry
     * it. Sized by {@link #clearCustom(int)} for the daemon's primitives; empty in daemons that fill none.
     */
    public int[] customStart = NO_INTS;
    public int[] customLength = NO_INTS;
    public byte[] customBytes = NO_BYTES;
    /** Bytes of {@link #customBytes} in use. */
    public int customUsed;

    // tagging and classification
    public long tag;
    public long tag2;
    /** pre_tag_map label, or null; an interned string, never built per record. */
    public String label;
    /** L7 class, or null for "unknown". */
    public String classLabel;

    // time, microseconds since the epoch
    public long timeStartMicros;
    public long timeEndMicros;
    public long timeArrivalMicros;
    /** When nonzero, the time history bins use instead of the flow start (nfacctd_time_new: arrival). */
    public long binTimeMicros;
    /** The export packet's time (header), pmacct 1.8's timestamp_export; whole seconds. */
    public long timeExportMicros;

    // counters
    public long packets;
    public long bytes;
    public long flows;

    /** Which plugins take this record: bit i for plugin i; all set by default (filters clear bits). */
    public long pluginMask;

    /** mpls_vpn_rd_origin values, numbered as pmacct names them (unknown, bgp, bmp, flow, map). */
    public static final int RD_ORIGIN_UNKNOWN = 0;
    public static final int RD_ORIGIN_BGP = 1;
    public static final int RD_ORIGIN_BMP = 2;
    /** From the flow record itself (IPFIX element 90, VRF ids, options data). */
    public static final int RD_ORIGIN_FLOW = 3;
    /** From flow_to_rd_map. */
    public static final int RD_ORIGIN_MAP = 4;
    private static final String[] RD_ORIGIN_NAMES = {"unknown", "bgp", "bmp", "flow", "map"};

    /** An mpls_vpn_rd_origin value as pmacct prints it. */
    public static String rdOriginName(int origin) {
        return origin >= 0 && origin < RD_ORIGIN_NAMES.length ? RD_ORIGIN_NAMES[origin] : "unknown";
    }

    private static final int[] NO_INTS = {};
    private static final byte[] NO_BYTES = {};

    public static final int DIRECTION_UNKNOWN = 0;
    public static final int DIRECTION_INGRESS = 1;
    public static final int DIRECTION_EGRESS = 2;

    /** Labels pmacct 1.8 keeps of a stack (NetFlow v9/IPFIX elements 70-79). */
    public static final int MAX_MPLS_LABELS = 10;
    /** Segments pmacct 1.8 keeps of an SRv6 segment list. */
    public static final int MAX_SRV6_SEGMENTS = 16;
    private static final int SRV6_SEGMENT_BYTES = 16;

    // the packet itself, for plugins that export it (sfprobe); written only when a plugin asks for it
    /** The first captured bytes of the frame, valid for {@link #headerLength} bytes; null until first used. */
    public byte[] header;
    public int headerLength;
    /** pcap link type of {@link #header}. */
    public int headerLinkType;
    /** Length of the frame on the wire. */
    public int wireLength;

    /** Keeps the first {@code max} captured bytes of the frame (reusing this record's array). */
    public void keepHeader(ByteBuffer buf, int offset, int caplen, int wireLen, int linkType, int max) {
        int n = Math.min(caplen, max);
        if (header == null || header.length < max) {
            header = new byte[max];
        }
        buf.get(offset, header, 0, n);
        headerLength = n;
        headerLinkType = linkType;
        wireLength = Math.max(wireLen, caplen);
    }

    public void clear() {
        clear(true);
    }

    /**
     * Kept under C2's size limit for inlining a hot method (FreqInlineSize, 325 bytes of bytecode; see
     * FlowRecordFieldsTest): inlined into a decoder, its stores to fields the decoder writes next are dropped,
     * and a call costs more than the stores themselves. Rare fields go behind flags ({@link #clearFlagged()}).
     *
     * @param custom also zero the custom primitive values (needless when none are configured)
     */
    public void clear(boolean custom) {
        srcMac = 0;
        dstMac = 0;
        vlan = 0;
        cos = 0;
        etype = 0;
        srcFamily = 0;
        srcHi = 0;
        srcLo = 0;
        dstFamily = 0;
        dstHi = 0;
        dstLo = 0;
        srcMask = 0;
        dstMask = 0;
        srcPort = 0;
        dstPort = 0;
        proto = 0;
        tos = 0;
        tcpFlags = 0;
        icmpTypeCode = 0;
        inIface = 0;
        outIface = 0;
        srcAs = 0;
        dstAs = 0;
        peerSrcFamily = 0;
        peerSrcHi = 0;
        peerSrcLo = 0;
        peerDstFamily = 0;
        peerDstHi = 0;
        peerDstLo = 0;
        samplingRate = 0;
        exportProtoVersion = 0;
        exportProtoSeqno = 0;
        exportProtoSysid = 0;
        engineType = 0;
        sampleType = 0;
        direction = 0;
        mplsVpnRd = 0;
        mplsLabelTop = 0;
        mplsLabelBottom = 0;
        mplsStackDepth = 0;
        mplsLabelCount = 0; // the labels past the count are never read
        clearFlagged();
        if (custom) {
            Arrays.fill(customLength, 0);
            customUsed = 0;
        }
        tag = 0;
        tag2 = 0;
        label = null;
        classLabel = null;
        timeStartMicros = 0;
        timeEndMicros = 0;
        timeArrivalMicros = 0;
        binTimeMicros = 0;
        timeExportMicros = 0;
        packets = 0;
        bytes = 0;
        flows = 0;
        pluginMask = -1L;
        headerLength = 0;
        headerLinkType = 0;
        wireLength = 0;
    }

    public void copyFrom(FlowRecord o) {
        srcMac = o.srcMac;
        dstMac = o.dstMac;
        vlan = o.vlan;
        cos = o.cos;
        etype = o.etype;
        srcFamily = o.srcFamily;
        srcHi = o.srcHi;
        srcLo = o.srcLo;
        dstFamily = o.dstFamily;
        dstHi = o.dstHi;
        dstLo = o.dstLo;
        srcMask = o.srcMask;
        dstMask = o.dstMask;
        srcPort = o.srcPort;
        dstPort = o.dstPort;
        proto = o.proto;
        tos = o.tos;
        tcpFlags = o.tcpFlags;
        icmpTypeCode = o.icmpTypeCode;
        inIface = o.inIface;
        outIface = o.outIface;
        srcAs = o.srcAs;
        dstAs = o.dstAs;
        peerSrcFamily = o.peerSrcFamily;
        peerSrcHi = o.peerSrcHi;
        peerSrcLo = o.peerSrcLo;
        peerDstFamily = o.peerDstFamily;
        peerDstHi = o.peerDstHi;
        peerDstLo = o.peerDstLo;
        samplingRate = o.samplingRate;
        exportProtoVersion = o.exportProtoVersion;
        exportProtoSeqno = o.exportProtoSeqno;
        exportProtoSysid = o.exportProtoSysid;
        engineType = o.engineType;
        sampleType = o.sampleType;
        direction = o.direction;
        mplsVpnRd = o.mplsVpnRd;
        mplsLabelTop = o.mplsLabelTop;
        mplsLabelBottom = o.mplsLabelBottom;
        mplsStackDepth = o.mplsStackDepth;
        pmacct18 = o.pmacct18; // its five fields copied as they are: a test would cost as much
        flowLabel = o.flowLabel;
        fwdStatus = o.fwdStatus;
        natEvent = o.natEvent;
        fwEvent = o.fwEvent;
        mplsLabelCount = o.mplsLabelCount;
        System.arraycopy(o.mplsLabels, 0, mplsLabels, 0, o.mplsLabelCount);
        mplsVpnRdOrigin = o.mplsVpnRdOrigin;
        if (o.extended) {
            copyExtended(o);
        } else if (extended) {
            clearExtended();
        }
        copyCustom(o);
        tag = o.tag;
        tag2 = o.tag2;
        label = o.label;
        classLabel = o.classLabel;
        timeStartMicros = o.timeStartMicros;
        timeEndMicros = o.timeEndMicros;
        timeArrivalMicros = o.timeArrivalMicros;
        binTimeMicros = o.binTimeMicros;
        timeExportMicros = o.timeExportMicros;
        packets = o.packets;
        bytes = o.bytes;
        flows = o.flows;
        pluginMask = o.pluginMask;
        headerLength = o.headerLength;
        headerLinkType = o.headerLinkType;
        wireLength = o.wireLength;
        if (o.headerLength > 0) {
            if (header == null || header.length < o.headerLength) {
                header = new byte[o.header.length];
            }
            System.arraycopy(o.header, 0, header, 0, o.headerLength);
        }
    }

    /** Zeroes what the flags say a writer set; out of clear(), which it would make too big to inline. */
    private void clearFlagged() {
        if (pmacct18) {
            clearPmacct18();
        }
        assert pmacct18Clear() : "a pmacct 1.8 field was written without setting pmacct18";
        if (extended) {
            clearExtended();
        }
    }

    /** Zeroes the fields behind {@link #pmacct18}. */
    public void clearPmacct18() {
        pmacct18 = false;
        flowLabel = 0;
        fwdStatus = 0;
        natEvent = 0;
        fwEvent = 0;
        mplsVpnRdOrigin = 0;
    }

    /** Whether the fields behind {@link #pmacct18} are zero when it is unset: a writer that forgot it leaks them. */
    private boolean pmacct18Clear() {
        return pmacct18 || (flowLabel | fwdStatus | natEvent | fwEvent | mplsVpnRdOrigin) == 0;
    }

    /** Zeroes the fields behind {@link #extended}. */
    public void clearExtended() {
        extended = false;
        vrfName = null;
        ingressVrfName = null;
        egressVrfName = null;
        inIfaceName = null;
        outIfaceName = null;
        inVlan = 0;
        outVlan = 0;
        inCvlan = 0;
        outCvlan = 0;
        postNatSrcFamily = 0;
        postNatSrcHi = 0;
        postNatSrcLo = 0;
        postNatDstFamily = 0;
        postNatDstHi = 0;
        postNatDstLo = 0;
        postNatSrcPort = 0;
        postNatDstPort = 0;
        tunnelSrcMac = 0;
        tunnelDstMac = 0;
        tunnelSrcFamily = 0;
        tunnelSrcHi = 0;
        tunnelSrcLo = 0;
        tunnelDstFamily = 0;
        tunnelDstHi = 0;
        tunnelDstLo = 0;
        tunnelProto = 0;
        tunnelTos = 0;
        tunnelSrcPort = 0;
        tunnelDstPort = 0;
        tunnelTcpFlags = 0;
        tunnelFlowLabel = 0;
        vxlan = 0;
        nvgre = 0;
        mplsPwId = 0;
        pathDelayAvgUsec = 0;
        pathDelayMinUsec = 0;
        pathDelayMaxUsec = 0;
        srv6SegmentCount = 0; // the bytes past the count are never read
    }

    private void copyExtended(FlowRecord o) {
        extended = true;
        vrfName = o.vrfName;
        ingressVrfName = o.ingressVrfName;
        egressVrfName = o.egressVrfName;
        inIfaceName = o.inIfaceName;
        outIfaceName = o.outIfaceName;
        inVlan = o.inVlan;
        outVlan = o.outVlan;
        inCvlan = o.inCvlan;
        outCvlan = o.outCvlan;
        postNatSrcFamily = o.postNatSrcFamily;
        postNatSrcHi = o.postNatSrcHi;
        postNatSrcLo = o.postNatSrcLo;
        postNatDstFamily = o.postNatDstFamily;
        postNatDstHi = o.postNatDstHi;
        postNatDstLo = o.postNatDstLo;
        postNatSrcPort = o.postNatSrcPort;
        postNatDstPort = o.postNatDstPort;
        tunnelSrcMac = o.tunnelSrcMac;
        tunnelDstMac = o.tunnelDstMac;
        tunnelSrcFamily = o.tunnelSrcFamily;
        tunnelSrcHi = o.tunnelSrcHi;
        tunnelSrcLo = o.tunnelSrcLo;
        tunnelDstFamily = o.tunnelDstFamily;
        tunnelDstHi = o.tunnelDstHi;
        tunnelDstLo = o.tunnelDstLo;
        tunnelProto = o.tunnelProto;
        tunnelTos = o.tunnelTos;
        tunnelSrcPort = o.tunnelSrcPort;
        tunnelDstPort = o.tunnelDstPort;
        tunnelTcpFlags = o.tunnelTcpFlags;
        tunnelFlowLabel = o.tunnelFlowLabel;
        vxlan = o.vxlan;
        nvgre = o.nvgre;
        mplsPwId = o.mplsPwId;
        pathDelayAvgUsec = o.pathDelayAvgUsec;
        pathDelayMinUsec = o.pathDelayMinUsec;
        pathDelayMaxUsec = o.pathDelayMaxUsec;
        if (o.srv6SegmentCount > 0) {
            putSrv6Segments(o.srv6Segments, 0, o.srv6SegmentCount);
        } else {
            srv6SegmentCount = 0;
        }
    }

    /**
     * Keeps {@code count} (at most {@link #MAX_SRV6_SEGMENTS}) IPv6 segments, 16 bytes each from {@code off}, as
     * the SRv6 segment list; marks the record extended.
     */
    public void putSrv6Segments(byte[] b, int off, int count) {
        if (srv6Segments == null) {
            srv6Segments = new byte[MAX_SRV6_SEGMENTS * SRV6_SEGMENT_BYTES]; // once per slot
        }
        int n = Math.min(count, MAX_SRV6_SEGMENTS);
        System.arraycopy(b, off, srv6Segments, 0, n * SRV6_SEGMENT_BYTES);
        srv6SegmentCount = n;
        extended = true;
    }

    /** Sizes the custom values for the daemon's {@code slots} primitives (once per reused record) and empties them. */
    public void clearCustom(int slots) {
        if (customLength.length < slots) {
            customStart = new int[slots];
            customLength = new int[slots];
        } else {
            Arrays.fill(customLength, 0, slots, 0);
        }
        customUsed = 0;
    }

    /** Keeps {@code len} bytes of {@code b} from {@code off} as slot {@code slot}'s value (sized by clearCustom). */
    public void putCustom(int slot, byte[] b, int off, int len) {
        if (customUsed + len > customBytes.length) {
            customBytes = Arrays.copyOf(customBytes, Math.max(64, Math.max(2 * customBytes.length, customUsed + len)));
        }
        System.arraycopy(b, off, customBytes, customUsed, len);
        customStart[slot] = customUsed;
        customLength[slot] = len;
        customUsed += len;
    }

    /** Bytes of custom slot {@code slot}'s value, 0 when the record does not carry it. */
    public int customLength(int slot) {
        return slot < customLength.length ? customLength[slot] : 0;
    }

    private void copyCustom(FlowRecord o) {
        if (customLength.length < o.customLength.length) {
            customStart = new int[o.customLength.length];
            customLength = new int[o.customLength.length];
        }
        System.arraycopy(o.customStart, 0, customStart, 0, o.customStart.length);
        System.arraycopy(o.customLength, 0, customLength, 0, o.customLength.length);
        Arrays.fill(customLength, o.customLength.length, customLength.length, 0);
        if (customBytes.length < o.customUsed) {
            customBytes = new byte[o.customBytes.length];
        }
        System.arraycopy(o.customBytes, 0, customBytes, 0, o.customUsed);
        customUsed = o.customUsed;
    }

    /** Sets the source address to an IPv4 address. */
    public void srcV4(int addr) {
        srcFamily = Addr.V4;
        srcHi = 0;
        srcLo = addr & 0xFFFFFFFFL;
    }

    public void dstV4(int addr) {
        dstFamily = Addr.V4;
        dstHi = 0;
        dstLo = addr & 0xFFFFFFFFL;
    }

    public void srcV6(long hi, long lo) {
        srcFamily = Addr.V6;
        srcHi = hi;
        srcLo = lo;
    }

    public void dstV6(long hi, long lo) {
        dstFamily = Addr.V6;
        dstHi = hi;
        dstLo = lo;
    }
}
