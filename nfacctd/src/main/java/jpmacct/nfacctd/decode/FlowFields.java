package jpmacct.nfacctd.decode;


import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.template.Fields;

/**
 * Fills a flow record from the fields of one NetFlow v9 / IPFIX data record: {@link #begin}, {@link #apply} per
 * field, {@link #finish}. Fields that compete for one primitive (octet counters of several kinds, times in several
 * units, next hops, addresses of both families) are collected first and resolved at the end with pmacct 1.7.7's
 * preferences, so outputs match; where pmacct drops information (2-byte TCP flags, times relative to an options
 * systemInitTime, RFC 5477 sampling) it is used. One instance per receiving thread.
 */
final class FlowFields {
    private static final int ABSENT = Integer.MAX_VALUE;
    /** pmacct's route distinguisher type for a VRF id. */
    static final long RD_TYPE_VRFID = 0x1000;

    private final DecoderSettings settings;
    private long octets;
    private int octetsRank;
    private long packets;
    private int packetsRank;
    // addresses of both families, decided at the end
    private boolean srcV4;
    private boolean dstV4;
    private boolean srcV6;
    private boolean dstV6;
    private int srcV4Addr;
    private int dstV4Addr;
    private int srcV4Rank;
    private int dstV4Rank;
    private long srcV6Hi;
    private long srcV6Lo;
    private long dstV6Hi;
    private long dstV6Lo;
    private int srcV6Rank;
    private int dstV6Rank;
    private int srcMask4;
    private int dstMask4;
    private int srcMask6;
    private int dstMask6;
    private int ipVersion;
    private int srcPortRank;
    private int dstPortRank;
    private int inIfaceRank;
    private int outIfaceRank;
    // next hops by pmacct's preference: 18, 47, 15, 63, 140, 62
    private int nextHopRank;
    private int nextHopFamily;
    private long nextHopHi;
    private long nextHopLo;
    private boolean ipNextHopSeen;
    // VLANs and direction
    private int direction;
    private int vlanIn;
    private int vlanOut;
    private int dot1qIn;
    private int dot1qOut;
    private boolean haveEtype;
    // times, by pmacct's preference
    private int startRank;
    private long startCandidate;
    private int endRank;
    private long endCandidate;
    private long firstUptime;
    private long lastUptime;
    private boolean haveFirstUptime;
    private boolean haveLastUptime;
    private long systemInitInRecord;
    // sampling
    private int samplerId;
    private long recordInterval;
    // MPLS and VRFs
    private int labelIndexBos;
    private int labelsSeen;
    private int lastLabelEntry;
    private long ingressVrf;
    private long egressVrf;
    private boolean haveVrf;
    private long rd;

    FlowFields(DecoderSettings settings) {
        this.settings = settings;
    }

    void begin(Header h, FlowRecord r) {
        r.clear(settings.mapping() != Fields.STANDARD); // slots are recycled as they are; templates differ in what they fill
        octets = 0;
        octetsRank = ABSENT;
        packets = 0;
        packetsRank = ABSENT;
        srcV4 = dstV4 = srcV6 = dstV6 = false;
        srcV4Rank = dstV4Rank = srcV6Rank = dstV6Rank = ABSENT;
        srcMask4 = dstMask4 = srcMask6 = dstMask6 = 0;
        ipVersion = 0;
        srcPortRank = dstPortRank = inIfaceRank = outIfaceRank = ABSENT;
        nextHopRank = ABSENT;
        nextHopFamily = Addr.NONE;
        ipNextHopSeen = false;
        direction = -1;
        vlanIn = vlanOut = dot1qIn = dot1qOut = -1;
        haveEtype = false;
        startRank = endRank = ABSENT;
        haveFirstUptime = haveLastUptime = false;
        systemInitInRecord = 0;
        samplerId = -1;
        recordInterval = 0;
        labelIndexBos = -1;
        labelsSeen = 0;
        lastLabelEntry = 0;
        ingressVrf = egressVrf = 0;
        haveVrf = false;
        rd = 0;
        r.peerSrcFamily = h.exporter.family;
        r.peerSrcHi = h.exporter.hi;
        r.peerSrcLo = h.exporter.lo;
        r.exportProtoVersion = h.version;
        r.exportProtoSeqno = h.sequence;
        r.exportProtoSysid = h.sourceId;
        r.timeArrivalMicros = h.arrivalMicros;
        r.flows = 1;
    }

