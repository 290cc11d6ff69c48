package jpmacct.plugins.kafka;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;
import jpmacct.kafka.KafkaBrokers;

/**
 * Keys of the kafka plugin alone; it shares the message-broker keys ({@code kafka_output}, {@code kafka_topic_rr},
 * {@code kafka_buffer_size}) with amqp and the purge keys ({@code kafka_refresh_time}, {@code kafka_history},
 * {@code kafka_markers} ...) with print and the SQL plugins, as pmacct does.
 */
final class KafkaKeys {
    private KafkaKeys() {
    }

    /** pmacct's default topic. */
    static final String DEFAULT_TOPIC = "pmacct.acct";

    static final KeyDef<String> TOPIC = key("kafka_topic", ValueTypes.STRING).pluginTypes("kafka")
            .defaultValue(DEFAULT_TOPIC)
            .doc("Topic of the messages; $peer_src_ip, $tag, $tag2, $post_tag and $post_tag2 make it per aggregate "
                    + "(addresses with _ for their dots and colons), not with kafka_multi_values or kafka_topic_rr.")
            .differs("An unknown $-variable is refused (pmacct leaves it in the name); an aggregate without exporter "
                    + "gives $peer_src_ip 0_0_0_0 as print's file names.").build();
    static final KeyDef<String> BROKER_HOST = key("kafka_broker_host", ValueTypes.STRING).pluginTypes("kafka")
            .defaultValue("127.0.0.1")
            .doc("Broker to bootstrap from, with kafka_broker_port; or a comma-separated list host[:port],... (each "
                    + "with its own port, 9092 without).").build();
    static final KeyDef<Long> BROKER_PORT = key("kafka_broker_port", ValueTypes.integer(1, 65535)).pluginTypes("kafka")
            .defaultValue((long) KafkaBrokers.DEFAULT_PORT).doc("Port of kafka_broker_host.").build();
    static final KeyDef<Long> PARTITION = key("kafka_partition", ValueTypes.integer(-1, Integer.MAX_VALUE))
            .pluginTypes("kafka").defaultValue(-1L)
            .doc("Partition every message goes to; -1: chosen per message from its key as librdkafka's default "
                    + "partitioner chooses (CRC32 of the key modulo the partitions; a random one without key).")
            .build();
    static final KeyDef<Boolean> PARTITION_DYNAMIC = key("kafka_partition_dynamic", ValueTypes.BOOLEAN)
            .pluginTypes("kafka").defaultValue(false)
            .doc("Partition by kafka_partition_key (needs it; not with kafka_partition). Messages are partitioned by "
                    + "their key whenever kafka_partition is not set, so this only checks the configuration, as in "
                    + "pmacct, where both select librdkafka's consistent-random partitioner.").build();
    static final KeyDef<String> PARTITION_KEY = key("kafka_partition_key", ValueTypes.STRING).pluginTypes("kafka")
            .doc("Key of every message (lower-cased, as pmacct does), which picks its partition; the topic's variables "
                    + "and $src_host, $dst_host, $src_port, $dst_port, $proto, $in_iface make it per aggregate. "
                    + "Markers take the key of the purge's first (purge_init) and last (purge_close) message.")
            .differs("With kafka_multi_values a message takes the key of its first aggregate (pmacct: of the "
                    + "aggregate after its last).").build();
    static final KeyDef<String> CONFIG_FILE = key("kafka_config_file", ValueTypes.PATH).pluginTypes("kafka")
            .doc("librdkafka properties, lines 'global, property, value' (or 'topic, ...'), mapped onto the Java "
                    + "client's (docs/KAFKA.md has the table); the Java client's own names are taken as well.")
            .differs("A property without a Java equivalent or a malformed line stops the daemon with file:line "
                    + "(pmacct warns and goes on); properties that have no effect here are named at INFO.").build();

    static List<KeyDef<?>> all() {
        return List.of(TOPIC, BROKER_HOST, BROKER_PORT, PARTITION, PARTITION_DYNAMIC, PARTITION_KEY, CONFIG_FILE);
    }
}
