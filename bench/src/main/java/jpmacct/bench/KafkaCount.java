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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the messages of a topic from its beginning until it has been quiet for a while, for the kafka plugin's
 * benchmark. Prints the count, the seconds between the first and the last message's broker timestamps, and the
 * bytes of the messages' values.
 *
 * <p>usage: KafkaCount BOOTSTRAP TOPIC QUIET_SECONDS
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
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", args[0]))) {
            // created before the daemon sends, as a deployment has it: no metadata wait in the measured span
            admin.createTopics(List.of(new NewTopic(args[1], 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("topic " + args[1] + ": " + e.getMessage());
        }
        System.out.println("ready");
        System.out.flush();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[1]));
            long start = System.nanoTime();
            long lastSeen = 0;
            while (System.nanoTime() - start < GIVE_UP_NANOS) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    count++;
                    bytes += r.value().length;
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                }
                if (!records.isEmpty()) {
                    lastSeen = System.nanoTime();
                } else if (count > 0 && System.nanoTime() - lastSeen > quietNanos) {
                    break;
                }
            }
        }
        System.out.printf("%d %.3f %d%n", count, count > 1 ? (last - first) / 1000.0 : 0.0, bytes);
    }
}
