package jpmacct.plugins.amqp;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;
import java.util.Locale;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueType;
import jpmacct.core.config.ValueTypes;

/**
 * The amqp plugin's keys for the broker, the exchange and the routing key; those it shares with the kafka plugin
 * (output, round-robin, buffer) are the message engine's, those it shares with print and the SQL plugins too
 * (refresh time, history, markers, multi-values, cache entries, writers, trigger) the core's.
 */
final class AmqpKeys {
    private AmqpKeys() {
    }

    static final String TYPE = "amqp";

    /** The broker's exchange types and those of its plugins (x-consistent-hash, ...), which the broker judges. */
    static final ValueType<String> EXCHANGE_TYPE = new ValueType<>() {
        @Override
        public String parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            if (List.of("direct", "fanout", "topic", "headers").contains(t) || t.startsWith("x-") && t.length() > 2) {
                return t;
            }
            throw new IllegalArgumentException("unknown exchange type");
        }

        @Override
        public String expected() {
            return "one of direct, fanout, topic, headers, or a broker plugin's type x-...";
        }
    };

    static final KeyDef<String> HOST = key("amqp_host", ValueTypes.STRING).pluginTypes(TYPE)
            .defaultValue("127.0.0.1").doc("The RabbitMQ broker: host name or address.").build();
    static final KeyDef<Long> PORT = key("amqp_port", ValueTypes.integer(1, 65535)).pluginTypes(TYPE)
            .defaultValue(5672L).doc("The broker's AMQP port.").build();
    static final KeyDef<String> VHOST = key("amqp_vhost", ValueTypes.STRING).pluginTypes(TYPE).defaultValue("/")
            .doc("The broker's virtual host.").build();
    static final KeyDef<String> USER = key("amqp_user", ValueTypes.STRING).pluginTypes(TYPE).defaultValue("guest")
            .doc("User name to log in to the broker with.").build();
    static final KeyDef<String> PASSWD = key("amqp_passwd", ValueTypes.TEXT).pluginTypes(TYPE).defaultValue("guest")
            .doc("Password to log in to the broker with.").build();
    static final KeyDef<String> EXCHANGE = key("amqp_exchange", ValueTypes.STRING).pluginTypes(TYPE)
            .defaultValue("pmacct").doc("The exchange messages are published to; declared at each connection (not "
                    + "passive, not auto-deleted, durable with amqp_persistent_msg).").build();
    static final KeyDef<String> EXCHANGE_TYPE_KEY = key("amqp_exchange_type", EXCHANGE_TYPE).pluginTypes(TYPE)
            .defaultValue("direct").doc("Type of amqp_exchange. When the exchange exists with another type (or "
                    + "durability) the broker refuses the declaration: the plugin logs the broker's reason, keeps "
                    + "the messages and retries.")
            .differs("Checked when the configuration is read: a type that is not one of the broker's is refused "
                    + "with the key; pmacct sends any word to the broker.").build();
    static final KeyDef<Boolean> PERSISTENT_MSG = key("amqp_persistent_msg", ValueTypes.BOOLEAN).pluginTypes(TYPE)
            .defaultValue(false).doc("Messages marked persistent (delivery mode 2) and the exchange declared "
                    + "durable; the queues' durability is the consumers' choice.").build();
    static final KeyDef<Long> FRAME_MAX = key("amqp_frame_max", ValueTypes.integer(4096, Integer.MAX_VALUE))
            .pluginTypes(TYPE).defaultValue(131072L).doc("Largest AMQP frame, in bytes, asked of the broker; a "
                    + "longer message is sent in several frames.")
            .differs("A value below 4096 is refused; pmacct keeps its default for it.").build();
    static final KeyDef<Long> HEARTBEAT_INTERVAL = key("amqp_heartbeat_interval",
            ValueTypes.integer(0, Integer.MAX_VALUE)).pluginTypes(TYPE).defaultValue(0L)
            .doc("Seconds between heartbeats asked of the broker; a connection silent for two intervals is "
                    + "taken for lost. 0 takes the broker's proposal.")
            .differs("0 does not switch heartbeats off: the Java client takes the broker's interval (60 s by "
                    + "default), so a dead connection is noticed while idle too.").build();
    static final KeyDef<String> ROUTING_KEY = key("amqp_routing_key", ValueTypes.STRING).pluginTypes(TYPE)
            .defaultValue("acct").doc("Routing key of the messages. Variables, resolved per aggregate: $peer_src_ip "
                    + "(dots and colons as '_'), $tag, $tag2, $post_tag, $post_tag2; not with amqp_multi_values or "
                    + "amqp_routing_key_rr.").build();

    static final KeyDef<String> AVRO_SCHEMA_ROUTING_KEY = key("amqp_avro_schema_routing_key", ValueTypes.STRING)
            .pluginTypes(TYPE).doc("With amqp_output avro (or avro_json): routing key on amqp_exchange of the "
                    + "plugin's Avro schemas, published at start and every amqp_avro_schema_refresh_time, each as "
                    + "{\"event_type\": \"purge_schema\", \"writer_id\": \"<plugin>/0\", \"schema\": \"<schema JSON>\"} "
                    + "(acct_data, acct_init, acct_close; content type application/json). Nothing is published with "
                    + "JSON output.").build();
    static final KeyDef<Long> AVRO_SCHEMA_REFRESH_TIME = key("amqp_avro_schema_refresh_time", ValueTypes.SECONDS)
            .pluginTypes(TYPE).defaultValue(60L).doc("Seconds between two publications of the Avro schemas on "
                    + "amqp_avro_schema_routing_key.").build();

    static List<KeyDef<?>> all() {
        return List.of(HOST, PORT, VHOST, USER, PASSWD, EXCHANGE, EXCHANGE_TYPE_KEY, PERSISTENT_MSG, FRAME_MAX,
                HEARTBEAT_INTERVAL, ROUTING_KEY, AVRO_SCHEMA_ROUTING_KEY, AVRO_SCHEMA_REFRESH_TIME);
    }
}
