package jpmacct.plugins.sfprobe;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

/** Keys of the sfprobe plugin (pmacct 1.7.7's names and defaults). */
final class SfprobeKeys {
    private SfprobeKeys() {
    }

    static final KeyDef<String> RECEIVER = key("sfprobe_receiver", ValueTypes.STRING).pluginTypes("sfprobe")
            .defaultValue("127.0.0.1:6343")
            .doc("Collector the sFlow datagrams go to: 'address:port', or '[IPv6 address]:port'.").build();
    static final KeyDef<String> AGENT_IP = key("sfprobe_agentip", ValueTypes.STRING).pluginTypes("sfprobe")
            .defaultText("the local address the receiver is reached from")
            .doc("Agent address written in each datagram's header (what the collector shows as peer_src_ip); an "
                    + "IPv4 or IPv6 address.").build();
    static final KeyDef<Long> AGENT_SUBID = key("sfprobe_agentsubid", ValueTypes.integer(0, 0xFFFFFFFFL))
            .pluginTypes("sfprobe").defaultValue(0L)
            .doc("Sub-agent id written in each datagram's header (export_proto_sysid at the collector).")
            .differs("pmacct 1.7.7's documentation says 1402; its code sends 0, as this plugin does.").build();
    static final KeyDef<String> SOURCE_IP = key("sfprobe_source_ip", ValueTypes.STRING).pluginTypes("sfprobe")
            .defaultText("chosen by the operating system")
            .doc("Local address the datagrams are sent from; it must be configured on an interface.").build();
    static final KeyDef<Long> IFSPEED = key("sfprobe_ifspeed", ValueTypes.integer(0, Long.MAX_VALUE))
            .pluginTypes("sfprobe").defaultValue(100_000_000L)
            .doc("Interface speed (bits per second) reported in the counter samples.").build();
    static final KeyDef<String> IFINDEX = key("sfprobe_ifindex", ValueTypes.STRING).pluginTypes("sfprobe")
            .doc("Interface index of the samples: a number, or 'tag' / 'tag2' to take it from the packet's tag. "
                    + "An interface index the packet already has (pcap_ifindex, pcap_interfaces_map) comes first.")
            .build();
    static final KeyDef<String> DIRECTION = key("sfprobe_direction", ValueTypes.oneOf("in", "out", "tag", "tag2"))
            .pluginTypes("sfprobe").defaultValue("in")
            .doc("Direction of the sampled traffic: 'in' or 'out', or from the tag (or tag2): 1 in, 2 out. It "
                    + "decides whether sfprobe_ifindex is the input or the output interface, and which side of the "
                    + "interface counters a packet counts on.").build();
    static final KeyDef<Long> COUNTER_INTERVAL = key("sfprobe_counter_interval", ValueTypes.SECONDS)
            .pluginTypes("sfprobe").defaultValue(20L)
            .doc("Seconds between counter samples (generic interface counters of every interface seen).")
            .differs("Not in pmacct, which sends them every 20 seconds.").build();

    static List<KeyDef<?>> all() {
        return List.of(RECEIVER, AGENT_IP, AGENT_SUBID, SOURCE_IP, IFSPEED, IFINDEX, DIRECTION, COUNTER_INTERVAL);
    }
}
