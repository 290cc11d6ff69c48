package jpmacct.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import jpmacct.core.config.ConfigException;

/**
 * Arbitrary kafka_config_file contents through {@link LibrdkafkaConfig#parse} (what {@code load} does once the file is
 * read), for the producer and for the consumer: either properties that all have names the Java client knows, or a
 * {@link ConfigException} whose message starts with {@code file:line: key: }; any other exception is a finding.
 *
 * <p>Input: the file's bytes. A plain {@code mvn test} replays the committed inputs in
 * {@code src/test/resources/jpmacct/kafka/LibrdkafkaConfigFuzzTestInputs/parseArbitraryFiles/}; the {@code fuzz}
 * execution of this module's pom fuzzes for {@code maxDuration}. {@code -Dfuzz.skip=true} leaves that out.
 */
class LibrdkafkaConfigFuzzTest {
    private static final Path FILE = Path.of("/etc/pmacct/librdkafka.conf");
    private static final String KEY = "kafka_config_file";
    private static final Pattern WHERE = Pattern.compile(Pattern.quote(FILE + ":") + "(\\d+): "
            + Pattern.quote(KEY + ": "));

    @FuzzTest(maxDuration = "10s")
    // libFuzzer's dictionary syntax: \xNN escapes, which Jazzer passes on as written
    @DictionaryEntries({"global, ", "topic, ", "\\x0A", "\\x0D\\x0A", "!", "metadata.broker.list", "bootstrap.servers",
        "queue.buffering.max.kbytes", "request.required.acks", "security.protocol", "auto.offset.reset",
        "partition.assignment.strategy", "ssl.endpoint.identification.algorithm", "socket.keepalive.enable",
        "ssl.key.location", "group.id", "smallest", "roundrobin", "cooperative-sticky", "-1"})
    void parseArbitraryFiles(byte[] content) {
        check(content, LibrdkafkaConfig.Role.PRODUCER, ProducerConfig.configNames());
        check(content, LibrdkafkaConfig.Role.CONSUMER, ConsumerConfig.configNames());
    }

    private static void check(byte[] content, LibrdkafkaConfig.Role role, Set<String> javaNames) {
        LibrdkafkaConfig.Loaded loaded;
        try {
            loaded = LibrdkafkaConfig.parse(FILE, content, role, KEY);
        } catch (ConfigException e) {
            Matcher m = WHERE.matcher(e.getMessage());
            assertTrue(m.lookingAt(), e.getMessage());
            int line = Integer.parseInt(m.group(1));
            assertTrue(line >= 1 && line <= 1 + lineBreaks(content), "line " + line + " of " + e.getMessage());
            return;
        }
        for (String name : loaded.properties().stringPropertyNames()) {
            assertTrue(javaNames.contains(name), role + " has no property " + name);
        }
        for (String note : loaded.notes()) {
            assertTrue(note.startsWith(FILE + ":"), note);
        }
    }

    /** LF, CR and CRLF each end a line. */
    private static int lineBreaks(byte[] content) {
        int n = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n' || content[i] == '\r' && (i + 1 == content.length || content[i + 1] != '\n')) {
                n++;
            }
        }
        return n;
    }
}
