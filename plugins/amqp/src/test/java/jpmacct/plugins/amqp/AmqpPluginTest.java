package jpmacct.plugins.amqp;

import static jpmacct.plugins.amqp.AmqpRun.printed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.rabbitmq.client.GetResponse;

import jpmacct.core.runtime.TcpProxy;
import jpmacct.pmacctd.Conformance;
import jpmacct.pmacctd.DaemonRun;
import jpmacct.plugins.avro.Decoded;

/**
 * The amqp plugin in a real pmacctd against the local RabbitMQ, beside a print plugin writing JSON from the same
 * records: queues of the test's own bound to the exchange get print's rows with writer_id, one per aggregate or
 * joined (amqp_multi_values), between markers, with the routing keys pmacct gives them; the broker away at start
 * and at exit; refused keys.
 */
class AmqpPluginTest {
    /** Purges only at exit: a run that crosses a refresh boundary would split its rows over two purges. */
    private static final String ONE_PURGE = "amqp_refresh_time: 3600\namqp_startup_delay: 3600\n";
    private static final long SMALL_PACKETS = 20_000;
    private static final Pattern PACKETS = Pattern.compile("\"packets\": (\\d+)");
    private static final Pattern BIN_MINUTE = Pattern.compile("\"stamp_inserted\": \"[-0-9]+ \\d\\d:(\\d\\d):00\"");

    /** A run beside print: the daemon's pid, what it said, print's JSON rows. */
    private record Run(long pid, String log, List<String> rows) {
    }

