package jpmacct.kafkabroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints the messages of the topics matching a pattern, from their beginning, one per line, until interrupted (or
 * until none came for {@code --idle} seconds): {@code bin/kafka-broker consume 'pmacct.acct.*' [--bootstrap
 * 127.0.0.1:9092] [--idle N]}. Text as it is; binary (Avro) messages in hex.
 */
public final class TopicReader {
    private TopicReader() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println("usage: kafka-broker consume TOPIC-REGEX [--bootstrap 127.0.0.1:9092] [--idle SECONDS]");
            return;
        }
        String bootstrap = "127.0.0.1:9092";
        long idleSeconds = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--idle" -> idleSeconds = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "group.id", "kafka-broker-consume-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false", "metadata.max.age.ms", "5000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(Pattern.compile(args[0]));
            long last = System.nanoTime();
            while (idleSeconds == 0 || System.nanoTime() - last < Duration.ofSeconds(idleSeconds).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(text(r.value()));
                    last = System.nanoTime();
                }
            }
        }
    }

    private static String text(byte[] value) {
        for (byte b : value) {
            if (b < 0x20 && b != '\n' && b != '\t') {
                StringBuilder hex = new StringBuilder(value.length * 2);
                for (byte x : value) {
                    hex.append(String.format("%02x", x));
                }
                return hex.toString();
            }
        }
        return new String(value, StandardCharsets.UTF_8).strip();
    }
}
