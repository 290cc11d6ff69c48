package jpmacct.nfacctd.decode;

import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.template.HeldSet;
import jpmacct.nfacctd.template.RecordPlan;
import jpmacct.nfacctd.template.TemplateCache;

/**
 * Fills a flow record from one NetFlow v9 / IPFIX data record, following its template's {@link RecordPlan}
 * (which element feeds which primitive, chosen once per template with pmacct 1.7.7's preferences), so outputs
 * match pmacct's; where pmacct drops information (2-byte TCP flags, times relative to an options
 * systemInitTime, RFC 5477 sampling) it is used. Straight-line code, no dispatch per field, no allocation.
 */
final class FlowFields {
    private static final int NONE = RecordPlan.NONE;

    private final DecoderSettings settings;
    private final VpnFields vpn;

    FlowFields(DecoderSettings settings) {
        this.settings = settings;
        this.vpn = new VpnFields(settings.flowToRdMap());
    }

    /**
     * @param base start of the record; {@code off[i]} and {@code len[i]} place field i relative to it
     * @param customSlots the daemon's custom primitives, whose values are emptied first
     */
    void decode(byte[] b, int base, int[] off, int[] len, RecordPlan p, Message m, FlowRecord r, int customSlots) {
        r.clear(false); // slots are recycled as they are, and templates differ in what they fill
        if (customSlots > 0) {
            r.clearCustom(customSlots);
        }
        r.peerSrcFamily = m.exporter.family();
        r.peerSrcHi = m.exporter.hi();
        r.peerSrcLo = m.exporter.lo();
        r.exportProtoVersion = m.version;
        r.exportProtoSeqno = m.sequence;
        r.exportProtoSysid = m.sourceId;
        r.timeArrivalMicros = m.arrivalMicros;
        r.timeExportMicros = m.unixSecs * 1_000_000L;
        int i;
        r.bytes = (i = p.octets) != NONE ? Values.uint(b, base + off[i], len[i]) : 0;
        r.packets = (i = p.packets) != NONE ? Values.uint(b, base + off[i], len[i]) : 0;
        long flows = (i = p.flows) != NONE ? Values.uint(b, base + off[i], len[i]) : 1;
        r.flows = flows == 0 ? 1 : flows;
        if ((i = p.proto) != NONE) {
            r.proto = (int) Values.uint(b, base + off[i], len[i]) & 0xFF;
        }
        if ((i = p.tos) != NONE) {
            r.tos = (int) Values.uint(b, base + off[i], len[i]) & 0xFF;
        }
        if ((i = p.tcpFlags) != NONE) {
            r.tcpFlags = (int) Values.uint(b, base + off[i], len[i]) & 0xFF;
        }
        if ((i = p.srcPort) != NONE) {
            r.srcPort = (int) Values.uint(b, base + off[i], len[i]) & 0xFFFF;
        }
        if ((i = p.dstPort) != NONE) {
            r.dstPort = (int) Values.uint(b, base + off[i], len[i]) & 0xFFFF;
        }
        if ((i = p.inIface) != NONE) {
            r.inIface = Values.uint(b, base + off[i], len[i]);
        }
        if ((i = p.outIface) != NONE) {
            r.outIface = Values.uint(b, base + off[i], len[i]);
        }
        if ((i = p.srcAs) != NONE) {
            r.srcAs = Values.uint(b, base + off[i], len[i]);
        }
        if ((i = p.dstAs) != NONE) {
            r.dstAs = Values.uint(b, base + off[i], len[i]);
        }
        boolean v6 = addresses(b, base, off, len, p, p.addressing, r);
        if (p.extras) {
            extras(b, base, off, len, p, m, r, v6);
            if (p.pmacct18) { // here, not in extras: that one stays small enough for the JIT to inline
                pmacct18(b, base, off, len, p, r, v6);
            }
        } else {
            r.timeStartMicros = m.unixSecs * 1_000_000L; // as pmacct: the export time when the record has none
        }
        if (vpn.needed(p, m)) {
            vpn.decode(b, base, off, len, p, m, r);
        }
        if (settings.timeNew()) {
            r.binTimeMicros = m.arrivalMicros;
        }
        TemplateCache learnt = m.domain.templates();
        long rate = 0;
        if ((i = p.samplerId) != NONE) {
            rate = learnt.samplerRate((int) Values.uint(b, base + off[i], len[i]));
        }
        if (rate == 0 && (i = p.interval) != NONE) {
            rate = Values.uint(b, base + off[i], len[i]);
        }
        if (rate == 0) {
            rate = learnt.defaultRate();
        }
        r.samplingRate = settings.samplingRate(m.exporter, r, rate);
    }

