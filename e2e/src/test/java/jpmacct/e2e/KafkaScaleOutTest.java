package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;

import jpmacct.kafkabroker.BrokerProcess;

/**
 * Kafka as the way collectors scale out, as users run it (docs/SCALE-OUT.md): nfacctd's tee puts the datagrams of
 * two exporters on a topic, nfacctd and sfacctd read them back as one consumer group, a collector that stops or is
 * killed hands its partitions over; pmacct 1.7.7's tee and nfacctd on either side of the topic.
 */
class KafkaScaleOutTest {
    private static final String CISCO_V9 = "101-NFv9-CISCO-cust_primitives";
    private static final String AGGREGATE = "peer_src_ip, src_host, dst_host, src_port, dst_port, proto, tos, "
            + "in_iface, out_iface";
    private static final String EXPORTER_A = "127.0.0.2";
    private static final String EXPORTER_B = "127.0.0.3";
    private static final Pattern READING = Pattern.compile("kafka: consumer \\S+: (?:assigned|revoked|lost) .*; "
            + "reading \\[([^\\]]*)\\]");
    private static final Map<String, String> ENV = NfacctdConformanceTest.UTC;

    private static Admin admin;

    @BeforeAll
    static void broker() {
        // the Kafka client's own chatter stays out of the test's output
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.WARN);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerProcess.shared().bootstrap()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    /** The partition Kafka's default partitioner gives an exporter's messages (keyed by its address). */
    private static int partitionOf(String exporter, int partitions) {
        return Utils.toPositive(Utils.murmur2(exporter.getBytes(StandardCharsets.US_ASCII))) % partitions;
    }