    void apply(int action, byte[] b, int pos, int len, FlowRecord r) {
        switch (action) {
            case Fields.OCTETS: octets(0, b, pos, len); break;
            case Fields.TOTAL_OCTETS: octets(1, b, pos, len); break;
            case Fields.OUT_OCTETS: octets(2, b, pos, len); break;
            case Fields.PACKETS: packets(0, b, pos, len); break;
            case Fields.TOTAL_PACKETS: packets(1, b, pos, len); break;
            case Fields.OUT_PACKETS: packets(2, b, pos, len); break;
            case Fields.FLOWS: {
                long f = Values.uint(b, pos, len);
                r.flows = f == 0 ? 1 : f;
                break;
            }
            case Fields.PROTOCOL: r.proto = (int) (Values.uint(b, pos, len) & 0xFF); break;
            case Fields.TOS: r.tos = (int) (Values.uint(b, pos, len) & 0xFF); break;
            case Fields.TCP_FLAGS: r.tcpFlags = (int) (Values.uint(b, pos, len) & 0xFF); break;
            case Fields.SRC_PORT: srcPort(0, b, pos, len, r); break;
            case Fields.UDP_SRC_PORT: srcPort(1, b, pos, len, r); break;
            case Fields.TCP_SRC_PORT: srcPort(2, b, pos, len, r); break;
            case Fields.DST_PORT: dstPort(0, b, pos, len, r); break;
            case Fields.UDP_DST_PORT: dstPort(1, b, pos, len, r); break;
            case Fields.TCP_DST_PORT: dstPort(2, b, pos, len, r); break;
            case Fields.SRC_V4: srcV4(0, b, pos, len); break;
            case Fields.SRC_PREFIX_V4: srcV4(1, b, pos, len); break;
            case Fields.DST_V4: dstV4(0, b, pos, len); break;
            case Fields.DST_PREFIX_V4: dstV4(1, b, pos, len); break;
            case Fields.SRC_V6: srcV6(0, b, pos, len); break;
            case Fields.SRC_PREFIX_V6: srcV6(1, b, pos, len); break;
            case Fields.DST_V6: dstV6(0, b, pos, len); break;
            case Fields.DST_PREFIX_V6: dstV6(1, b, pos, len); break;
            case Fields.SRC_MASK: srcMask4 = (int) (Values.uint(b, pos, len) & 0xFF); break;
            case Fields.DST_MASK: dstMask4 = (int) (Values.uint(b, pos, len) & 0xFF); break;
            case Fields.SRC_MASK_V6: srcMask6 = (int) (Values.uint(b, pos, len) & 0xFF); break;
            case Fields.DST_MASK_V6: dstMask6 = (int) (Values.uint(b, pos, len) & 0xFF); break;
            case Fields.IP_VERSION: ipVersion = (int) Values.uint(b, pos, len); break;
            case Fields.IN_IFACE: inIface(0, b, pos, len, r); break;
            case Fields.IN_PHYS_IFACE: inIface(1, b, pos, len, r); break;
            case Fields.OUT_IFACE: outIface(0, b, pos, len, r); break;
            case Fields.OUT_PHYS_IFACE: outIface(1, b, pos, len, r); break;
            case Fields.SRC_AS: r.srcAs = Values.uint(b, pos, len); break;
            case Fields.DST_AS: r.dstAs = Values.uint(b, pos, len); break;
            case Fields.BGP_NEXT_HOP_V4: nextHop(0, b, pos, len); break;
            case Fields.MPLS_TOP_LABEL_V4: nextHop(1, b, pos, len); break;
            case Fields.NEXT_HOP_V4:
                ipNextHopSeen = true;
                if (settings.useIpNextHop()) {
                    nextHop(2, b, pos, len);
                }
                break;
            case Fields.BGP_NEXT_HOP_V6: nextHop(3, b, pos, len); break;
            case Fields.BGP_NEXT_HOP_V6_ALT: nextHop(4, b, pos, len); break;
            case Fields.NEXT_HOP_V6:
                if (settings.useIpNextHop()) {
                    nextHop(5, b, pos, len);
                }
                break;
            case Fields.FIRST_UPTIME:
                firstUptime = Values.uint(b, pos, len);
                haveFirstUptime = true;
                break;
            case Fields.LAST_UPTIME:
                lastUptime = Values.uint(b, pos, len);
                haveLastUptime = true;
                break;
            case Fields.SYSTEM_INIT_MILLIS: systemInitInRecord = Values.uint(b, pos, len); break;
            case Fields.START_MILLIS: start(1, Values.uint(b, pos, len) * 1_000L); break;
            case Fields.END_MILLIS: end(1, Values.uint(b, pos, len) * 1_000L); break;
            case Fields.START_MICROS: start(2, ntpMicros(b, pos, len)); break;
            case Fields.END_MICROS: end(2, ntpMicros(b, pos, len)); break;
            case Fields.START_NANOS: start(3, ntpMicros(b, pos, len)); break;
            case Fields.END_NANOS: end(3, ntpMicros(b, pos, len)); break;
            case Fields.START_SECONDS: start(4, Values.uint(b, pos, len) * 1_000_000L); break;
            case Fields.END_SECONDS: end(4, Values.uint(b, pos, len) * 1_000_000L); break;
            case Fields.START_DELTA_MICROS: start(5, -Values.uint(b, pos, len)); break;
            case Fields.END_DELTA_MICROS: end(5, -Values.uint(b, pos, len)); break;
            case Fields.SAMPLER_ID:
            case Fields.SELECTOR_ID:
                samplerId = (int) Values.uint(b, pos, len);
                break;
            case Fields.SAMPLING_INTERVAL:
            case Fields.SAMPLER_RANDOM_INTERVAL:
                if (action == Fields.SAMPLER_RANDOM_INTERVAL || recordInterval == 0) {
                    recordInterval = Values.uint(b, pos, len);
                }
                break;
            case Fields.SRC_MAC:
            case Fields.POST_SRC_MAC:
                if (len == 6 && (action == Fields.SRC_MAC || r.srcMac == 0)) {
                    r.srcMac = mac(b, pos);
                }
                break;
            case Fields.DST_MAC:
            case Fields.POST_DST_MAC:
                if (len == 6 && (action == Fields.DST_MAC || r.dstMac == 0)) {
                    r.dstMac = mac(b, pos);
                }
                break;
            case Fields.SRC_VLAN: vlanIn = (int) (Values.uint(b, pos, len) & 0xFFF); break;
            case Fields.DST_VLAN: vlanOut = (int) (Values.uint(b, pos, len) & 0xFFF); break;
            case Fields.DOT1Q_VLAN: dot1qIn = (int) (Values.uint(b, pos, len) & 0xFFF); break;
            case Fields.POST_DOT1Q_VLAN: dot1qOut = (int) (Values.uint(b, pos, len) & 0xFFF); break;
            case Fields.DIRECTION: direction = (int) Values.uint(b, pos, len); break;
            case Fields.DOT1Q_PRIORITY: r.cos = (int) (Values.uint(b, pos, len) & 0x7); break;
            case Fields.ETHERNET_TYPE:
                if (len == 2) {
                    r.etype = Bytes.u16(b, pos);
                    haveEtype = true;
                }
                break;
            case Fields.INGRESS_VRF:
                ingressVrf = Values.uint(b, pos, len);
                haveVrf = true;
                break;
            case Fields.EGRESS_VRF:
                egressVrf = Values.uint(b, pos, len);
                haveVrf = true;
                break;
            case Fields.MPLS_VPN_RD:
                if (len == 8) {
                    rd = Bytes.i64(b, pos);
                }
                break;
            default:
                if (action >= Fields.MPLS_LABEL_1 && action <= Fields.MPLS_LABEL_10 && len == 3) {
                    label(action - Fields.MPLS_LABEL_1, Bytes.u24(b, pos), r);
                }
                break;
        }
    }

