package jpmacct.plugins.kafka;

import static jpmacct.plugins.kafka.KafkaRun.awaitLog;
import static jpmacct.plugins.kafka.KafkaRun.brokerLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jpmacct.kafkabroker.BrokerProcess;
import jpmacct.pmacctd.Conformance;

/**
 * The broker away: at start, in the middle of a run (stopped and started again on its data), never there (a port
 * nobody listens on, a name that does not resolve). Each test has a broker of its own. Messages wait in the buffer
 * while pmacctd goes on accounting and get through when the broker is back; what cannot be delivered is counted and
 * logged, without stack traces. The print plugin of the same run, purged once at exit, is the reference.
 */
class KafkaOutageTest {
    private static final Pattern KEY_AND_COUNTERS =
            Pattern.compile("\"ip_src\": \"([^\"]*)\", \"ip_dst\": \"([^\"]*)\", .*\"packets\": (\\d+), \"bytes\": (\\d+)");
    private static final long SMALL_PACKETS = 20_000;

    /**
     * Kafka purges every second, print once at exit: both account the same traffic, so per pair of hosts the
     * messages must add up to print's rows: nothing lost, nothing twice.
     */
    private static String conf(String topic, String bootstrap, String extra) {
        return "pcap_savefile: input.pcap\npcap_savefile_wait: true\nplugins: kafka[k], print[p]\n"
                + "aggregate: src_host, dst_host\n" + brokerLines("k", bootstrap) + "kafka_topic[k]: " + topic + "\n"
                + "kafka_refresh_time[k]: 1\nprint_refresh_time[p]: 3600\nprint_startup_delay[p]: 3600\n"
                + "print_output[p]: json\nprint_output_file[p]: p.json\n" + extra;
    }

    /** packets and bytes per "src dst", summed over JSON objects. */
    private static Map<String, List<Long>> sums(List<String> objects) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (String o : objects) {
            Matcher m = KEY_AND_COUNTERS.matcher(o);
            assertTrue(m.find(), o);
            List<Long> s = out.computeIfAbsent(m.group(1) + " " + m.group(2), k -> new ArrayList<>(List.of(0L, 0L)));
            s.set(0, s.get(0) + Long.parseLong(m.group(3)));
            s.set(1, s.get(1) + Long.parseLong(m.group(4)));
        }
        return out;
    }

    private static long packets(Map<String, List<Long>> sums) {
        return sums.values().stream().mapToLong(s -> s.get(0)).sum();
    }

    /** The broker starts after pmacctd has purged into the void: the waiting messages arrive once it is up. */
    @Test
    void brokerStartedLate(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        int port = BrokerProcess.freePort();
        String bootstrap = "127.0.0.1:" + port;
        String topic = KafkaRun.topic("late");
        Process p = KafkaRun.start(dir, conf(topic, bootstrap, ""));
        awaitLog(dir, "( k/kafka ): *** Purging cache - END");
        awaitLog(dir, "ERROR ( k/kafka ): Connection failed to Kafka: p_kafka_check_outq_len() (");
        awaitLog(dir, "ERROR ( k/kafka ): Connection failed to Kafka: p_kafka_close(): ");
        Files.createDirectories(dir.resolve("broker"));
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"), port)) {
            awaitLog(dir, "INFO ( k/kafka ): Kafka delivers again after ");
            awaitLog(dir, "savefile done; waiting for SIGINT or SIGTERM");
            String log = KafkaRun.stop(p, dir);
            Map<String, List<Long>> kafka = sums(KafkaRun.values(KafkaRun.all(bootstrap, topic)));
            Map<String, List<Long>> print = sums(KafkaRun.printed(dir.resolve("p.json")));
            assertEquals(SMALL_PACKETS, packets(print));
            assertEquals(print, kafka, log);
            assertTrue(log.contains("0 lost at exit") && !log.contains("could not be delivered"), log);
        }
    }

    /**
     * The broker stops while pmacctd replays its capture and purges every second, and comes back on its data:
     * every packet reaches the topic once.
     */
    @Test
    void brokerStoppedAndRestarted(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        int port = BrokerProcess.freePort();
        String bootstrap = "127.0.0.1:" + port;
        String topic = KafkaRun.topic("restart");
        Files.createDirectories(dir.resolve("broker"));
        BrokerProcess first = BrokerProcess.start(dir.resolve("broker"), port);
        Process p = KafkaRun.start(dir, conf(topic, bootstrap, "pcap_savefile_replay: 20\npcap_savefile_delay: 1\n"));
        try {
            awaitLog(dir, "( k/kafka ): *** Purging cache - END", 2);
            first.stop();
            awaitLog(dir, "ERROR ( k/kafka ): Connection failed to Kafka: p_kafka_check_outq_len() (");
            try (BrokerProcess again = BrokerProcess.start(dir.resolve("broker"), port)) {
                awaitLog(dir, "INFO ( k/kafka ): Kafka delivers again after ");
                awaitLog(dir, "savefile done; waiting for SIGINT or SIGTERM");
                String log = KafkaRun.stop(p, dir);
                Map<String, List<Long>> kafka = sums(KafkaRun.values(KafkaRun.all(bootstrap, topic)));
                Map<String, List<Long>> print = sums(KafkaRun.printed(dir.resolve("p.json")));
                assertEquals(20 * SMALL_PACKETS, packets(print));
                assertEquals(print, kafka, log);
            }
        } finally {
            p.destroyForcibly();
            first.close();
        }
    }

    /**
     * No broker where kafka_broker_host points (a port nobody listens on, a name that does not resolve): failed
     * deliveries are counted and logged once a minute, a buffer too small drops and counts, SIGTERM ends within a
     * bounded time and says what is lost; no stack trace anywhere.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"closed port", "unresolvable name"})
    void noBrokerThere(String where, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String bootstrap = where.equals("closed port") ? "127.0.0.1:" + BrokerProcess.freePort()
                : "no-such-broker.invalid:9092";
        Process p = KafkaRun.start(dir, conf(KafkaRun.topic("nowhere"), bootstrap, "kafka_buffer_size[k]: 20000\n"));
        awaitLog(dir, "ERROR ( k/kafka ): Kafka message delivery failed: ");
        awaitLog(dir, "ERROR ( k/kafka ): Kafka messages waiting exceed kafka_buffer_size (20000 bytes): message dropped");
        awaitLog(dir, "ERROR ( k/kafka ): Connection failed to Kafka: p_kafka_check_outq_len() (");
        KafkaRun.signal(p, "USR1");
        awaitLog(dir, "stats: kafka_delivery_failures{plugin=\"k\"} = ");
        awaitLog(dir, "stats: kafka_messages_dropped{plugin=\"k\"} = ");
        String log = KafkaRun.stop(p, dir);
        assertTrue(Pattern.compile("stats: kafka_delivery_failures\\{plugin=\"k\"} = [1-9]").matcher(log).find(), log);
        assertTrue(Pattern.compile("stats: kafka_messages_dropped\\{plugin=\"k\"} = [1-9]").matcher(log).find(), log);
        assertTrue(log.contains("could not be delivered before exit and are lost"), log);
        assertTrue(Pattern.compile("Kafka: 0 messages delivered, [1-9]\\d* delivery attempts failed, [1-9]\\d* messages "
                + "dropped for a full buffer, [1-9]\\d* lost at exit").matcher(log).find(), log);
        if (where.equals("unresolvable name")) {
            assertTrue(log.contains("No resolvable bootstrap urls"), log);
        } else {
            assertTrue(log.contains("not present in metadata"), log);
        }
    }
}
