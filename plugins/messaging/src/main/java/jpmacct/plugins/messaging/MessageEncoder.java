package jpmacct.plugins.messaging;

import java.util.List;

import jpmacct.core.output.Row;

/**
 * How aggregates become message payloads ({@code kafka_output}, {@code amqp_output}): JSON here, Avro from its own
 * module ({@link MessageEncoderFactory}). An encoder is used by one writer thread at a time.
 */
public interface MessageEncoder {

    /** Appends one aggregate; {@code purgeTime} (seconds) is its stamp_updated with history. */
    void entry(Row row, long purgeTime, MessageBuffer out);

    /** The purge_init marker ({@code *_markers}). */
    void purgeInit(MessageBuffer out);

    /** The purge_close marker: entries sent, entries in the cache, seconds the purge took. */
    void purgeClose(int purgedEntries, int totalEntries, long durationSeconds, MessageBuffer out);

    /**
     * With {@code *_multi_values}: whether one more entry of {@code entryBytes} joins a message that holds
     * {@code heldEntries} entries in {@code heldBytes} (separators included); when not, the held message is sent
     * first. pmacct's JSON counts bytes: an entry and its newline must leave the message under the limit.
     */
    boolean joins(int heldEntries, int heldBytes, int entryBytes, long multiValues);

    /** Written after each entry of a multi-values message (JSON: a newline). */
    void endOfEntry(MessageBuffer out);

    /** Whether payloads are text, so debug lines can show them as such. */
    boolean text();

    /** AMQP's content_type of the payloads. */
    String contentType();

    /** pmacct's purge_schema messages of the records this encoder writes (Avro); none for JSON. */
    default List<byte[]> schemaMessages(String pluginName) {
        return List.of();
    }
}
