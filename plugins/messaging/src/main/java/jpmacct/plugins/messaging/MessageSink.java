package jpmacct.plugins.messaging;

/**
 * What a message broker's client gives the messaging engine: it sends the messages the engine composed. The engine
 * calls it from one delivery thread only, never from aggregation, so any call may block for a while; it keeps every
 * message until its {@link Outcome} says it was delivered, and sends again what failed, so a sink neither retries
 * nor buffers beyond what its client does anyway.
 */
public interface MessageSink {

    /** What becomes of one message sent; reported exactly once, from any thread. */
    interface Outcome {
        /** @param failure null when the broker took the message, otherwise why it did not */
        void settled(Exception failure);
    }

    /** How the connection looks, for log lines: whether the last message went through, and a word on it. */
    record Health(boolean up, String detail) {
    }

    /**
     * Called once when the plugin starts, before any send: creates the client. A configuration the client refuses
     * stops the daemon here (a ConfigException naming the key or file); a broker that cannot be reached does not.
     */
    default void open() throws Exception {
    }

    /** The encoding's content type (application/json, application/octet-stream), told before {@link #open()}. */
    default void payloadType(String contentType) {
    }

    /**
     * Sends one message; may return before it is delivered (its outcome follows).
     *
     * @param destination Kafka topic, AMQP routing key
     * @param key         Kafka's message key (partitioning), null for none
     * @throws Exception when the message could not even be handed to the client (no connection); no outcome is
     *                   reported then, and the engine sends it again later
     */
    void send(String destination, byte[] key, byte[] payload, Outcome outcome) throws Exception;

    /** Hurries what the client holds back and waits up to {@code timeoutMillis} for the outcomes of what was sent. */
    void flush(long timeoutMillis) throws InterruptedException;

    Health health();

    /**
     * Publishes one JSON message at once, outside the buffer and its retries (a schema announcement, sent again at
     * the next one anyway); only transports with a {@link Transport.SchemaRoute} are asked.
     */
    default void announce(String destination, byte[] json) throws Exception {
        throw new UnsupportedOperationException("no schema announcements on this transport");
    }

    /** Lets go of the connection at once; outcomes not reported yet are reported as failures. */
    void close();
}
