package jpmacct.collector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.net.MapLine;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.net.Prefix;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * pmacct's flow_to_rd_map: rules {@code id=RD ip=EXPORTER[/LEN] [in=IFINDEX] [out=IFINDEX] [bgp_nexthop=ADDR]
 * [mpls_vpn_id=VRF] [mpls_label_bottom=LABEL]} giving flows their BGP/MPLS VPN route distinguisher; first match
 * wins and overrides what the export protocol says (pmacct 1.8's mpls_vpn_rd_origin "map"). The RD is written as
 * pmacct reads it: {@code 0:ASN16:N32}, {@code 1:IPV4:N16} or {@code 2:ASN32:N16} (RFC 4364). A negative
 * in/out/mpls_vpn_id/mpls_label_bottom matches every other value. mpls_vpn_id (the flow's ingress or egress VRF
 * id) and mpls_label_bottom are NetFlow/IPFIX keys.
 */
public final class FlowToRdMap {
    private static final Set<String> KEYS = Set.of("id", "ip", "in", "out", "bgp_nexthop", "mpls_vpn_id",
            "mpls_label_bottom");
    private static final Set<String> NETFLOW_KEYS = Set.of("mpls_vpn_id", "mpls_label_bottom");

    /** One rule; 0 in a numeric key means the key is not set, a negative value matches all but its opposite. */
    private record Rule(long rd, Prefix exporter, long in, long out, Prefix bgpNextHop, long vpnId, long labelBottom) {
        boolean matches(FlowRecord r, long ingressVrf, long egressVrf) {
            return exporter.contains(r.peerSrcFamily, r.peerSrcHi, r.peerSrcLo) && number(in, r.inIface)
                    && number(out, r.outIface)
                    && (bgpNextHop == null || bgpNextHop.contains(r.peerDstFamily, r.peerDstHi, r.peerDstLo))
                    && vpn(ingressVrf, egressVrf) && number(labelBottom, r.mplsLabelBottom);
        }

        private boolean vpn(long ingressVrf, long egressVrf) {
            if (vpnId == 0) {
                return true;
            }
            boolean either = ingressVrf == Math.abs(vpnId) || egressVrf == Math.abs(vpnId);
            return vpnId > 0 == either;
        }

        private static boolean number(long rule, long value) {
            return rule == 0 || (rule > 0 ? value == rule : value != -rule);
        }
    }

    private final List<Rule> rules;

    private FlowToRdMap(List<Rule> rules) {
        this.rules = rules;
    }

    /** The first rule matching a flow of these VRF ids (0 when the flow has none), or -1. */
    public int match(FlowRecord r, long ingressVrf, long egressVrf) {
        for (int i = 0, n = rules.size(); i < n; i++) {
            if (rules.get(i).matches(r, ingressVrf, egressVrf)) {
                return i;
            }
        }
        return -1;
    }

    /** The RD of rule {@code i}, 8 bytes as they go on the wire (type in the top 16 bits). */
    public long rd(int i) {
        return rules.get(i).rd;
    }

    public int size() {
        return rules.size();
    }

    /**
     * Gives the record the RD of the first matching rule, with origin "map"; returns whether one matched.
     */
    public boolean apply(FlowRecord r, long ingressVrf, long egressVrf) {
        int i = match(r, ingressVrf, egressVrf);
        if (i < 0) {
            return false;
        }
        r.mplsVpnRd = rules.get(i).rd;
        r.pmacct18 = true;
        r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_MAP;
        return true;
    }

    /**
     * flow_to_rd_map as a reloadable map of the daemon, or null when the key is not set.
     *
     * @param netflow whether the daemon's records are NetFlow/IPFIX ones (mpls_vpn_id and mpls_label_bottom)
     */
    public static Supplier<FlowToRdMap> configured(DaemonConfig config, MapRegistry maps, boolean netflow)
            throws ConfigException {
        if (!config.isSet(CollectorKeys.FLOW_TO_RD_MAP)) {
            return null;
        }
        return maps.map("flow_to_rd_map", Path.of(config.get(CollectorKeys.FLOW_TO_RD_MAP)), f -> load(f, netflow),
                FlowToRdMap::size);
    }

    public static FlowToRdMap load(Path file, boolean netflow) throws ConfigException {
        List<Rule> rules = new ArrayList<>();
        for (MapLine.Entry entry : MapLine.readEntries(file, "flow_to_rd_map")) {
            String where = entry.where();
            Map<String, String> kv = entry.keys();
            for (String k : kv.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new ConfigException(where + ": unknown key '" + k + "' (expected id, ip, in, out, "
                            + "bgp_nexthop, mpls_vpn_id, mpls_label_bottom)");
                }
                if (!netflow && NETFLOW_KEYS.contains(k)) {
                    throw new ConfigException(where + ": " + k + " is a NetFlow/IPFIX key (nfacctd only)");
                }
            }
            if (!kv.containsKey("id") || !kv.containsKey("ip")) {
                throw new ConfigException(where + ": a rule needs id=<RD> and ip=<exporter address or prefix>");
            }
            try {
                rules.add(new Rule(parseRd(kv.get("id")), Prefix.parse(kv.get("ip"), ""),
                        number(kv, "in", 0xFFFFFFFFL), number(kv, "out", 0xFFFFFFFFL),
                        kv.containsKey("bgp_nexthop") ? Prefix.parse(kv.get("bgp_nexthop"), "") : null,
                        number(kv, "mpls_vpn_id", 0xFFFFFFFFL), number(kv, "mpls_label_bottom", 0xFFFFF)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return new FlowToRdMap(List.copyOf(rules));
    }

    private static long number(Map<String, String> kv, String key, long max) {
        String v = kv.get(key);
        if (v == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(v);
            if (n != 0 && Math.abs(n) <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException(key + "=" + v + " is not a number from 1 to " + max
                + " (negated with a leading -)");
    }

    /**
     * A route distinguisher as pmacct reads it ({@code type:administrator:assigned}), as its 8 bytes on the wire.
     */
    public static long parseRd(String text) {
        String[] p = text.split(":", -1);
        if (p.length != 3) {
            throw new IllegalArgumentException("RD '" + text + "' is not type:administrator:number");
        }
        switch (p[0]) {
            case "0":
                return rdPart(p[1], 0xFFFFL, text) << 32 | rdPart(p[2], 0xFFFFFFFFL, text);
            case "1": {
                Addr.Parsed ip = Addr.parse(p[1]);
                if (ip == null || ip.family() != Addr.V4) {
                    throw new IllegalArgumentException("RD '" + text + "': type 1 takes an IPv4 address");
                }
                return 1L << 48 | ip.lo() << 16 | rdPart(p[2], 0xFFFFL, text);
            }
            case "2":
                return 2L << 48 | rdPart(p[1], 0xFFFFFFFFL, text) << 16 | rdPart(p[2], 0xFFFFL, text);
            default:
                throw new IllegalArgumentException("RD '" + text + "': type " + p[0] + " is not 0, 1 or 2");
        }
    }

    private static long rdPart(String v, long max, String text) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException("RD '" + text + "': '" + v + "' is not a number from 0 to " + max);
    }
}