    /**
     * Addresses and masks of the flow's family, as pmacct decides it ({@link RecordPlan#addressing}, told once per
     * template): the IP version field, else IPv4 when a template has both and the IPv4 source's first byte is set,
     * else whichever family is present; or the SRv6 layers' reading.
     *
     * @param addressing the plan's, or its plain one (for a record of an SRv6 template that is no SRv6 flow)
     * @return whether the flow is IPv6
     */
    private static boolean addresses(byte[] b, int base, int[] off, int[] len, RecordPlan p, int addressing,
                                     FlowRecord r) {
        boolean isV6;
        int i;
        switch (addressing) {
            case RecordPlan.ADDRESSING_V6:
                isV6 = true;
                break;
            case RecordPlan.ADDRESSING_BY_VERSION:
                long version = Values.uint(b, base + off[i = p.ipVersion], len[i]);
                isV6 = version == 6 || version != 4 && p.otherVersionV6;
                break;
            case RecordPlan.ADDRESSING_BY_SOURCE:
                isV6 = Bytes.u8(b, base + off[p.srcV4]) == 0;
                break;
            case RecordPlan.ADDRESSING_SRV6:
                return srv6(b, base, off, len, p, r);
            default:
                isV6 = false;
        }
        if (isV6) {
            v6Addresses(b, base, off, p, r);
            v6Masks(b, base, off, len, p, r);
        } else {
            v4Addresses(b, base, off, p.srcV4, p.dstV4, r);
            r.srcMask = (i = p.srcMask4) != NONE ? (int) Values.uint(b, base + off[i], len[i]) & 0xFF : 0;
            r.dstMask = (i = p.dstMask4) != NONE ? (int) Values.uint(b, base + off[i], len[i]) & 0xFF : 0;
        }
        if (p.addressed) {
            r.etype = isV6 ? 0x86DD : 0x0800;
        }
        return isV6;
    }

    private static void v6Addresses(byte[] b, int base, int[] off, RecordPlan p, FlowRecord r) {
        int i;
        if ((i = p.srcV6) != NONE) {
            r.srcV6(Bytes.i64(b, base + off[i]), Bytes.i64(b, base + off[i] + 8));
        }
        if ((i = p.dstV6) != NONE) {
            r.dstV6(Bytes.i64(b, base + off[i]), Bytes.i64(b, base + off[i] + 8));
        }
    }

    private static void v6Masks(byte[] b, int base, int[] off, int[] len, RecordPlan p, FlowRecord r) {
        int i;
        r.srcMask = (i = p.srcMask6) != NONE ? (int) Values.uint(b, base + off[i], len[i]) & 0xFF : 0;
        r.dstMask = (i = p.dstMask6) != NONE ? (int) Values.uint(b, base + off[i], len[i]) & 0xFF : 0;
    }

    private static void v4Addresses(byte[] b, int base, int[] off, int src, int dst, FlowRecord r) {
        if (src != NONE) {
            r.srcV4(Bytes.i32(b, base + off[src]));
        }
        if (dst != NONE) {
            r.dstV4(Bytes.i32(b, base + off[dst]));
        }
    }

