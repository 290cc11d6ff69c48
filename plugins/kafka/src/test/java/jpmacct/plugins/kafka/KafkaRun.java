package jpmacct.plugins.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import jpmacct.nfacctd.Nfacctd;
import jpmacct.pmacctd.DaemonJvm;
import jpmacct.pmacctd.DaemonProcess;
import jpmacct.pmacctd.Pmacctd;

/**
 * What the kafka plugin's tests share: daemons (pmacctd, nfacctd) run in their own JVM in the test's directory, with
 * their configuration in p.conf and their log in p.log; topics read whole with a plain consumer. Tests wait for what
 * the log says, for a daemon's exit, or for a topic's end offsets, never for a time.
 */
final class KafkaRun {
    /** The test's class path without the broker's log4j binding: daemons log through logback. */
    private static final DaemonJvm DAEMONS = DaemonJvm.on(Stream.of(System.getProperty("java.class.path")
            .split(System.getProperty("path.separator"))).filter(e -> !e.contains("log4j")).collect(Collectors.toList()));

    /** How long a test waits for a state before it fails; far longer than any state takes. */
    static final long PATIENCE_MILLIS = 180_000;
    private static final String CONF = "p.conf";
    private static final String LOG = "p.log";
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Pattern JSON_STRING_FIELD = Pattern.compile(", \"(stamp_updated|writer_id)\": \"[^\"]*\"");

    private KafkaRun() {
    }

    /** A topic name no other test uses on the shared broker. */
    static String topic(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8) + TOPICS.incrementAndGet();
    }

    /** The lines pointing plugin {@code name} at a broker. */
    static String brokerLines(String name, String bootstrap) {
        int colon = bootstrap.lastIndexOf(':');
        return "kafka_broker_host[" + name + "]: " + bootstrap.substring(0, colon) + "\nkafka_broker_port[" + name
                + "]: " + bootstrap.substring(colon + 1) + "\n";
    }

    static Process start(Path dir, String conf) throws IOException {
        return start(Pmacctd.class, dir, conf);
    }

    /** Starts a daemon with {@code conf} (plus its log file) as p.conf in {@code dir}. */
    static Process start(Class<?> daemon, Path dir, String conf) throws IOException {
        Files.writeString(dir.resolve(CONF), conf + "logfile: " + LOG + "\n", StandardCharsets.UTF_8);
        Files.deleteIfExists(dir.resolve(LOG));
        return DaemonProcess.start(DAEMONS, daemon, dir, List.of("-f", CONF));
    }

    /** Runs pmacctd to the end of its savefile; checks it exits 0 and returns what it said. */
    static String run(Path dir, String conf) throws Exception {
        return run(Pmacctd.class, dir, conf);
    }

    static String run(Class<?> daemon, Path dir, String conf) throws Exception {
        return ended(start(daemon, dir, conf), dir);
    }

    static String runNfacctd(Path dir, String conf) throws Exception {
        return run(Nfacctd.class, dir, conf);
    }

    /** Waits for the daemon's end; checks it exits 0 without a stack trace; returns what it said. */
    static String ended(Process p, Path dir) throws Exception {
        assertTrue(p.waitFor(PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "the daemon ends:\n" + output(dir));
        String out = output(dir);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        return out;
    }

    /** Sends SIGTERM and waits for a clean end. */
    static String stop(Process p, Path dir) throws Exception {
        p.destroy();
        return ended(p, dir);
    }

    /** Runs pmacctd expecting a refusal at start-up: non-zero exit, no stack trace; returns what it said. */
    static String refused(Path dir, String conf) throws Exception {
        Process p = start(Pmacctd.class, dir, conf);
        assertTrue(p.waitFor(PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "pmacctd ends");
        String out = output(dir);
        assertTrue(p.exitValue() != 0, "refused:\n" + out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        return out;
    }

    static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    /** What the daemon said: what it printed before its log file was open, then its log file. */
    static String output(Path dir) {
        return read(dir.resolve(".stderr")) + read(dir.resolve(LOG));
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void awaitLog(Path dir, String text) throws Exception {
        awaitLog(dir, text, 1);
    }

    /** Waits until the daemon's log holds {@code text} {@code times} times. */
    static void awaitLog(Path dir, String text, int times) throws Exception {
        await(() -> count(read(dir.resolve(LOG)), text) >= times, "'" + text + "' x" + times + " in the log", dir);
    }

    static void await(BooleanSupplier state, String what, Path dir) throws Exception {
        DaemonProcess.await(state, what, PATIENCE_MILLIS, () -> output(dir));
    }

    static int count(String haystack, String needle) {
        return DaemonProcess.count(haystack, needle);
    }

    /** A message as read back: where it was, its key, its text and its bytes (Avro). */
    record Read(String topic, int partition, long offset, String key, String value, byte[] bytes) {
    }

    /** Every message a topic holds, by partition then offset; empty when the topic does not exist. */
    static List<Read> all(String bootstrap, String topic) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        List<Read> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = c.listTopics(Duration.ofSeconds(30)).get(topic);
            if (infos == null) {
                return out;
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(new Read(r.topic(), r.partition(), r.offset(),
                            r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                            new String(r.value(), StandardCharsets.UTF_8), r.value()));
                }
            }
        }
        out.sort(Comparator.comparing(Read::partition).thenComparing(Read::offset));
        return out;
    }

    static List<String> values(List<Read> reads) {
        return reads.stream().map(Read::value).toList();
    }

    /** Creates a topic with this many partitions. */
    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin a = Admin.create(p)) {
            a.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** A JSON object without the fields that differ between two plugins of a run: stamp_updated and writer_id. */
    static String comparable(String json) {
        Matcher m = JSON_STRING_FIELD.matcher(json);
        return m.replaceAll("");
    }

    /** The lines of a print plugin's JSON file. */
    static List<String> printed(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{")).toList();
    }
}
