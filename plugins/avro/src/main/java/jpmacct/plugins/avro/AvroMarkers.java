package jpmacct.plugins.avro;

import org.apache.avro.Schema;

/**
 * The purge markers ({@code print_markers}/{@code kafka_markers}) in Avro: {@code acct_init}
 * ({@code event_type: purge_init}) before a purge's records and {@code acct_close} ({@code event_type: purge_close},
 * with the purge's counts) after them. Their writer_id is pmacct's {@code <plugin name>/<pid>}, not
 * {@code writer_id_string}. Once per purge: each call returns a new array.
 */
public final class AvroMarkers {
    private final Schema init = AvroSchemas.acctInit();
    private final Schema close = AvroSchemas.acctClose();
    private final Bytes out = new Bytes(128);
    private final Sink binary = new Sink.Binary(out);
    private final Sink json = new Sink.Json(out);

    public Schema initSchema() {
        return init;
    }

    public Schema closeSchema() {
        return close;
    }

    /** acct_init: the binary datum, or the JSON encoding as ASCII bytes. */
    public byte[] init(AvroFormat format, String writerId) {
        Sink s = begin(format, "purge_init", writerId);
        s.endRecord();
        return out.copy();
    }

    /**
     * acct_close.
     *
     * @param purged   records sent
     * @param total    records the purge had
     * @param duration seconds the purge took (pmacct writes the total there instead, a slip this build does not copy)
     */
    public byte[] close(AvroFormat format, String writerId, long purged, long total, int duration) {
        Sink s = begin(format, "purge_close", writerId);
        s.field("purged_entries");
        s.longValue(purged);
        s.field("total_entries");
        s.longValue(total);
        s.field("duration");
        s.longValue(duration);
        s.endRecord();
        return out.copy();
    }

    private Sink begin(AvroFormat format, String eventType, String writerId) {
        out.clear();
        Sink s = format == AvroFormat.JSON ? json : binary;
        s.beginRecord();
        s.field("event_type");
        s.string(eventType);
        s.field("writer_id");
        s.string(writerId);
        return s;
    }
}
