package jpmacct.plugins.tee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.runtime.FilePermissions;
import jpmacct.kafka.KafkaDatagram;
import jpmacct.kafkabroker.BrokerProcess;

/** The tee's Kafka pools against a real broker: pmacct's message format, keyed by exporter; a broker that is away. */
class TeeKafkaTest {
    private static final InetAddress V4 = address("192.0.2.10");
    private static final InetAddress V6 = address("2001:db8::7");

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TeePlugin tee(Path dir, Metrics metrics, String receivers, String... lines) throws Exception {
        Path list = dir.resolve("r.lst");
        Files.writeString(list, receivers);
        List<KeyDef<?>> keys = new ArrayList<>(CoreKeys.all());
        keys.addAll(TeeKeys.all());
        List<String> conf = new ArrayList<>(List.of("plugins: tee[t]", "tee_receivers: " + list));
        conf.addAll(List.of(lines));
        DaemonConfig config = new ConfigResolver(DaemonKind.NFACCTD, new KeyRegistry(keys), Set.of("tee"))
                .resolve(ConfigParser.parse("d.conf", conf), List.of(), true);
        PluginContext ctx = new PluginContext(config.plugins().get(0),
                new DaemonInfo(DaemonKind.NFACCTD, "default", false), metrics, new MapRegistry(), "Tee Plugin [t]",
                FilePermissions.defaults());
        return new TeePlugin(ctx);
    }

    private static long metric(Metrics metrics, String name) {
        return metrics.snapshot().stream().filter(s -> s.name().equals(name)).mapToLong(Metrics.Sample::value).sum();
    }

    private static byte[] datagram(InetAddress exporter, int i) {
        // odd and even lengths: the IPv6 UDP checksum pads the last byte
        return ("datagram " + i + " of " + exporter.getHostAddress() + (i % 2 == 0 ? "" : "!"))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BrokerProcess.shared().bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** One message per datagram, exactly as pmacct's tee builds it, keyed and partitioned by exporter. */
    @Test
    void datagramsAsPmacctWritesThemOnePartitionPerExporter(@TempDir Path dir) throws Exception {
        String topic = "tee-format";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                BrokerProcess.shared().bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        Metrics metrics = new Metrics();
        TeePlugin tee = tee(dir, metrics, "id=7 kafka_broker=" + BrokerProcess.shared().bootstrap() + " kafka_topic="
                + topic + "\n", "plugin_pipe_size: 1");
        tee.start();
        int n = 200;
        for (int i = 0; i < n; i++) {
            for (InetAddress exporter : List.of(V4, V6)) {
                byte[] d = datagram(exporter, i);
                tee.put((dst, len) -> System.arraycopy(d, 0, dst, 0, len), d.length, exporter, 2055 + i % 3);
            }
        }
        tee.close();
        assertEquals(2L * n, metric(metrics, "tee_sent_datagrams"));
        assertEquals(0, metric(metrics, "tee_send_errors"));

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic, 2 * n);
        assertEquals(2 * n, records.size());
        Map<String, Set<Integer>> partitions = new HashMap<>();
        Map<String, Integer> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.US_ASCII);
            InetAddress exporter = InetAddress.getByName(key);
            partitions.computeIfAbsent(key, k -> new HashSet<>()).add(r.partition());
            int i = next.merge(key, 1, Integer::sum) - 1; // in order within the exporter's partition
            byte[] d = datagram(exporter, i);
            assertArrayEquals(KafkaDatagram.encode(d, d.length, exporter, 2055 + i % 3), r.value());
            checkHeaders(r.value(), exporter, 2055 + i % 3, d);
        }
        assertEquals(Set.of("192.0.2.10", "2001:db8:0:0:0:0:0:7"), partitions.keySet());
        partitions.values().forEach(p -> assertEquals(1, p.size(), "one partition per exporter: " + partitions));
    }

    /** The bytes pmacct's Tee_craft_transparent_msg writes, field by field. */
    private static void checkHeaders(byte[] m, InetAddress exporter, int port, byte[] payload) {
        byte[] src = exporter.getAddress();
        int udp;
        if (src.length == 4) {
            assertEquals(0x45, m[0] & 0xFF);
            assertEquals(28 + payload.length, ((m[2] & 0xFF) << 8) | (m[3] & 0xFF));
            assertEquals(255, m[8] & 0xFF);
            assertEquals(17, m[9]);
            assertArrayEquals(src, Arrays.copyOfRange(m, 12, 16));
            assertArrayEquals(new byte[4], Arrays.copyOfRange(m, 16, 20));
            udp = 20;
        } else {
            assertEquals(0x60, m[0] & 0xFF);
            assertEquals(8 + payload.length, ((m[4] & 0xFF) << 8) | (m[5] & 0xFF));
            assertEquals(17, m[6]);
            assertEquals(255, m[7] & 0xFF);
            assertArrayEquals(src, Arrays.copyOfRange(m, 8, 24));
            assertArrayEquals(new byte[16], Arrays.copyOfRange(m, 24, 40));
            udp = 40;
            // RFC 8200: the sum over pseudo-header, UDP header and payload is all ones
            long sum = 17 + 8 + payload.length;
            for (int i = 8; i < 40; i += 2) {
                sum += ((m[i] & 0xFF) << 8) | (m[i + 1] & 0xFF);
            }
            for (int i = udp; i < m.length; i += 2) {
                sum += ((m[i] & 0xFF) << 8) | (i + 1 < m.length ? m[i + 1] & 0xFF : 0);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            assertEquals(0xFFFF, sum);
        }
        assertEquals(port, ((m[udp] & 0xFF) << 8) | (m[udp + 1] & 0xFF));
        assertEquals(0, ((m[udp + 2] & 0xFF) << 8) | (m[udp + 3] & 0xFF));
        assertEquals(8 + payload.length, ((m[udp + 4] & 0xFF) << 8) | (m[udp + 5] & 0xFF));
        assertArrayEquals(payload, Arrays.copyOfRange(m, udp + 8, m.length));
    }

    /**
     * A broker that is not there: the receiving thread's offer never waits (the test would hang otherwise), every
     * datagram is either dropped at a queue or counted as failed, none as sent, and closing does not wait for it.
     */
    @Test
    void brokerAwayCountsFailuresAndNeverHoldsTheReceiver(@TempDir Path dir) throws Exception {
        int closed = BrokerProcess.freePort();
        Files.writeString(dir.resolve("producer.conf"), "global, message.timeout.ms, 3000\n"
                + "global, socket.timeout.ms, 1000\n");
        Metrics metrics = new Metrics();
        TeePlugin tee = tee(dir, metrics, "id=1 kafka_broker=127.0.0.1:" + closed + " kafka_topic=nowhere\n",
                "plugin_pipe_size: 1", "tee_kafka_config_file: " + dir.resolve("producer.conf"));
        tee.start();
        int offered = 20_000;
        int accepted = 0;
        byte[] d = datagram(V4, 1);
        for (int i = 0; i < offered; i++) {
            if (tee.offer((dst, len) -> System.arraycopy(d, 0, dst, 0, len), d.length, V4, 2055)) {
                accepted++;
            }
        }
        tee.close();
        assertEquals(0, metric(metrics, "tee_sent_datagrams"));
        assertEquals(offered - accepted, metric(metrics, "tee_queue_dropped_datagrams"));
        assertEquals(accepted, metric(metrics, "tee_send_errors"), "every datagram the tee took is counted failed");
        assertTrue(accepted > 0);
    }
}