    private void octets(int rank, byte[] b, int pos, int len) {
        if (rank < octetsRank) {
            octets = Values.uint(b, pos, len);
            octetsRank = rank;
        }
    }

    private void packets(int rank, byte[] b, int pos, int len) {
        if (rank < packetsRank) {
            packets = Values.uint(b, pos, len);
            packetsRank = rank;
        }
    }

    private void srcPort(int rank, byte[] b, int pos, int len, FlowRecord r) {
        if (rank < srcPortRank) {
            r.srcPort = (int) (Values.uint(b, pos, len) & 0xFFFF);
            srcPortRank = rank;
        }
    }

    private void dstPort(int rank, byte[] b, int pos, int len, FlowRecord r) {
        if (rank < dstPortRank) {
            r.dstPort = (int) (Values.uint(b, pos, len) & 0xFFFF);
            dstPortRank = rank;
        }
    }

    private void inIface(int rank, byte[] b, int pos, int len, FlowRecord r) {
        if (rank < inIfaceRank) {
            r.inIface = Values.uint(b, pos, len);
            inIfaceRank = rank;
        }
    }

    private void outIface(int rank, byte[] b, int pos, int len, FlowRecord r) {
        if (rank < outIfaceRank) {
            r.outIface = Values.uint(b, pos, len);
            outIfaceRank = rank;
        }
    }

