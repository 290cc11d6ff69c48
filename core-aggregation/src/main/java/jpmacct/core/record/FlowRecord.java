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
    /** Where {@link #mplsVpnRd} came from: {@link #RD_ORIGIN_UNKNOWN} (none), ..._MAP, ..._FLOW (pmacct 1.8). */
    public int mplsVpnRdOrigin;
    /** VRF and interface names an exporter's options data gave (nfacctd), or null; interned, never built per record. */
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
    public static final int RD_ORIGIN_FLOW = 3;
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

    /** @param custom also zero the custom primitive values (needless when none are configured) */
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
        mplsVpnRdOrigin = 0;
        vrfName = null;
        ingressVrfName = null;
        egressVrfName = null;
        inIfaceName = null;
        outIfaceName = null;
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
        mplsVpnRdOrigin = o.mplsVpnRdOrigin;
        vrfName = o.vrfName;
        ingressVrfName = o.ingressVrfName;
        egressVrfName = o.egressVrfName;
        inIfaceName = o.inIfaceName;
        outIfaceName = o.outIfaceName;
        copyCustom(o);
        tag = o.tag;
        tag2 = o.tag2;
        label = o.label;
        classLabel = o.classLabel;
        timeStartMicros = o.timeStartMicros;
        timeEndMicros = o.timeEndMicros;
        timeArrivalMicros = o.timeArrivalMicros;
        binTimeMicros = o.binTimeMicros;
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
