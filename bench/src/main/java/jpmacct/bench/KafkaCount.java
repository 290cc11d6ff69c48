package jpmacct.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the messages of a topic from its beginning until it has been quiet for a while, for the kafka plugin's
 * benchmark. Prints the records (the lines of the values: kafka_multi_values joins several into one message), the
 * seconds between the first and the last message's broker timestamps, the bytes of the values, and the messages.
 *
 * <p>usage: KafkaCount BOOTSTRAP TOPIC QUIET_SECONDS [from-end]: from-end counts only what arrives after it said
 * "ready" (a warm-up pass before is left out).
 */
public final class KafkaCount {
    private static final long GIVE_UP_NANOS = Duration.ofMinutes(10).toNanos();

    private KafkaCount() {
    }

    public static void main(String[] args) {
        long quietNanos = Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        Map<String, Object> props = Map.of("bootstrap.servers", args[0], "group.id", "bench-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false", "max.poll.records", "10000");
        long count = 0;
        long records = 0;
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", args[0]))) {
            // created before the daemon sends, as a deployment has it: no metadata wait in the measured span
            admin.createTopics(List.of(new NewTopic(args[1], 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("topic " + args[1] + ": " + e.getMessage());
        }
        boolean fromEnd = args.length > 3 && args[3].equals("from-end");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(args[1], 0);
            consumer.assign(List.of(partition));
            if (fromEnd) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            consumer.position(partition); // resolved now: what arrives after "ready" is counted
            System.out.println("ready");
            System.out.flush();
            long start = System.nanoTime();
            long lastSeen = 0;
            while (System.nanoTime() - start < GIVE_UP_NANOS) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    count++;
                    records += lines(r.value());
                    bytes += r.value().length;
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                }
                if (!polled.isEmpty()) {
                    lastSeen = System.nanoTime();
                } else if (count > 0 && System.nanoTime() - lastSeen > quietNanos) {
                    break;
                }
            }
        }
        System.out.printf("%d %.3f %d %d%n", records, count > 1 ? (last - first) / 1000.0 : 0.0, bytes, count);
    }

    /** Records in a message: its lines, the last one with or without its newline. */
    private static long lines(byte[] value) {
        long n = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == '\n' || i == value.length - 1) {
                n++;
            }
        }
        return n;
    }
}