    private void srcV4(int rank, byte[] b, int pos, int len) {
        if (len == 4 && rank < srcV4Rank) {
            srcV4Addr = Bytes.i32(b, pos);
            srcV4 = true;
            srcV4Rank = rank;
        }
    }

    private void dstV4(int rank, byte[] b, int pos, int len) {
        if (len == 4 && rank < dstV4Rank) {
            dstV4Addr = Bytes.i32(b, pos);
            dstV4 = true;
            dstV4Rank = rank;
        }
    }

    private void srcV6(int rank, byte[] b, int pos, int len) {
        if (len == 16 && rank < srcV6Rank) {
            srcV6Hi = Bytes.i64(b, pos);
            srcV6Lo = Bytes.i64(b, pos + 8);
            srcV6 = true;
            srcV6Rank = rank;
        }
    }

    private void dstV6(int rank, byte[] b, int pos, int len) {
        if (len == 16 && rank < dstV6Rank) {
            dstV6Hi = Bytes.i64(b, pos);
            dstV6Lo = Bytes.i64(b, pos + 8);
            dstV6 = true;
            dstV6Rank = rank;
        }
    }

    private void nextHop(int rank, byte[] b, int pos, int len) {
        if (rank >= nextHopRank) {
            return;
        }
        if (len == 4) {
            nextHopFamily = Addr.V4;
            nextHopHi = 0;
            nextHopLo = Bytes.u32(b, pos);
        } else if (len == 16) {
            nextHopFamily = Addr.V6;
            nextHopHi = Bytes.i64(b, pos);
            nextHopLo = Bytes.i64(b, pos + 8);
        } else {
            return;
        }
        nextHopRank = rank;
    }

    private void start(int rank, long micros) {
        if (rank < startRank) {
            startRank = rank;
            startCandidate = micros;
        }
    }

    private void end(int rank, long micros) {
        if (rank < endRank) {
            endRank = rank;
            endCandidate = micros;
        }
    }

