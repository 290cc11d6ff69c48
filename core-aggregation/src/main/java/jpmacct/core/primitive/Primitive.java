package jpmacct.core.primitive;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import jpmacct.core.config.DaemonKind;

import static jpmacct.core.config.DaemonKind.NFACCTD;
import static jpmacct.core.config.DaemonKind.PMACCTD;
import static jpmacct.core.config.DaemonKind.SFACCTD;

/**
 * The aggregation primitives ({@code aggregate:} keys) this build implements, with pmacct's names and semantics.
 * The {@code sum_*} ones count both directions under one key (each record is accounted once as source and once as
 * destination). {@code tcpflags} is not part of the key: flags are OR-ed into the entry, as pmacct does.
 */
public enum Primitive {
    // L2
    COS("cos", Column.COS, "L2", "Ethernet CoS, 802.1P", PMACCTD, NFACCTD, SFACCTD),
    ETYPE("etype", Column.ETYPE, "L2", "Ethernet Ethertype", PMACCTD, NFACCTD, SFACCTD),
    SRC_MAC("src_mac", Column.SRC_MAC, "L2", "Source MAC address", PMACCTD, NFACCTD, SFACCTD),
    DST_MAC("dst_mac", Column.DST_MAC, "L2", "Destination MAC address", PMACCTD, NFACCTD, SFACCTD),
    SUM_MAC("sum_mac", Column.SRC_MAC, "L2", "Source and destination MAC address, summed", PMACCTD, NFACCTD, SFACCTD),
    VLAN("vlan", Column.VLAN, "L2", "Ethernet VLAN, 802.1Q", PMACCTD, NFACCTD, SFACCTD),
    IN_VLAN("in_vlan", Column.IN_VLAN, "L2", "Input Ethernet VLAN, 802.1Q", NFACCTD, SFACCTD),
    OUT_VLAN("out_vlan", Column.OUT_VLAN, "L2", "Output Ethernet VLAN, 802.1Q", NFACCTD, SFACCTD),
    IN_CVLAN("in_cvlan", Column.IN_CVLAN, "L2", "Input Customer Ethernet VLAN", PMACCTD, NFACCTD, SFACCTD),
    OUT_CVLAN("out_cvlan", Column.OUT_CVLAN, "L2", "Output Customer Ethernet VLAN", NFACCTD),
    // L3
    SRC_HOST("src_host", Column.SRC_IP, "L3", "Source IPv4/IPv6 address", PMACCTD, NFACCTD, SFACCTD),
    DST_HOST("dst_host", Column.DST_IP, "L3", "Destination IPv4/IPv6 address", PMACCTD, NFACCTD, SFACCTD),
    SUM_HOST("sum_host", Column.SRC_IP, "L3", "Source and destination IPv4/IPv6 address, summed", PMACCTD, NFACCTD, SFACCTD),
    SRC_MASK("src_mask", Column.SRC_MASK, "L3", "Source network mask", PMACCTD, NFACCTD, SFACCTD),
    DST_MASK("dst_mask", Column.DST_MASK, "L3", "Destination network mask", PMACCTD, NFACCTD, SFACCTD),
    SRC_NET("src_net", Column.SRC_NET, "L3", "Source IPv4/IPv6 prefix", PMACCTD, NFACCTD, SFACCTD),
    DST_NET("dst_net", Column.DST_NET, "L3", "Destination IPv4/IPv6 prefix", PMACCTD, NFACCTD, SFACCTD),
    SUM_NET("sum_net", Column.SRC_NET, "L3", "Source and destination IPv4/IPv6 prefix, summed", PMACCTD, NFACCTD, SFACCTD),
    PROTO("proto", Column.PROTOCOL, "L3", "IP protocol", PMACCTD, NFACCTD, SFACCTD),
    TOS("tos", Column.TOS, "L3", "IP ToS", PMACCTD, NFACCTD, SFACCTD),
    // L4
    SRC_PORT("src_port", Column.SRC_PORT, "L4", "Source TCP/UDP port", PMACCTD, NFACCTD, SFACCTD),
    DST_PORT("dst_port", Column.DST_PORT, "L4", "Destination TCP/UDP port", PMACCTD, NFACCTD, SFACCTD),
    SUM_PORT("sum_port", Column.SRC_PORT, "L4", "Source and destination TCP/UDP port, summed", PMACCTD, NFACCTD, SFACCTD),
    TCPFLAGS("tcpflags", Column.TCP_FLAGS, "L4", "TCP flags", PMACCTD, NFACCTD, SFACCTD),
    // BGP (from networks_file in this build)
    SRC_AS("src_as", Column.SRC_AS, "BGP", "Source ASN", PMACCTD, NFACCTD, SFACCTD),
    DST_AS("dst_as", Column.DST_AS, "BGP", "Destination ASN", PMACCTD, NFACCTD, SFACCTD),
    SUM_AS("sum_as", Column.SRC_AS, "BGP", "Source and destination ASN, summed", PMACCTD, NFACCTD, SFACCTD),
    PEER_DST_IP("peer_dst_ip", Column.PEER_DST_IP, "BGP", "BGP next-hop", PMACCTD, NFACCTD, SFACCTD),
    // NAT (NetFlow v9/IPFIX, Cisco ASA NSEL)
    FW_EVENT("fw_event", Column.FW_EVENT, "NAT", "Firewall event ID", NFACCTD),
    NAT_EVENT("nat_event", Column.NAT_EVENT, "NAT", "NAT event ID", NFACCTD),
    POST_NAT_SRC_HOST("post_nat_src_host", Column.POST_NAT_SRC_IP, "NAT", "Source IPv4/IPv6 address after NAT translation", NFACCTD),
    POST_NAT_DST_HOST("post_nat_dst_host", Column.POST_NAT_DST_IP, "NAT", "Destination IPv4/IPv6 address after NAT translation", NFACCTD),
    POST_NAT_SRC_PORT("post_nat_src_port", Column.POST_NAT_SRC_PORT, "NAT", "Source TCP/UDP port after NAT translation", NFACCTD),
    POST_NAT_DST_PORT("post_nat_dst_port", Column.POST_NAT_DST_PORT, "NAT", "Destination TCP/UDP port after NAT translation", NFACCTD),
    // TUNNEL: the inner header of a VXLAN (or, in sfacctd, IP-in-IP) packet; in nfacctd the outer IPv6 header of
    // an SRv6 flow
    VXLAN("vxlan", Column.VXLAN, "TUNNEL", "VXLAN Network Identifier", PMACCTD, NFACCTD, SFACCTD),
    NVGRE("nvgre", Column.NVGRE, "TUNNEL", "NVGRE Tenant Network Identifier", NFACCTD),
    TUNNEL_SRC_MAC("tunnel_src_mac", Column.TUNNEL_SRC_MAC, "TUNNEL", "Tunnel inner Source MAC address", PMACCTD, SFACCTD),
    TUNNEL_DST_MAC("tunnel_dst_mac", Column.TUNNEL_DST_MAC, "TUNNEL", "Tunnel inner Destination MAC address", PMACCTD, SFACCTD),
    TUNNEL_SRC_HOST("tunnel_src_host", Column.TUNNEL_SRC_IP, "TUNNEL", "Tunnel Source IPv4/IPv6 address", PMACCTD, NFACCTD, SFACCTD),
    TUNNEL_DST_HOST("tunnel_dst_host", Column.TUNNEL_DST_IP, "TUNNEL", "Tunnel Destination IPv4/IPv6 address", PMACCTD, NFACCTD, SFACCTD),
    TUNNEL_PROTO("tunnel_proto", Column.TUNNEL_PROTOCOL, "TUNNEL", "Tunnel IP protocol", PMACCTD, NFACCTD, SFACCTD),
    TUNNEL_TOS("tunnel_tos", Column.TUNNEL_TOS, "TUNNEL", "Tunnel IP ToS", PMACCTD, NFACCTD, SFACCTD),
    TUNNEL_SRC_PORT("tunnel_src_port", Column.TUNNEL_SRC_PORT, "TUNNEL", "Tunnel Source TCP/UDP port", PMACCTD, NFACCTD, SFACCTD),
    TUNNEL_DST_PORT("tunnel_dst_port", Column.TUNNEL_DST_PORT, "TUNNEL", "Tunnel Destination TCP/UDP port", PMACCTD, NFACCTD, SFACCTD),
    TUNNEL_TCPFLAGS("tunnel_tcpflags", Column.TUNNEL_TCP_FLAGS, "TUNNEL", "Tunnel TCP flags", PMACCTD, NFACCTD, SFACCTD),
    TUNNEL_FLOW_LABEL("tunnel_flow_label", Column.TUNNEL_FLOW_LABEL, "TUNNEL", "Tunnel IPv6 flow label", PMACCTD, NFACCTD, SFACCTD),
    // MISC
    MPLS_VPN_RD("mpls_vpn_rd", Column.MPLS_VPN_RD, "MPLS", "MPLS VPN route distinguisher", NFACCTD, SFACCTD),
    MPLS_LABEL_TOP("mpls_label_top", Column.MPLS_LABEL_TOP, "MPLS", "Top MPLS label", NFACCTD, SFACCTD),
    MPLS_LABEL_BOTTOM("mpls_label_bottom", Column.MPLS_LABEL_BOTTOM, "MPLS", "Bottom MPLS label", NFACCTD, SFACCTD),
    MPLS_STACK_DEPTH("mpls_stack_depth", Column.MPLS_STACK_DEPTH, "MPLS", "MPLS stack depth", NFACCTD, SFACCTD),
    MPLS_LABEL_STACK("mpls_label_stack", Column.MPLS_LABEL_STACK, "MPLS", "MPLS label stack", NFACCTD, SFACCTD),
    VRF_NAME("vrf_name", Column.VRF_NAME, "MPLS", "Ingress/Egress MPLS L3 VPN Name", NFACCTD),
    INGRESS_VRF_NAME("ingress_vrf_name", Column.INGRESS_VRF_NAME, "MPLS", "Ingress MPLS L3 VPN Name", NFACCTD),
    EGRESS_VRF_NAME("egress_vrf_name", Column.EGRESS_VRF_NAME, "MPLS", "Egress MPLS L3 VPN Name", NFACCTD),
    MPLS_PW_ID("mpls_pw_id", Column.MPLS_PW_ID, "MPLS", "MPLS L2 VPN Pseudowire ID", NFACCTD, SFACCTD),
    /** IPFIX srhSegmentIPv6ListSection; written in JSON only (pmacct: "only available ... supports complex data"). */
    SRV6_SEG_IPV6_LIST("srv6_seg_ipv6_list", Column.SRV6_SEG_IPV6_LIST, "MPLS", "SRv6 Segment IPv6 List", NFACCTD),

