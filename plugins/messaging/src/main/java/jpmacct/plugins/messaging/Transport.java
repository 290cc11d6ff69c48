package jpmacct.plugins.messaging;

import jpmacct.core.config.KeyDef;

/**
 * What a message-broker plugin gives the engine besides its configuration.
 *
 * @param broker      the broker's name in log lines: Kafka, RabbitMQ
 * @param destination the key naming where messages go (kafka_topic, amqp_routing_key); variables allowed
 * @param messageKey  the key naming each message's key (kafka_partition_key), null where messages have none
 * @param sink        the broker's client
 * @param waitingLine pmacct's line when messages wait for an unreachable broker ("Connection failed to Kafka:
 *                    p_kafka_check_outq_len()"); the count of messages waiting follows it
 * @param closedLine  pmacct's line after it ("Connection failed to Kafka: p_kafka_close()"); what happens follows
 * @param schemaRoute where the plugin publishes its Avro schemas now and then (amqp_avro_schema_routing_key), or null
 */
public record Transport(String broker, KeyDef<String> destination, KeyDef<String> messageKey, MessageSink sink,
                        String waitingLine, String closedLine, SchemaRoute schemaRoute) {

    public Transport(String broker, KeyDef<String> destination, KeyDef<String> messageKey, MessageSink sink,
                     String waitingLine, String closedLine) {
        this(broker, destination, messageKey, sink, waitingLine, closedLine, null);
    }

    /**
     * pmacct's Avro schema announcements: every {@code refreshSeconds} the schemas of the plugin's records as JSON
     * messages to {@code destination}.
     *
     * @param key the key that asked for them, for log lines
     */
    public record SchemaRoute(String destination, long refreshSeconds, String key) {
    }
}
