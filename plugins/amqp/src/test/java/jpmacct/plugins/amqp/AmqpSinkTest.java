package jpmacct.plugins.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.runtime.LogCapture;
import jpmacct.core.runtime.TcpProxy;
import jpmacct.plugins.messaging.MessageSink;

/**
 * The RabbitMQ transport against the local broker, directly and through a relay the test cuts: what a consumer
 * receives, outcomes from publisher confirms, reconnection, and the broker's refusals in its own words.
 */
class AmqpSinkTest {

    /** Outcomes by message, as the engine sees them: "ok" or the failure's message. */
    private static final class Outcomes {
        final Map<String, String> settled = new ConcurrentHashMap<>();

        MessageSink.Outcome of(String message) {
            return failure -> {
                if (settled.put(message, failure == null ? "ok" : String.valueOf(failure.getMessage())) != null) {
                    throw new AssertionError("settled twice: " + message);
                }
            };
        }
    }

    private static AmqpSink sink(int port, String vhost, String password, String exchange, String type,
                                 boolean persistent, Metrics metrics) {
        return new AmqpSink(new AmqpSink.Settings("127.0.0.1", port, vhost, "guest", password, exchange, type,
                persistent, 131072, 0), "RabbitMQ/AMQP Plugin [a]", "a/amqp", metrics, "a");
    }

    private static AmqpSink sink(int port, String exchange, String type, boolean persistent) {
        return sink(port, "/", "guest", exchange, type, persistent, new Metrics());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long counter(Metrics m, String name) {
        return m.snapshot().stream().filter(s -> s.name().equals(name)).mapToLong(Metrics.Sample::value).sum();
    }

    @Test
    void consumersGetJsonMessagesAndTheBrokerConfirms() throws Exception {
        Outcomes outcomes = new Outcomes();
        try (TestBroker broker = TestBroker.withExchange("direct", false);
             LogCapture log = new LogCapture(AmqpSink.class)) {
            String acct = broker.bind("acct");
            String other = broker.bind("other");
            AmqpSink sink = sink(TestBroker.PORT, broker.exchange, "direct", false);
            sink.send("acct", null, utf8("{\"n\": 1}"), outcomes.of("1"));
            sink.send("other", null, utf8("{\"n\": 2}"), outcomes.of("2"));
            sink.send("acct", null, utf8("{\"n\": \"é\"}"), outcomes.of("3"));
            sink.flush(30_000);
            assertEquals(Map.of("1", "ok", "2", "ok", "3", "ok"), outcomes.settled);
            List<GetResponse> got = broker.await(acct, 2);
            assertEquals("{\"n\": 1}", TestBroker.text(got.get(0)));
            assertEquals("{\"n\": \"é\"}", TestBroker.text(got.get(1)));
            assertEquals("application/json", got.get(0).getProps().getContentType());
            assertNull(got.get(0).getProps().getDeliveryMode(), "not persistent unless amqp_persistent_msg");
            assertEquals("acct", got.get(0).getEnvelope().getRoutingKey());
            assertEquals(1, broker.await(other, 1).size());
            assertTrue(sink.health().up());
            sink.close();
            assertFalse(sink.health().up());
            assertEquals(List.of("INFO ( - ): connected to RabbitMQ at 127.0.0.1:5672 (vhost /, exchange "
                    + broker.exchange + "), exchange type direct"), log.lines());
        }
    }

    /** amqp_persistent_msg: delivery mode 2, and the exchange declared durable as pmacct declares it. */
    @Test
    void persistentMessagesAndDurableExchange() throws Exception {
        Outcomes outcomes = new Outcomes();
        try (TestBroker broker = TestBroker.withoutExchange()) {
            AmqpSink sink = sink(TestBroker.PORT, broker.exchange, "topic", true);
            sink.send("nobody.listens", null, utf8("{}"), outcomes.of("unrouted"));
            sink.flush(30_000);
            assertEquals("ok", outcomes.settled.get("unrouted"), "unroutable messages are the broker's, as in pmacct");
            broker.declare("topic", true); // the same declaration: accepted; a transient one would be refused
            String q = broker.bind("acct.#");
            sink.send("acct.x", null, utf8("{}"), outcomes.of("routed"));
            assertEquals(2, broker.await(q, 1).get(0).getProps().getDeliveryMode());
            sink.close();
        }
    }

    /**
     * amqp_heartbeat_interval: asked of the broker; 0 takes the broker's interval (60 s by default), where pmacct's C
     * client switches heartbeats off.
     */
    @Test
    void heartbeatInterval() throws Exception {
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            for (int asked : new int[] {0, 5}) {
                AmqpSink sink = new AmqpSink(new AmqpSink.Settings("127.0.0.1", TestBroker.PORT, "/", "guest", "guest",
                        broker.exchange, "direct", false, 131072, asked), "RabbitMQ/AMQP Plugin [a]", "a/amqp",
                        new Metrics(), "a");
                sink.send("acct", null, utf8("{}"), f -> { });
                assertEquals(asked == 0 ? 60 : asked, sink.heartbeatSeconds());
                sink.close();
            }
        }
    }