    /**
     * Runs pmacctd to its end on the small conformance capture with plugins a (amqp, on the test's exchange, whose
     * queues are bound before) and p (print, JSON), one purge each at the end.
     */
    private static Run besidePrint(Path dir, TestBroker broker, String aggregate, String extra) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        Process p = DaemonRun.start(dir, "pcap_savefile: input.pcap\nplugins: amqp[a], print[p]\naggregate: "
                + aggregate + "\n" + ONE_PURGE + "amqp_exchange[a]: " + broker.exchange + "\nprint_output[p]: json\n"
                + "print_output_file[p]: p.json\n" + extra);
        String log = DaemonRun.ended(p, dir);
        List<String> rows = printed(dir.resolve("p.json"));
        assertTrue(!rows.isEmpty(), "print's rows");
        return new Run(p.pid(), log, rows);
    }

    private static List<String> texts(List<GetResponse> messages) {
        return messages.stream().map(TestBroker::text).toList();
    }

    private static List<String> comparable(List<String> objects) {
        return objects.stream().map(AmqpRun::comparable).sorted().toList();
    }

    private static long packets(List<String> messages) {
        long n = 0;
        for (String m : messages) {
            Matcher x = PACKETS.matcher(m);
            while (x.find()) {
                n += Long.parseLong(x.group(1));
            }
        }
        return n;
    }

    /** Each message is one of print's rows with writer_id last, with pmacct's properties. */
    @Test
    void messagesArePrintsRowsWithWriterId(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            String q = broker.bind("acct");
            Run run = besidePrint(dir, broker, "src_host, dst_host, src_port, dst_port, proto, tos", "");
            List<String> rows = run.rows();
            assertTrue(rows.size() > 10, "rows: " + rows.size());
            List<GetResponse> got = broker.await(q, rows.size());
            String writerId = ", \"writer_id\": \"a/" + run.pid() + "\"}";
            for (String m : texts(got)) {
                assertTrue(m.endsWith(writerId), m);
            }
            assertEquals(comparable(rows), comparable(texts(got)));
            assertEquals("application/json", got.get(0).getProps().getContentType());
            assertNull(got.get(0).getProps().getDeliveryMode());
            assertEquals("acct", got.get(0).getEnvelope().getRoutingKey(), "pmacct's default routing key");
            assertTrue(run.log().contains("( a/amqp ): *** Purging cache - END (PID: " + run.pid() + ", QN: "
                    + rows.size() + "/" + rows.size() + ", ET: "), run.log());
            assertTrue(run.log().contains("( a/amqp ): connected to RabbitMQ at 127.0.0.1:5672 (vhost /, exchange "
                    + broker.exchange + "), exchange type direct"), run.log());
        }
    }

    /** amqp_output: avro: the same records in Avro's binary encoding, with pmacct's content type for them. */
    @Test
    void avroRecordsWithTheirContentType(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            String q = broker.bind("acct");
            Run run = besidePrint(dir, broker, "src_host, dst_host, proto",
                    "amqp_output[a]: avro\navro_schema_file[a]: " + dir.resolve("a.avsc") + "\n");
            List<GetResponse> got = broker.await(q, run.rows().size());
            assertEquals("application/octet-stream", got.get(0).getProps().getContentType());
            Schema schema = new Schema.Parser().parse(dir.resolve("a.avsc-acct_data").toFile());
            List<String> read = new ArrayList<>();
            for (GetResponse m : got) {
                Map<String, Object> r = new TreeMap<>(Decoded.plain(Decoded.binary(schema, m.getBody())));
                r.values().removeIf(v -> v == null);
                r.remove("writer_id");
                read.add(r.toString());
            }
            List<String> rows = new ArrayList<>();
            for (String row : run.rows()) {
                Map<String, Object> r = new TreeMap<>(Decoded.jsonLine(row));
                r.remove("event_type");
                rows.add(r.toString());
            }
            assertEquals(rows.stream().sorted().toList(), read.stream().sorted().toList());
        }
    }

    /**
     * amqp_avro_schema_routing_key: at start the three schemas, each in pmacct's purge_schema event, as JSON on their
     * own routing key; acct_data's equals the schema file's. With JSON output there is nothing to publish.
     */
    @Test
    void avroSchemasOnTheirRoutingKey(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            String schemas = broker.bind("schemas");
            Conformance.input("small", dir, "input.pcap");
            Process p = DaemonRun.start(dir, "pcap_savefile: input.pcap\npcap_savefile_wait: true\nplugins: amqp[a]\n"
                    + "aggregate: src_host, dst_host, proto\n" + ONE_PURGE + "amqp_exchange[a]: " + broker.exchange
                    + "\namqp_output[a]: avro\navro_schema_file[a]: " + dir.resolve("a.avsc")
                    + "\namqp_avro_schema_routing_key[a]: schemas\namqp_avro_schema_refresh_time[a]: 3600\n");
            List<GetResponse> got = broker.await(schemas, 3);
            p.destroy();
            DaemonRun.ended(p, dir);
            assertEquals("application/json", got.get(0).getProps().getContentType());
            List<String> names = new ArrayList<>();
            for (GetResponse m : got) {
                Map<String, Object> event = Decoded.jsonLine(TestBroker.text(m));
                assertEquals("purge_schema", event.get("event_type"));
                assertEquals("a/0", event.get("writer_id"));
                Schema schema = new Schema.Parser().parse((String) event.get("schema"));
                names.add(schema.getName());
                if (schema.getName().equals("acct_data")) {
                    assertEquals(new Schema.Parser().parse(dir.resolve("a.avsc-acct_data").toFile()), schema);
                }
            }
            assertEquals(List.of("acct_close", "acct_data", "acct_init"), names.stream().sorted().toList());

            Path json = Files.createDirectories(dir.resolve("json"));
            Run run = besidePrint(json, broker, "src_host", "amqp_avro_schema_routing_key[a]: schemas\n");
            assertTrue(run.log().contains("amqp_avro_schema_routing_key: no Avro schemas to publish with amqp_output "
                    + "json"), run.log());
        }
    }

    /**
     * amqp_markers and amqp_multi_values: purge_init, then messages of several aggregates each followed by a newline
     * and under the size, then purge_close counting them, as pmacct sends them.
     */
    @Test
    void markersAroundJoinedMessages(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            String q = broker.bind("acct");
            Run run = besidePrint(dir, broker, "src_host, dst_host, proto", "amqp_markers[a]: true\n"
                    + "amqp_multi_values[a]: 1500\n");
            List<String> rows = run.rows();
            String id = "\"writer_id\": \"a/" + run.pid() + "\"";
            List<String> messages = new ArrayList<>();
            TestBroker.await(() -> {
                messages.addAll(texts(broker.drain(q)));
                return !messages.isEmpty() && messages.get(messages.size() - 1).contains("purge_close");
            }, "purge_close");
            assertEquals("{\"event_type\": \"purge_init\", " + id + "}", messages.get(0));
            String close = messages.get(messages.size() - 1);
            assertTrue(close.startsWith("{\"event_type\": \"purge_close\", " + id + ", \"purged_entries\": "
                    + rows.size() + ", \"total_entries\": " + rows.size() + ", \"duration\": "), close);
            List<String> joined = new ArrayList<>();
            for (String m : messages.subList(1, messages.size() - 1)) {
                assertTrue(m.getBytes(StandardCharsets.UTF_8).length < 1500, m);
                assertTrue(m.endsWith("}\n"), m);
                joined.addAll(List.of(m.split("\n")));
            }
            assertTrue(messages.size() - 2 < rows.size() / 3, "several aggregates per message: " + messages.size());
            assertEquals(comparable(rows), comparable(joined));
        }
    }

    /**
     * amqp_preprocess leaves out the aggregates that fail its checks, as print_preprocess does print's rows;
     * purge_close and the log count those sent (purged_entries, QN) against all of the purge (total_entries).
     */
    @Test
    void preprocessLeavesOutAggregatesAndMarkersCountThem(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            String q = broker.bind("acct");
            Conformance.input("small", dir, "input.pcap");
            Process p = DaemonRun.start(dir, "pcap_savefile: input.pcap\nplugins: amqp[a], print[p], print[all]\n"
                    + "aggregate: src_host, dst_host, proto\n" + ONE_PURGE + "amqp_exchange[a]: " + broker.exchange
                    + "\namqp_markers[a]: true\namqp_preprocess[a]: minb=2000\nprint_preprocess[p]: minb=2000\n"
                    + "print_output: json\nprint_output_file[p]: p.json\nprint_output_file[all]: all.json\n");
            String log = DaemonRun.ended(p, dir);
            List<String> kept = printed(dir.resolve("p.json"));
            int total = printed(dir.resolve("all.json")).size();
            assertTrue(!kept.isEmpty() && kept.size() < total, kept.size() + " of " + total);
            List<String> messages = new ArrayList<>();
            TestBroker.await(() -> {
                messages.addAll(texts(broker.drain(q)));
                return !messages.isEmpty() && messages.get(messages.size() - 1).contains("purge_close");
            }, "purge_close");
            String close = messages.get(messages.size() - 1);
            assertTrue(close.startsWith("{\"event_type\": \"purge_close\", \"writer_id\": \"a/" + p.pid()
                    + "\", \"purged_entries\": " + kept.size() + ", \"total_entries\": " + total + ", "), close);
            assertEquals(comparable(kept), comparable(messages.subList(1, messages.size() - 1)));
            assertTrue(log.contains("( a/amqp ): *** Purging cache - END (PID: " + p.pid() + ", QN: " + kept.size()
                    + "/" + total + ", ET: "), log);
        }
    }

    /** amqp_routing_key_rr: acct_0, acct_1, acct_2 in turn, one message each, from _0 at the purge. */
    @Test
    void roundRobinOverRoutingKeys(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            List<String> queues = List.of(broker.bind("acct_0"), broker.bind("acct_1"), broker.bind("acct_2"));
            List<String> rows = besidePrint(dir, broker, "src_host, proto", "amqp_routing_key_rr[a]: 3\n").rows();
            int n = rows.size();
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<String> got = texts(broker.await(queues.get(i), (n + 2 - i) / 3));
                all.addAll(got);
            }
            assertEquals(comparable(rows), comparable(all));
        }
    }

    /** $tag (from pre_tag_map) and $post_tag2 in amqp_routing_key, resolved per aggregate. */
    @Test
    void variablesInTheRoutingKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pretag.map"), "set_tag=1 filter='tcp'\nset_tag=2 filter='udp'\n");
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            List<String> queues = List.of(broker.bind("acct.0.7"), broker.bind("acct.1.7"), broker.bind("acct.2.7"));
            List<String> rows = besidePrint(dir, broker, "tag, src_host, proto", "pre_tag_map: pretag.map\n"
                    + "amqp_routing_key[a]: acct.$tag.$post_tag2\npost_tag2[a]: 7\n").rows();
            for (int tag = 0; tag < 3; tag++) {
                String field = "\"tag\": " + tag + ",";
                List<String> mine = rows.stream().filter(r -> r.contains(field)).toList();
                assertTrue(!mine.isEmpty(), "rows of tag " + tag);
                List<String> got = texts(broker.await(queues.get(tag), mine.size()));
                assertEquals(comparable(mine), comparable(got));
            }
        }
    }

    /**
     * amqp_persistent_msg on a topic exchange: delivery mode 2, and the exchange declared durable (the test's durable
     * declaration of it is the same, or the plugin's would be refused). With history bins (amqp_history, and
     * amqp_time_roundoff, pmacct's other name of amqp_history_roundoff) moved a minute back by amqp_history_offset.
     */
    @Test
    void persistentMessagesOnATopicExchange(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.withExchange("topic", true)) {
            String q = broker.bind("pmacct.*");
            List<String> rows = besidePrint(dir, broker, "proto", "amqp_exchange_type[a]: topic\n"
                    + "amqp_persistent_msg[a]: true\namqp_routing_key[a]: pmacct.acct\namqp_history: 5m\n"
                    + "amqp_time_roundoff: m\namqp_history_offset: 60\n").rows();
            List<GetResponse> got = broker.await(q, rows.size());
            assertEquals(2, got.get(0).getProps().getDeliveryMode());
            assertEquals("pmacct.acct", got.get(0).getEnvelope().getRoutingKey());
            assertEquals(comparable(rows), comparable(texts(got)));
            assertTrue(rows.get(0).contains("\"stamp_inserted\": "), "with history bins: " + rows.get(0));
            for (String row : rows) {
                Matcher bin = BIN_MINUTE.matcher(row);
                assertTrue(bin.find() && Integer.parseInt(bin.group(1)) % 5 == 4, "5m bins a minute early: " + row);
            }
        }
    }

    /**
     * The broker unreachable from the start: told, counted; accounting and purges go on, the messages wait; once it
     * is reachable they are delivered, and in the end every packet is in the messages once.
     */
    @Test
    void brokerAwayAtStartThenBack(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (TestBroker broker = TestBroker.withExchange("direct", false);
             TcpProxy proxy = new TcpProxy(TestBroker.PORT)) {
            String q = broker.bind("acct");
            proxy.cut();
            Process p = DaemonRun.start(dir, "pcap_savefile: input.pcap\npcap_savefile_wait: true\nplugins: amqp[a]\n"
                    + "aggregate: src_host, dst_host, proto\namqp_refresh_time: 1\namqp_exchange: " + broker.exchange
                    + "\namqp_port: " + proxy.port() + "\n");
            AmqpRun.awaitLog(dir, "WARN ( a/amqp ): cannot reach RabbitMQ at 127.0.0.1:" + proxy.port() + " (vhost /, "
                    + "exchange " + broker.exchange + "): Connection refused; the purges' messages wait for it "
                    + "(amqp_buffer_size) and go once it takes them");
            AmqpRun.awaitLog(dir, "Connection failed to RabbitMQ: p_amqp_close(): RabbitMQ at 127.0.0.1:" + proxy.port()
                    + " (vhost /, exchange " + broker.exchange + "): Connection refused; ");
            AmqpRun.awaitLog(dir, "*** Purging cache - END");
            proxy.restore();
            AmqpRun.awaitLog(dir, "RabbitMQ delivers again after");
            AmqpRun.awaitLog(dir, "savefile done; waiting for SIGINT or SIGTERM");
            new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start().waitFor();
            AmqpRun.awaitLog(dir, "stats: amqp_messages_delivered{plugin=\"a\"} = ");
            p.destroy();
            String log = DaemonRun.ended(p, dir);
            Matcher failures = Pattern.compile("stats: amqp_connection_failures\\{plugin=\"a\"} = (\\d+)").matcher(log);
            assertTrue(failures.find() && Long.parseLong(failures.group(1)) >= 1, "failures counted:\n" + log);
            List<String> messages = new ArrayList<>();
            TestBroker.await(() -> {
                messages.addAll(texts(broker.drain(q)));
                return packets(messages) >= SMALL_PACKETS;
            }, "every packet in the messages");
            assertEquals(SMALL_PACKETS, packets(messages), "none twice");
            assertTrue(log.contains("( a/amqp ): RabbitMQ message delivery failed: cannot reach RabbitMQ at 127.0.0.1:"
                    + proxy.port() + " (vhost /, exchange " + broker.exchange + "): Connection refused"), log);
        }
    }

    /**
     * An exchange that exists with another type: told at start in the broker's words with the keys to check; the
     * daemon runs on, its messages waiting.
     */
    @Test
    void exchangeOfAnotherTypeIsToldAtStart(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (TestBroker broker = TestBroker.withExchange("fanout", false)) {
            Process p = DaemonRun.start(dir, "pcap_savefile: input.pcap\npcap_savefile_wait: true\nplugins: amqp[a]\n"
                    + "aggregate: src_host\namqp_exchange: " + broker.exchange + "\n");
            AmqpRun.awaitLog(dir, "WARN ( a/amqp ): cannot reach RabbitMQ at 127.0.0.1:5672 (vhost /, exchange "
                    + broker.exchange + "): PRECONDITION_FAILED - inequivalent arg 'type' for exchange '"
                    + broker.exchange + "' in vhost '/': received 'direct' but current is 'fanout' (amqp_exchange_type "
                    + "and amqp_persistent_msg must match the existing exchange)");
            AmqpRun.awaitLog(dir, "savefile done; waiting for SIGINT or SIGTERM");
            AmqpRun.stop(p, dir);
        }
    }

    /**
     * Still away when the daemon stops: it exits cleanly and says what was lost; what did not fit amqp_buffer_size
     * is dropped and counted.
     */
    @Test
    void brokerAwayAtExit(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (TcpProxy proxy = new TcpProxy(TestBroker.PORT)) {
            proxy.cut();
            String log = AmqpRun.run(dir, "pcap_savefile: input.pcap\nplugins: amqp[a]\n"
                    + "aggregate: src_host, dst_host, src_port, dst_port\namqp_buffer_size: 1000\n"
                    + "amqp_exchange: jpmacct-test-never\namqp_port: " + proxy.port() + "\n");
            assertTrue(log.contains("( a/amqp ): RabbitMQ messages waiting exceed amqp_buffer_size (1000 bytes): "
                    + "message dropped"), log);
            Matcher summary = Pattern.compile("RabbitMQ: 0 messages delivered, \\d+ delivery attempts failed, (\\d+) "
                    + "messages dropped for a full buffer, (\\d+) lost at exit").matcher(log);
            assertTrue(summary.find() && Long.parseLong(summary.group(1)) > 0 && Long.parseLong(summary.group(2)) > 0,
                    log);
            assertTrue(log.contains("( a/amqp ): Connection failed to RabbitMQ: p_amqp_connect_to_publish(): unable to "
                    + "open socket ("), log);
            assertTrue(log.contains("could not be delivered before exit and are lost; last failure: cannot reach "
                    + "RabbitMQ at 127.0.0.1:" + proxy.port()), log);
        }
    }

    /** Keys refused at start-up, each named with what it expects. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "amqp_exchange_type[a]: queue|key 'amqp_exchange_type[a]': invalid value 'queue' (unknown exchange type); "
                + "expected one of direct, fanout, topic, headers, or a broker plugin's type x-...",
        "amqp_port[a]: 70000|key 'amqp_port[a]': invalid value '70000' (out of range); expected an integer from 1 "
                + "to 65535",
        "amqp_frame_max[a]: 1024|key 'amqp_frame_max[a]': invalid value '1024' (out of range); expected an integer "
                + "from 4096 to 2147483647",
        "amqp_output[a]: xml|key 'amqp_output[a]': invalid value 'xml' (unknown output)",
        "amqp_routing_key[a]: acct_$tag\\namqp_multi_values[a]: 1000|amqp_multi_values[a]: dynamic "
                + "'amqp_routing_key' is not compatible with 'amqp_multi_values'",
        "amqp_routing_key[a]: acct_$nope|amqp_routing_key[a]: 'acct_$nope': unknown variable '$nope'",
        "amqp_preprocess[a]: minp=2, qnum=100|p.conf:3: amqp_preprocess[a]: 'qnum' applies to the SQL plugins only",
        "amqp_history[a]: 1m\\namqp_history_offset[a]: 90|p.conf:4: amqp_history_offset[a]: 90 s is not less than "
                + "the history bins of 1m (60 s)",
    })
    void refusedKeys(String lines, String expected, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        String out = DaemonRun.refused(dir, "pcap_savefile: input.pcap\nplugins: amqp[a]\n" + lines.replace("\\n", "\n")
                + "\n");
        assertTrue(out.contains(expected), out);
    }
}