    CLASS("class", Column.CLASS, "MISC", "L7 protocol classification", PMACCTD, NFACCTD, SFACCTD),
    FLOWS("flows", null, "MISC", "IP flows", PMACCTD, NFACCTD, SFACCTD),
    FLOW_LABEL("flow_label", Column.FLOW_LABEL, "MISC", "IPv6 flow label", PMACCTD, NFACCTD, SFACCTD),
    IN_IFACE("in_iface", Column.IN_IFACE, "MISC", "Input interface, SNMP ifIndex", PMACCTD, NFACCTD, SFACCTD),
    OUT_IFACE("out_iface", Column.OUT_IFACE, "MISC", "Output interface, SNMP ifIndex", PMACCTD, NFACCTD, SFACCTD),
    IN_IFACE_NAME("in_iface_name", Column.IN_IFACE_NAME, "MISC", "Input interface Name", NFACCTD),
    OUT_IFACE_NAME("out_iface_name", Column.OUT_IFACE_NAME, "MISC", "Output interface Name", NFACCTD),
    PEER_SRC_IP("peer_src_ip", Column.PEER_SRC_IP, "MISC", "IP address or identificator of telemetry exporting device", NFACCTD, SFACCTD),
    SAMPLING_RATE("sampling_rate", Column.SAMPLING_RATE, "MISC", "Sampling rate", PMACCTD, NFACCTD, SFACCTD),
    SAMPLING_DIRECTION("sampling_direction", Column.SAMPLING_DIRECTION, "MISC", "Sampling direction (ie. ingress vs egress)", NFACCTD, SFACCTD),
    TAG("tag", Column.TAG, "MISC", "Numeric tag, ie. as result of pre_tag_map evaluation", PMACCTD, NFACCTD, SFACCTD),
    TAG2("tag2", Column.TAG2, "MISC", "Numeric tag, ie. as result of pre_tag_map evaluation", PMACCTD, NFACCTD, SFACCTD),
    LABEL("label", Column.LABEL, "MISC", "String label, ie. as result of pre_tag_map evaluation", PMACCTD, NFACCTD, SFACCTD),
    EXPORT_PROTO_SEQNO("export_proto_seqno", Column.EXPORT_PROTO_SEQNO, "MISC", "Export protocol (ie. NetFlow) sequence number", NFACCTD, SFACCTD),
    EXPORT_PROTO_VERSION("export_proto_version", Column.EXPORT_PROTO_VERSION, "MISC", "Export protocol (ie. NetFlow) version", NFACCTD, SFACCTD),
    EXPORT_PROTO_SYSID("export_proto_sysid", Column.EXPORT_PROTO_SYSID, "MISC", "Export protocol ID (ie. sFlow subAgentID, IPFIX Obs Domain ID)", NFACCTD, SFACCTD),
    FWD_STATUS("fwd_status", Column.FWD_STATUS, "MISC", "Forwarding Status", NFACCTD),
    // placeholder accepted by pmacct: aggregate on nothing, counters only
    NONE("none", null, "MISC", "No primitive: one row with the totals", PMACCTD, NFACCTD, SFACCTD),
    // TIME
    TIMESTAMP_START("timestamp_start", Column.TIMESTAMP_START, "TIME", "Flow start time or observation time at the exporter", PMACCTD, NFACCTD, SFACCTD),
    TIMESTAMP_END("timestamp_end", Column.TIMESTAMP_END, "TIME", "Flow end time", PMACCTD, NFACCTD, SFACCTD),
    TIMESTAMP_ARRIVAL("timestamp_arrival", Column.TIMESTAMP_ARRIVAL, "TIME", "Observation time at the collector", PMACCTD, NFACCTD, SFACCTD),
    TIMESTAMP_EXPORT("timestamp_export", Column.TIMESTAMP_EXPORT, "TIME", "Observation time at the exporter", NFACCTD),
    PATH_DELAY_AVG_USEC("path_delay_avg_usec", Column.PATH_DELAY_AVG_USEC, "TIME", "Average On-Path Telemetry measured delay (usec)", NFACCTD),
    PATH_DELAY_MIN_USEC("path_delay_min_usec", Column.PATH_DELAY_MIN_USEC, "TIME", "Minimum On-Path Telemetry measured delay (usec)", NFACCTD),
    PATH_DELAY_MAX_USEC("path_delay_max_usec", Column.PATH_DELAY_MAX_USEC, "TIME", "Maximum On-Path Telemetry measured delay (usec)", NFACCTD);

    private final String configName;
    private final Column column;
    private final String group;
    private final String description;
    private final Set<DaemonKind> daemons;

    Primitive(String configName, Column column, String group, String description, DaemonKind first, DaemonKind... rest) {
        this.configName = configName;
        this.column = column;
        this.group = group;
        this.description = description;
        this.daemons = EnumSet.of(first, rest);
    }

    /** The name used in {@code aggregate}. */
    public String configName() {
        return configName;
    }

    /** The output column, or null for {@code flows} (a counter) and {@code none}. */
    public Column column() {
        return column;
    }

    /** The section title {@code -a} lists it under. */
    public String group() {
        return group;
    }

    public String description() {
        return description;
    }

    public boolean carriesDataIn(DaemonKind daemon) {
        return daemons.contains(daemon);
    }

    public boolean isSum() {
        return this == SUM_HOST || this == SUM_NET || this == SUM_PORT || this == SUM_AS || this == SUM_MAC;
    }

    public static Primitive byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Primitive p : values()) {
            if (p.configName.equals(n)) {
                return p;
            }
        }
        return null;
    }
}