    /**
     * A record of a template with pmacct 1.8's SRv6 layers ({@link RecordPlan#srv6}): an SRv6 flow when its first
     * protocol says so (143, Ethernet, over one IPv6 layer; 4 or 41 over two), else read as any other. The outer
     * IPv6 header (first occurrences) gives the tunnel_* fields: addresses, protocol, ports, TCP flags, and the
     * flow label when repeated. The flow's own fields are the inner layer's (last occurrences): an inner IPv4
     * header keeps the IPv6 masks and ethertype, as pmacct's flow stays IPv6; Ethernet inside leaves the flow
     * without addresses, protocol, ports or TCP flags.
     *
     * @return whether the flow is IPv6 (for the next hop): always, for an SRv6 flow
     */
    private static boolean srv6(byte[] b, int base, int[] off, int[] len, RecordPlan p, FlowRecord r) {
        int outer = Bytes.u8(b, base + off[p.outerProto]);
        boolean ethernet = p.srv6 == RecordPlan.SRV6_ETHERNET;
        if (ethernet ? outer != 143 : outer != 4 && outer != 41) {
            return addresses(b, base, off, len, p, p.plainAddressing, r);
        }
        if (ethernet) {
            r.proto = 0;
            r.srcPort = 0;
            r.dstPort = 0;
            r.tcpFlags = 0;
        } else if (p.srv6InnerV6) {
            v6Addresses(b, base, off, p, r);
        } else {
            v4Addresses(b, base, off, p.innerSrc4, p.innerDst4, r);
        }
        v6Masks(b, base, off, len, p, r);
        r.etype = 0x86DD;
        r.extended = true;
        r.tunnelProto = outer;
        int i;
        if ((i = p.outerSrc6) != NONE) {
            r.tunnelSrcFamily = Addr.V6;
            r.tunnelSrcHi = Bytes.i64(b, base + off[i]);
            r.tunnelSrcLo = Bytes.i64(b, base + off[i] + 8);
        }
        if ((i = p.outerDst6) != NONE) {
            r.tunnelDstFamily = Addr.V6;
            r.tunnelDstHi = Bytes.i64(b, base + off[i]);
            r.tunnelDstLo = Bytes.i64(b, base + off[i] + 8);
        }
        if ((i = p.outerSrcPort) != NONE) {
            r.tunnelSrcPort = (int) Values.uint(b, base + off[i], len[i]) & 0xFFFF;
        }
        if ((i = p.outerDstPort) != NONE) {
            r.tunnelDstPort = (int) Values.uint(b, base + off[i], len[i]) & 0xFFFF;
        }
        if ((i = p.outerTcpFlags) != NONE && len[i] <= 2) {
            r.tunnelTcpFlags = Bytes.u8(b, base + off[i] + len[i] - 1); // of two octets, the second: as pmacct
        }
        if ((i = p.outerFlowLabel) != NONE) {
            r.tunnelFlowLabel = (int) Values.uint(b, base + off[i], len[i]) & 0xFFFFF;
        }
        return true;
    }

    /** What only some templates carry: times, next hop, L2, MPLS, VRF, custom primitives. */
    private void extras(byte[] b, int base, int[] off, int[] len, RecordPlan p, Message m, FlowRecord r,
                        boolean v6) {
        int i;
        times(b, base, off, len, p, m, r);
        if ((i = p.nextHop) != NONE) {
            nextHop(r, v6, b, base + off[i], len[i]);
        }
        if ((i = p.srcMac) != NONE) {
            r.srcMac = mac(b, base + off[i]);
        }
        if ((i = p.dstMac) != NONE) {
            r.dstMac = mac(b, base + off[i]);
        }
        int direction = (i = p.direction) != NONE ? (int) Values.uint(b, base + off[i], len[i]) : -1;
        if (direction == 0 || direction == 1) {
            r.direction = direction == 0 ? FlowRecord.DIRECTION_INGRESS : FlowRecord.DIRECTION_EGRESS;
        }
        r.vlan = vlan(b, base, off, len, p, direction, r);
        if ((i = p.cos) != NONE) {
            r.cos = (int) Values.uint(b, base + off[i], len[i]) & 0x7;
        }
        if ((i = p.etype) != NONE) {
            r.etype = Bytes.u16(b, base + off[i]);
        }
        labels(b, base, off, p, r);
        if (p.customFields.length > 0) {
            custom(b, base, off, len, p, r);
        }
    }

    /** Custom primitives' values; out of extras, which stays small enough for the JIT to inline. */
    private static void custom(byte[] b, int base, int[] off, int[] len, RecordPlan p, FlowRecord r) {
        for (int k = 0; k < p.customFields.length; k++) {
            int f = p.customFields[k];
            CustomPrimitive c = p.customPrimitives[k];
            int kept = c.kept(len[f]);
            if (kept > 0) {
                r.putCustom(c.slot(), b, base + off[f], kept);
            }
        }
    }

    /** A next hop printed in the flow's family, as pmacct does: an IPv4 one on an IPv6 flow as ::ffff:a.b.c.d. */
    private static void nextHop(FlowRecord r, boolean v6Flow, byte[] b, int pos, int len) {
        if (len == 4) {
            long v4 = Bytes.u32(b, pos);
            if (v6Flow) {
                r.peerDstFamily = Addr.V6;
                r.peerDstHi = 0;
                r.peerDstLo = 0x0000FFFF00000000L | v4;
            } else {
                r.peerDstFamily = Addr.V4;
                r.peerDstHi = 0;
                r.peerDstLo = v4;
            }
            return;
        }
        long hi = Bytes.i64(b, pos);
        long lo = Bytes.i64(b, pos + 8);
        if (!v6Flow && hi == 0 && (lo >>> 32) == 0xFFFF) {
            r.peerDstFamily = Addr.V4;
            r.peerDstHi = 0;
            r.peerDstLo = lo & 0xFFFFFFFFL;
        } else {
            r.peerDstFamily = Addr.V6;
            r.peerDstHi = hi;
            r.peerDstLo = lo;
        }
    }

