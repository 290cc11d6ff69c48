package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import ch.qos.logback.classic.Level;

import jpmacct.kafkabroker.BrokerProcess;

/**
 * The kafka and amqp plugins side by side with pmacct 1.7.7's (/usr/sbin/nfacctd): the same configuration, the
 * same NetFlow (a savefile each reads, or datagrams sent to each), each daemon to its own topic or exchange on the
 * same broker; what each consumer reads is compared as records: the purged aggregates (JSON objects,
 * {@code event_type} purge), rows that agree on every compared field summed first, the fields that legitimately
 * differ left out ({@link #DIFFERING}), the collector's deliberate differences named ({@link Deviation}).
 */
class MessagePluginsVsPmacctTest {
    private static final Path PMACCT = Path.of("/usr/sbin/nfacctd");
    private static final String AGGREGATE = "peer_src_ip, src_host, dst_host, src_port, dst_port, proto, tos, "
            + "in_iface, out_iface";
    /** A second set, for the encodings of more primitives (time stamps, flags, masks, AS numbers). */
    private static final String WIDER_AGGREGATE = "peer_src_ip, src_host, dst_host, src_port, dst_port, proto, "
            + "tcpflags, src_as, dst_as, src_mask, dst_mask, timestamp_start, timestamp_end";
    /** Every primitive both read from NetFlow v9 and IPFIX exports that 1.7.7's JSON encodes. */
    private static final String ALL_FLOW_PRIMITIVES = "peer_src_ip, peer_dst_ip, in_iface, out_iface, src_host, "
            + "dst_host, src_net, dst_net, src_mask, dst_mask, src_port, dst_port, proto, tos, tcpflags, src_as, dst_as, "
            + "sampling_rate, export_proto_version, timestamp_start, timestamp_end, timestamp_arrival";
    /** Markers, several aggregates per message and time bins, as pmacct 1.7.7 takes them. */
    private static final String MARKERS_MULTI_VALUES_HISTORY = "markers: true\nmulti_values: 4000\n"
            + "history: 1m\nhistory_roundoff: m\n";
    /**
     * Fields that differ between any two runs: writer_id ("plugin/pid of the writer"; pmacct 1.7.7's
     * writer is a forked process), stamp_updated (the wall clock of the purge).
     */
    private static final Set<String> DIFFERING = Set.of("writer_id", "stamp_updated");
    private static final Pattern PURGE_END = Pattern.compile("Purging cache - END \\(PID: \\d+, QN: (\\d+)/");
    private static final Map<String, String> ENV = NfacctdConformanceTest.UTC;
    /** The exporter the datagrams sent come from. */
    private static final String EXPORTER = "127.0.0.2";
    /** What the flows of examples/netflow-v9.pcap account (the savefile cases read the same). */
    private static final long EXAMPLE_PACKETS = 10_000;

    /** Where a record carries the Kafka key or AMQP routing key of its message: no JSON field of pmacct's. */
    private static final String KEY = "(message key)";
    /** Marker fields that legitimately differ: the purge's duration in seconds. */
    private static final Set<String> MARKERS_DIFFERING = Set.of("writer_id", "duration");

    /**
     * A message as a consumer reads it: its Kafka key or AMQP routing key (null when none), its AMQP properties
     * (content type and delivery mode; empty for Kafka) and its text.
     */
    private record Message(String key, String properties, String text) {
    }

    private static final Pattern WRITER_ID = Pattern.compile("m/[0-9]+");

    /**
     * A deliberate difference of the collector (a row of docs/COMPATIBILITY.md, by its id): where pmacct 1.7.7 gives
     * {@code pmacct} in {@code field}, ours gives {@code ours}, and every pmacct record must show it; or, both null,
     * a field whose values differ by design, left out.
     */
    private record Deviation(String id, String field, Long pmacct, Long ours) {
        static Deviation leftOut(String id, String field) {
            return new Deviation(id, field, null, null);
        }

        boolean leavesOut() {
            return pmacct == null;
        }

