package jpmacct.plugins.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.plugin.PluginHarness;

/**
 * What the kafka plugin refuses, and how: a ConfigException naming where (file:line) and which key, before anything
 * is opened; pmacctd stops on it without a stack trace. No broker is needed.
 */
class KafkaConfigTest {

    private static String refusal(String... lines) {
        String[] all = new String[lines.length + 1];
        all[0] = "plugins: kafka[k]";
        System.arraycopy(lines, 0, all, 1, lines.length);
        ConfigException e = assertThrows(ConfigException.class, () -> PluginHarness.daemon(DaemonKind.PMACCTD).create(all));
        return e.getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "kafka_output: avro_xml | harness.conf:2: key 'kafka_output' | invalid value 'avro_xml' (unknown output); "
                + "expected one of json, avro (or avro_bin), avro_json",
        "amqp_output: xml | harness.conf:2: key 'amqp_output' | invalid value 'xml' (unknown output)",
        "kafka_partition: -2 | harness.conf:2: key 'kafka_partition' | invalid value '-2'",
        "kafka_preprocess: minp=2, adjb=4 | harness.conf:2: kafka_preprocess[k]: | 'adjb' applies to the SQL plugins "
                + "only (the kafka plugin takes minp, minb, minf, maxp, maxb, maxf, minbpp, minppf)",
        "sql_preprocess: maxppf=3 | harness.conf:2: sql_preprocess[k]: | 'maxppf' applies to the SQL plugins only",
        "kafka_preprocess: fss=10 | harness.conf:2: key 'kafka_preprocess' | 'fss' is not supported yet",
        "kafka_preprocess_type: most | harness.conf:2: key 'kafka_preprocess_type' | invalid value 'most'",
        "kafka_history_offset: -60 | harness.conf:2: key 'kafka_history_offset' | invalid value '-60'",
        "kafka_trigger_exec_async: maybe | harness.conf:2: key 'kafka_trigger_exec_async' | invalid value 'maybe'",
        "kafka_avro_schema_registry: ftp://x | harness.conf:2: key 'kafka_avro_schema_registry' | invalid value 'ftp://x'",
        "kafka_topic: acct.$tag.$foo | harness.conf:2: kafka_topic[k]: | unknown variable '$foo' (variables here: "
                + "$peer_src_ip, $tag, $tag2, $post_tag, $post_tag2)",
        "kafka_topic: acct.$src_host | harness.conf:2: kafka_topic[k]: | unknown variable '$src_host'",
        "kafka_topic: acct.$ | harness.conf:2: kafka_topic[k]: | '$' without a variable name",
        "kafka_partition_key: $src_mac | harness.conf:2: kafka_partition_key[k]: | unknown variable '$src_mac'",
        "kafka_partition_dynamic: true | harness.conf:2: kafka_partition_dynamic[k]: | needs a kafka_partition_key",
    })
    void refusedAlone(String line, String where, String what) {
        String message = refusal(line);
        assertTrue(message.startsWith(where.strip()), message);
        assertTrue(message.contains(what.strip()), message);
    }

    /** A registry with what pmacct does not frame, and one that does not answer: refused at start, naming the key. */
    @Test
    void schemaRegistryRefusals() {
        assertTrue(refusal("kafka_output: avro_json", "kafka_avro_schema_registry: http://127.0.0.1:1")
                .contains("kafka_avro_schema_registry is not compatible with avro_json output"));
        String down = refusal("kafka_output: avro", "kafka_avro_schema_registry: http://127.0.0.1:1");
        assertTrue(down.startsWith("kafka_avro_schema_registry 'http://127.0.0.1:1': cannot register schema subject "
                + "'pmacct.acct-acct_data'"), down);
    }

    /** As pmacct, an offset of a whole bin or more stops the daemon. */
    @Test
    void historyOffsetBelowTheBin() {
        assertEquals("harness.conf:3: kafka_history_offset[k]: 300 s is not less than the history bins of 5m (300 s)",
                refusal("kafka_history: 5m", "kafka_history_offset: 5m"));
        assertEquals("harness.conf:3: kafka_history_offset[k]: 2419200 s is not less than the history bins of 1M "
                + "(2419200 s: 28 days a month)", refusal("kafka_history: 1M", "kafka_history_offset: 4w"));
    }

    @Test
    void incompatibleCombinations() {
        assertEquals("harness.conf:3: kafka_multi_values[k]: dynamic 'kafka_topic' is not compatible with "
                + "'kafka_multi_values'", refusal("kafka_topic: a.$peer_src_ip", "kafka_multi_values: 10000"));
        assertEquals("harness.conf:3: kafka_topic_rr[k]: dynamic 'kafka_topic' is not compatible with "
                + "'kafka_topic_rr'", refusal("kafka_topic: a.$post_tag", "kafka_topic_rr: 4"));
        assertEquals("harness.conf:2: kafka_partition_dynamic[k]: kafka_partition_dynamic and kafka_partition are "
                + "mutually exclusive", refusal("kafka_partition_dynamic: true", "kafka_partition: 0",
                "kafka_partition_key: x"));
    }

    /**
     * As in pmacct, settings shared by name reach the kafka plugin under any of their names (an unscoped
     * sql_multi_values, amqp_routing_key_rr); print_output_file (pmacct's sql_table, its field for kafka_topic too)
     * does not.
     */
    @Test
    void settingsSharedByName() throws Exception {
        assertTrue(refusal("kafka_topic: a.$tag", "sql_multi_values: 1000").contains("dynamic 'kafka_topic' is not "
                + "compatible with 'kafka_multi_values'"));
        assertTrue(refusal("kafka_topic: a.$tag", "amqp_routing_key_rr: 2").contains("dynamic 'kafka_topic' is not "
                + "compatible with 'kafka_topic_rr'"));
        try (PluginHarness h = PluginHarness.daemon(DaemonKind.PMACCTD).create("plugins: kafka[k]", "print_output_file: t",
                "print_markers: true")) {
            assertEquals(List.of("harness.conf:2: key 'print_output_file' configures print plugins and no "
                    + "configured plugin uses it; ignored"), h.config().warnings());
            assertTrue(h.config().plugins().get(0).get(CoreKeys.MARKERS));
        }
    }

    /** kafka_config_file: a line that is not 'global|topic, property, value' or a property without Java equivalent. */
    @Test
    void configFileLinesRefusedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("librdkafka.conf");
        Files.writeString(file, "! comment\nglobal, client.id, x\nglobal bootstrap.servers\n");
        String message = refusal("kafka_config_file: " + file);
        assertTrue(message.startsWith(file + ":3: kafka_config_file: expected 'global, <property>, <value>'"), message);

        Files.writeString(file, "global, queue.buffering.max.ms, 50\ntopic, partitioner, murmur2\n");
        message = refusal("kafka_config_file[k]: " + file);
        assertTrue(message.startsWith(file + ":2: kafka_config_file: librdkafka property 'partitioner' has no "
                + "equivalent"), message);

        message = refusal("kafka_config_file: " + dir.resolve("missing.conf"));
        assertTrue(message.startsWith("kafka_config_file: cannot read " + dir.resolve("missing.conf")), message);
    }

    /** Values the Java client itself refuses stop the daemon when the plugin starts, naming the file. */
    @Test
    void clientRefusesItsConfiguration(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("librdkafka.conf");
        Files.writeString(file, "global, message.timeout.ms, 1000\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginHarness.start("plugins: kafka[k]", "kafka_config_file: " + file).close());
        assertTrue(e.getMessage().startsWith("kafka_config_file " + file + ": the Kafka client refuses its "
                + "configuration: delivery.timeout.ms should be equal to or larger than"), e.getMessage());
    }

    /** The file's properties, the plugin's defaults beneath them, brokers from both as pmacct adds them. */
    @Test
    void producerProperties(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("librdkafka.conf");
        Files.writeString(file, "global, metadata.broker.list, b1:9093,b2:9094\nglobal, compression.codec, lz4\n"
                + "global, max.block.ms, 2500\nglobal, queue.buffering.max.kbytes, 1024\n");
        Properties fileOnly = properties("kafka_config_file: " + file);
        assertEquals("b1:9093,b2:9094", fileOnly.getProperty("bootstrap.servers"));
        assertEquals("lz4", fileOnly.getProperty("compression.type"));
        assertEquals("2500", fileOnly.getProperty("max.block.ms"));
        assertEquals("1048576", fileOnly.getProperty("buffer.memory"));
        assertEquals(LibrdkafkaPartitioner.class.getName(), fileOnly.getProperty("partitioner.class"));
        assertEquals("pmacct-k", fileOnly.getProperty("client.id"));

        Properties both = properties("kafka_config_file: " + file, "kafka_broker_host: 10.0.0.1", "kafka_broker_port: 9999");
        assertEquals("b1:9093,b2:9094,10.0.0.1:9999", both.getProperty("bootstrap.servers"));
        assertEquals(KafkaPluginFactory.MAX_BLOCK_MILLIS, properties().getProperty("max.block.ms"));
        assertEquals("127.0.0.1:9092", properties().getProperty("bootstrap.servers"));
        assertEquals("h1:9092,[::1]:9092", properties("kafka_broker_host: h1, ::1").getProperty("bootstrap.servers"));
    }

    private static Properties properties(String... lines) throws Exception {
        String[] all = new String[lines.length + 1];
        all[0] = "plugins: kafka[k]";
        System.arraycopy(lines, 0, all, 1, lines.length);
        try (PluginHarness h = PluginHarness.daemon(DaemonKind.PMACCTD).create(all)) {
            return KafkaPluginFactory.producerProperties(h.config().plugins().get(0));
        }
    }

    /** The CRC32 partitioning librdkafka's consistent partitioner does (rd_crc32 is zlib's CRC-32). */
    @Test
    void librdkafkaPartitions() {
        // CRC-32 of "123456789" is 0xCBF43926 (the standard check value)
        assertEquals(0xCBF43926L % 7, LibrdkafkaPartitioner.partition("123456789".getBytes(), 7));
        assertEquals(0xCBF43926L % 3, LibrdkafkaPartitioner.partition("123456789".getBytes(), 3));
    }

    /** pmacctd stops on a refused key without a stack trace, naming the line. */
    @Test
    void daemonStopsCleanly(@TempDir Path dir) throws Exception {
        String out = KafkaRun.refused(dir, "pcap_savefile: none.pcap\nplugins: kafka[k]\nkafka_output[k]: avro_xml\n");
        assertTrue(out.contains("p.conf:3: key 'kafka_output[k]': invalid value 'avro_xml'"), out);
    }
}
