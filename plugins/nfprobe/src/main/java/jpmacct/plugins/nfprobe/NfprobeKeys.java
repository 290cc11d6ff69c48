package jpmacct.plugins.nfprobe;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.HostPort;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueType;
import jpmacct.core.config.ValueTypes;

/** Keys of the nfprobe plugin (pmacct 1.7.7's names and defaults). */
final class NfprobeKeys {
    private NfprobeKeys() {
    }

    /** host:port or [IPv6]:port; the form is checked here, the name is resolved once at start. */
    static final ValueType<String> HOST_PORT = new ValueType<>() {
        @Override
        public String parse(String text) {
            HostPort.split(text.trim());
            return text.trim();
        }

        @Override
        public String expected() {
            return "address:port or [IPv6 address]:port, port 1-65535";
        }
    };

    static final ValueType<Long> VERSION = new ValueType<>() {
        @Override
        public Long parse(String text) {
            String t = text.trim();
            if (!t.equals("5") && !t.equals("9") && !t.equals("10")) {
                throw new IllegalArgumentException("not a NetFlow version this probe exports");
            }
            return Long.parseLong(t);
        }

        @Override
        public String expected() {
            return "5, 9 or 10 (IPFIX)";
        }
    };

    static final ValueType<long[]> ENGINE = new ValueType<>() {
        @Override
        public long[] parse(String text) {
            String[] p = text.trim().split(":", -1);
            if (p.length != 2) {
                throw new IllegalArgumentException("not type:id");
            }
            try {
                long type = Long.parseLong(p[0]);
                long id = Long.parseLong(p[1]);
                if (type < 0 || type > 255 || id < 0 || id > 0xFFFFFFFFL) {
                    throw new IllegalArgumentException("out of range");
                }
                return new long[] {type, id};
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not numbers");
            }
        }

        @Override
        public String expected() {
            return "engine_type:engine_id (0-255:0-4294967295; v9/IPFIX send engine_id as source id)";
        }

        @Override
        public String render(long[] value) {
            return value[0] + ":" + value[1];
        }
    };

    static final KeyDef<String> RECEIVER = key("nfprobe_receiver", HOST_PORT).pluginTypes("nfprobe")
            .defaultValue("127.0.0.1:2100")
            .doc("Collector the flows go to: 'address:port' or '[IPv6 address]:port'; a host name is resolved once "
                    + "at start.").build();
    static final KeyDef<String> SOURCE_IP = key("nfprobe_source_ip", ValueTypes.STRING).pluginTypes("nfprobe")
            .defaultText("chosen by the operating system")
            .doc("Local address the datagrams are sent from; it must be configured on an interface.").build();
    static final KeyDef<Long> HOPLIMIT = key("nfprobe_hoplimit", ValueTypes.integer(1, 255)).pluginTypes("nfprobe")
            .defaultText("the system's").doc("TTL (IPv4) or hop limit (IPv6) of the exported datagrams.").build();
    static final KeyDef<Long> MAXFLOWS = key("nfprobe_maxflows", ValueTypes.integer(1, 1 << 24))
            .pluginTypes("nfprobe").defaultValue(8192L)
            .doc("Flows the cache holds; when full, the flow that would expire first is exported to make room "
                    + "(counted as nfprobe_expired{reason=maxflows}).").build();
    static final KeyDef<Long> VERSION_KEY = key("nfprobe_version", VERSION).pluginTypes("nfprobe").defaultValue(10L)
            .doc("Export format: 5 (NetFlow v5, IPv4 only), 9 (NetFlow v9) or 10 (IPFIX).").build();
    static final KeyDef<long[]> ENGINE_KEY = key("nfprobe_engine", ENGINE).pluginTypes("nfprobe")
            .defaultValue(new long[] {0, 0}).defaultText("0:0")
            .doc("v5: engine type and engine id in the header; v9: source id, IPFIX: observation domain id = "
                    + "engine_id.").build();
    static final KeyDef<Timeouts> TIMEOUTS = key("nfprobe_timeouts", Timeouts.TYPE).pluginTypes("nfprobe")
            .defaultValue(Timeouts.DEFAULTS).defaultText(Timeouts.DEFAULTS.toString())
            .doc("Flow expiry, name=seconds pairs joined by ':' (suffixes s, m, h, d, w): tcp, tcp.rst, tcp.fin, "
                    + "udp, icmp, general (idle timeouts after the last packet), maxlife (longest flow), expint "
                    + "(expiry scans run on multiples of it). Reading a savefile, as pmacct, flows end only at "
                    + "maxlife, when the cache is full and at the end of the file.").build();
    static final KeyDef<String> DIRECTION = key("nfprobe_direction", ValueTypes.oneOf("in", "out", "tag", "tag2"))
            .pluginTypes("nfprobe")
            .doc("Direction of the flows: 'in' or 'out', or from the tag (or tag2): 1 in, 2 out. Egress flows "
                    + "use their own templates (1025, 2049) with the post-NAT MAC/VLAN elements, as pmacct.")
            .build();
    static final KeyDef<String> IFINDEX = key("nfprobe_ifindex", ValueTypes.STRING).pluginTypes("nfprobe")
            .doc("Interface index of the flows: a number, or 'tag' / 'tag2' to take it from the packet's tag; the "
                    + "input interface for ingress flows, the output one for egress. An interface index the packet "
                    + "already has (pcap_ifindex) comes first.").build();
    static final KeyDef<Boolean> DONT_CACHE = key("nfprobe_dont_cache", ValueTypes.BOOLEAN).pluginTypes("nfprobe")
            .defaultValue(false).doc("Export every packet as its own flow (no cache).").build();
    static final KeyDef<Boolean> TSTAMP_USEC = key("nfprobe_tstamp_usec", ValueTypes.BOOLEAN).pluginTypes("nfprobe")
            .defaultValue(false)
            .doc("v9/IPFIX: flow start and end as flowStartMicroseconds/flowEndMicroseconds (154/155, NTP format) "
                    + "instead of milliseconds (152/153).").build();

    static List<KeyDef<?>> all() {
        return List.of(RECEIVER, SOURCE_IP, HOPLIMIT, MAXFLOWS, VERSION_KEY, ENGINE_KEY, TIMEOUTS, DIRECTION, IFINDEX,
                DONT_CACHE, TSTAMP_USEC);
    }
}
