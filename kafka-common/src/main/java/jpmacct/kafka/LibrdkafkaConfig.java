package jpmacct.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import jpmacct.core.config.ConfigException;

/**
 * pmacct's {@code kafka_config_file}: lines {@code global|topic, key, value} of librdkafka properties, turned
 * into the Java client's properties. A property is passed on when the Java client has it under the same name,
 * renamed (with its value translated) when it has it under another, accepted without effect where the Java
 * client already behaves so, and refused with file:line otherwise: pmacct hands them to librdkafka unchecked
 * and logs a malformed line as ignored, here nothing in the file is silently dropped (docs/COMPATIBILITY.md).
 */
public final class LibrdkafkaConfig {
    /** Which Java client the properties are for. */
    public enum Role { PRODUCER, CONSUMER }

    /** The properties, and a line per librdkafka property accepted without effect (for one INFO line each). */
    public record Loaded(Properties properties, List<String> notes) {
    }

    private record Rename(String javaName, UnaryOperator<String> value) {
    }

    private static final UnaryOperator<String> SAME = v -> v;
    private static final Map<String, Rename> RENAMED = Map.ofEntries(
            Map.entry("metadata.broker.list", new Rename("bootstrap.servers", SAME)),
            Map.entry("sasl.mechanisms", new Rename("sasl.mechanism", SAME)),
            Map.entry("security.protocol", new Rename("security.protocol", v -> v.toUpperCase(Locale.ROOT))),
            Map.entry("ssl.ca.location", new Rename("ssl.truststore.location", SAME)),
            Map.entry("ssl.endpoint.identification.algorithm",
                    new Rename("ssl.endpoint.identification.algorithm", v -> v.equalsIgnoreCase("none") ? "" : v)),
            Map.entry("message.max.bytes", new Rename("max.request.size", SAME)),
            Map.entry("queue.buffering.max.ms", new Rename("linger.ms", SAME)),
            Map.entry("queue.buffering.max.kbytes", new Rename("buffer.memory", LibrdkafkaConfig::kilobytes)),
            Map.entry("compression.codec", new Rename("compression.type", SAME)),
            Map.entry("request.required.acks", new Rename("acks", v -> v.equals("-1") ? "all" : v)),
            Map.entry("acks", new Rename("acks", v -> v.equals("-1") ? "all" : v)),
            Map.entry("message.timeout.ms", new Rename("delivery.timeout.ms", SAME)),
            Map.entry("socket.timeout.ms", new Rename("request.timeout.ms", SAME)),
            Map.entry("message.send.max.retries", new Rename("retries", SAME)),
            Map.entry("socket.send.buffer.bytes", new Rename("send.buffer.bytes", SAME)),
            Map.entry("socket.receive.buffer.bytes", new Rename("receive.buffer.bytes", SAME)),
            Map.entry("topic.metadata.refresh.interval.ms", new Rename("metadata.max.age.ms", SAME)),
            Map.entry("max.in.flight", new Rename("max.in.flight.requests.per.connection", SAME)),
            Map.entry("fetch.wait.max.ms", new Rename("fetch.max.wait.ms", SAME)),
            Map.entry("fetch.message.max.bytes", new Rename("max.partition.fetch.bytes", SAME)),
            Map.entry("auto.offset.reset", new Rename("auto.offset.reset", LibrdkafkaConfig::offsetReset)),
            Map.entry("partition.assignment.strategy", new Rename("partition.assignment.strategy", LibrdkafkaConfig::assignor)));

    /** librdkafka properties whose effect the Java client has built in, or that only tune librdkafka's own logging. */
    private static final Map<String, String> WITHOUT_EFFECT = Map.of(
            "socket.keepalive.enable", "the Java client always enables TCP keepalive",
            "api.version.request", "the Java client always negotiates API versions",
            "broker.version.fallback", "the Java client always negotiates API versions",
            "log.connection.close", "connection closes are logged at the daemon's log level",
            "statistics.interval.ms", "librdkafka's statistics callback has no Java equivalent",
            "debug", "the Java client logs through the daemon's logger",
            "log_level", "the Java client logs through the daemon's logger",
            "queue.buffering.max.messages", "the plugin bounds its own buffer (kafka_buffer_size) and the client its bytes (queue.buffering.max.kbytes)",
            "batch.num.messages", "the Java client batches by bytes (batch.size)");

