package jpmacct.nfacctd.decode;

import java.util.function.Supplier;

import jpmacct.collector.FlowToRdMap;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.OptionTables;
import jpmacct.nfacctd.template.RecordPlan;

/**
 * A flow's MPLS VPN route distinguisher and its VRF and interface names, as pmacct 1.8 sets them. The RD comes
 * from flow_to_rd_map (origin "map"); else from the record's mplsVpnRouteDistinguisher; else from what options data
 * gave the flow's VRF: the ingress one, or the egress one when the direction field says egress or there is no
 * ingress VRF (an RD of 0:0:0 there defers to the other side's), the domain's tables first, then the exporter's;
 * else the VRF id itself ("vrfid:N"); all of origin "flow". Names come from options data: ingress_vrf_name and
 * egress_vrf_name by the flow's VRF ids, vrf_name the ingress one or, when there is no ingress VRF (or it is
 * "default"), the egress one; in_iface_name and out_iface_name by the 4-byte interface indexes. No allocation.
 */
final class VpnFields {
    /** pmacct's route distinguisher type for a VRF id. */
    static final long RD_TYPE_VRFID = 0x1000;
    private static final int NONE = RecordPlan.NONE;

    private final Supplier<FlowToRdMap> flowToRd;

    VpnFields(Supplier<FlowToRdMap> flowToRd) {
        this.flowToRd = flowToRd;
    }

    /**
     * Whether a record of this plan needs this step: most records carry interface indexes, so those alone count
     * only once the exporter's options data named interfaces.
     */
    boolean needed(RecordPlan p, Message m) {
        return flowToRd != null || p.vpn
                || p.interfaces && (m.domain.options().hasIfaceNames() || m.exporter.options().hasIfaceNames());
    }

    void decode(byte[] b, int base, int[] off, int[] len, RecordPlan p, Message m, FlowRecord r) {
        int i;
        long ingress = (i = p.ingressVrf) != NONE ? Values.uint(b, base + off[i], len[i]) : 0;
        long egress = (i = p.egressVrf) != NONE ? Values.uint(b, base + off[i], len[i]) : 0;
        if (flowToRd == null || !flowToRd.get().apply(r, ingress, egress)) {
            if ((i = p.rd) != NONE) {
                r.mplsVpnRd = Bytes.i64(b, base + off[i]);
                r.pmacct18 = true;
                r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_FLOW;
            } else if (ingress != 0 || egress != 0) {
                boolean egressSide = (i = p.direction) != NONE && len[i] > 0 && Bytes.u8(b, base + off[i]) != 0;
                boolean ingressSide = ingress != 0 && (!egressSide || egress == 0);
                Domain d = m.domain;
                if (!fromOptions(d.options(), ingressSide, ingress, egress, r)
                        && !fromOptions(d.exporter().options(), ingressSide, ingress, egress, r)) {
                    r.mplsVpnRd = (RD_TYPE_VRFID << 48) | (ingressSide ? ingress : egress);
                    r.pmacct18 = true;
                    r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_FLOW;
                }
            }
        }
        OptionTables own = m.domain.options();
        OptionTables all = m.exporter.options();
        if ((p.ingressVrf != NONE || p.egressVrf != NONE) && (own.hasVrfs() || all.hasVrfs())) {
            String in = p.ingressVrf != NONE ? vrfName(own, all, ingress) : null;
            String out = p.egressVrf != NONE ? vrfName(own, all, egress) : null;
            r.extended = true; // names are cleared with the other rare fields
            r.ingressVrfName = in;
            r.egressVrfName = out;
            r.vrfName = out != null && (ingress == 0 || "default".equals(in)) ? out : in;
        }
        if (own.hasIfaceNames() || all.hasIfaceNames()) {
            r.extended = true;
            if ((i = p.ifIndexIn) != NONE && len[i] == 4) {
                r.inIfaceName = ifaceName(own, all, Bytes.u32(b, base + off[i]));
            }
            if ((i = p.ifIndexOut) != NONE && len[i] == 4) {
                r.outIfaceName = ifaceName(own, all, Bytes.u32(b, base + off[i]));
            }
        }
    }

    /** The RD options data gave the flow's VRF on one side, in these tables; false when they have none. */
    private static boolean fromOptions(OptionTables t, boolean ingressSide, long ingress, long egress, FlowRecord r) {
        long[] rd = ingressSide ? t.ingressRd(ingress) : t.egressRd(egress);
        if (rd == null) {
            return false;
        }
        long value = rd[0];
        if (value == 0) { // 0:0:0, the global table: the other side may say more
            long[] other = ingressSide ? t.egressRd(egress) : t.ingressRd(ingress);
            if (other != null) {
                value = other[0];
            }
        }
        r.mplsVpnRd = value;
        r.pmacct18 = true;
        r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_FLOW;
        return true;
    }

    private static String vrfName(OptionTables own, OptionTables all, long vrf) {
        String n = own.vrfName(vrf);
        return n != null ? n : all.vrfName(vrf);
    }

    private static String ifaceName(OptionTables own, OptionTables all, long ifIndex) {
        String n = own.ifaceName(ifIndex);
        return n != null ? n : all.ifaceName(ifIndex);
    }
}
