package jpmacct.plugins.avro;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

/**
 * The keys of the Avro output, for the factories of the plugins that write it (kafka, amqp) to include in their
 * {@code keys()}; {@code kafka_output}/{@code amqp_output} themselves belong to those plugins ({@link AvroFormat#of}).
 */
public final class AvroKeys {
    private AvroKeys() {
    }

    public static final KeyDef<Long> BUFFER_SIZE = key("avro_buffer_size", ValueTypes.integer(1, Integer.MAX_VALUE))
            .pluginTypes("kafka", "amqp").defaultValue((long) AvroBatch.DEFAULT_BUFFER_SIZE)
            .doc("With kafka_multi_values / amqp_multi_values and Avro output, the most bytes of records one "
                    + "message carries; a message is sent when the next record would not fit.")
            .differs("A single record larger than the buffer is sent alone; pmacct ends the purge with an error. "
                    + "Without multi_values there is no limit (pmacct checks each record against it). The default "
                    + "is pmacct's buffer, 8224 bytes.").build();

    public static final KeyDef<String> SCHEMA_FILE = key("avro_schema_file", ValueTypes.PATH)
            .aliases("avro_schema_output_file").pluginTypes("kafka", "amqp")
            .doc("Writes the Avro schemas when the plugin starts, as JSON, to this path plus -acct_data, "
                    + "-acct_init and -acct_close.")
            .differs("Each file is written to a temporary name and renamed into place.").build();

    public static final KeyDef<String> SCHEMA_REGISTRY = key("kafka_avro_schema_registry",
            ValueTypes.parsedBy(v -> {
                SchemaRegistry.check(v);
                return v;
            }, "the URL of a Confluent schema registry (http:// or https://; several separated by commas)"))
            .pluginTypes("kafka")
            .doc("Registers the Avro schemas at start-up under <kafka_topic>-acct_data, -acct_init and -acct_close "
                    + "and sends each record in Confluent's wire format (magic byte 0, the schema id, the datum). "
                    + "Not with avro_json, kafka_multi_values or a dynamic kafka_topic.")
            .differs("A registry that cannot be reached at start-up stops the daemon's start with an error naming "
                    + "the URL (pmacct's kafka plugin exits); it is not retried.").build();

    public static List<KeyDef<?>> all() {
        return List.of(BUFFER_SIZE, SCHEMA_FILE, SCHEMA_REGISTRY);
    }
}