        /** pmacct's records with the deviation carried over, after checking each shows it. */
        List<Map<String, Object>> appliedTo(List<Map<String, Object>> records) {
            if (leavesOut()) {
                return records;
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> r : records) {
                assertTrue(UpstreamJson.same(r.get(field), BigDecimal.valueOf(pmacct)), id + ": pmacct's " + field
                        + " is " + pmacct + " in every record, not in " + UpstreamJson.text(r));
                Map<String, Object> c = new LinkedHashMap<>(r);
                c.put(field, BigDecimal.valueOf(ours));
                out.add(c);
            }
            return out;
        }
    }

    private static final String IPFIX_SAMPLING_OPTION = "104-IPFIXv10-IPv6-CISCO-sampling_option";
    /** The deviations each capture shows (the collector's, not the plugins'). */
    private static final Map<String, List<Deviation>> DEVIATIONS = Map.of(IPFIX_SAMPLING_OPTION,
            // 1.7.7 ignores samplingSize/samplingPopulation of Cisco's option template; 1 in 256 here, as 1.8 says
            List.of(new Deviation("N4", "sampling_rate", 0L, 256L)));
    /** N15: a savefile's timestamp_arrival is pmacct's wall clock at reading, ours the frame's time in the file. */
    private static final Deviation ARRIVAL_FROM_A_SAVEFILE = Deviation.leftOut("N15", "timestamp_arrival");

    private static Admin admin;