    /**
     * pmacct's VLAN: by the direction field when there is one (0 ingress, 1 egress), else the first present. Also
     * pmacct 1.8's in_vlan (58, else 243) and out_vlan (59, else 254).
     */
    private static int vlan(byte[] b, int base, int[] off, int[] len, RecordPlan p, int direction, FlowRecord r) {
        int in = vlanOf(b, base, off, len, p.vlanIn);
        int out = vlanOf(b, base, off, len, p.vlanOut);
        int dot1qIn = vlanOf(b, base, off, len, p.dot1qIn);
        int dot1qOut = vlanOf(b, base, off, len, p.dot1qOut);
        int inVlan = first(in, dot1qIn);
        int outVlan = first(out, dot1qOut);
        if (inVlan > 0 || outVlan > 0) {
            r.extended = true;
            r.inVlan = Math.max(0, inVlan);
            r.outVlan = Math.max(0, outVlan);
        }
        int v;
        if (direction >= 0) {
            v = direction == 0 ? first(in, dot1qIn) : direction == 1 ? first(out, dot1qOut) : 0;
        } else {
            v = first(first(in, out), first(dot1qIn, dot1qOut));
        }
        return Math.max(0, v);
    }

    private static int vlanOf(byte[] b, int base, int[] off, int[] len, int field) {
        return field == NONE ? -1 : (int) Values.uint(b, base + off[field], len[field]) & 0xFFF;
    }

    private static int first(int a, int b) {
        return a >= 0 ? a : b;
    }

    /**
     * One pass over the labels for both readings. pmacct 1.7.7's: top = label 1; bottom and depth from the first
     * label (of 1 to 9) with the bottom-of-stack bit. pmacct 1.8's stack (elements 70-79, label values): absent
     * elements are passed over, a zero label ends the stack unless it is the first (explicit null), which counts
     * when it is the bottom or a label follows it; the bottom-of-stack bit ends it.
     */
    private static void labels(byte[] b, int base, int[] off, RecordPlan p, FlowRecord r) {
        int seen = 0;
        int lastEntry = 0;
        boolean bottomFound = false;
        int depth = 0;
        boolean stackDone = false;
        for (int k = 0; k < p.stackCount; k++) {
            int f = p.labels[k];
            if (f == NONE) {
                continue;
            }
            int entry = Bytes.u24(b, base + off[f]);
            int label = entry >>> 4;
            boolean bottom = (entry & 1) != 0;
            if (!bottomFound && k < p.labelCount) {
                if (k == 0) {
                    r.mplsLabelTop = label;
                }
                seen = k + 1;
                lastEntry = entry;
                if (bottom) {
                    r.mplsLabelBottom = label;
                    r.mplsStackDepth = k + 1;
                    bottomFound = true;
                }
            }
            if (!stackDone) {
                if (label != 0) {
                    r.mplsLabels[depth++] = label;
                    stackDone = bottom;
                } else if (k == 0) {
                    int next = p.labels[1];
                    if (bottom || (next != NONE && (Bytes.u24(b, base + off[next]) >>> 4) != 0)) {
                        r.mplsLabels[depth++] = 0;
                    }
                    stackDone = bottom;
                } else {
                    stackDone = true;
                }
            }
            if (stackDone && (bottomFound || k >= p.labelCount)) {
                break;
            }
        }
        if (!bottomFound && seen > 0 && lastEntry != 0) {
            r.mplsStackDepth = seen;
        }
        r.mplsLabelCount = depth;
    }