    /** Named so the refusal can say what to do instead. */
    private static final Map<String, String> HINTS = Map.of(
            "ssl.certificate.location", "put the certificate and key in one PEM or PKCS#12 file and use ssl.keystore.location",
            "ssl.key.location", "put the certificate and key in one PEM or PKCS#12 file and use ssl.keystore.location",
            "sasl.username", "set sasl.jaas.config (the Java client's form of SASL credentials)",
            "sasl.password", "set sasl.jaas.config (the Java client's form of SASL credentials)",
            "partitioner", "messages are partitioned by kafka_partition / kafka_partition_key",
            "enable.ssl.certificate.verification", "use ssl.endpoint.identification.algorithm and a trust store instead");

    private LibrdkafkaConfig() {
    }

    /**
     * Reads {@code file} for the given client.
     *
     * @param key the pmacct key that named the file, for messages
     */
    public static Loaded load(Path file, Role role, String key) throws ConfigException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage());
        }
        return parse(file, content, role, key);
    }

    /** What {@link #load} does once the file is read; {@code file} only names it in messages. */
    static Loaded parse(Path file, byte[] content, Role role, String key) throws ConfigException {
        List<String> lines = lines(file, content, key);
        Set<String> javaNames = role == Role.PRODUCER ? ProducerConfig.configNames() : ConsumerConfig.configNames();
        Properties props = new Properties();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("!") || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            String[] parts = line.split(",", 3);
            // emptiness after trim(), as the fields are trimmed below (isBlank() would let control characters by)
            if (parts.length != 3 || parts[1].trim().isEmpty() || parts[2].trim().isEmpty()) {
                throw new ConfigException(where + ": " + key + ": expected 'global, <property>, <value>' or "
                        + "'topic, <property>, <value>', got '" + line + "'");
            }
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("global") && !type.equals("topic")) {
                throw new ConfigException(where + ": " + key + ": the first field is 'global' or 'topic', got '"
                        + parts[0].trim() + "'");
            }
            String name = parts[1].trim();
            String value = parts[2].trim();
            Rename rename = RENAMED.get(name);
            try {
                if (rename != null && javaNames.contains(rename.javaName())) {
                    props.setProperty(rename.javaName(), rename.value().apply(value));
                } else if (javaNames.contains(name)) {
                    props.setProperty(name, value);
                } else if (WITHOUT_EFFECT.containsKey(name)) {
                    notes.add(where + ": librdkafka's " + name + " has no effect here: " + WITHOUT_EFFECT.get(name));
                } else {
                    String hint = HINTS.get(name);
                    throw new ConfigException(where + ": " + key + ": librdkafka property '" + name
                            + "' has no equivalent in the Java Kafka client's " + role.name().toLowerCase(Locale.ROOT)
                            + (hint != null ? "; " + hint : "; see docs/KAFKA.md for the properties that map"));
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + key + ": " + name + ": " + e.getMessage());
            }
        }
        return new Loaded(props, notes);
    }

    /** The lines as a reader splits them (LF, CR or CRLF); text that is not UTF-8 is refused with its line. */
    private static List<String> lines(Path file, byte[] content, String key) throws ConfigException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer text = CharBuffer.allocate(content.length); // UTF-8 never decodes to more chars than bytes
        if (utf8.decode(in, text, true).isError() || utf8.flush(text).isError()) {
            throw new ConfigException(file + ":" + lineAt(content, in.position()) + ": " + key
                    + ": not UTF-8 text");
        }
        return text.flip().toString().lines().toList();
    }

    /** The line (from 1) that holds byte {@code pos}. */
    private static int lineAt(byte[] content, int pos) {
        int line = 1;
        for (int i = 0; i < pos; i++) {
            if (content[i] == '\n' || content[i] == '\r' && (i + 1 == content.length || content[i + 1] != '\n')) {
                line++;
            }
        }
        return line;
    }

    /** librdkafka's queue.buffering.max.kbytes (its range) as the Java client's buffer.memory in bytes. */
    private static String kilobytes(String v) {
        long k;
        try {
            k = Long.parseLong(v);
        } catch (NumberFormatException e) {
            k = 0;
        }
        if (k < 1 || k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected 1 to " + Integer.MAX_VALUE + " kilobytes, got '" + v + "'");
        }
        return Long.toString(k * 1024);
    }

    private static String offsetReset(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "smallest", "earliest", "beginning" -> "earliest";
            case "largest", "latest", "end" -> "latest";
            case "error" -> "none";
            default -> throw new IllegalArgumentException("expected smallest|earliest|largest|latest|error, got '" + v + "'");
        };
    }

    private static String assignor(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            out.add(switch (s.trim()) {
                case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
                case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
                case "cooperative-sticky" -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
                default -> throw new IllegalArgumentException("expected range, roundrobin or cooperative-sticky, got '" + s.trim() + "'");
            });
        }
        return String.join(",", out);
    }
}