    @BeforeAll
    static void broker() {
        Assumptions.assumeTrue(Files.isExecutable(PMACCT), "pmacct 1.7.7 not installed");
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.WARN);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerProcess.shared().bootstrap()));
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
        }
    }

    private enum Side {
        PMACCT, OURS;

        String command() {
            return this == PMACCT ? MessagePluginsVsPmacctTest.PMACCT.toString() : E2e.bin("nfacctd").toString();
        }
    }

    /** The example savefile of NetFlow v9 (IPv4 and IPv6 flows). */
    private static Path example() {
        return E2e.root().resolve("examples/netflow-v9.pcap");
    }

    /**
     * What both daemons are given: NetFlow from {@code capture}, read by each as a savefile or, when
     * {@code sentPackets} is not 0, its datagrams sent from {@link #EXPORTER} to each one's UDP port, whose flows
     * account that many packets; the aggregate of plugin m; keys of plugin m without the plugin's prefix; keys of the
     * daemon; the collector's deviations the capture shows.
     */
    private record Setup(Path capture, long sentPackets, String aggregate, String pluginKeys, String daemonKeys,
            List<Deviation> deviations) {
        /**
         * The configuration without its input: one plugin {@code m} of {@code type}; one purge at the end of a
         * savefile; every few seconds for datagrams sent (pmacct's plugin does not read what is still in its pipe
         * when it is stopped).
         */
        String config(String type) {
            StringBuilder sb = new StringBuilder("daemonize: false\nlogfile: nfacctd.log\n" + daemonKeys
                    + "plugins: " + type + "[m]\naggregate[m]: " + aggregate + "\n" + type + "_refresh_time[m]: "
                    + (sentPackets == 0 ? 3600 : 2) + "\n");
            for (String line : pluginKeys.split("\n")) {
                if (!line.isBlank()) {
                    sb.append(type).append('_').append(line.replaceFirst(":", "[m]:")).append('\n');
                }
            }
            return sb.toString();
        }

        Setup with(String morePluginKeys) {
            return new Setup(capture, sentPackets, aggregate, pluginKeys + morePluginKeys, daemonKeys, deviations);
        }
    }

    /** What a consumer has read so far, and a way to read more. */
    private static final class Received {
        private final Supplier<List<Message>> more;
        private final List<Message> messages = new ArrayList<>();

        Received(Supplier<List<Message>> more) {
            this.more = more;
        }

        List<Message> now() {
            messages.addAll(more.get());
            return messages;
        }

        /** Reads until the messages carry {@code aggregates} purged aggregates; fails with what came after the deadline. */
        List<Message> await(String what, int aggregates) throws Exception {
            Daemon.awaitCondition(aggregates + " aggregates from " + what, 120,
                    () -> purged(objects(now())).size() >= aggregates, () -> messages.size() + " messages: " + messages);
            return messages;
        }
    }

    /**
     * Runs a daemon through the traffic: to the savefile's end, or, datagrams sent, until the consumer has every
     * packet and the daemon has been stopped (SIGINT). Returns how many aggregates its plugin purged, from its log's "Purging cache - END (...,
     * QN: n/...)" lines.
     */
    private static int runThrough(Side side, Path dir, Setup setup, String config, Received received)
            throws Exception {
        Files.createDirectories(dir);
        if (setup.sentPackets() == 0) {
            Files.writeString(dir.resolve("nfacctd.conf"), "pcap_savefile: " + setup.capture() + "\n" + config);
            E2e.Result r = E2e.run(dir, ENV, 180, side.command(), "-f", "nfacctd.conf");
            assertEquals(0, r.exit(), side + ": " + r.stderr() + log(dir));
        } else {
            int port = NfacctdConformanceTest.freePort();
            Files.writeString(dir.resolve("nfacctd.conf"), "nfacctd_ip: 127.0.0.1\nnfacctd_port: " + port + "\n"
                    + config);
            try (Daemon d = Daemon.external(dir, ENV, side.command(), "-f", "nfacctd.conf")) {
                // pmacct 1.7.7's core drops what it reads before its plugin is up: the plugin's first purge says it is
                d.await(side + " to listen and its plugin to purge", 90, () -> log(dir).contains("waiting for NetFlow")
                        && log(dir).contains("Purging cache - END"));
                Replayer.send(Replayer.payloads(setup.capture()), EXPORTER, port);
                Daemon.awaitSocketRead(port, () -> log(dir));
                d.await("the consumer to read the " + setup.sentPackets() + " packets from " + side, 120,
                        () -> packets(received.now()) >= setup.sentPackets());
                d.signal("INT");
                assertEquals(0, d.waitFor(120), side + ": " + d.stderr() + log(dir));
            }
        }
        // pmacct's writer may still be at work after the core has gone
        Daemon.awaitCondition(side + "'s purge to end", 120, () -> log(dir).contains("Purging cache - END"),
                () -> log(dir));
        Matcher m = PURGE_END.matcher(log(dir));
        int purged = 0;
        while (m.find()) {
            purged += Integer.parseInt(m.group(1));
        }
        assertTrue(purged > 0, side + " purged " + purged + " aggregates:\n" + log(dir));
        return purged;
    }

    private static String log(Path dir) {
        return Daemon.read(dir.resolve("nfacctd.log"));
    }

    /** The JSON objects of messages (one per line with multi-values), each with its message's key. */
    private static List<Map<String, Object>> objects(List<Message> messages) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Message m : messages) {
            for (Map<String, Object> o : UpstreamJson.rows(m.text())) {
                if (m.key() != null) {
                    o.put(KEY, m.key());
                }
                out.add(o);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> purged(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> "purge".equals(o.get("event_type"))).toList();
    }

    /**
     * The records compared: rows equal on every field but the counters and {@link #DIFFERING} summed, those fields
     * left out; null when both sides hold the same records, else what differs.
     */
    private static String difference(List<Message> ours, List<Message> pmacct, List<Deviation> deviations) {
        Set<String> ignored = new TreeSet<>(DIFFERING);
        List<Map<String, Object>> p = purged(objects(pmacct));
        for (Deviation d : deviations) {
            p = d.appliedTo(p);
            if (d.leavesOut()) {
                ignored.add(d.field());
            }
        }
        List<Map<String, Object>> o = UpstreamJson.merged(purged(objects(ours)), ignored);
        return UpstreamJson.compare(o, UpstreamJson.merged(p, ignored), ignored);
    }

    /** The events other than purge (the markers), in the order they came, writer_id left out. */
    private static List<String> markers(List<Message> messages) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> o : objects(messages)) {
            if (!"purge".equals(o.get("event_type"))) {
                Map<String, Object> m = new TreeMap<>(o);
                m.keySet().removeAll(MARKERS_DIFFERING);
                out.add(UpstreamJson.text(m));
            }
        }
        return out;
    }

    private static long packets(List<Message> messages) {
        return purged(objects(messages)).stream().mapToLong(o -> ((BigDecimal) o.get("packets")).longValue()).sum();
    }

    /**
     * Beyond the records: the same packets, the same markers in the same order, the same message properties, and
     * writer_id in pmacct's form ("plugin name/pid") on every object.
     */
    private static void assertSameOtherwise(List<Message> ours, List<Message> pmacct) {
        assertEquals(packets(pmacct), packets(ours));
        assertEquals(markers(pmacct), markers(ours));
        assertEquals(properties(pmacct), properties(ours));
        for (List<Message> side : List.of(pmacct, ours)) {
            for (Map<String, Object> o : objects(side)) {
                assertTrue(o.get("writer_id") instanceof String w && WRITER_ID.matcher(w).matches(),
                        UpstreamJson.text(o));
            }
        }
    }

    private static Set<String> properties(List<Message> messages) {
        return messages.stream().map(Message::properties).collect(Collectors.toCollection(TreeSet::new));
    }

    // --- What both daemons are given

    /** The issue's example: its aggregate, the example capture's datagrams sent to the daemons. */
    private static Setup issueExample() {
        return new Setup(example(), EXAMPLE_PACKETS, AGGREGATE, "", "", List.of());
    }

    /**
     * Markers, multi-values, time bins; a label from a pre_tag_map (one rule: 1.7.7 takes one set_* per rule, F5),
     * tags from post_tag; times as seconds since the epoch.
     */
    private static Setup markersMultiValuesHistory(Path root) throws IOException {
        Path map = root.resolve("pretag.map");
        Files.writeString(map, "set_label=blue ip=0.0.0.0/0\n");
        return new Setup(example(), 0, WIDER_AGGREGATE + ", tag, tag2, label", MARKERS_MULTI_VALUES_HISTORY,
                "pre_tag_map: " + map + "\npost_tag: 7\npost_tag2: 8\ntimestamps_since_epoch: true\n", List.of());
    }

    /** A router capture with every flow primitive, the message key set from the exporter's address. */
    private static Setup everyFlowPrimitive(String vector, String keyLine) {
        List<Deviation> deviations = new ArrayList<>(DEVIATIONS.getOrDefault(vector, List.of()));
        deviations.add(ARRIVAL_FROM_A_SAVEFILE);
        return new Setup(NfacctdConformanceTest.capture(vector), 0, ALL_FLOW_PRIMITIVES, keyLine, "", deviations);
    }

    // --- Kafka

    private static String kafkaKeys(String topic) {
        BrokerProcess b = BrokerProcess.shared();
        return "broker_host: " + b.host() + "\nbroker_port: " + b.port() + "\ntopic: " + topic + "\n";
    }

    /** A reader of a topic of one partition from its start. */
    private static KafkaConsumer<byte[], byte[]> reader(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerProcess.shared().bootstrap());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(topic, 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }

    private static List<Message> poll(KafkaConsumer<byte[], byte[]> c) {
        List<Message> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            out.add(new Message(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), "",
                    new String(r.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Runs one side to its own topic and reads what it purged. */
    private static List<Message> kafkaRun(Side side, Path root, Setup setup) throws Exception {
        String topic = "vs-pmacct-" + side.name().toLowerCase() + "-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (KafkaConsumer<byte[], byte[]> c = reader(topic)) {
            Received received = new Received(() -> poll(c));
            int purged = runThrough(side, root.resolve(side.name().toLowerCase()), setup,
                    setup.with(kafkaKeys(topic)).config("kafka"), received);
            return received.await(side + "'s topic " + topic, purged);
        }
    }

    private static void kafkaSideBySide(Path root, Setup setup) throws Exception {
        compare(setup, side -> kafkaRun(side, root, setup));
    }

    // --- AMQP (RabbitMQ at 127.0.0.1:5672, guest/guest)

    /**
     * Runs one side to its own exchange, declared (a topic exchange, as pmacct declares it) and bound with every
     * routing key first, and reads its queue.
     */
    private static List<Message> amqpRun(Side side, Path root, Channel channel, Setup setup) throws Exception {
        String exchange = "vs-pmacct-" + side.name().toLowerCase() + "-" + UUID.randomUUID();
        // pmacct declares the exchange durable for persistent messages
        channel.exchangeDeclare(exchange, "topic", setup.pluginKeys().contains("persistent_msg: true"), false, null);
        try {
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "#");
            Received received = new Received(() -> drain(channel, queue));
            int purged = runThrough(side, root.resolve(side.name().toLowerCase()), setup, setup.with(
                    "host: 127.0.0.1\nuser: guest\npasswd: guest\nexchange_type: topic\nexchange: " + exchange + "\n")
                    .config("amqp"), received);
            return received.await(side + "'s exchange " + exchange, purged);
        } finally {
            channel.exchangeDelete(exchange);
        }
    }

    private static List<Message> drain(Channel channel, String queue) {
        List<Message> out = new ArrayList<>();
        try {
            GetResponse r;
            while ((r = channel.basicGet(queue, true)) != null) {
                out.add(new Message(r.getEnvelope().getRoutingKey(), r.getProps().getContentType() + ", delivery mode "
                        + r.getProps().getDeliveryMode(), new String(r.getBody(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void amqpSideBySide(Path root, Setup setup) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        try (Connection connection = f.newConnection("jpmacct side by side"); Channel channel = connection.createChannel()) {
            compare(setup, side -> amqpRun(side, root, channel, setup));
        }
    }

    // --- The cases, for either broker

    private interface Run {
        List<Message> of(Side side) throws Exception;
    }

    /** Runs pmacct's daemon, then ours, and compares what each broker's consumer read. */
    private static void compare(Setup setup, Run run) throws Exception {
        List<Message> pmacct = run.of(Side.PMACCT);
        List<Message> ours = run.of(Side.OURS);
        assertNull(difference(ours, pmacct, setup.deviations()));
        assertSameOtherwise(ours, pmacct);
    }

    /** The plugins compared, with the keys that put the exporter's address in a message's key. */
    private enum Plugin {
        KAFKA("partition_key: $peer_src_ip\n"),
        AMQP("routing_key: flows.$peer_src_ip\n");

        private final String keyedByExporter;

        Plugin(String keyedByExporter) {
            this.keyedByExporter = keyedByExporter;
        }

        void sideBySide(Path root, Setup setup) throws Exception {
            if (this == KAFKA) {
                kafkaSideBySide(root, setup);
            } else {
                amqpSideBySide(root, setup);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Plugin.class)
    void aggregatesEqualPmaccts(Plugin plugin, @TempDir Path root) throws Exception {
        plugin.sideBySide(root, issueExample());
    }

    /** Also persistent AMQP messages (delivery mode 2). */
    @ParameterizedTest
    @EnumSource(Plugin.class)
    void markersMultiValuesAndHistoryEqualPmaccts(Plugin plugin, @TempDir Path root) throws Exception {
        Setup setup = markersMultiValuesHistory(root);
        plugin.sideBySide(root, plugin == Plugin.AMQP ? setup.with("persistent_msg: true\n") : setup);
    }

    static List<Arguments> routerCaptures() {
        List<Arguments> out = new ArrayList<>();
        for (Plugin p : Plugin.values()) {
            for (String vector : List.of("101-NFv9-CISCO-cust_primitives", "100-IPFIXv10-CISCO", IPFIX_SAMPLING_OPTION)) {
                out.add(Arguments.of(p, vector));
            }
        }
        return out;
    }

    /** Router exports (Cisco NetFlow v9, IPFIX with a sampling option) with every flow primitive. */
    @ParameterizedTest
    @MethodSource("routerCaptures")
    void everyFlowPrimitiveEqualsPmaccts(Plugin plugin, String vector, @TempDir Path root) throws Exception {
        plugin.sideBySide(root, everyFlowPrimitive(vector, plugin.keyedByExporter));
    }
}
