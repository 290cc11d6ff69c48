package jpmacct.pmacctd;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.config.ValueTypes;

import static jpmacct.core.config.DaemonKind.PMACCTD;
import static jpmacct.core.config.KeyDef.key;

/** Keys of pmacctd (capture). */
public final class PmacctdKeys {
    private PmacctdKeys() {
    }

    public static final KeyDef<String> PCAP_INTERFACE = key("pcap_interface", ValueTypes.STRING).global()
            .aliases("interface").daemons(PMACCTD)
            .doc("Interface to capture on (a bridge works too). Without it and without a savefile, libpcap's "
                    + "default device is used.")
            .differs("'interface' (older pmacct) is accepted as an alias.").build();
    public static final KeyDef<Boolean> PCAP_INTERFACE_WAIT = key("pcap_interface_wait", ValueTypes.BOOLEAN).global()
            .daemons(PMACCTD).defaultValue(false)
            .doc("Wait for the interface to appear instead of failing at start-up.").build();
    public static final KeyDef<String> PCAP_SAVEFILE = SavefileKeys.PCAP_SAVEFILE;
    public static final KeyDef<Boolean> PCAP_SAVEFILE_WAIT = SavefileKeys.PCAP_SAVEFILE_WAIT;
    public static final KeyDef<Long> PCAP_SAVEFILE_DELAY = SavefileKeys.PCAP_SAVEFILE_DELAY;
    public static final KeyDef<Long> PCAP_SAVEFILE_REPLAY = SavefileKeys.PCAP_SAVEFILE_REPLAY;
    public static final KeyDef<String> PCAP_FILTER = key("pcap_filter", ValueTypes.TEXT).global().daemons(PMACCTD)
            .doc("tcpdump filter expression (libpcap syntax); also taken from the words after the options. On a "
                    + "savefile it runs in Java over libpcap's compiled program.").build();
    public static final KeyDef<String> PCAP_INTERFACES_MAP = key("pcap_interfaces_map", ValueTypes.PATH).global()
            .daemons(PMACCTD)
            .doc("Capture several interfaces: lines 'ifname=eth0 ifindex=100 direction=in'; ifindex fills in_iface "
                    + "(direction in) or out_iface (direction out).").build();
    public static final KeyDef<String> PCAP_IFINDEX = key("pcap_ifindex", ValueTypes.oneOf("none", "sys", "hash", "map"))
            .global().daemons(PMACCTD)
            .defaultText("map with pcap_interfaces_map, else none")
            .doc("Where the capturing interface's index comes from: the system (sys), a hash of its name (pmacct's "
                    + "Jenkins hash, so the values equal pmacct's), the interfaces map, or none.")
            .differs("Defaults to 'map' when pcap_interfaces_map is set (pmacct: none, so the map's ifindex is "
                    + "ignored unless set explicitly).").build();
    public static final KeyDef<String> PCAP_DIRECTION = key("pcap_direction", ValueTypes.oneOf("in", "out")).global()
            .aliases("uacctd_direction").daemons(PMACCTD)
            .doc("Capture only this direction; the interface index then fills in_iface (in) or out_iface (out).").build();
    public static final KeyDef<Boolean> PROMISC = key("promisc", ValueTypes.BOOLEAN).global().daemons(PMACCTD)
            .defaultValue(true).doc("Put the interface in promiscuous mode.").build();
    public static final KeyDef<Long> SNAPLEN = key("snaplen", ValueTypes.integer(64, 262144)).global()
            .daemons(PMACCTD).defaultValue(128L).doc("Bytes captured per packet (headers are enough to account).").build();
    public static final KeyDef<Boolean> NONROOT = key("pmacctd_nonroot", ValueTypes.BOOLEAN).global()
            .daemons(PMACCTD).defaultValue(false)
            .doc("Allow live capture without root (capabilities such as CAP_NET_RAW granted otherwise); without "
                    + "it a non-root live capture stops at start-up. Savefiles never need root.").build();
    public static final KeyDef<Long> PIPE_SIZE = key("pmacctd_pipe_size", ValueTypes.BYTES).global().daemons(PMACCTD)
            .defaultValue(64L * 1024 * 1024).defaultText("67108864")
            .doc("Kernel capture buffer per interface (pcap_set_buffer_size).")
            .differs("Defaults to 64 MiB instead of the system default, so bursts are absorbed.").build();
    public static final KeyDef<String> AS_SOURCE = key("pmacctd_as", ValueTypes.oneOf("file")).global()
            .daemons(PMACCTD).defaultText("file")
            .doc("Where src_as/dst_as/sum_as come from: the ASNs of networks_file ('file', the only source in "
                    + "this build).")
            .differs("pmacct leaves the ASNs 0 unless 'pmacctd_as: file' is set; here networks_file's ASNs are used "
                    + "either way, and the key is accepted so that pmacct configurations work unchanged.").build();
    public static final KeyDef<Long> FLOW_LIFETIME = key("pmacctd_flow_lifetime", ValueTypes.SECONDS).global()
            .aliases("uacctd_flow_lifetime").daemons(PMACCTD).defaultValue(60L)
            .doc("Idle seconds after which a non-TCP flow ends (for the flows primitive).").build();
    public static final KeyDef<Long> FLOW_TCP_LIFETIME = key("pmacctd_flow_tcp_lifetime", ValueTypes.SECONDS).global()
            .aliases("uacctd_flow_tcp_lifetime").daemons(PMACCTD).defaultValue(60L)
            .doc("Idle seconds after which an established TCP flow ends (for the flows primitive).").build();
    public static final KeyDef<Long> FRAG_BUFFER_SIZE = key("pmacctd_frag_buffer_size", ValueTypes.BYTES).global()
            .aliases("uacctd_frag_buffer_size").daemons(PMACCTD).defaultValue(4L * 1024 * 1024).defaultText("4194304")
            .doc("Memory for IP fragment tracking (about 64 bytes per fragmented datagram in flight).").build();

    /** pmacctd's own keys (the savefile keys are shared: {@link SavefileKeys}). */
    public static List<KeyDef<?>> all() {
        return List.of(PCAP_INTERFACE, PCAP_INTERFACE_WAIT, PCAP_FILTER, PCAP_INTERFACES_MAP, PCAP_IFINDEX, PCAP_DIRECTION, PROMISC, SNAPLEN,
                NONROOT, PIPE_SIZE, AS_SOURCE, FLOW_LIFETIME, FLOW_TCP_LIFETIME, FRAG_BUFFER_SIZE);
    }
}
