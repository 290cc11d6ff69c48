package jpmacct.plugins.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.kafka.KafkaBrokers;
import jpmacct.kafka.LibrdkafkaConfig;
import jpmacct.plugins.messaging.MessagingKeys;
import jpmacct.plugins.messaging.MessagingPlugin;
import jpmacct.plugins.messaging.Transport;

/** Factory of the {@code kafka} plugin: the messaging engine with a {@link KafkaSink}. */
public final class KafkaPluginFactory implements PluginFactory {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPluginFactory.class);
    /** How long a send may wait for a topic's metadata (the Java client's default is 60 s). */
    static final String MAX_BLOCK_MILLIS = "10000";

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public String processTitle() {
        return "Kafka Plugin";
    }

    @Override
    public List<KeyDef<?>> keys() {
        List<KeyDef<?>> keys = new ArrayList<>(KafkaKeys.all());
        keys.addAll(MessagingKeys.all());
        return keys;
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        PluginConfig cfg = context.config();
        boolean dynamic = cfg.get(KafkaKeys.PARTITION_DYNAMIC);
        if (dynamic && cfg.get(KafkaKeys.PARTITION_KEY) == null) {
            throw cfg.error(KafkaKeys.PARTITION_DYNAMIC, "kafka_partition_dynamic needs a kafka_partition_key to operate");
        }
        if (dynamic && cfg.isSet(KafkaKeys.PARTITION)) {
            throw cfg.error(KafkaKeys.PARTITION_DYNAMIC, "kafka_partition_dynamic and kafka_partition are mutually "
                    + "exclusive");
        }
        long partition = cfg.get(KafkaKeys.PARTITION);
        Properties props = producerProperties(cfg);
        String configuredBy = cfg.isSet(KafkaKeys.CONFIG_FILE) ? "kafka_config_file " + cfg.get(KafkaKeys.CONFIG_FILE)
                : "kafka_broker_host " + props.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        KafkaSink sink = new KafkaSink(props, partition < 0 ? null : (int) partition, configuredBy);
        return new MessagingPlugin(context, new Transport("Kafka", KafkaKeys.TOPIC, KafkaKeys.PARTITION_KEY, sink,
                "Connection failed to Kafka: p_kafka_check_outq_len()", "Connection failed to Kafka: p_kafka_close()"));
    }

    /**
     * The producer's properties: this plugin's defaults, then kafka_config_file's. The brokers of
     * kafka_broker_host/_port are added to a list the file gives (pmacct adds them to librdkafka's), unless only the
     * file names brokers.
     */
    static Properties producerProperties(PluginConfig cfg) throws ConfigException {
        Properties props = new Properties();
        props.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "pmacct-" + cfg.name());
        props.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MILLIS);
        props.setProperty(ProducerConfig.PARTITIONER_CLASS_CONFIG, LibrdkafkaPartitioner.class.getName());
        // librdkafka's batch size (pmacct's users get it): the Java client's 16 KiB caps a busy topic's rate
        props.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, "1000000");
        String brokers = KafkaBrokers.bootstrap(cfg.get(KafkaKeys.BROKER_HOST), cfg.get(KafkaKeys.BROKER_PORT).intValue());
        String file = cfg.get(KafkaKeys.CONFIG_FILE);
        if (file != null) {
            LOG.info("[{}] Reading librdkafka global config.", file);
            // its errors name the file's line and the key
            LibrdkafkaConfig.Loaded loaded = LibrdkafkaConfig.load(Path.of(file), LibrdkafkaConfig.Role.PRODUCER,
                    "kafka_config_file");
            for (String note : loaded.notes()) {
                LOG.info(note);
            }
            String fileBrokers = loaded.properties().getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
            props.putAll(loaded.properties());
            if (fileBrokers != null && (cfg.isSet(KafkaKeys.BROKER_HOST) || cfg.isSet(KafkaKeys.BROKER_PORT))) {
                brokers = fileBrokers + "," + brokers;
            } else if (fileBrokers != null) {
                brokers = fileBrokers;
            }
        }
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }
}
