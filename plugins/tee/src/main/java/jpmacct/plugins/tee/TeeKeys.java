package jpmacct.plugins.tee;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

/** Keys of the tee plugin (pmacct 1.7.7's names and defaults). */
final class TeeKeys {
    private TeeKeys() {
    }

    static final KeyDef<String> RECEIVERS = key("tee_receivers", ValueTypes.PATH).pluginTypes("tee")
            .daemons(DaemonKind.NFACCTD, DaemonKind.SFACCTD)
            .doc("File of receiver pools, one a line: 'id=N ip=host:port[,host:port...] [balance-alg=rr|hash-agent|"
                    + "hash-tag] [tag=N,N-M,-N] [src_port=N]'; IPv6 receivers as '[address]:port'; or 'id=N "
                    + "kafka_broker=host:port[,host:port] kafka_topic=TOPIC [tag=...]' (docs/SCALE-OUT.md). Every pool gets "
                    + "every datagram its tag= accepts: to all its receivers, or to one chosen by balance-alg. "
                    + "Re-read on SIGUSR2 and with maps_refresh; a bad file is refused (file:line) and the old pools "
                    + "keep working.")
            .differs("Host names are not resolved (numeric addresses only); zmq_address is refused. A pool with "
                    + "kafka_broker and kafka_topic sends each datagram as a Kafka message in pmacct's format "
                    + "whatever tee_transparent says (pmacct ignores such a line without tee_transparent: true), "
                    + "keyed by the exporter's address (pmacct sends no key, to partition 0); a line pmacct would "
                    + "ignore with a warning (ip with kafka_broker, balance-alg or src_port with Kafka, kafka_topic "
                    + "missing) is refused. A reload swaps all pools at once, between two datagrams.").build();
    static final KeyDef<Boolean> TRANSPARENT = key("tee_transparent", ValueTypes.BOOLEAN).pluginTypes("tee")
            .daemons(DaemonKind.NFACCTD, DaemonKind.SFACCTD).defaultValue(false)
            .doc("Send each datagram with its exporter's source address and port (IPv4 through a raw socket: needs "
                    + "root or CAP_NET_RAW, checked at start-up). IPv6 datagrams and IPv6 receivers are sent "
                    + "from the tee's own address.").build();
    static final KeyDef<Long> MAX_RECEIVERS = key("tee_max_receivers", ValueTypes.integer(1, 65535))
            .pluginTypes("tee").daemons(DaemonKind.NFACCTD, DaemonKind.SFACCTD).defaultValue(32L)
            .doc("Receivers a pool may list; a file with more is refused.")
            .differs("Only a limit on the file: nothing is preallocated per receiver.").build();
    static final KeyDef<Long> MAX_RECEIVER_POOLS = key("tee_max_receiver_pools", ValueTypes.integer(1, 65535))
            .pluginTypes("tee").daemons(DaemonKind.NFACCTD, DaemonKind.SFACCTD).defaultValue(128L)
            .doc("Pools the tee_receivers file may list; a file with more is refused.").build();
    static final KeyDef<String> SOURCE_IP = key("tee_source_ip", ValueTypes.STRING).pluginTypes("tee")
            .daemons(DaemonKind.NFACCTD, DaemonKind.SFACCTD).defaultText("chosen by the operating system")
            .doc("Local address the replicated datagrams are sent from (numeric IPv4 or IPv6, configured on an "
                    + "interface); ignored with tee_transparent.").build();
    static final KeyDef<Long> PIPE_SIZE = key("tee_pipe_size", ValueTypes.BYTES).pluginTypes("tee")
            .daemons(DaemonKind.NFACCTD, DaemonKind.SFACCTD).defaultValue(0L).defaultText("the system's")
            .doc("SO_SNDBUF of the sending socket in bytes; 0 keeps the system default.").build();

    static final KeyDef<String> KAFKA_CONFIG_FILE = key("tee_kafka_config_file", ValueTypes.PATH).pluginTypes("tee")
            .daemons(DaemonKind.NFACCTD, DaemonKind.SFACCTD)
            .doc("librdkafka properties for the producers of the tee_receivers pools that send to Kafka, lines "
                    + "'global, <property>, <value>' as pmacct's kafka_config_file (compression, acks, "
                    + "queue.buffering.max.kbytes: the bytes buffered while the broker is slow or away, "
                    + "message.timeout.ms: how long a datagram waits for it). The pool's kafka_broker names the "
                    + "brokers.")
            .differs("A property the Java client has no equivalent for is refused with file:line. The producer "
                    + "waits at most max.block.ms (5000 by default) for metadata or buffer room, on a thread of the "
                    + "pool's own.").build();

    static List<KeyDef<?>> all() {
        return List.of(RECEIVERS, TRANSPARENT, MAX_RECEIVERS, MAX_RECEIVER_POOLS, SOURCE_IP, PIPE_SIZE,
                KAFKA_CONFIG_FILE);
    }
}
