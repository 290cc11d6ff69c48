package jpmacct.plugins.avro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.Row;

/**
 * A message plugin's Avro output, set up as pmacct's kafka and amqp plugins set it up when they start: the schemas,
 * {@code avro_schema_file}, the registration at {@code kafka_avro_schema_registry}; then one message per record
 * (framed for the registry when there is one), or records gathered per {@code *_multi_values}, and the purge markers.
 * Used by the plugin's purging thread, one purge at a time.
 */
public final class AvroMessages {
    private static final Logger LOG = LoggerFactory.getLogger(AvroMessages.class);

    /**
     * What the output is configured with.
     *
     * @param format       {@code kafka_output}/{@code amqp_output}
     * @param schemaFile   {@code avro_schema_file}, null when not set
     * @param registry     {@code kafka_avro_schema_registry}, null when not set
     * @param topic        {@code kafka_topic} (the registry's subjects are named after it)
     * @param dynamicTopic whether the topic has $-variables
     * @param multiValues  {@code *_multi_values}: records per message, 0 for one
     * @param bufferSize   {@code avro_buffer_size}
     */
    public record Settings(AvroFormat format, Path schemaFile, String registry, String topic, boolean dynamicTopic,
                           long multiValues, int bufferSize) {
        /** The Avro keys of a plugin's configuration. */
        public static Settings of(PluginConfig cfg, AvroFormat format, String topic, boolean dynamicTopic,
                                  long multiValues) {
            String file = cfg.get(AvroKeys.SCHEMA_FILE);
            String registry = AvroKeys.SCHEMA_REGISTRY.appliesToPluginType(cfg.type())
                    ? cfg.get(AvroKeys.SCHEMA_REGISTRY) : null;
            return new Settings(format, file == null ? null : Path.of(file), registry, topic, dynamicTopic,
                    multiValues, cfg.get(AvroKeys.BUFFER_SIZE).intValue());
        }
    }

    /** The ids the registry gave the three schemas. */
    public record SchemaIds(int data, int init, int close) {
    }

    private final Settings settings;
    private final AvroRecordEncoder records;
    private final AvroMarkers markers = new AvroMarkers();
    private final SchemaIds ids;

    private AvroMessages(Settings settings, AvroRecordEncoder records, SchemaIds ids) {
        this.settings = settings;
        this.records = records;
        this.ids = ids;
    }

    /**
     * Checks the settings against each other as pmacct does, writes the schema files, registers the schemas.
     *
     * @throws ConfigException naming the key: a registry with avro_json, multi_values or a dynamic topic; a schema
     *                         file that cannot be written; a registry that cannot be reached or refuses a schema
     */
    public static AvroMessages open(Settings s, AvroRecordEncoder records) throws ConfigException {
        Schema data = records.schema();
        Schema init = AvroSchemas.acctInit();
        Schema close = AvroSchemas.acctClose();
        if (s.registry() != null) {
            String key = AvroKeys.SCHEMA_REGISTRY.name();
            if (s.format() == AvroFormat.JSON) {
                throw new ConfigException(key + " is not compatible with avro_json output");
            }
            if (s.multiValues() > 0) {
                throw new ConfigException(key + " is not compatible with kafka_multi_values");
            }
            if (s.dynamicTopic()) {
                throw new ConfigException(key + " is not compatible with a dynamic kafka_topic ('" + s.topic() + "')");
            }
        }
        if (s.schemaFile() != null) {
            try {
                List<Path> files = AvroSchemas.writeFiles(s.schemaFile(), data, init, close);
                LOG.info("Avro schemas written to {}", files);
            } catch (IOException e) {
                throw new ConfigException(AvroKeys.SCHEMA_FILE.name() + ": cannot write the Avro schemas next to '"
                        + s.schemaFile() + "': " + e);
            }
        }
        SchemaIds ids = null;
        if (s.registry() != null) {
            SchemaRegistry registry = new SchemaRegistry(s.registry());
            try {
                ids = new SchemaIds(registry.register(subject(s.topic(), data), data),
                        registry.register(subject(s.topic(), init), init),
                        registry.register(subject(s.topic(), close), close));
            } catch (SchemaRegistryException e) {
                throw new ConfigException(AvroKeys.SCHEMA_REGISTRY.name() + " '" + s.registry() + "': "
                        + e.getMessage());
            }
            LOG.info("Avro schemas registered at {}: {} id {}, {} id {}, {} id {}", s.registry(),
                    subject(s.topic(), data), ids.data(), subject(s.topic(), init), ids.init(),
                    subject(s.topic(), close), ids.close());
        }
        return new AvroMessages(s, records, ids);
    }

    /** pmacct's subject for a schema: {@code <kafka_topic>-acct_data} (and -acct_init, -acct_close). */
    public static String subject(String topic, Schema schema) {
        return topic + "-" + schema.getName();
    }

    public AvroFormat format() {
        return settings.format();
    }

    /** The registry's ids, null without a registry. */
    public SchemaIds schemaIds() {
        return ids;
    }

    public AvroRecordEncoder records() {
        return records;
    }

    /** One record as one message: the binary datum (framed with the schema id under a registry) or its JSON. */
    public byte[] record(Row row, long nowSeconds) {
        int n = records.encode(settings.format(), row, nowSeconds);
        if (ids != null) {
            return ConfluentWire.frame(ids.data(), records.buffer(), 0, n);
        }
        return Arrays.copyOf(records.buffer(), n);
    }

    /** A batch for {@code *_multi_values}; null when each record is its own message. */
    public AvroBatch newBatch() {
        return settings.multiValues() > 0
                ? new AvroBatch(settings.format(), settings.bufferSize(), settings.multiValues()) : null;
    }

    /**
     * Adds one record to a batch.
     *
     * @return false, adding nothing, when the batch has no room for it: send the batch, clear it, add again
     */
    public boolean add(AvroBatch batch, Row row, long nowSeconds) {
        int n = records.encode(settings.format(), row, nowSeconds);
        return batch.add(records.buffer(), n);
    }

    /** The purge_init marker as a message. */
    public byte[] purgeInit(String writerId) {
        byte[] m = markers.init(settings.format(), writerId);
        return ids == null ? m : ConfluentWire.frame(ids.init(), m, 0, m.length);
    }

    /** The purge_close marker as a message. */
    public byte[] purgeClose(String writerId, long purged, long total, int durationSeconds) {
        byte[] m = markers.close(settings.format(), writerId, purged, total, durationSeconds);
        return ids == null ? m : ConfluentWire.frame(ids.close(), m, 0, m.length);
    }
}
