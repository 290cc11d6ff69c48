package jpmacct.plugins.avro;

import java.util.Locale;

/** The Avro values of {@code kafka_output} / {@code amqp_output}. */
public enum AvroFormat {
    /** {@code avro} (also {@code avro_bin}): Avro's binary encoding. */
    BINARY,
    /** {@code avro_json}: Avro's JSON encoding, one line per record. */
    JSON;

    /**
     * The Avro format a {@code kafka_output}/{@code amqp_output} value names, or null for another value (pmacct's
     * {@code json}, which the message plugins write themselves).
     */
    public static AvroFormat of(String output) {
        switch (output.toLowerCase(Locale.ROOT)) {
            case "avro":
            case "avro_bin":
                return BINARY;
            case "avro_json":
                return JSON;
            default:
                return null;
        }
    }
}