    /** pmacct's label stack: top = first label; bottom and depth from the bottom-of-stack bit. */
    private void label(int index, int entry, FlowRecord r) {
        if (index > 8) {
            return; // 1.7.7 reads labels 1 to 9
        }
        if (index == 0) {
            r.mplsLabelTop = entry >>> 4;
        }
        if (labelIndexBos >= 0) {
            return;
        }
        labelsSeen = Math.max(labelsSeen, index + 1);
        lastLabelEntry = entry;
        if ((entry & 1) != 0) {
            labelIndexBos = index;
            r.mplsLabelBottom = entry >>> 4;
        }
    }

    /** A custom primitive's bytes, right-aligned in its two words. */
    static void custom(FlowRecord r, int slot, byte[] b, int pos, int len) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < len; i++) {
            hi = (hi << 8) | (lo >>> 56);
            lo = (lo << 8) | Bytes.u8(b, pos + i);
        }
        r.custom[2 * slot] = hi;
        r.custom[2 * slot + 1] = lo;
    }

    private static long mac(byte[] b, int pos) {
        return ((long) Bytes.u16(b, pos) << 32) | Bytes.u32(b, pos + 2);
    }

    /** An NTP timestamp (8 bytes: seconds since 1900, fraction) in microseconds since 1970; 0 otherwise. */
    private static long ntpMicros(byte[] b, int pos, int len) {
        if (len != 8) {
            return 0;
        }
        long ntp = Bytes.i64(b, pos);
        long secs = (ntp >>> 32) - 2_208_988_800L;
        long frac = ntp & 0xFFFFFFFFL;
        return secs * 1_000_000L + ((frac * 1_000_000L) >>> 32);
    }

    /** Resolves what competed: addresses, next hop, times, VLAN, MPLS, VRF and sampling. */
    void finish(Header h, FlowRecord r) {
        r.bytes = octets;
        r.packets = packets;
        boolean v6 = flowIsV6();
        if (v6) {
            if (srcV6) {
                r.srcV6(srcV6Hi, srcV6Lo);
            }
            if (dstV6) {
                r.dstV6(dstV6Hi, dstV6Lo);
            }
            r.srcMask = srcMask6;
            r.dstMask = dstMask6;
        } else {
            if (srcV4) {
                r.srcV4(srcV4Addr);
            }
            if (dstV4) {
                r.dstV4(dstV4Addr);
            }
            r.srcMask = srcMask4;
            r.dstMask = dstMask4;
        }
        if (!haveEtype && (srcV4 || dstV4 || srcV6 || dstV6)) {
            r.etype = v6 ? 0x86DD : 0x0800;
        }
        nextHop(r, v6);
        vlan(r);
        if (labelsSeen > 0 && (labelIndexBos >= 0 || lastLabelEntry != 0)) {
            r.mplsStackDepth = labelIndexBos >= 0 ? labelIndexBos + 1 : labelsSeen;
        }
        vrf(r);
        times(h, r);
        if (settings.timeNew()) {
            r.binTimeMicros = h.arrivalMicros;
        }
        r.samplingRate = samplingRate(h.domain, h, r);
    }

    /** pmacct's rule: the IP version field, else IPv4 when its source address slot holds one, else what exists. */
    private boolean flowIsV6() {
        if (ipVersion == 6) {
            return true;
        }
        if (ipVersion == 4) {
            return false;
        }
        boolean v4 = srcV4 || dstV4;
        boolean v6 = srcV6 || dstV6;
        if (v4 && v6) {
            return srcV4Addr >>> 24 == 0;
        }
        return v6;
    }

    private void nextHop(FlowRecord r, boolean v6Flow) {
        if (ipNextHopSeen && !settings.useIpNextHop() && nextHopRank > 2) {
            return; // 1.7.7 stops looking once it meets 15 without use_ip_next_hop
        }
        if (nextHopFamily == Addr.NONE) {
            return;
        }
        long hi = nextHopHi;
        long lo = nextHopLo;
        int family = nextHopFamily;
        if (v6Flow && family == Addr.V4) {
            family = Addr.V6; // printed in the flow's family, as pmacct does: ::ffff:a.b.c.d
            hi = 0;
            lo = 0x0000FFFF00000000L | lo;
        } else if (!v6Flow && family == Addr.V6 && hi == 0 && (lo >>> 32) == 0xFFFF) {
            family = Addr.V4;
            lo &= 0xFFFFFFFFL;
        }
        r.peerDstFamily = family;
        r.peerDstHi = hi;
        r.peerDstLo = lo;
    }

    private void vlan(FlowRecord r) {
        int v;
        if (direction >= 0) {
            v = direction == 0 ? first(vlanIn, dot1qIn) : direction == 1 ? first(vlanOut, dot1qOut) : 0;
        } else {
            v = first(first(vlanIn, vlanOut), first(dot1qIn, dot1qOut));
        }
        r.vlan = Math.max(0, v);
    }

    private static int first(int a, int b) {
        return a >= 0 ? a : b;
    }

    private void vrf(FlowRecord r) {
        if (haveVrf) {
            long vrf = 0;
            if (ingressVrf != 0 && (direction <= 0 || egressVrf == 0)) {
                vrf = ingressVrf;
            } else if (egressVrf != 0 && (direction == 1 || ingressVrf == 0)) {
                vrf = egressVrf;
            }
            if (vrf != 0) {
                r.mplsVpnRd = (RD_TYPE_VRFID << 48) | (vrf & 0xFFFFFFFFL);
                return;
            }
        }
        r.mplsVpnRd = rd;
    }

    private void times(Header h, FlowRecord r) {
        long exportMicros = h.unixSecs * 1_000_000L;
        long base = uptimeBase(h);
        if (haveFirstUptime) {
            r.timeStartMicros = uptimeTime(h, base, firstUptime);
        } else if (startRank != ABSENT) {
            r.timeStartMicros = startRank == 5 ? exportMicros + startCandidate : startCandidate;
        }
        if (r.timeStartMicros == 0) {
            r.timeStartMicros = exportMicros; // as pmacct: the export time when the record says nothing usable
        }
        if (haveLastUptime) {
            r.timeEndMicros = uptimeTime(h, base, lastUptime);
        } else if (endRank != ABSENT) {
            r.timeEndMicros = endRank == 5 ? exportMicros + endCandidate : endCandidate;
        }
    }

    /**
     * The export time minus the record's age in whole seconds, the age taken modulo 2^32 ms as sysUpTime wraps
     * (pmacct computes v9 times so; exporters replaying old captures depend on it). v9 has the uptime at export
     * in its header; for IPFIX it is the export time minus systemInitTime (from the record or the exporter's
     * options data), and without systemInitTime the time is unknown (0).
     */
    private long uptimeTime(Header h, long base, long uptime) {
        long uptimeAtExport;
        if (h.version == 9) {
            uptimeAtExport = h.sysUptimeMillis;
        } else if (base != 0) {
            uptimeAtExport = (h.unixSecs * 1000L - base) & 0xFFFFFFFFL;
        } else {
            return 0;
        }
        if (settings.timeSecs()) {
            return (h.unixSecs - ((uptimeAtExport / 1000 - uptime) & 0xFFFFFFFFL)) * 1_000_000L;
        }
        long age = (uptimeAtExport - uptime) & 0xFFFFFFFFL;
        return (h.unixSecs - age / 1000) * 1_000_000L;
    }

    private long uptimeBase(Header h) {
        if (systemInitInRecord != 0) {
            return systemInitInRecord;
        }
        return h.domain.systemInitMillis;
    }

    private long samplingRate(Domain d, Header h, FlowRecord r) {
        long rate = 0;
        if (samplerId >= 0) {
            long[] found = d.samplerRates.get(samplerId);
            if (found != null) {
                rate = found[0];
            }
        }
        if (rate == 0) {
            rate = recordInterval;
        }
        if (rate == 0) {
            rate = d.defaultRate;
        }
        return settings.samplingRate(h.exporter, r, rate);
    }
}