    /** pmacct 1.8's elements: forwarding status, NAT and firewall events, flow label; NAT addresses, customer VLANs. */
    private static void pmacct18(byte[] b, int base, int[] off, int[] len, RecordPlan p, FlowRecord r, boolean v6) {
        int i;
        if ((i = p.fwdStatus) != NONE) {
            long status = Values.uint(b, base + off[i], len[i]);
            if (status <= 255) { // pmacct keeps 8 bits and warns about wider values
                r.pmacct18 = true;
                r.fwdStatus = (int) status;
            }
        }
        if ((i = p.flowLabel) != NONE) {
            r.pmacct18 = true;
            r.flowLabel = (int) Values.uint(b, base + off[i], len[i]) & 0xFFFFF;
        }
        if ((i = p.natEvent) != NONE) {
            r.pmacct18 = true;
            r.natEvent = Bytes.u8(b, base + off[i]); // pmacct copies the first byte
        }
        if ((i = p.fwEvent) != NONE) {
            r.pmacct18 = true;
            r.fwEvent = Bytes.u8(b, base + off[i]);
        }
        if (p.natOrCvlan) {
            natAndCvlans(b, base, off, len, p, r, v6);
        }
        if (p.overlay) {
            overlay(b, base, off, len, p, r);
        }
    }

    /**
     * pmacct 1.8's overlay and telemetry elements: VXLAN or NVGRE id (351), pseudowire id (249), the SRv6
     * segment list (whole IPv6 addresses, at most {@link FlowRecord#MAX_SRV6_SEGMENTS}), path delays, and the
     * first ToS of a template that repeats it (tunnel_tos).
     */
    private static void overlay(byte[] b, int base, int[] off, int[] len, RecordPlan p, FlowRecord r) {
        r.extended = true;
        int i;
        if ((i = p.l2SegmentId) != NONE) {
            int type = Bytes.u8(b, base + off[i]);
            int id = Bytes.u24(b, base + off[i] + 5);
            if (type == L2_SEGMENT_VXLAN) {
                r.vxlan = id;
            } else if (type == L2_SEGMENT_NVGRE) {
                r.nvgre = id;
            }
        }
        if ((i = p.pseudoWire) != NONE) {
            r.mplsPwId = Values.uint(b, base + off[i], Math.min(len[i], 4));
        }
        if ((i = p.srv6List) != NONE && len[i] % SRV6_SEGMENT_BYTES == 0) {
            r.putSrv6Segments(b, base + off[i], len[i] / SRV6_SEGMENT_BYTES);
        }
        if ((i = p.delayMin) != NONE) {
            r.pathDelayMinUsec = Bytes.u32(b, base + off[i]);
        }
        if ((i = p.delayMax) != NONE) {
            r.pathDelayMaxUsec = Bytes.u32(b, base + off[i]);
        }
        if ((i = p.delayMean) != NONE) {
            r.pathDelayAvgUsec = Bytes.u32(b, base + off[i]);
        }
        int k;
        if ((i = p.delaySum) != NONE && (k = p.inPackets) != NONE && (len[k] == 4 || len[k] == 8)) {
            long packets = Values.uint(b, base + off[k], len[k]);
            if (packets != 0) {
                r.pathDelayAvgUsec = Long.divideUnsigned(Bytes.i64(b, base + off[i]), packets) & 0xFFFFFFFFL;
            }
        }
        if ((i = p.tunnelTos) != NONE) {
            r.tunnelTos = Bytes.u8(b, base + off[i]);
        }
    }

    private static final int L2_SEGMENT_VXLAN = 1;
    private static final int L2_SEGMENT_NVGRE = 2;
    private static final int SRV6_SEGMENT_BYTES = 16;

    /** Post-NAT addresses (IPv4 on IPv4 flows as pmacct, IPv6 on IPv6 ones) and ports, customer VLANs. */
    private static void natAndCvlans(byte[] b, int base, int[] off, int[] len, RecordPlan p, FlowRecord r, boolean v6) {
        r.extended = true;
        int i;
        if ((i = p.cvlanIn) != NONE) {
            r.inCvlan = (int) Values.uint(b, base + off[i], len[i]) & 0xFFF;
        }
        if ((i = p.cvlanOut) != NONE) {
            r.outCvlan = (int) Values.uint(b, base + off[i], len[i]) & 0xFFF;
        }
        if (v6) {
            if ((i = p.postNatSrc6) != NONE) {
                r.postNatSrcFamily = Addr.V6;
                r.postNatSrcHi = Bytes.i64(b, base + off[i]);
                r.postNatSrcLo = Bytes.i64(b, base + off[i] + 8);
            }
            if ((i = p.postNatDst6) != NONE) {
                r.postNatDstFamily = Addr.V6;
                r.postNatDstHi = Bytes.i64(b, base + off[i]);
                r.postNatDstLo = Bytes.i64(b, base + off[i] + 8);
            }
        } else {
            if ((i = p.postNatSrc4) != NONE) {
                r.postNatSrcFamily = Addr.V4;
                r.postNatSrcLo = leftAligned4(b, base + off[i], len[i]);
            }
            if ((i = p.postNatDst4) != NONE) {
                r.postNatDstFamily = Addr.V4;
                r.postNatDstLo = leftAligned4(b, base + off[i], len[i]);
            }
        }
        if ((i = p.postNatSrcPort) != NONE) {
            r.postNatSrcPort = (int) leftAligned(b, base + off[i], len[i], 2);
        }
        if ((i = p.postNatDstPort) != NONE) {
            r.postNatDstPort = (int) leftAligned(b, base + off[i], len[i], 2);
        }
    }

