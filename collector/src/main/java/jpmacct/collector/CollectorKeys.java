package jpmacct.collector;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

import static jpmacct.core.config.DaemonKind.NFACCTD;
import static jpmacct.core.config.DaemonKind.SFACCTD;
import static jpmacct.core.config.KeyDef.key;

/** Keys nfacctd and sfacctd share, under nfacctd's names with sfacctd's as aliases, as pmacct documents them. */
public final class CollectorKeys {
    private CollectorKeys() {
    }

    public static final KeyDef<String> IP = key("nfacctd_ip", ValueTypes.STRING).global()
            .aliases("sfacctd_ip").daemons(NFACCTD, SFACCTD).defaultText(":: (every IPv4 and IPv6 address)")
            .doc("Address to listen on, IPv4 or IPv6.").build();
    public static final KeyDef<Long> PORT = key("nfacctd_port", ValueTypes.integer(0, 65535)).global()
            .aliases("sfacctd_port").daemons(NFACCTD, SFACCTD).defaultText("2100 (nfacctd), 6343 (sfacctd)")
            .doc("UDP port to listen on.").build();
    public static final KeyDef<Boolean> IPV6_ONLY = key("nfacctd_ipv6_only", ValueTypes.BOOLEAN).global()
            .aliases("sfacctd_ipv6_only").daemons(NFACCTD, SFACCTD).defaultValue(false)
            .doc("On an IPv6 address, accept IPv6 only (no IPv4-mapped senders).").build();
    public static final KeyDef<Long> PIPE_SIZE = key("nfacctd_pipe_size", ValueTypes.BYTES).global()
            .aliases("sfacctd_pipe_size").daemons(NFACCTD, SFACCTD).defaultValue(16L * 1024 * 1024)
            .defaultText("16777216")
            .doc("Kernel receive buffer of the socket (SO_RCVBUF), which absorbs bursts; the kernel caps it at "
                    + "net.core.rmem_max. What it drops when full is read from /proc and reported per socket.")
            .differs("Defaults to 16 MiB instead of the system default, and the size obtained is logged.").build();
    public static final KeyDef<Long> THREADS = key("nfacctd_threads", ValueTypes.integer(1, 64)).global()
            .aliases("sfacctd_threads").daemons(NFACCTD, SFACCTD).defaultText("the number of CPUs (1 reading Kafka)")
            .doc("Receiving and decoding threads, each with its own socket (SO_REUSEPORT, native transport); "
                    + "reading Kafka, consumers (each a member of the group), 1 by default.")
            .differs("Not in pmacct, which receives on one thread.").build();
    /** pmacct 1.7.9 renamed it [ns]facctd_disable_sanity_checks (same meaning, same default); both names work. */
    public static final KeyDef<Boolean> DISABLE_CHECKS = key("nfacctd_disable_checks", ValueTypes.BOOLEAN).global()
            .aliases("sfacctd_disable_checks", "nfacctd_disable_sanity_checks", "sfacctd_disable_sanity_checks")
            .daemons(NFACCTD, SFACCTD).defaultValue(true)
            .doc("Do not log each sequence-number gap (an INFO line, as pmacct's). Gaps are counted per exporter "
                    + "either way (SIGUSR1, the periodic stats line). pmacct 1.7.9 renamed it "
                    + "nfacctd_disable_sanity_checks.")
            .differs("Gaps are always counted and summarised in the stats line; pmacct only logs them when false.").build();
    public static final KeyDef<Boolean> TIME_NEW = key("nfacctd_time_new", ValueTypes.BOOLEAN).global()
            .aliases("sfacctd_time_new").daemons(NFACCTD, SFACCTD).defaultValue(false)
            .doc("Put flows in time bins by their arrival at the collector rather than their start time; "
                    + "timestamp_start and timestamp_end still print the exporter's times.").build();
    public static final KeyDef<String> SAMPLING_MAP = key("sampling_map", ValueTypes.PATH).global()
            .daemons(NFACCTD, SFACCTD)
            .doc("Sampling rates per exporter (and interface): lines 'id=RATE ip=ADDRESS[/LEN] [in=IFINDEX] "
                    + "[out=IFINDEX]', first match wins; overrides what exporters announce. Reloaded on SIGUSR2.").build();
    public static final KeyDef<String> FLOW_TO_RD_MAP = key("flow_to_rd_map", ValueTypes.PATH).global()
            .daemons(NFACCTD, SFACCTD)
            .doc("BGP/MPLS VPN route distinguishers for flows (mpls_vpn_rd): lines 'id=RD ip=ADDRESS[/LEN] [in=IFINDEX] "
                    + "[out=IFINDEX] [bgp_nexthop=ADDRESS] [mpls_vpn_id=VRFID] [mpls_label_bottom=LABEL]', RD as "
                    + "0:ASN:N, 1:IPV4:N or 2:ASN4:N; first match wins and overrides what the exporter says "
                    + "(mpls_vpn_id and mpls_label_bottom: nfacctd only). Reloaded on SIGUSR2 and with maps_refresh.")
            .differs("A rule without ip=, or with a key or value pmacct would ignore with a warning, is refused "
                    + "(file:line).").build();
    public static final KeyDef<Long> EXT_SAMPLING_RATE = key("nfacctd_ext_sampling_rate", ValueTypes.integer(1, Integer.MAX_VALUE))
            .global().aliases("sfacctd_ext_sampling_rate").daemons(NFACCTD, SFACCTD)
            .doc("Sampling rate for exporters that announce none.").build();
    public static final KeyDef<Boolean> USE_IP_NEXT_HOP = key("use_ip_next_hop", ValueTypes.BOOLEAN).global()
            .daemons(NFACCTD, SFACCTD).defaultValue(false)
            .doc("Fill peer_dst_ip from the IP next hop when the exporter gives no BGP next hop.").build();

