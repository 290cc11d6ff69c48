package jpmacct.plugins.amqp;

import static jpmacct.plugins.amqp.AmqpPublisher.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.runtime.LogCapture;
import jpmacct.core.runtime.TcpProxy;

/**
 * The publisher against the local RabbitMQ, directly and through a relay the test cuts: what a consumer receives,
 * the buffer while the broker is away, the back-off, overflow, the bounded flush at close, refusals.
 */
class AmqpPublisherTest {

    private static AmqpPublisher.Settings settings(int port, String exchange, String type, boolean persistent,
                                                   long buffer) {
        return new AmqpPublisher.Settings("127.0.0.1", port, "/", "guest", "guest", exchange, type, persistent,
                131072, 0, buffer);
    }

    private static long counter(Metrics m, String name) {
        return m.snapshot().stream().filter(s -> s.name().equals(name)).mapToLong(Metrics.Sample::value).sum();
    }

    @Test
    void consumersGetJsonMessagesWithTheRoutingKey() throws Exception {
        Metrics metrics = new Metrics();
        try (TestBroker broker = TestBroker.withExchange("direct", false)) {
            String acct = broker.bind("acct");
            String other = broker.bind("other");
            AmqpPublisher p = new AmqpPublisher(settings(TestBroker.PORT, broker.exchange, "direct", false, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", metrics);
            p.start();
            assertTrue(p.publish("acct", utf8("{\"n\": 1}")));
            assertTrue(p.publish("other", utf8("{\"n\": 2}")));
            assertTrue(p.publish("acct", utf8("{\"n\": \"é\"}")));
            List<GetResponse> got = broker.await(acct, 2);
            assertEquals("{\"n\": 1}", TestBroker.text(got.get(0)));
            assertEquals("{\"n\": \"é\"}", TestBroker.text(got.get(1)));
            assertEquals("application/json", got.get(0).getProps().getContentType());
            assertNull(got.get(0).getProps().getDeliveryMode(), "not persistent unless amqp_persistent_msg");
            assertEquals("acct", got.get(0).getEnvelope().getRoutingKey());
            assertEquals(1, broker.await(other, 1).size());
            TestBroker.await(() -> counter(metrics, "amqp_sent_messages") == 3, "3 confirmed");
            p.close(10_000);
            assertEquals(0, p.bufferedBytes());
            assertEquals(0, counter(metrics, "amqp_lost_messages"));
        }
    }

    /** amqp_persistent_msg: delivery mode 2, and the exchange declared durable (a transient declaration fails). */
    @Test
    void persistentMessagesAndDurableExchange() throws Exception {
        try (TestBroker broker = TestBroker.withoutExchange(); LogCapture log = new LogCapture(AmqpPublisher.class)) {
            AmqpPublisher p = new AmqpPublisher(settings(TestBroker.PORT, broker.exchange, "topic", true, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", new Metrics());
            p.start();
            TestBroker.await(() -> p.state() == AmqpPublisher.State.UP, "connected");
            broker.declare("topic", true); // the same declaration: accepted
            String q = broker.bind("acct.#");
            p.publish("acct.x", utf8("{}"));
            GetResponse r = broker.await(q, 1).get(0);
            assertEquals(2, r.getProps().getDeliveryMode());
            p.close(10_000);
            assertTrue(log.matching("connected to RabbitMQ at 127.0.0.1:5672 (vhost /, exchange " + broker.exchange
                    + "), exchange type topic").size() == 1, log.lines().toString());
        }
    }

    /**
     * The broker unreachable at start: told at once, the messages wait; retries back off; once it is reachable
     * everything buffered arrives.
     */
    @Test
    void brokerAwayAtStartThenBack() throws Exception {
        Metrics metrics = new Metrics();
        try (TestBroker broker = TestBroker.withExchange("direct", false); TcpProxy proxy = new TcpProxy(TestBroker.PORT);
             LogCapture log = new LogCapture(AmqpPublisher.class)) {
            String q = broker.bind("acct");
            proxy.cut();
            AmqpPublisher p = new AmqpPublisher(settings(proxy.port(), broker.exchange, "direct", false, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", metrics);
            p.start();
            TestBroker.await(() -> !log.matching("retrying in 2000 ms").isEmpty(), "the second retry");
            assertEquals(AmqpPublisher.State.AWAY, p.state());
            List<String> first = log.matching("cannot reach RabbitMQ at 127.0.0.1:" + proxy.port());
            assertEquals(1, first.size(), log.lines().toString());
            assertTrue(first.get(0).startsWith("WARN ( a/amqp ): ") && first.get(0).contains("Connection refused")
                    && first.get(0).contains("messages wait in the buffer (amqp_buffer_size 1048576 bytes)"), first.get(0));
            for (int i = 0; i < 100; i++) {
                assertTrue(p.publish("acct", utf8("{\"i\": " + i + "}")));
            }
            assertEquals(100, p.bufferedMessages());
            assertTrue(counter(metrics, "amqp_connection_failures") >= 2);
            proxy.restore();
            List<GetResponse> got = broker.await(q, 100);
            for (int i = 0; i < 100; i++) {
                assertEquals("{\"i\": " + i + "}", TestBroker.text(got.get(i)), "in order");
            }
            TestBroker.await(() -> !log.matching("failed attempts; ").isEmpty(), "the reconnection line");
            p.close(10_000);
            assertEquals(0, counter(metrics, "amqp_dropped_messages"));
            assertEquals(0, counter(metrics, "amqp_lost_messages"));
        }
    }

    /** Away with a full buffer: new messages are dropped and counted; what the buffer held arrives later. */
    @Test
    void fullBufferDropsWhileAway() throws Exception {
        Metrics metrics = new Metrics();
        try (TestBroker broker = TestBroker.withExchange("direct", false); TcpProxy proxy = new TcpProxy(TestBroker.PORT);
             LogCapture log = new LogCapture(AmqpPublisher.class)) {
            String q = broker.bind("acct");
            proxy.cut();
            byte[] body = new byte[100];
            long cost = new AmqpPublisher.Message("acct", body).cost();
            AmqpPublisher p = new AmqpPublisher(settings(proxy.port(), broker.exchange, "direct", false, 10 * cost),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", metrics);
            p.start();
            TestBroker.await(() -> p.state() == AmqpPublisher.State.AWAY, "away");
            int taken = 0;
            for (int i = 0; i < 25; i++) {
                taken += p.publish("acct", body) ? 1 : 0;
            }
            assertEquals(10, taken);
            assertEquals(15, counter(metrics, "amqp_dropped_messages"));
            List<String> dropped = log.matching("is full and RabbitMQ at");
            assertEquals(1, dropped.size(), "once a minute: " + log.lines());
            assertTrue(dropped.get(0).contains("amqp_buffer_size (" + 10 * cost + " bytes) is full and RabbitMQ at "
                    + "127.0.0.1:" + proxy.port() + " (vhost /, exchange " + broker.exchange + ") is away"), dropped.get(0));
            proxy.restore();
            broker.await(q, 10);
            p.close(10_000);
            assertTrue(broker.drain(q).isEmpty());
        }
    }

    /** A connection lost after messages went through: later messages wait for the reconnection, none is lost. */
    @Test
    void connectionLostAndRestored() throws Exception {
        Metrics metrics = new Metrics();
        try (TestBroker broker = TestBroker.withExchange("direct", false); TcpProxy proxy = new TcpProxy(TestBroker.PORT);
             LogCapture log = new LogCapture(AmqpPublisher.class)) {
            String q = broker.bind("acct");
            AmqpPublisher p = new AmqpPublisher(settings(proxy.port(), broker.exchange, "direct", false, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", metrics);
            p.start();
            p.publish("acct", utf8("before"));
            broker.await(q, 1);
            proxy.cut();
            TestBroker.await(() -> p.state() == AmqpPublisher.State.AWAY, "the loss noticed");
            for (int i = 0; i < 50; i++) {
                p.publish("acct", utf8("after " + i));
            }
            TestBroker.await(() -> !log.matching("cannot reach").isEmpty(), "the outage told");
            assertEquals(1, log.matching("lost the connection to RabbitMQ at").size(), log.lines().toString());
            proxy.restore();
            Set<String> got = new HashSet<>();
            for (GetResponse r : broker.await(q, 50)) {
                got.add(TestBroker.text(r));
            }
            assertEquals(50, got.size());
            p.close(10_000);
            assertEquals(0, counter(metrics, "amqp_lost_messages"));
        }
    }

    /** Stopping while the broker is away: retries until the deadline, then tells and counts what is lost. */
    @Test
    void closeWithTheBrokerAwayReportsTheLoss() throws Exception {
        Metrics metrics = new Metrics();
        try (TcpProxy proxy = new TcpProxy(TestBroker.PORT); LogCapture log = new LogCapture(AmqpPublisher.class)) {
            proxy.cut();
            AmqpPublisher p = new AmqpPublisher(settings(proxy.port(), "jpmacct-test-never", "direct", false, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", metrics);
            p.start();
            for (int i = 0; i < 7; i++) {
                p.publish("acct", utf8("{}"));
            }
            p.close(1500);
            assertEquals(7, counter(metrics, "amqp_lost_messages"));
            List<String> lost = log.matching("were not delivered");
            assertEquals(1, lost.size(), log.lines().toString());
            assertTrue(lost.get(0).startsWith("ERROR") && lost.get(0).contains(": 7 messages (" + 7 * (2 + 4 + 64)
                    + " bytes) were not delivered to RabbitMQ at 127.0.0.1:" + proxy.port()), lost.get(0));
        }
    }

    /** An exchange that exists with another type: the broker's reason and the keys to check, messages kept. */
    @Test
    void exchangeOfAnotherTypeIsToldAndRetried() throws Exception {
        try (TestBroker broker = TestBroker.withExchange("fanout", false);
             LogCapture log = new LogCapture(AmqpPublisher.class)) {
            AmqpPublisher p = new AmqpPublisher(settings(TestBroker.PORT, broker.exchange, "direct", false, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", new Metrics());
            p.start();
            TestBroker.await(() -> !log.matching("cannot reach").isEmpty(), "the refusal");
            String line = log.matching("cannot reach").get(0);
            assertTrue(line.contains("PRECONDITION_FAILED - inequivalent arg 'type' for exchange '" + broker.exchange
                    + "' in vhost '/': received 'direct' but current is 'fanout' (amqp_exchange_type and "
                    + "amqp_persistent_msg must match the existing exchange)"), line);
            assertTrue(p.publish("acct", utf8("{}")), "kept while refused");
            p.close(0);
        }
    }

    /** A message larger than the broker's max_message_size is dropped alone; those around it arrive. */
    @Test
    void messageTheBrokerRefusesIsDroppedAlone() throws Exception {
        Metrics metrics = new Metrics();
        try (TestBroker broker = TestBroker.withExchange("direct", false); AutoCloseable max = TestBroker.maxMessageSize(4096);
             LogCapture log = new LogCapture(AmqpPublisher.class)) {
            String q = broker.bind("acct");
            AmqpPublisher p = new AmqpPublisher(settings(TestBroker.PORT, broker.exchange, "direct", false, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", metrics);
            p.publish("acct", utf8("first"));
            p.publish("acct", new byte[8192]);
            p.publish("acct", utf8("last"));
            p.start();
            TestBroker.await(() -> counter(metrics, "amqp_refused_messages") == 1, "the refusal");
            Set<String> got = new HashSet<>();
            TestBroker.await(() -> {
                broker.drain(q).forEach(r -> got.add(TestBroker.text(r)));
                return got.contains("last");
            }, "the last message");
            assertTrue(got.contains("first"), got.toString());
            p.close(10_000);
            String line = log.matching("refused a message").get(0);
            assertTrue(line.contains("refused a message of 8192 bytes (routing key acct): PRECONDITION_FAILED - message "
                    + "size 8192 is larger than configured max size 4096; dropped"), line);
        }
    }

    @Test
    void wrongPasswordNamesTheKeys() throws Exception {
        try (LogCapture log = new LogCapture(AmqpPublisher.class)) {
            AmqpPublisher p = new AmqpPublisher(new AmqpPublisher.Settings("127.0.0.1", TestBroker.PORT, "/", "guest",
                    "wrong", "jpmacct-test-never", "direct", false, 131072, 0, 1 << 20), "RabbitMQ/AMQP Plugin [a]",
                    "a/amqp", new Metrics());
            p.start();
            TestBroker.await(() -> !log.matching("cannot reach").isEmpty(), "the refusal");
            String line = log.matching("cannot reach").get(0);
            assertTrue(line.contains("ACCESS_REFUSED") && line.contains("(amqp_user, amqp_passwd)"), line);
            p.close(0);
        }
    }

    @Test
    void missingVhostNamesTheKey() throws Exception {
        try (LogCapture log = new LogCapture(AmqpPublisher.class)) {
            AmqpPublisher p = new AmqpPublisher(new AmqpPublisher.Settings("127.0.0.1", TestBroker.PORT,
                    "jpmacct-no-such-vhost", "guest", "guest", "jpmacct-test-never", "direct", false, 131072, 0, 1 << 20),
                    "RabbitMQ/AMQP Plugin [a]", "a/amqp", new Metrics());
            p.start();
            TestBroker.await(() -> !log.matching("cannot reach").isEmpty(), "the refusal");
            String line = log.matching("cannot reach").get(0);
            assertTrue(line.contains("jpmacct-no-such-vhost") && line.contains("(amqp_vhost)"), line);
            assertFalse(line.contains("\tat "), line);
            p.close(0);
        }
    }
}