    /** An IPv4 address from a field of any length, as pmacct copies at most four bytes of it. */
    private static long leftAligned4(byte[] b, int pos, int len) {
        return leftAligned(b, pos, len, 4);
    }

    /** The first {@code width} bytes of a field as a number; a shorter field fills the high bytes (pmacct's memcpy). */
    private static long leftAligned(byte[] b, int pos, int len, int width) {
        int n = Math.min(len, width);
        return Values.uint(b, pos, n) << (8 * (width - n));
    }

    private static long mac(byte[] b, int pos) {
        return ((long) Bytes.u16(b, pos) << 32) | Bytes.u32(b, pos + 2);
    }

    /**
     * Start and end: sysUpTime-relative fields when present (v9: the header's uptime; IPFIX: systemInitTime from
     * the record or the exporter's options data), else absolute or delta fields by pmacct's preference; a start
     * that nothing gives is the export time, as pmacct prints it.
     */
    private void times(byte[] b, int base, int[] off, int[] len, RecordPlan p, Message m, FlowRecord r) {
        long exportMicros = m.unixSecs * 1_000_000L;
        long init = p.systemInit != NONE ? Values.uint(b, base + off[p.systemInit], len[p.systemInit])
                : m.domain.templates().systemInitMillis();
        int i;
        if ((i = p.firstUptime) != NONE) {
            r.timeStartMicros = uptimeTime(m, init, Values.uint(b, base + off[i], len[i]));
        } else if ((i = p.start) != NONE) {
            r.timeStartMicros = absolute(b, base + off[i], len[i], p.startKind, exportMicros);
        }
        if (r.timeStartMicros == 0) {
            r.timeStartMicros = exportMicros;
        }
        if ((i = p.lastUptime) != NONE) {
            r.timeEndMicros = uptimeTime(m, init, Values.uint(b, base + off[i], len[i]));
        } else if ((i = p.end) != NONE) {
            r.timeEndMicros = absolute(b, base + off[i], len[i], p.endKind, exportMicros);
        }
    }

    private static long absolute(byte[] b, int pos, int len, int kind, long exportMicros) {
        switch (kind) {
            case RecordPlan.MILLIS: return Values.uint(b, pos, len) * 1_000L;
            case RecordPlan.SECONDS: return Values.uint(b, pos, len) * 1_000_000L;
            case RecordPlan.DELTA_MICROS: return exportMicros - Values.uint(b, pos, len);
            default: return ntpMicros(Bytes.i64(b, pos)); // micro- and nanosecond NTP forms
        }
    }

    /** An NTP timestamp (seconds since 1900 . fraction) in microseconds since 1970. */
    private static long ntpMicros(long ntp) {
        long secs = (ntp >>> 32) - 2_208_988_800L;
        long frac = ntp & 0xFFFFFFFFL;
        return secs * 1_000_000L + ((frac * 1_000_000L) >>> 32);
    }

    /**
     * The export time minus the record's age in whole seconds, the age taken modulo 2^32 ms as sysUpTime wraps
     * (pmacct computes v9 times so; exporters replaying old captures depend on it). v9 has the uptime at export
     * in its header; for IPFIX it is the export time minus systemInitTime, and without it the time is unknown.
     */
    private long uptimeTime(Message m, long systemInit, long uptime) {
        long uptimeAtExport;
        if (m.sysUptimeMillis != HeldSet.NO_UPTIME) {
            uptimeAtExport = m.sysUptimeMillis;
        } else if (systemInit != 0) {
            uptimeAtExport = (m.unixSecs * 1000L - systemInit) & 0xFFFFFFFFL;
        } else {
            return 0;
        }
        if (settings.timeSecs()) {
            return (m.unixSecs - ((uptimeAtExport / 1000 - uptime) & 0xFFFFFFFFL)) * 1_000_000L;
        }
        long age = (uptimeAtExport - uptime) & 0xFFFFFFFFL;
        return (m.unixSecs - age / 1000) * 1_000_000L;
    }
}
