package jpmacct.plugins.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * The tests' side of the local RabbitMQ (127.0.0.1:5672, guest/guest): an exchange of the test's own (a unique
 * name, deleted at close) and queues bound to it, read with the plain client as any consumer reads them.
 */
final class TestBroker implements AutoCloseable {
    static final int PORT = 5672;
    /** How long a test waits for a state before it fails; far longer than any state takes. */
    static final long PATIENCE_MILLIS = 120_000;

    final String exchange;
    private final Connection connection;
    private final Channel channel;

    private TestBroker(String exchange) throws Exception {
        this.exchange = exchange;
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(PORT);
        f.setAutomaticRecoveryEnabled(false);
        try {
            this.connection = f.newConnection("jpmacct test");
        } catch (IOException e) {
            throw new IllegalStateException("RabbitMQ is not running at 127.0.0.1:" + PORT + " (start it: service "
                    + "rabbitmq-server start, or rabbitmq-server -detached)", e);
        }
        this.channel = connection.createChannel();
    }

    /** A fresh exchange name; the plugin under test declares the exchange, the test binds its queues first. */
    static TestBroker withExchange(String type, boolean durable) throws Exception {
        TestBroker b = new TestBroker("jpmacct-test-" + UUID.randomUUID());
        b.channel.exchangeDeclare(b.exchange, type, durable, false, null);
        return b;
    }

    /** A name no exchange has yet: for the tests of a refused declaration. */
    static TestBroker withoutExchange() throws Exception {
        return new TestBroker("jpmacct-test-" + UUID.randomUUID());
    }

    /** A queue of the test's own (exclusive, deleted with the connection) bound with {@code routingKey}. */
    String bind(String routingKey) throws IOException {
        String q = channel.queueDeclare().getQueue();
        channel.queueBind(q, exchange, routingKey);
        return q;
    }

    /** Declares the exchange as another client would, e.g. to make it exist with another type. */
    void declare(String type, boolean durable) throws IOException {
        channel.exchangeDeclare(exchange, type, durable, false, null);
    }

    /** The messages in {@code queue} once there are {@code n}; fails after the patience with what came. */
    List<GetResponse> await(String queue, int n) throws Exception {
        List<GetResponse> got = new ArrayList<>();
        await(() -> {
            got.addAll(drain(queue));
            return got.size() >= n;
        }, n + " messages in " + queue);
        if (got.size() > n) {
            throw new AssertionError(n + " messages expected in " + queue + ", " + got.size() + " came");
        }
        return got;
    }

    /** Whatever is in {@code queue} now. */
    List<GetResponse> drain(String queue) {
        List<GetResponse> got = new ArrayList<>();
        try {
            GetResponse r;
            while ((r = channel.basicGet(queue, true)) != null) {
                got.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return got;
    }

    /**
     * Sets the broker's max_message_size (read by each new channel) for one test, through rabbitmqctl (root on the
     * broker's machine); the returned handle restores RabbitMQ's default. Skips the test when rabbitmqctl fails.
     */
    static AutoCloseable maxMessageSize(long bytes) throws Exception {
        Assumptions.assumeTrue(rabbitmqctl("application:set_env(rabbit, max_message_size, " + bytes + ")."),
                "rabbitmqctl eval is needed to set the broker's max_message_size");
        return () -> rabbitmqctl("application:set_env(rabbit, max_message_size, " + DEFAULT_MAX_MESSAGE_SIZE + ").");
    }

    private static final long DEFAULT_MAX_MESSAGE_SIZE = 128L << 20;

    private static boolean rabbitmqctl(String erlang) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("rabbitmqctl", "eval", erlang).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static String text(GetResponse r) {
        return new String(r.getBody(), StandardCharsets.UTF_8);
    }

    static void await(BooleanSupplier state, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (!state.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("waited in vain for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        try (Channel c = connection.createChannel()) {
            c.exchangeDelete(exchange); // a fresh channel: a test may have had the broker close the other one
        } finally {
            connection.close();
        }
    }
}