    /** Unreachable: the message is not taken (the engine keeps it), the reason told; later sends connect. */
    @Test
    void unreachableBrokerThenBack() throws Exception {
        Metrics metrics = new Metrics();
        Outcomes outcomes = new Outcomes();
        try (TestBroker broker = TestBroker.withExchange("direct", false);
             TcpProxy proxy = new TcpProxy(TestBroker.PORT)) {
            String q = broker.bind("acct");
            proxy.cut();
            AmqpSink sink = sink(proxy.port(), "/", "guest", broker.exchange, "direct", false, metrics);
            Exception e = assertThrows(Exception.class, () -> sink.send("acct", null, utf8("1"), outcomes.of("1")));
            assertEquals("cannot reach RabbitMQ at 127.0.0.1:" + proxy.port() + " (vhost /, exchange " + broker.exchange
                    + "): Connection refused", e.getMessage());
            assertTrue(outcomes.settled.isEmpty(), "no outcome for a message not taken");
            assertFalse(sink.health().up());
            assertTrue(sink.health().detail().endsWith(": Connection refused"), sink.health().detail());
            assertEquals(1, counter(metrics, "amqp_connection_failures"));
            proxy.restore();
            sink.send("acct", null, utf8("1"), outcomes.of("1"));
            sink.flush(30_000);
            assertEquals("ok", outcomes.settled.get("1"));
            assertEquals("1", TestBroker.text(broker.await(q, 1).get(0)));
            sink.close();
        }
    }

    /** open() connects in the background: a broker away is told (and counted) before any message. */
    @Test
    void openTellsAnUnreachableBrokerAtOnce() throws Exception {
        Metrics metrics = new Metrics();
        try (TcpProxy proxy = new TcpProxy(TestBroker.PORT); LogCapture log = new LogCapture(AmqpSink.class)) {
            proxy.cut();
            AmqpSink sink = sink(proxy.port(), "/", "guest", "jpmacct-test-never", "direct", false, metrics);
            sink.open();
            TestBroker.await(() -> !log.lines().isEmpty(), "the warning");
            assertEquals(List.of("WARN ( a/amqp ): cannot reach RabbitMQ at 127.0.0.1:" + proxy.port() + " (vhost /, "
                    + "exchange jpmacct-test-never): Connection refused; the purges' messages wait for it "
                    + "(amqp_buffer_size) and go once it takes them"), log.lines());
            assertEquals(1, counter(metrics, "amqp_connection_failures"));
            sink.close();
        }
    }