    private static Map<TopicPartition, Long> ends(String topic) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> want = new HashMap<>();
        int n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        for (int i = 0; i < n; i++) {
            want.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        admin.listOffsets(want).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Waits until the topic holds {@code messages} messages and the group has committed all of them: the collectors
     * of the group have read every datagram and published its records to their plugins (they commit only then).
     */
    private static void awaitCommitted(String group, String topic, long messages, Path... dirs) throws Exception {
        Daemon.awaitCondition("group " + group + " to commit the " + messages + " messages of " + topic, 180, () -> {
            try {
                Map<TopicPartition, Long> end = ends(topic);
                if (total(end) < messages) {
                    return false;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    if (e.getValue() > 0 && (c == null || c.offset() < e.getValue())) {
                        return false;
                    }
                }
                return true;
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }, () -> logs(dirs));
    }

    private static String logs(Path... dirs) {
        StringBuilder sb = new StringBuilder();
        for (Path d : dirs) {
            for (String p : List.of("nfacctd", "sfacctd")) {
                String log = Daemon.read(d.resolve(p + ".log"));
                if (!log.isEmpty()) {
                    sb.append("--- ").append(d.getFileName()).append('/').append(p).append(".log\n").append(log);
                }
            }
        }
        return sb.toString();
    }

    private static String log(Path dir, String program) {
        return Daemon.read(dir.resolve(program + ".log"));
    }

    /** The partitions a collector reads, from its last assignment line ("reading [flows-0, flows-3]"). */
    private static Set<String> reading(Path dir, String program) {
        Matcher m = READING.matcher(log(dir, program));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        Set<String> out = new HashSet<>();
        if (last != null && !last.isBlank()) {
            for (String p : last.split(", ")) {
                out.add(p.trim());
            }
        }
        return out;
    }

    /** Which of the collectors reads the partition. */
    private static int readerOf(String partition, Path... dirs) {
        for (int i = 0; i < dirs.length; i++) {
            if (reading(dirs[i], "nfacctd").contains(partition)) {
                return i;
            }
        }
        throw new AssertionError("nobody reads " + partition + ":\n" + logs(dirs));
    }

    /** Waits until the collectors read every partition of the topic between them, none twice. */
    private static void awaitAssigned(String topic, int partitions, String program, Path... dirs) throws Exception {
        Daemon.awaitCondition("the " + partitions + " partitions of " + topic + " assigned", 120, () -> {
            Set<String> all = new HashSet<>();
            int sum = 0;
            for (Path d : dirs) {
                Set<String> r = reading(d, program);
                if (r.isEmpty()) {
                    return false;
                }
                all.addAll(r);
                sum += r.size();
            }
            return all.size() == partitions && sum == partitions;
        }, () -> logs(dirs));
    }

    private static String consumerConfig(Path dir, String group, String... lines) throws IOException {
        StringBuilder sb = new StringBuilder("! the consumer group of the collectors that share the topic\n"
                + "global, group.id, " + group + "\n"
                + "! what the tee wrote before this group first started is read too\n"
                + "global, auto.offset.reset, earliest\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        Files.writeString(dir.resolve("consumer.conf"), sb.toString());
        return "consumer.conf";
    }

    private static String kafkaCollector(String program, String topic, String plugins, String... extra) {
        BrokerProcess b = BrokerProcess.shared();
        StringBuilder sb = new StringBuilder("daemonize: false\nlogfile: " + program + ".log\n"
                + program + "_kafka_broker_host: " + b.host() + "\n"
                + program + "_kafka_broker_port: " + b.port() + "\n"
                + program + "_kafka_topic: " + topic + "\n"
                + program + "_kafka_config_file: consumer.conf\n"
                + "plugins: " + plugins + "\n");
        for (String e : extra) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /** A tee on a UDP port putting every datagram on the topic. */
    private static String teeToKafka(Path dir, String program, int port, String topic) throws IOException {
        Files.writeString(dir.resolve("tee_receivers.lst"), "! every datagram to Kafka, keyed by exporter\n"
                + "id=1 kafka_broker=" + BrokerProcess.shared().bootstrap() + " kafka_topic=" + topic + "\n");
        return TeeE2ETest.collector(program, port, "tee[kafka]", "tee_receivers: tee_receivers.lst");
    }

    private static String printing(String name, String aggregate) {
        return "print_refresh_time[" + name + "]: 3600\naggregate[" + name + "]: " + aggregate + "\nprint_output["
                + name + "]: csv\nprint_output_file[" + name + "]: " + name + ".csv";
    }

    private static Daemon start(String program, Path dir, String conf) throws Exception {
        Files.writeString(dir.resolve(program + ".conf"), conf, StandardCharsets.UTF_8);
        Daemon d = Daemon.program(program, dir, ENV, "-f", program + ".conf");
        // UDP: "waiting for ... data on", Kafka: pmacct's "reading ... data from Kafka"
        d.await("the collector to start", 90, () -> log(dir, program).contains("waiting for")
                || log(dir, program).contains("data from Kafka"));
        return d;
    }

    private static void stop(Daemon d, String signal) throws Exception {
        d.signal(signal);
        assertEquals(0, d.waitFor(90), d.stderr());
    }

    private static Path dir(Path root, String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    /** Rows of a print CSV summed per key (every column but PACKETS and BYTES); several files are one union. */
    private static Map<String, long[]> summed(Path... files) throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            List<String> header = List.of(lines.get(0).split(","));
            int packets = header.indexOf("PACKETS");
            int bytes = header.indexOf("BYTES");
            for (String row : lines.subList(1, lines.size())) {
                if (row.equals(lines.get(0)) || row.isBlank()) {
                    continue; // the header again: purges appended to one file
                }
                String[] c = row.split(",", -1);
                StringBuilder key = new StringBuilder();
                for (int i = 0; i < c.length; i++) {
                    if (i != packets && i != bytes) {
                        key.append(c[i]).append(',');
                    }
                }
                long[] v = out.computeIfAbsent(key.toString(), k -> new long[2]);
                v[0] += Long.parseLong(c[packets]);
                v[1] += Long.parseLong(c[bytes]);
            }
        }
        return out;
    }

    private static String table(Map<String, long[]> t) {
        StringBuilder sb = new StringBuilder();
        t.forEach((k, v) -> sb.append(k).append(v[0]).append(',').append(v[1]).append('\n'));
        return sb.toString();
    }

    private static long packets(Map<String, long[]> t) {
        return t.values().stream().mapToLong(v -> v[0]).sum();
    }

    private static List<String> sortedLines(Path p) throws IOException {
        List<String> l = new ArrayList<>(Files.readAllLines(p, StandardCharsets.UTF_8));
        Collections.sort(l);
        return l;
    }

    /**
     * Two exporters' NetFlow v9 through a tee into a topic of four partitions, read back by nfacctd: the same table
     * as an nfacctd that receives the datagrams itself, each flow under its own exporter (peer_src_ip).
     */
    @Test
    void teeThroughKafkaEqualsDirectCollection(@TempDir Path root) throws Exception {
        String topic = "v9-two-exporters";
        createTopic(topic, 4);
        List<byte[]> capture = Replayer.payloads(NfacctdConformanceTest.capture(CISCO_V9));
        int teePort = NfacctdConformanceTest.freePort();
        int directPort = NfacctdConformanceTest.freePort();
        Path t = dir(root, "tee");
        Path k = dir(root, "kafka");
        Path d = dir(root, "direct");
        consumerConfig(k, "v9-readers");
        try (Daemon fromKafka = start("nfacctd", k, kafkaCollector("nfacctd", topic, "print[p]",
                     printing("p", AGGREGATE)));
             Daemon direct = start("nfacctd", d, TeeE2ETest.collector("nfacctd", directPort, "print[p]",
                     printing("p", AGGREGATE)));
             Daemon tee = start("nfacctd", t, teeToKafka(t, "nfacctd", teePort, topic))) {
            for (String exporter : List.of(EXPORTER_A, EXPORTER_B)) {
                Replayer.send(capture, exporter, teePort);
                Replayer.send(capture, exporter, directPort);
            }
            Daemon.awaitSocketRead(teePort, tee::stderr);
            Daemon.awaitSocketRead(directPort, direct::stderr);
            stop(tee, "INT");
            assertTrue(log(t, "nfacctd").contains("tee: pool 1 receiver kafka " + BrokerProcess.shared().bootstrap()
                    + "/" + topic + ": " + 2 * capture.size() + " datagrams"), log(t, "nfacctd"));
            awaitCommitted("v9-readers", topic, 2L * capture.size(), k);
            stop(fromKafka, "TERM");
            stop(direct, "TERM");
        }
        Map<TopicPartition, Long> end = ends(topic);
        for (String exporter : List.of(EXPORTER_A, EXPORTER_B)) {
            assertTrue(end.get(new TopicPartition(topic, partitionOf(exporter, 4))) >= capture.size(),
                    "an exporter's datagrams on its key's partition: " + end);
        }
        List<String> expected = sortedLines(d.resolve("p.csv"));
        assertTrue(expected.size() > 20 && expected.stream().anyMatch(l -> l.startsWith(EXPORTER_A + ","))
                && expected.stream().anyMatch(l -> l.startsWith(EXPORTER_B + ",")), expected.toString());
        assertEquals(expected, sortedLines(k.resolve("p.csv")));
        String log = log(k, "nfacctd");
        assertTrue(log.contains("new exporter " + EXPORTER_A) && log.contains("new exporter " + EXPORTER_B), log);
        assertTrue(log.contains("kafka: topic " + topic + ": " + 2 * capture.size() + " messages read, 0 not IP/UDP "
                + "datagrams"), log);
    }

    /**
     * Three nfacctd of one group on a topic of six partitions, two exporters' NetFlow v9 arriving round after
     * round; one collector is stopped (SIGTERM) while the traffic flows. The others take its partitions over from
     * its last commit, which it made on the way out: the union of the three tables equals one collector's table
     * of the same traffic, with no record counted twice. Templates: the new owner of an exporter holds the data
     * sets it reads before that exporter's next template (nfacctd_templates_wait_buffer), then decodes them.
     */
    @Test
    void threeCollectorsShareTheTopicAndTakeOverFromOneThatStops(@TempDir Path root) throws Exception {
        String topic = "scale-out";
        int partitions = 6;
        createTopic(topic, partitions);
        List<byte[]> capture = Replayer.payloads(NfacctdConformanceTest.capture(CISCO_V9));
        int rounds = 8;
        int teePort = NfacctdConformanceTest.freePort();
        int directPort = NfacctdConformanceTest.freePort();
        Path t = dir(root, "tee");
        Path d = dir(root, "direct");
        Path[] c = {dir(root, "c1"), dir(root, "c2"), dir(root, "c3")};
        for (Path p : c) {
            consumerConfig(p, "scale-out");
        }
        Daemon[] collectors = new Daemon[3];
        try (Daemon direct = start("nfacctd", d, TeeE2ETest.collector("nfacctd", directPort, "print[p]",
                     printing("p", AGGREGATE)));
             Daemon tee = start("nfacctd", t, teeToKafka(t, "nfacctd", teePort, topic))) {
            for (int i = 0; i < 3; i++) {
                collectors[i] = start("nfacctd", c[i], kafkaCollector("nfacctd", topic, "print[p]",
                        printing("p", AGGREGATE)));
            }
            awaitAssigned(topic, partitions, "nfacctd", c);
            // round 1: every collector knows the templates of the exporters it reads
            for (String exporter : List.of(EXPORTER_A, EXPORTER_B)) {
                Replayer.send(capture, exporter, teePort);
                Replayer.send(capture, exporter, directPort);
            }
            awaitCommitted("scale-out", topic, 2L * capture.size(), c);
            String partitionA = topic + "-" + partitionOf(EXPORTER_A, partitions);
            int victim = readerOf(partitionA, c);
            // the other rounds paced, so the stop falls in the middle of them
            List<byte[]> rest = new ArrayList<>();
            for (int r = 1; r < rounds; r++) {
                rest.addAll(capture);
            }
            Thread sender = paced(15, List.of(teePort, directPort), rest, rest);
            long[] logged = new long[3];
            for (int i = 0; i < 3; i++) {
                logged[i] = log(c[i], "nfacctd").length();
            }
            long afterRound1 = committed("scale-out", new TopicPartition(topic, partitionOf(EXPORTER_A, partitions)));
            Daemon.awaitCondition("the victim to read into round 2", 120, () -> committedSafe("scale-out",
                    new TopicPartition(topic, partitionOf(EXPORTER_A, partitions))) > afterRound1, () -> logs(c));
            assertTrue(sender.isAlive(), "the stop falls while the traffic flows");
            stop(collectors[victim], "TERM");
            sender.join();
            Daemon.awaitSocketRead(teePort, tee::stderr);
            Daemon.awaitSocketRead(directPort, direct::stderr);
            stop(tee, "INT");
            awaitCommitted("scale-out", topic, 2L * rounds * capture.size(), c);
            for (int i = 0; i < 3; i++) {
                if (i != victim) {
                    stop(collectors[i], "TERM");
                }
            }
            stop(direct, "TERM");
            Pattern takenOver = Pattern.compile("kafka: consumer \\S+: assigned \\[[^\\]]*\\b"
                    + Pattern.quote(partitionA) + "\\b");
            boolean handedOver = false;
            for (int i = 0; i < 3; i++) {
                if (i != victim) {
                    handedOver |= takenOver.matcher(log(c[i], "nfacctd").substring((int) logged[i])).find();
                }
            }
            assertTrue(handedOver, "a survivor took " + partitionA + " over:\n" + logs(c));
        } finally {
            for (Daemon x : collectors) {
                if (x != null) {
                    x.close();
                }
            }
        }
        Map<String, long[]> expected = summed(d.resolve("p.csv"));
        Map<String, long[]> union = summed(c[0].resolve("p.csv"), c[1].resolve("p.csv"), c[2].resolve("p.csv"));
        long duplicates = packets(union) - packets(expected);
        System.out.println("scale-out, one of three collectors stopped mid-run: " + packets(expected) + " packets "
                + "accounted directly, " + packets(union) + " by the group; duplicates: " + duplicates);
        assertEquals(table(expected), table(union));
        assertEquals(0, duplicates);
    }

    /**
     * A thread sending the i-th datagram of each list from its exporter (A, B), in turns, to each port,
     * {@code millis} apart: traffic that lasts, for what a test does while it flows.
     */
    private static Thread paced(long millis, List<Integer> ports, List<byte[]> fromA, List<byte[]> fromB) {
        Thread t = new Thread(() -> {
            try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
                a.bind(new InetSocketAddress(InetAddress.getByName(EXPORTER_A), 0));
                b.bind(new InetSocketAddress(InetAddress.getByName(EXPORTER_B), 0));
                InetAddress to = InetAddress.getByName("127.0.0.1");
                for (int i = 0; i < fromA.size(); i++) {
                    for (int port : ports) {
                        a.send(ByteBuffer.wrap(fromA.get(i)), new InetSocketAddress(to, port));
                        b.send(ByteBuffer.wrap(fromB.get(i)), new InetSocketAddress(to, port));
                    }
                    Thread.sleep(millis);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "traffic");
        t.start();
        return t;
    }

    private static long committed(String group, TopicPartition tp) throws Exception {
        OffsetAndMetadata m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        return m == null ? 0 : m.offset();
    }

    private static long committedSafe(String group, TopicPartition tp) {
        try {
            return committed(group, tp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A UDP socket on 127.0.0.1 counting datagrams by content, for the collectors' tee plugins to send to. */
    private static final class Counting implements AutoCloseable {
        final DatagramChannel channel;
        final Map<String, Integer> seen = Collections.synchronizedMap(new HashMap<>());
        final Thread thread;

        Counting() throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 16 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            thread = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(65536);
                try {
                    while (true) {
                        b.clear();
                        channel.receive(b);
                        b.flip();
                        seen.merge(StandardCharsets.US_ASCII.decode(b).toString(), 1, Integer::sum);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "counting receiver");
            thread.setDaemon(true);
            thread.start();
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        int distinct() {
            return seen.size();
        }

        long received() {
            synchronized (seen) {
                return seen.values().stream().mapToLong(Integer::longValue).sum();
            }
        }

        long from(String exporter) {
            synchronized (seen) {
                return seen.keySet().stream().filter(s -> s.startsWith("exporter " + exporter + " ")).count();
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * At-least-once: three collectors of one group pass every datagram they read on with a tee to one receiver;
     * the one reading exporter A is killed (SIGKILL) while the datagrams flow. After the group's session timeout
     * another member reads its partition again from its last commit: every datagram arrives, those it had read
     * since that commit twice. The count of duplicates is the measure docs/SCALE-OUT.md quotes.
     */
    @Test
    void aKilledCollectorsPartitionsAreReadAgainFromItsLastCommit(@TempDir Path root) throws Exception {
        String topic = "crash";
        int partitions = 6;
        createTopic(topic, partitions);
        int perExporter = 1500;
        int teePort = NfacctdConformanceTest.freePort();
        Path t = dir(root, "tee");
        Path[] c = {dir(root, "c1"), dir(root, "c2"), dir(root, "c3")};
        Daemon[] collectors = new Daemon[3];
        try (Counting receiver = new Counting();
             Daemon tee = start("nfacctd", t, teeToKafka(t, "nfacctd", teePort, topic))) {
            for (int i = 0; i < 3; i++) {
                // a killed member is noticed after session.timeout.ms (45 s by default)
                consumerConfig(c[i], "crash", "global, session.timeout.ms, 6000", "global, heartbeat.interval.ms, 1000");
                Files.writeString(c[i].resolve("r.lst"), "id=1 ip=127.0.0.1:" + receiver.port() + "\n");
                collectors[i] = start("nfacctd", c[i], kafkaCollector("nfacctd", topic, "tee[out]",
                        "tee_receivers: r.lst"));
            }
            awaitAssigned(topic, partitions, "nfacctd", c);
            String partitionA = topic + "-" + partitionOf(EXPORTER_A, partitions);
            int victim = readerOf(partitionA, c);
            Thread sender = paced(3, List.of(teePort), TeeE2ETest.marked(EXPORTER_A, perExporter),
                    TeeE2ETest.marked(EXPORTER_B, perExporter));
            Daemon killed = collectors[victim];
            killed.await("a fifth of exporter A's datagrams through the collector reading them", 120,
                    () -> receiver.from(EXPORTER_A) >= perExporter / 5);
            assertTrue(sender.isAlive(), "the kill falls while the traffic flows");
            killed.signal("KILL");
            killed.waitFor(30);
            sender.join();
            Daemon.awaitSocketRead(teePort, tee::stderr);
            stop(tee, "INT");
            awaitCommitted("crash", topic, 2L * perExporter, c);
            Daemon.awaitCondition("every datagram at the receiver", 60, () -> receiver.distinct() >= 2 * perExporter,
                    () -> logs(c) + "\nreceived " + receiver.distinct() + " distinct");
            for (int i = 0; i < 3; i++) {
                if (i != victim) {
                    stop(collectors[i], "TERM");
                }
            }
            long duplicates = receiver.received() - receiver.distinct();
            System.out.println("scale-out, one of three collectors killed mid-run: " + 2 * perExporter
                    + " datagrams, each received at least once; duplicates (read again from the last commit): "
                    + duplicates);
            assertEquals(2 * perExporter, receiver.distinct());
        } finally {
            for (Daemon x : collectors) {
                if (x != null) {
                    x.close();
                }
            }
        }
    }

    /** sFlow too: sfacctd's tee into Kafka, sfacctd reading it, the table of an sfacctd that receives directly. */
    @Test
    void sfacctdThroughKafka(@TempDir Path root) throws Exception {
        String topic = "sflow";
        createTopic(topic, 2);
        List<byte[]> capture = Replayer.payloads(NfacctdConformanceTest.vectors().resolve("sflow-sfprobe-rate1")
                .resolve("export.pcap"));
        int teePort = NfacctdConformanceTest.freePort();
        int directPort = NfacctdConformanceTest.freePort();
        Path t = dir(root, "tee");
        Path k = dir(root, "kafka");
        Path d = dir(root, "direct");
        consumerConfig(k, "sflow-readers");
        String aggregate = "peer_src_ip, src_host, dst_host, src_port, dst_port, proto, in_iface, out_iface";
        try (Daemon fromKafka = start("sfacctd", k, kafkaCollector("sfacctd", topic, "print[p]",
                     printing("p", aggregate)));
             Daemon direct = start("sfacctd", d, TeeE2ETest.collector("sfacctd", directPort, "print[p]",
                     printing("p", aggregate)));
             Daemon tee = start("sfacctd", t, teeToKafka(t, "sfacctd", teePort, topic))) {
            Replayer.send(capture, EXPORTER_A, teePort);
            Replayer.send(capture, EXPORTER_A, directPort);
            Daemon.awaitSocketRead(teePort, tee::stderr);
            Daemon.awaitSocketRead(directPort, direct::stderr);
            stop(tee, "INT");
            awaitCommitted("sflow-readers", topic, capture.size(), k);
            stop(fromKafka, "TERM");
            stop(direct, "TERM");
        }
        List<String> expected = sortedLines(d.resolve("p.csv"));
        assertTrue(expected.size() > 10, expected.toString());
        assertEquals(expected, sortedLines(k.resolve("p.csv")));
        assertTrue(log(k, "sfacctd").contains("reading sFlow data from Kafka " + BrokerProcess.shared().bootstrap()
                + ":" + topic + " (group sflow-readers, 1 consumer)"), log(k, "sfacctd"));
    }

    private static List<ConsumerRecord<byte[], byte[]>> messages(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerProcess.shared().bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * pmacct 1.7.7's tee (tee_transparent, as it requires for Kafka) and ours put the same savefile on Kafka: the
     * same message bytes; our nfacctd reading pmacct's topic accounts what it accounts reading the savefile.
     */
    @Test
    void pmacctsTeeWritesWhatOursWritesAndOurNfacctdReadsIt(@TempDir Path root) throws Exception {
        Path nfacctd = Path.of("/usr/sbin/nfacctd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(nfacctd), "pmacct 1.7.7 not installed");
        Path savefile = E2e.root().resolve("examples/netflow-v9.pcap");
        int datagrams = datagrams(savefile);
        createTopic("pm-tee", 1);
        createTopic("our-tee", 1);
        Path pm = dir(root, "pmacct");
        Path ours = dir(root, "ours");
        for (Path p : List.of(pm, ours)) {
            String topic = p == pm ? "pm-tee" : "our-tee";
            Files.writeString(p.resolve("tee_receivers.lst"), "id=1 kafka_broker=" + BrokerProcess.shared().bootstrap()
                    + " kafka_topic=" + topic + "\n");
            Files.writeString(p.resolve("nfacctd.conf"), "daemonize: false\npcap_savefile: " + savefile
                    + "\nplugins: tee[k]\ntee_receivers: " + p.resolve("tee_receivers.lst") + "\ntee_transparent: true\n");
        }
        E2e.Result r = E2e.run(pm, 120, nfacctd.toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr());
        r = E2e.run(ours, 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr());
        List<ConsumerRecord<byte[], byte[]>> theirs = messages("pm-tee", datagrams);
        List<ConsumerRecord<byte[], byte[]>> mine = messages("our-tee", datagrams);
        assertEquals(datagrams, theirs.size());
        assertEquals(datagrams, mine.size());
        for (int i = 0; i < datagrams; i++) {
            assertArrayEquals(theirs.get(i).value(), mine.get(i).value(), "message " + i);
            assertEquals(null, theirs.get(i).key());
            assertArrayEquals("127.0.0.1".getBytes(StandardCharsets.US_ASCII), mine.get(i).key());
        }

        Path k = dir(root, "kafka");
        Path d = dir(root, "direct");
        consumerConfig(k, "pm-readers");
        Files.writeString(d.resolve("nfacctd.conf"), "daemonize: false\npcap_savefile: " + savefile + "\nplugins: "
                + "print[p]\n" + printing("p", AGGREGATE) + "\n");
        assertEquals(0, E2e.run(d, ENV, 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf").exit());
        try (Daemon fromKafka = start("nfacctd", k, kafkaCollector("nfacctd", "pm-tee", "print[p]",
                printing("p", AGGREGATE)))) {
            awaitCommitted("pm-readers", "pm-tee", datagrams, k);
            stop(fromKafka, "TERM");
        }
        List<String> expected = sortedLines(d.resolve("p.csv"));
        assertTrue(expected.size() > 10, expected.toString());
        assertEquals(expected, sortedLines(k.resolve("p.csv")));
    }

    /**
     * The other way: pmacct 1.7.7's nfacctd reads our tee's topic (one partition: pmacct reads partition 0, from
     * its end, so it starts first) and prints what it prints reading the savefile itself. Its print plugin purges
     * every second into one file, summed per key.
     */
    @Test
    void pmacctsNfacctdReadsOurTee(@TempDir Path root) throws Exception {
        Path nfacctd = Path.of("/usr/sbin/nfacctd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(nfacctd), "pmacct 1.7.7 not installed");
        Path savefile = E2e.root().resolve("examples/netflow-v9.pcap");
        createTopic("for-pmacct", 1);
        Path pm = dir(root, "pmacct");
        Path direct = dir(root, "pmacct-direct");
        Path ours = dir(root, "tee");
        Files.writeString(pm.resolve("librdkafka.conf"), "! librdkafka logs where it starts fetching\n"
                + "global, debug, fetch\n");
        BrokerProcess b = BrokerProcess.shared();
        Files.writeString(pm.resolve("nfacctd.conf"), "daemonize: false\ndebug: true\nlogfile: nfacctd.log\n"
                + "nfacctd_kafka_broker_host: " + b.host() + "\nnfacctd_kafka_broker_port: " + b.port() + "\n"
                + "nfacctd_kafka_topic: for-pmacct\nnfacctd_kafka_config_file: " + pm.resolve("librdkafka.conf")
                + "\nplugins: print[p]\n" + printing("p", AGGREGATE).replace("3600", "1")
                + "\nprint_output_file_append[p]: true\n");
        Files.writeString(direct.resolve("nfacctd.conf"), "daemonize: false\npcap_savefile: " + savefile
                + "\nplugins: print[p]\n" + printing("p", AGGREGATE) + "\n");
        Files.writeString(ours.resolve("tee_receivers.lst"), "id=1 kafka_broker=" + b.bootstrap()
                + " kafka_topic=for-pmacct\n");
        Files.writeString(ours.resolve("nfacctd.conf"), "daemonize: false\npcap_savefile: " + savefile
                + "\nplugins: tee[k]\ntee_receivers: tee_receivers.lst\n");
        E2e.Result r = E2e.run(direct, ENV, 120, nfacctd.toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr());
        Map<String, long[]> expected = summed(direct.resolve("p.csv"));
        assertTrue(expected.size() > 10, table(expected));
        try (Daemon reader = Daemon.external(pm, ENV, nfacctd.toString(), "-f", "nfacctd.conf")) {
            reader.await("pmacct to start fetching", 120, () -> log(pm, "nfacctd").contains("Fetch topic for-pmacct [0]"));
            r = E2e.run(ours, 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(datagrams(savefile), total(ends("for-pmacct")));
            reader.await("pmacct's table from Kafka to equal its table from the savefile", 90, () -> {
                try {
                    return table(expected).equals(table(summed(pm.resolve("p.csv"))));
                } catch (IOException | RuntimeException e) {
                    return false; // a purge being written
                }
            });
            reader.signal("INT");
            reader.waitFor(60);
        }
    }

    private static int datagrams(Path savefile) throws IOException, InterruptedException {
        return Replayer.payloads(savefile).size();
    }

    /** Mistakes in the Kafka keys stop the start, named with the key (and file:line) as the user wrote it. */
    @Test
    void configurationErrorsNameTheKey(@TempDir Path dir) throws Exception {
        BrokerProcess b = BrokerProcess.shared();
        Files.writeString(dir.resolve("a.conf"), "nfacctd_kafka_topic: flows\nplugins: print\n");
        E2e.Result r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "a.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("a.conf:1: nfacctd_kafka_topic: reading Kafka needs nfacctd_kafka_broker_host "
                + "too"), r.stderr());

        Files.writeString(dir.resolve("b.conf"), "sfacctd_kafka_broker_host: " + b.host() + "\nsfacctd_kafka_topic: s\n"
                + "sfacctd_port: 6343\nplugins: print\n");
        r = E2e.run(dir, 60, E2e.bin("sfacctd").toString(), "-f", "b.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("b.conf:1: sfacctd_kafka_broker_host: a collector reads Kafka or a UDP socket, "
                + "not both: remove sfacctd_port (b.conf:3)"), r.stderr());

        Files.writeString(dir.resolve("rdkafka.conf"), "global, group.id, g\nglobal, sasl.username, me\n");
        Files.writeString(dir.resolve("c.conf"), "nfacctd_kafka_broker_host: " + b.host() + "\nnfacctd_kafka_topic: t\n"
                + "nfacctd_kafka_config_file: rdkafka.conf\nplugins: print\n");
        r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "c.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("rdkafka.conf:2: nfacctd_kafka_config_file: librdkafka property "
                + "'sasl.username' has no equivalent"), r.stderr());

        Files.writeString(dir.resolve("rdkafka.conf"), "global, enable.auto.commit, true\n");
        r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "c.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("nfacctd_kafka_config_file: enable.auto.commit is not taken"), r.stderr());

        Files.writeString(dir.resolve("d.conf"), "nfacctd_kafka_broker_host: " + b.host() + "\nnfacctd_kafka_topic: t\n"
                + "pcap_savefile: x.pcap\nplugins: print\n");
        r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "d.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("d.conf:3: pcap_savefile: a collector reads a savefile or a Kafka topic"),
                r.stderr());

        Files.writeString(dir.resolve("tee.lst"), "id=1 kafka_broker=" + b.bootstrap() + "\n");
        Files.writeString(dir.resolve("e.conf"), "plugins: tee[t]\ntee_receivers: tee.lst\nnfacctd_port: 0\n");
        r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "e.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("tee.lst:1: key 'kafka_topic' missing"), r.stderr());
    }
}
