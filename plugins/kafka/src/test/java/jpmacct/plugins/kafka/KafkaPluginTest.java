package jpmacct.plugins.kafka;

import static jpmacct.plugins.kafka.KafkaRun.all;
import static jpmacct.plugins.kafka.KafkaRun.brokerLines;
import static jpmacct.plugins.kafka.KafkaRun.comparable;
import static jpmacct.plugins.kafka.KafkaRun.printed;
import static jpmacct.plugins.kafka.KafkaRun.topic;
import static jpmacct.plugins.kafka.KafkaRun.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jpmacct.core.runtime.BlockingTrigger;
import jpmacct.kafkabroker.BrokerProcess;
import jpmacct.pmacctd.Conformance;

/**
 * The kafka plugin in a real pmacctd (nfacctd for $peer_src_ip) against a real broker, beside a print plugin writing
 * JSON from the same records: the messages are print's rows with writer_id, one per aggregate or joined
 * (kafka_multi_values), between markers, on topics and partitions named as pmacct names them.
 */
class KafkaPluginTest {
    /** Purges only at exit: a run that crosses a refresh boundary would split its rows over two purges. */
    private static final String ONE_PURGE = "kafka_refresh_time: 3600\nkafka_startup_delay: 3600\n";
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|\\d+)");

    private static String bootstrap() {
        return BrokerProcess.shared().bootstrap();
    }

    /** pmacctd on the small conformance capture with plugins k (kafka, on {@code topic}) and p (print, JSON). */
    private static String conf(String topic, String aggregate, String extra) {
        return "pcap_savefile: input.pcap\nplugins: kafka[k], print[p]\naggregate: " + aggregate + "\n" + ONE_PURGE
                + brokerLines("k", bootstrap()) + "kafka_topic[k]: " + topic + "\nprint_output[p]: json\n"
                + "print_output_file[p]: p.json\n" + extra;
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                String v = m.group(2);
                return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /**
     * Each message is one of print's rows with writer_id last; print's JSON encodings and history stamps alike (the
     * bins moved by kafka_history_offset, which print takes under that name too).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "history and 1.8 encodings"})
    void messagesArePrintsRowsWithWriterId(String variant, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String topic = topic("same");
        String aggregate = "src_host, dst_host, src_port, dst_port, proto, tos";
        String extra = "";
        if (!variant.equals("plain")) {
            aggregate = "src_host, dst_host, proto, tcpflags, tos";
            extra = "kafka_history: 5m\nkafka_history_roundoff: m\nkafka_history_offset: 120\n"
                    + "tcpflags_encode_as_array: true\ntimestamps_since_epoch: true\n";
        }
        Process p = KafkaRun.start(dir, conf(topic, aggregate, extra));
        String log = KafkaRun.ended(p, dir);
        List<String> messages = values(all(bootstrap(), topic));
        List<String> rows = printed(dir.resolve("p.json"));
        assertTrue(rows.size() > 10, "rows: " + rows.size());
        String writerId = ", \"writer_id\": \"k/" + p.pid() + "\"}";
        for (String m : messages) {
            assertTrue(m.endsWith(writerId), m);
        }
        assertEquals(new TreeSet<>(rows.stream().map(KafkaRun::comparable).toList()).toString(),
                new TreeSet<>(messages.stream().map(KafkaRun::comparable).toList()).toString());
        assertEquals(rows.size(), messages.size());
        assertTrue(log.contains("( k/kafka ): *** Purging cache - END (PID: " + p.pid() + ", QN: " + rows.size() + "/"
                + rows.size() + ", ET: "), log);
        if (!variant.equals("plain")) {
            assertTrue(messages.get(0).contains("\"tcp_flags\": [") && messages.get(0).contains("\"stamp_inserted\": "),
                    messages.get(0));
            for (String m : messages) {
                // bins of 5 minutes aligned on the hour, then 120 s earlier: hh:03, hh:08, ...
                assertEquals(180, Long.parseLong(field(m, "stamp_inserted")) % 300, m);
            }
        }
    }

    /**
     * kafka_markers and kafka_multi_values: purge_init, then messages of several aggregates each followed by a
     * newline and under the size, then purge_close counting them, as pmacct sends them.
     */
    @Test
    void markersAroundJoinedMessages(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String topic = topic("mv");
        Process p = KafkaRun.start(dir, conf(topic, "src_host, dst_host, proto",
                "kafka_markers[k]: true\nkafka_multi_values[k]: 1500\n"));
        KafkaRun.ended(p, dir);
        List<String> messages = values(all(bootstrap(), topic));
        List<String> rows = printed(dir.resolve("p.json"));
        String id = "\"writer_id\": \"k/" + p.pid() + "\"";
        assertEquals("{\"event_type\": \"purge_init\", " + id + "}", messages.get(0));
        assertEquals("{\"event_type\": \"purge_close\", " + id + ", \"purged_entries\": " + rows.size()
                + ", \"total_entries\": " + rows.size() + ", \"duration\": "
                + field(messages.get(messages.size() - 1), "duration") + "}", messages.get(messages.size() - 1));
        List<String> joined = new ArrayList<>();
        for (String m : messages.subList(1, messages.size() - 1)) {
            assertTrue(m.getBytes(StandardCharsets.UTF_8).length < 1500, m);
            assertTrue(m.endsWith("}\n"), m);
            joined.addAll(List.of(m.split("\n")));
        }
        assertTrue(messages.size() - 2 < rows.size() / 3, "several aggregates per message: " + messages.size());
        assertEquals(rows.stream().map(KafkaRun::comparable).sorted().toList(),
                joined.stream().map(KafkaRun::comparable).sorted().toList());
    }

    /**
     * kafka_preprocess (with kafka_preprocess_type all) leaves out the aggregates that fail its checks, as
     * print_preprocess does print's rows; purge_close and the log count the aggregates sent (purged_entries, QN)
     * against all those of the purge (total_entries), as in pmacct.
     */
    @Test
    void preprocessLeavesOutAggregatesAndMarkersCountThem(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String topic = topic("prep");
        String checks = "minp=3, maxb=200000";
        Process p = KafkaRun.start(dir, "pcap_savefile: input.pcap\nplugins: kafka[k], print[p], print[all]\n"
                + "aggregate: src_host, dst_host, proto\n" + ONE_PURGE + brokerLines("k", bootstrap())
                + "kafka_topic[k]: " + topic + "\nkafka_markers[k]: true\nkafka_preprocess[k]: " + checks + "\n"
                + "kafka_preprocess_type[k]: all\nprint_output: json\nprint_output_file[p]: p.json\n"
                + "print_preprocess[p]: " + checks + "\nprint_preprocess_type[p]: all\nprint_output_file[all]: all.json\n");
        String log = KafkaRun.ended(p, dir);
        List<String> kept = printed(dir.resolve("p.json"));
        int total = printed(dir.resolve("all.json")).size();
        assertTrue(!kept.isEmpty() && kept.size() < total, kept.size() + " of " + total);
        List<String> messages = values(all(bootstrap(), topic));
        String close = messages.get(messages.size() - 1);
        assertTrue(close.startsWith("{\"event_type\": \"purge_close\", \"writer_id\": \"k/" + p.pid()
                + "\", \"purged_entries\": " + kept.size() + ", \"total_entries\": " + total + ", "), close);
        assertEquals(kept.stream().map(KafkaRun::comparable).sorted().toList(),
                messages.subList(1, messages.size() - 1).stream().map(KafkaRun::comparable).sorted().toList());
        assertTrue(log.contains("( k/kafka ): *** Purging cache - END (PID: " + p.pid() + ", QN: " + kept.size() + "/"
                + total + ", ET: "), log);
    }

    /** An aggregate too large for kafka_multi_values goes in a message of its own, with a warning (pmacct's writer exits). */
    @Test
    void aggregatesTooLargeForTheMultiValuesGoAlone(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        String topic = topic("mvsmall");
        String log = KafkaRun.run(dir, conf(topic, "src_host, dst_host, proto", "kafka_multi_values[k]: 64\n"));
        List<String> messages = values(all(bootstrap(), topic));
        List<String> rows = printed(dir.resolve("p.json"));
        assertEquals(rows.size(), messages.size());
        for (String m : messages) {
            assertTrue(m.endsWith("}\n") && m.indexOf('\n') == m.length() - 1, m);
        }
        assertTrue(log.contains("WARN ( k/kafka ): kafka_multi_values (64 bytes) is too small for an aggregate of "), log);
    }

    /**
     * kafka_topic_rr: topic_0, topic_1, topic_2 in turn, one message each, from _0 at the purge; the markers with the
     * first and the last message.
     */
    @Test
    void roundRobinOverTopics(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        String topic = topic("rr");
        KafkaRun.run(dir, conf(topic, "src_host, proto", "kafka_topic_rr[k]: 3\nkafka_markers[k]: true\n"));
        List<String> rows = printed(dir.resolve("p.json"));
        int n = rows.size();
        List<List<String>> byTopic = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byTopic.add(values(all(bootstrap(), topic + "_" + i)));
        }
        assertTrue(byTopic.get(0).get(0).contains("purge_init"), byTopic.get(0).get(0));
        List<String> last = byTopic.get((n - 1) % 3);
        assertTrue(last.get(last.size() - 1).contains("purge_close"), last.toString());
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> data = byTopic.get(i).stream().filter(m -> m.contains("\"event_type\": \"purge\"")).toList();
            assertEquals((n + 2 - i) / 3, data.size(), "topic_" + i + " takes every third message");
            entries.addAll(data);
        }
        assertEquals(rows.stream().map(KafkaRun::comparable).sorted().toList(),
                entries.stream().map(KafkaRun::comparable).sorted().toList());
    }

    /**
     * $tag and $post_tag2 in kafka_topic; kafka_partition_key with the aggregate's $src_host and $proto (lower-cased
     * as pmacct does) on a topic of 3 partitions: librdkafka's CRC32 partitioning; kafka_partition fixed.
     */
    @Test
    void variablesInTopicsAndKeys(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        Files.writeString(dir.resolve("pretag.map"), "set_tag=1 filter='tcp'\nset_tag=2 filter='udp'\n");
        String prefix = topic("var");
        String keyed = topic("keyed");
        String fixed = topic("fixed");
        KafkaRun.createTopic(bootstrap(), keyed, 3);
        KafkaRun.createTopic(bootstrap(), fixed, 3);
        String conf = "pcap_savefile: input.pcap\nplugins: kafka[v], kafka[pk], kafka[fx]\npre_tag_map: pretag.map\n"
                + "aggregate: tag, src_host, proto\n" + ONE_PURGE + brokerLines("v", bootstrap())
                + brokerLines("pk", bootstrap()) + brokerLines("fx", bootstrap())
                + "kafka_topic[v]: " + prefix + ".$tag.$post_tag2\npost_tag2[v]: 7\n"
                + "kafka_topic[pk]: " + keyed + "\nkafka_partition_key[pk]: $SRC_HOST-$proto\n"
                + "kafka_partition_dynamic[pk]: true\n"
                + "kafka_topic[fx]: " + fixed + "\nkafka_partition[fx]: 2\nkafka_partition_key[fx]: Static\n";
        KafkaRun.run(dir, conf);

        Set<String> tags = new HashSet<>();
        int tagged = 0;
        for (String tag : List.of("0", "1", "2")) {
            for (String m : values(all(bootstrap(), prefix + "." + tag + ".7"))) {
                assertEquals(tag, field(m, "tag"), m);
                tags.add(tag);
                tagged++;
            }
        }
        assertEquals(Set.of("0", "1", "2"), tags);

        List<KafkaRun.Read> byKey = all(bootstrap(), keyed);
        assertEquals(tagged, byKey.size());
        Set<Integer> partitions = new TreeSet<>();
        for (KafkaRun.Read r : byKey) {
            String expected = field(r.value(), "ip_src").replace('.', '_').replace(':', '_') + "-"
                    + protoNumber(field(r.value(), "ip_proto"));
            assertEquals(expected, r.key(), r.value());
            assertEquals(LibrdkafkaPartitioner.partition(r.key().getBytes(StandardCharsets.UTF_8), 3), r.partition());
            partitions.add(r.partition());
        }
        assertEquals(3, partitions.size(), "keys spread over the partitions");

        List<KafkaRun.Read> pinned = all(bootstrap(), fixed);
        assertEquals(tagged, pinned.size());
        for (KafkaRun.Read r : pinned) {
            assertEquals(2, r.partition());
            assertEquals("static", r.key());
        }
    }

    private static String protoNumber(String name) {
        return switch (name) {
            case "tcp" -> "6";
            case "udp" -> "17";
            case "icmp" -> "1";
            case "ipv6-icmp" -> "58";
            default -> name;
        };
    }

    /**
     * kafka_trigger_exec runs after each purge, kafka_startup_delay holds the purges back: with a refresh time of
     * one second and a delay of a day, nothing is sent until the purge at exit, after which the trigger does not run.
     */
    @Test
    void triggerAfterEachPurgeAndStartupDelay(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        Path script = dir.resolve("trigger.sh");
        Files.writeString(script, "#!/bin/sh\necho run >> " + dir.resolve("runs") + "\n");
        script.toFile().setExecutable(true);
        String common = "pcap_savefile: input.pcap\npcap_savefile_wait: true\nplugins: kafka[k]\naggregate: proto\n"
                + brokerLines("k", bootstrap()) + "kafka_refresh_time[k]: 1\nkafka_trigger_exec[k]: " + script + "\n";
        String topic = topic("trigger");
        Process p = KafkaRun.start(dir, common + "kafka_topic[k]: " + topic + "\n");
        KafkaRun.await(() -> KafkaRun.read(dir.resolve("runs")).lines().count() >= 2, "two trigger runs", dir);
        KafkaRun.stop(p, dir);
        assertFalse(all(bootstrap(), topic).isEmpty());

        String delayed = topic("delayed");
        p = KafkaRun.start(dir, common + "kafka_topic[k]: " + delayed + "\nkafka_startup_delay[k]: 1d\n");
        KafkaRun.awaitLog(dir, "savefile done; waiting for SIGINT or SIGTERM");
        Files.deleteIfExists(dir.resolve("runs"));
        String log = KafkaRun.stop(p, dir);
        assertEquals(1, KafkaRun.count(log, "( k/kafka ): *** Purging cache - END"), log);
        assertFalse(Files.exists(dir.resolve("runs")), "no trigger after the purge at exit");
        assertFalse(all(bootstrap(), delayed).isEmpty());
    }

    /**
     * Without kafka_trigger_exec_async a trigger due while the previous one runs waits for it (the purges go on);
     * with it they run together and the daemon's exit does not wait for them: they outlive it.
     */
    @Test
    void triggersOneAtATimeUnlessAsync(@TempDir Path dir) throws Exception {
        String common = "pcap_savefile: input.pcap\npcap_savefile_wait: true\nplugins: kafka[k]\naggregate: proto\n"
                + brokerLines("k", bootstrap()) + "kafka_refresh_time[k]: 1\nkafka_topic[k]: " + topic("triggers") + "\n";
        Path sync = Files.createDirectory(dir.resolve("sync"));
        Conformance.input("edge", sync, "input.pcap");
        BlockingTrigger first = BlockingTrigger.in(sync);
        Process p = KafkaRun.start(sync, common + "kafka_trigger_exec[k]: " + first.script() + "\n");
        KafkaRun.await(() -> first.started() == 1, "a trigger running", sync);
        KafkaRun.awaitLog(sync, "is still running; the next one starts when it ends");
        assertEquals(1, first.started(), "the next waits");
        first.release();
        KafkaRun.await(() -> first.started() >= 2 && first.ended() >= 2, "the waiting triggers ran", sync);
        KafkaRun.stop(p, sync);

        Path async = Files.createDirectory(dir.resolve("async"));
        Conformance.input("edge", async, "input.pcap");
        BlockingTrigger detached = BlockingTrigger.in(async);
        p = KafkaRun.start(async, common + "kafka_trigger_exec[k]: " + detached.script()
                + "\nkafka_trigger_exec_async[k]: true\n");
        KafkaRun.await(() -> detached.started() >= 2, "two triggers running together", async);
        String log = KafkaRun.stop(p, async);
        assertFalse(log.contains("still running"), log);
        assertEquals(0, detached.ended(), "the triggers outlive the daemon");
        detached.release();
        KafkaRun.await(() -> detached.ended() == detached.started(), "the triggers end once released", async);
    }

    /** nfacctd: $peer_src_ip names a topic per exporter, its dots as underscores. */
    @Test
    void topicPerExporter(@TempDir Path dir) throws Exception {
        Files.copy(Path.of(System.getProperty("user.dir")).resolve("../../examples/netflow-v9.pcap"),
                dir.resolve("input.pcap"));
        String prefix = topic("nf");
        KafkaRun.runNfacctd(dir, "pcap_savefile: input.pcap\nplugins: kafka[k], print[p]\n"
                + "aggregate: peer_src_ip, proto\n" + ONE_PURGE + brokerLines("k", bootstrap())
                + "kafka_topic[k]: " + prefix + ".$peer_src_ip\nprint_output[p]: json\nprint_output_file[p]: p.json\n");
        TreeMap<String, List<String>> expected = new TreeMap<>();
        for (String row : printed(dir.resolve("p.json"))) {
            expected.computeIfAbsent(prefix + "." + field(row, "peer_ip_src").replace('.', '_'), t -> new ArrayList<>())
                    .add(comparable(row));
        }
        assertFalse(expected.isEmpty());
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue().stream().sorted().toList(),
                    values(all(bootstrap(), e.getKey())).stream().map(KafkaRun::comparable).sorted().toList(), e.getKey());
        }
    }
}