    /** A broken connection: what it had not confirmed fails (the engine sends it again); the next send reconnects. */
    @Test
    void lostConnectionFailsWhatWasNotConfirmed() throws Exception {
        Outcomes outcomes = new Outcomes();
        try (TestBroker broker = TestBroker.withExchange("direct", false);
             TcpProxy proxy = new TcpProxy(TestBroker.PORT); LogCapture log = new LogCapture(AmqpSink.class)) {
            String q = broker.bind("acct");
            AmqpSink sink = sink(proxy.port(), broker.exchange, "direct", false);
            sink.send("acct", null, utf8("before"), outcomes.of("before"));
            sink.flush(30_000);
            assertEquals("ok", outcomes.settled.get("before"));
            proxy.cut();
            TestBroker.await(() -> !log.matching("lost the connection to RabbitMQ at 127.0.0.1:" + proxy.port()
                    + " (vhost /, exchange " + broker.exchange + "): the connection was closed").isEmpty(),
                    "the loss told");
            assertFalse(sink.health().up());
            assertThrows(Exception.class, () -> sink.send("acct", null, utf8("during"), outcomes.of("during")));
            proxy.restore();
            sink.send("acct", null, utf8("after"), outcomes.of("after"));
            sink.flush(30_000);
            assertEquals("ok", outcomes.settled.get("after"));
            assertFalse(outcomes.settled.containsKey("during"));
            assertEquals(List.of("before", "after"), broker.await(q, 2).stream().map(TestBroker::text).toList());
            assertEquals(2, log.matching("connected to RabbitMQ").size());
            sink.close();
        }
    }

    /** Closing fails what is not confirmed yet; nothing is settled twice. */
    @Test
    void closeSettlesEverything() throws Exception {
        Outcomes outcomes = new Outcomes();
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            AmqpSink sink = sink(TestBroker.PORT, broker.exchange, "direct", false);
            for (int i = 0; i < 1000; i++) {
                sink.send("acct", null, utf8("{}"), outcomes.of("m" + i));
            }
            sink.close();
            TestBroker.await(() -> outcomes.settled.size() == 1000, "every outcome");
            assertThrows(Exception.class, () -> sink.send("acct", null, utf8("{}"), outcomes.of("late")));
        }
    }

    /** An exchange that exists with another type: the broker's reason and the keys to check. */
    @Test
    void exchangeOfAnotherTypeIsToldWithTheKeys() throws Exception {
        try (TestBroker broker = TestBroker.withExchange("fanout", false)) {
            AmqpSink sink = sink(TestBroker.PORT, broker.exchange, "direct", false);
            Exception e = assertThrows(Exception.class, () -> sink.send("acct", null, utf8("{}"), f -> { }));
            assertEquals("cannot reach RabbitMQ at 127.0.0.1:5672 (vhost /, exchange " + broker.exchange + "): "
                    + "PRECONDITION_FAILED - inequivalent arg 'type' for exchange '" + broker.exchange + "' in vhost "
                    + "'/': received 'direct' but current is 'fanout' (amqp_exchange_type and amqp_persistent_msg "
                    + "must match the existing exchange)", e.getMessage());
            sink.close();
        }
    }

    /** A message larger than the broker's max_message_size: its outcome is the broker's refusal in its words. */
    @Test
    void messageLargerThanTheBrokerTakesFails() throws Exception {
        Outcomes outcomes = new Outcomes();
        try (TestBroker broker = TestBroker.withExchange("direct", false);
             AutoCloseable max = TestBroker.maxMessageSize(4096)) {
            AmqpSink sink = sink(TestBroker.PORT, broker.exchange, "direct", false);
            sink.send("acct", null, new byte[8192], outcomes.of("large"));
            TestBroker.await(() -> outcomes.settled.containsKey("large"), "the outcome");
            assertEquals("PRECONDITION_FAILED - message size 8192 is larger than configured max size 4096",
                    outcomes.settled.get("large"));
            sink.close();
        }
    }

    @Test
    void refusedLoginAndMissingVhostNameTheKeys() throws Exception {
        AmqpSink badPassword = sink(TestBroker.PORT, "/", "wrong", "jpmacct-test-never", "direct", false,
                new Metrics());
        Exception e = assertThrows(Exception.class, () -> badPassword.send("acct", null, utf8("{}"), f -> { }));
        assertTrue(e.getMessage().contains("ACCESS_REFUSED") && e.getMessage().endsWith("(amqp_user, amqp_passwd)"),
                e.getMessage());
        AmqpSink noVhost = sink(TestBroker.PORT, "jpmacct-no-such-vhost", "guest", "jpmacct-test-never", "direct",
                false, new Metrics());
        e = assertThrows(Exception.class, () -> noVhost.send("acct", null, utf8("{}"), f -> { }));
        assertTrue(e.getMessage().endsWith("NOT_ALLOWED - vhost jpmacct-no-such-vhost not found (amqp_vhost)"),
                e.getMessage());
    }
}
