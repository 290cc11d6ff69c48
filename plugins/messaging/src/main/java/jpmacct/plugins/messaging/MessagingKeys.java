package jpmacct.plugins.messaging;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;
import jpmacct.plugins.avro.AvroKeys;

/**
 * Keys the message-broker plugins share (pmacct gives kafka_* and amqp_* the same setting); a plugin's factory
 * lists them with its own. Those shared with print and the SQL plugins too (markers, multi-values, cache entries,
 * writers, startup delay, refresh time, history) are core keys.
 */
public final class MessagingKeys {
    private MessagingKeys() {
    }

    public static final KeyDef<String> OUTPUT = key("kafka_output", MessageEncoders.TYPE).aliases("amqp_output")
            .pluginTypes("kafka", "amqp").defaultValue(MessageEncoders.JSON)
            .doc("Encoding of the messages: json, one object per aggregate (as print_output: json writes it, with "
                    + "writer_id last); avro (or avro_bin), pmacct's acct_data records in Avro's binary encoding "
                    + "(Confluent's wire format with kafka_avro_schema_registry); avro_json, the same records in "
                    + "Avro's JSON encoding. See docs/AVRO.md.")
            .build();
    public static final KeyDef<Long> ROUND_ROBIN = key("kafka_topic_rr", ValueTypes.integer(0, Integer.MAX_VALUE))
            .aliases("amqp_routing_key_rr").pluginTypes("kafka", "amqp").defaultValue(0L)
            .doc("Spread messages over N destinations: the topic (routing key) with _0 ... _N-1 appended, one message "
                    + "each in turn, starting again from _0 at every purge; not with variables in the topic. Markers "
                    + "go with the purge's first and last message.")
            .differs("pmacct loses purge_init markers with it (no topic is set yet) and sends purge_close to the "
                    + "last topic used.").build();
    public static final KeyDef<Long> BUFFER_SIZE = key("kafka_buffer_size", ValueTypes.BYTES).aliases("amqp_buffer_size")
            .pluginTypes("kafka", "amqp").defaultValue(64L << 20).defaultText("67108864")
            .doc("Bytes of messages kept until the broker takes them: they are sent again until delivered while "
                    + "accounting goes on. Full, it holds a purge back while deliveries go on (a slow broker); with "
                    + "none for 5 s (the broker away) a message that does not fit is dropped and counted (metric "
                    + "<type>_messages_dropped). At exit the buffer gets until deliveries stop for 5 s (at most "
                    + "60 s); what is left is logged and counted as lost.")
            .differs("Not a pmacct key: pmacct hands messages to librdkafka, and a purge that cannot be delivered "
                    + "within about 5 s is lost.").build();

    public static List<KeyDef<?>> all() {
        return List.of(OUTPUT, ROUND_ROBIN, BUFFER_SIZE, AvroKeys.BUFFER_SIZE, AvroKeys.SCHEMA_FILE,
                AvroKeys.SCHEMA_REGISTRY);
    }
}
