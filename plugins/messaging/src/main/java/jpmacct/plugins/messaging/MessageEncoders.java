package jpmacct.plugins.messaging;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.UnsupportedValueException;
import jpmacct.core.config.ValueType;

/** The encoders of {@code kafka_output} / {@code amqp_output}: JSON, and those other modules provide. */
final class MessageEncoders {
    static final String JSON = "json";
    /** pmacct's values for its message brokers' output; those without an encoder here are "not supported yet". */
    private static final List<String> PMACCT_OUTPUTS = List.of(JSON, "avro", "avro_bin", "avro_json");
    /** Found once on the class path; read only. */
    private static final Map<String, MessageEncoderFactory> FACTORIES = discover();

    private MessageEncoders() {
    }

    private static Map<String, MessageEncoderFactory> discover() {
        Map<String, MessageEncoderFactory> out = new TreeMap<>();
        for (MessageEncoderFactory f : ServiceLoader.load(MessageEncoderFactory.class)) {
            for (String output : f.outputs()) {
                out.put(output.toLowerCase(Locale.ROOT), f);
            }
        }
        return Map.copyOf(out);
    }

    /** Value type of the *_output keys. */
    static final ValueType<String> TYPE = new ValueType<>() {
        @Override
        public String parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.equals(JSON) || FACTORIES.containsKey(t)) {
                return t;
            }
            if (PMACCT_OUTPUTS.contains(t)) {
                throw new UnsupportedValueException();
            }
            throw new IllegalArgumentException("unknown output");
        }

        @Override
        public String expected() {
            StringBuilder sb = new StringBuilder(JSON);
            for (String o : FACTORIES.keySet()) {
                sb.append(", ").append(o);
            }
            return "one of " + sb;
        }
    };

    static MessageEncoder create(String output, EncoderContext context) throws ConfigException {
        if (output.equals(JSON)) {
            return new JsonEncoder(context);
        }
        return FACTORIES.get(output).create(output, context);
    }
}
