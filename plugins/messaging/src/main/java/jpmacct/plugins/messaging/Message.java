package jpmacct.plugins.messaging;

/**
 * One message on its way to the broker.
 *
 * @param destination Kafka topic, AMQP routing key
 * @param key         Kafka's message key, null for none
 */
record Message(String destination, byte[] key, byte[] payload) {
    /** Bytes the message holds in the buffer, roughly: payload, key, name and the objects around them. */
    long size() {
        return payload.length + (key == null ? 0 : key.length) + 2L * destination.length() + 96;
    }
}
