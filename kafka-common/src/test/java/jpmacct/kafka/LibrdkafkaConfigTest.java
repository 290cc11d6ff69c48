package jpmacct.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;

class LibrdkafkaConfigTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("librdkafka.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void mapsPmacctsExamplesOntoTheJavaProducer() throws Exception {
        LibrdkafkaConfig.Loaded l = LibrdkafkaConfig.load(file("""
                ! pmacct's examples
                topic, compression.codec, snappy
                global, socket.keepalive.enable, true
                global, client.id, pmacct, with a comma
                topic, request.required.acks, -1
                global, queue.buffering.max.kbytes, 2048
                """), LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file");
        assertEquals("snappy", l.properties().getProperty("compression.type"));
        assertEquals("pmacct, with a comma", l.properties().getProperty("client.id"));
        assertEquals("all", l.properties().getProperty("acks"));
        assertEquals("2097152", l.properties().getProperty("buffer.memory"));
        assertEquals(1, l.notes().size());
        assertTrue(l.notes().get(0).contains("librdkafka.conf:3"), l.notes().get(0));
    }

    @Test
    void consumerOffsetsInLibrdkafkasWords() throws Exception {
        LibrdkafkaConfig.Loaded l = LibrdkafkaConfig.load(file("topic, auto.offset.reset, smallest\nglobal, group.id, g1\n"),
                LibrdkafkaConfig.Role.CONSUMER, "nfacctd_kafka_config_file");
        assertEquals("earliest", l.properties().getProperty("auto.offset.reset"));
        assertEquals("g1", l.properties().getProperty("group.id"));
    }

    @Test
    void refusesWithFileLineAndKey() throws Exception {
        Path f = file("global, client.id, x\nglobal, ssl.key.location, /k.pem\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> LibrdkafkaConfig.load(f, LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file"));
        assertTrue(e.getMessage().startsWith(f + ":2: kafka_config_file: librdkafka property 'ssl.key.location'"), e.getMessage());
        assertTrue(e.getMessage().contains("ssl.keystore.location"), e.getMessage());
        Path g = file("global client.id x\n");
        e = assertThrows(ConfigException.class, () -> LibrdkafkaConfig.load(g, LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file"));
        assertTrue(e.getMessage().contains(":1: kafka_config_file: expected 'global, <property>, <value>'"), e.getMessage());
        Path h = file("group, client.id, x\n");
        e = assertThrows(ConfigException.class, () -> LibrdkafkaConfig.load(h, LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file"));
        assertTrue(e.getMessage().contains("'global' or 'topic', got 'group'"), e.getMessage());
    }

    /** The Java client takes bytes: kilobytes out of librdkafka's range are refused, not wrapped around. */
    @Test
    void kilobytesInLibrdkafkasRange() throws Exception {
        assertEquals(Integer.MAX_VALUE * 1024L + "", load("global, queue.buffering.max.kbytes, 2147483647\n")
                .properties().getProperty("buffer.memory"));
        for (String bad : new String[] {"18014398509481985", "2147483648", "0", "-1", "2M"}) {
            Path f = file("global, queue.buffering.max.kbytes, " + bad + "\n");
            ConfigException e = assertThrows(ConfigException.class,
                    () -> LibrdkafkaConfig.load(f, LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file"));
            assertEquals(f + ":1: kafka_config_file: queue.buffering.max.kbytes: expected 1 to 2147483647 kilobytes, "
                    + "got '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void textThatIsNotUtf8IsRefusedWithItsLine() throws Exception {
        Path f = dir.resolve("latin1.conf");
        Files.write(f, "global, client.id, x\r\n\nglobal, client.id, caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        ConfigException e = assertThrows(ConfigException.class,
                () -> LibrdkafkaConfig.load(f, LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file"));
        assertEquals(f + ":3: kafka_config_file: not UTF-8 text", e.getMessage());
    }

    /** A field of control characters only is as empty as one of blanks (both are trimmed away). */
    @Test
    void fieldsEmptyOnceTrimmed() throws Exception {
        for (String line : new String[] {"global, client.id, \u0000", "global, \u0001, x", "global, client.id,  \t"}) {
            Path f = file(line + "\n");
            ConfigException e = assertThrows(ConfigException.class,
                    () -> LibrdkafkaConfig.load(f, LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file"));
            assertTrue(e.getMessage().startsWith(f + ":1: kafka_config_file: expected 'global, <property>, <value>'"),
                    e.getMessage());
        }
    }

    private LibrdkafkaConfig.Loaded load(String text) throws Exception {
        return LibrdkafkaConfig.load(file(text), LibrdkafkaConfig.Role.PRODUCER, "kafka_config_file");
    }

    @Test
    void brokerLists() {
        assertEquals("127.0.0.1:9093", KafkaBrokers.bootstrap("127.0.0.1", 9093));
        assertEquals("[::1]:9092", KafkaBrokers.bootstrap("::1", 9092));
        assertEquals("a:1,b:9092", KafkaBrokers.bootstrap("a:1, b", 9000));
        // tee_receivers' kafka_broker: each item keeps its own port, even alone
        assertEquals("k1:19092", KafkaBrokers.listed("k1:19092"));
        assertEquals("k1:9092,[::1]:9093", KafkaBrokers.listed("k1, [::1]:9093"));
    }
}