    public static final KeyDef<String> KAFKA_BROKER_HOST = key("nfacctd_kafka_broker_host", ValueTypes.STRING)
            .global().aliases("sfacctd_kafka_broker_host").daemons(NFACCTD, SFACCTD)
            .doc("Kafka broker(s) to read the exporters' datagrams from instead of a UDP socket (with "
                    + "nfacctd_kafka_topic): one host, or a comma-separated list of host:port. Messages are "
                    + "datagrams as pmacct's tee writes them (IP and UDP headers naming the exporter, then the "
                    + "datagram). See docs/SCALE-OUT.md.")
            .differs("pmacct reads partition 0 of the topic from its end; here the collector joins a consumer group "
                    + "(group.id of nfacctd_kafka_config_file, default jpmacct-nfacctd-<topic>) and reads every "
                    + "partition it is assigned from the group's committed offsets, committed after the records "
                    + "reached the plugins: collectors of one group share the partitions, and one that stops or dies "
                    + "hands its partitions over (at-least-once).").build();
    public static final KeyDef<Long> KAFKA_BROKER_PORT = key("nfacctd_kafka_broker_port", ValueTypes.integer(1, 65535))
            .global().aliases("sfacctd_kafka_broker_port").daemons(NFACCTD, SFACCTD).defaultValue(9092L)
            .doc("Port of a broker named without one in nfacctd_kafka_broker_host.").build();
    public static final KeyDef<String> KAFKA_TOPIC = key("nfacctd_kafka_topic", ValueTypes.STRING).global()
            .aliases("sfacctd_kafka_topic").daemons(NFACCTD, SFACCTD)
            .doc("Kafka topic of the datagrams (with nfacctd_kafka_broker_host).").build();
    public static final KeyDef<String> KAFKA_CONFIG_FILE = key("nfacctd_kafka_config_file", ValueTypes.PATH).global()
            .aliases("sfacctd_kafka_config_file").daemons(NFACCTD, SFACCTD)
            .doc("librdkafka properties for the consumer, lines 'global, <property>, <value>' as pmacct's "
                    + "kafka_config_file; among them group.id (the consumer group), auto.offset.reset (where a group "
                    + "without committed offsets starts: latest by default, as pmacct) and auto.commit.interval.ms "
                    + "(how often offsets are committed, 1000 by default).")
            .differs("A property the Java client has no equivalent for is refused with file:line; "
                    + "enable.auto.commit is refused (offsets are committed once the records reached the plugins).")
            .build();

    public static List<KeyDef<?>> all() {
        return List.of(IP, PORT, IPV6_ONLY, PIPE_SIZE, THREADS, DISABLE_CHECKS, TIME_NEW, SAMPLING_MAP, FLOW_TO_RD_MAP,
                EXT_SAMPLING_RATE, USE_IP_NEXT_HOP, KAFKA_BROKER_HOST, KAFKA_BROKER_PORT, KAFKA_TOPIC, KAFKA_CONFIG_FILE);
    }
}
