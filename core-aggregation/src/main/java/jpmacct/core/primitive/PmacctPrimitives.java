package jpmacct.core.primitive;

import java.util.Set;

/** Names of pmacct 1.7.7 primitives, so that one this build lacks is refused as "not supported yet", not as a typo. */
final class PmacctPrimitives {
    private PmacctPrimitives() {
    }

    static final Set<String> NAMES = Set.of(
            "cos", "etype", "src_mac", "dst_mac", "sum_mac", "vlan", "out_vlan", "src_host", "dst_host", "sum_host",
            "src_mask", "dst_mask", "src_net", "dst_net", "sum_net", "proto", "tos", "src_port", "dst_port",
            "sum_port", "tcpflags", "src_as", "dst_as", "sum_as", "as_path", "std_comm", "ext_comm", "lrg_comm",
            "local_pref", "med", "src_as_path", "src_std_comm", "src_ext_comm", "src_lrg_comm", "src_local_pref",
            "src_med", "peer_src_as", "peer_dst_as", "peer_dst_ip", "fw_event", "nat_event", "post_nat_src_host",
            "post_nat_dst_host", "post_nat_src_port", "post_nat_dst_port", "vxlan", "tunnel_src_mac",
            "tunnel_dst_mac", "tunnel_src_host", "tunnel_dst_host", "tunnel_proto", "tunnel_tos",
            "tunnel_src_port", "tunnel_dst_port", "mpls_label_bottom", "mpls_label_top", "mpls_stack_depth",
            "mpls_vpn_rd", "mpls_pw_id", "class", "flows", "src_host_country", "dst_host_country",
            "src_host_pocode", "dst_host_pocode", "src_host_coords", "dst_host_coords", "in_iface", "out_iface",
            "peer_src_ip", "sampling_rate", "sampling_direction", "tag", "tag2", "label", "export_proto_seqno",
            "export_proto_version", "export_proto_sysid", "src_roa", "dst_roa", "timestamp_start",
            "timestamp_end", "timestamp_arrival", "timestamp_export", "none");
}
