package jpmacct.plugins.messaging;

import java.util.Locale;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ValueType;
import jpmacct.plugins.avro.AvroFormat;

/** The encoders of {@code kafka_output} / {@code amqp_output}: pmacct's JSON, and Avro (binary or JSON). */
final class MessageEncoders {
    static final String JSON = "json";

    private MessageEncoders() {
    }

    /** Value type of the *_output keys. */
    static final ValueType<String> TYPE = new ValueType<>() {
        @Override
        public String parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.equals(JSON) || AvroFormat.of(t) != null) {
                return t;
            }
            throw new IllegalArgumentException("unknown output");
        }

        @Override
        public String expected() {
            return "one of json, avro (or avro_bin), avro_json";
        }
    };

    static MessageEncoder create(String output, EncoderContext context) throws ConfigException {
        AvroFormat avro = AvroFormat.of(output);
        return avro == null ? new JsonEncoder(context) : AvroEncoder.open(avro, context);
    }
}
