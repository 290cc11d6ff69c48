package jpmacct.plugins.kafka;

import static jpmacct.plugins.kafka.KafkaRun.all;
import static jpmacct.plugins.kafka.KafkaRun.brokerLines;
import static jpmacct.plugins.kafka.KafkaRun.printed;
import static jpmacct.plugins.kafka.KafkaRun.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.kafkabroker.BrokerProcess;
import jpmacct.pmacctd.Conformance;
import jpmacct.plugins.avro.ConfluentWire;
import jpmacct.plugins.avro.Decoded;
import jpmacct.plugins.avro.StandInRegistry;

/**
 * kafka_output: avro, avro_json and avro through a schema registry, in a real pmacctd against a real broker: every
 * message read back with Avro's own reader (the schema from avro_schema_file, or from the registry by the id in the
 * message) carries the values print writes in JSON for the same records.
 */
class KafkaAvroTest {
    private static final String AGGREGATE = "src_host, dst_host, src_port, dst_port, proto, tos, tcpflags";

    private static String conf(String topic, String extra) {
        return "pcap_savefile: input.pcap\nplugins: kafka[k], print[p]\naggregate: " + AGGREGATE + "\n"
                + "kafka_refresh_time: 3600\nkafka_startup_delay: 3600\n"
                + brokerLines("k", BrokerProcess.shared().bootstrap()) + "kafka_topic[k]: " + topic
                + "\nprint_output[p]: json\nprint_output_file[p]: p.json\n" + extra;
    }

    /** An aggregate as compared: fields of both outputs but the writer's, nulls (Avro's absent values) left out. */
    private static String comparable(Map<String, Object> record) {
        Map<String, Object> m = new TreeMap<>(record);
        m.remove("writer_id");
        m.remove("event_type");
        m.remove("stamp_updated");
        m.values().removeIf(v -> v == null);
        return m.toString();
    }

    private static List<String> printedRecords(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : printed(dir.resolve("p.json"))) {
            out.add(comparable(Decoded.jsonLine(line)));
        }
        return out.stream().sorted().toList();
    }

    @Test
    void binaryRecordsReadWithTheSchemaFile(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String topic = topic("avro");
        KafkaRun.run(dir, conf(topic, "kafka_output[k]: avro\navro_schema_file[k]: " + dir.resolve("flows.avsc") + "\n"));
        Schema schema = new Schema.Parser().parse(dir.resolve("flows.avsc-acct_data").toFile());
        List<String> read = new ArrayList<>();
        for (KafkaRun.Read r : all(BrokerProcess.shared().bootstrap(), topic)) {
            read.add(comparable(Decoded.plain(Decoded.binary(schema, r.bytes()))));
        }
        List<String> expected = printedRecords(dir);
        assertTrue(expected.size() > 10, "rows: " + expected.size());
        assertEquals(expected, read.stream().sorted().toList());
    }

    @Test
    void jsonRecordsReadWithAvrosJsonDecoder(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String topic = topic("avrojson");
        KafkaRun.run(dir, conf(topic, "kafka_output[k]: avro_json\navro_schema_file[k]: " + dir.resolve("f.avsc") + "\n"));
        Schema schema = new Schema.Parser().parse(dir.resolve("f.avsc-acct_data").toFile());
        List<String> read = new ArrayList<>();
        for (KafkaRun.Read r : all(BrokerProcess.shared().bootstrap(), topic)) {
            read.add(comparable(Decoded.plain(Decoded.json(schema, r.value()))));
        }
        assertEquals(printedRecords(dir), read.stream().sorted().toList());
    }

    /** Confluent's wire format: each message names its schema by the id the registry gave; markers too. */
    @Test
    void framedRecordsReadThroughTheRegistry(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String topic = topic("avroreg");
        try (StandInRegistry registry = new StandInRegistry()) {
            String log = KafkaRun.run(dir, conf(topic, "kafka_output[k]: avro\nkafka_avro_schema_registry[k]: "
                    + registry.url() + "\nkafka_markers[k]: true\n"));
            assertTrue(log.contains(topic + "-acct_data id "), log);
            List<String> read = new ArrayList<>();
            List<String> markers = new ArrayList<>();
            for (KafkaRun.Read r : all(BrokerProcess.shared().bootstrap(), topic)) {
                byte[] m = r.bytes();
                assertEquals(ConfluentWire.MAGIC, m[0]);
                Schema schema = registry.fetch(ConfluentWire.schemaId(m));
                GenericRecord rec = Decoded.binary(schema, m, ConfluentWire.HEADER_LENGTH, m.length - ConfluentWire.HEADER_LENGTH);
                if (schema.getName().equals("acct_data")) {
                    read.add(comparable(Decoded.plain(rec)));
                } else {
                    markers.add(String.valueOf(rec.get("event_type")));
                }
            }
            assertEquals(printedRecords(dir), read.stream().sorted().toList());
            assertEquals(List.of("purge_init", "purge_close"), markers);
        }
    }

    @Test
    void theSchemaFilesAreWrittenAtStart(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        KafkaRun.run(dir, conf(topic("avrofile"), "kafka_output[k]: avro\navro_schema_output_file[k]: "
                + dir.resolve("s.avsc") + "\n"));
        for (String part : List.of("acct_data", "acct_init", "acct_close")) {
            String text = Files.readString(dir.resolve("s.avsc-" + part), StandardCharsets.UTF_8);
            assertEquals(part, new Schema.Parser().parse(text).getName());
        }
    }
}
