package jpmacct.plugins.avro;

/**
 * Records gathered into one message, as pmacct does with {@code kafka_multi_values}/{@code amqp_multi_values} and
 * Avro: up to that many records, within {@code avro_buffer_size} bytes. Binary records are concatenated datums
 * (a consumer reads them one after the other with the schema); JSON records are separated by a newline.
 *
 * <pre>
 *   if (!batch.add(bytes, length)) { send(batch.toByteArray()); batch.clear(); batch.add(bytes, length); }
 *   if (batch.full()) { send(batch.toByteArray()); batch.clear(); }
 *   ... and at the end of the purge: if (!batch.isEmpty()) send(batch.toByteArray());
 * </pre>
 *
 * A record larger than the buffer is taken alone into an empty batch (pmacct ends the purge with an error instead).
 */
public final class AvroBatch {
    /** pmacct's default avro_buffer_size (LARGEBUFLEN). */
    public static final int DEFAULT_BUFFER_SIZE = 8192 + 32;

    private final AvroFormat format;
    private final int bufferSize;
    private final long maxRecords;
    private final Bytes out;
    private int records;

    /**
     * @param bufferSize {@code avro_buffer_size}
     * @param maxRecords {@code *_multi_values}: records per message
     */
    public AvroBatch(AvroFormat format, int bufferSize, long maxRecords) {
        if (bufferSize <= 0 || maxRecords <= 0) {
            throw new IllegalArgumentException("buffer size and records must be positive");
        }
        this.format = format;
        this.bufferSize = bufferSize;
        this.maxRecords = maxRecords;
        this.out = new Bytes(Math.min(bufferSize, 1 << 20));
    }

    /**
     * Adds one record (e.g. {@link AvroRecordEncoder#buffer()} up to the length its encode returned).
     *
     * @return false, adding nothing, when the batch holds records and this one would take it past the buffer size:
     * send the batch, clear it, add again
     */
    public boolean add(byte[] record, int length) {
        int separator = format == AvroFormat.JSON && records > 0 ? 1 : 0;
        if (records > 0 && out.length() + separator + length > bufferSize) {
            return false;
        }
        if (separator > 0) {
            out.ascii('\n');
        }
        out.put(record, 0, length);
        records++;
        return true;
    }

    /** Whether the batch holds as many records as a message may carry. */
    public boolean full() {
        return records >= maxRecords;
    }

    public boolean isEmpty() {
        return records == 0;
    }

    public int records() {
        return records;
    }

    public int length() {
        return out.length();
    }

    /** The message: a new array the client library may keep. */
    public byte[] toByteArray() {
        return out.copy();
    }

    public void clear() {
        out.clear();
        records = 0;
    }
}
