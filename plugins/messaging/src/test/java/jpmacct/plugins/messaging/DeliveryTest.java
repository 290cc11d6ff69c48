package jpmacct.plugins.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jpmacct.core.metrics.Metrics;

/**
 * The delivery contract on a transport written for the test (the Kafka tests run it on a real broker): a message is
 * kept until its outcome says delivered and sent again when it failed (messages sent meanwhile may overtake it, as
 * with any client that pipelines), a full buffer waits while deliveries go on. The transport settles each message on a thread of its own, as a broker's client does.
 */
class DeliveryTest {
    private final ExecutorService client = Executors.newSingleThreadExecutor();
    private final Metrics metrics = new Metrics();

    /** Takes messages, refusing the first {@code failures} attempts. */
    private final class TestSink implements MessageSink {
        final List<String> delivered = new ArrayList<>();
        int failures;

        TestSink(int failures) {
            this.failures = failures;
        }

        @Override
        public void send(String destination, byte[] key, byte[] payload, Outcome outcome) {
            client.execute(() -> {
                synchronized (this) {
                    if (failures > 0) {
                        failures--;
                        outcome.settled(new IllegalStateException("broker away"));
                        return;
                    }
                    delivered.add(destination + ":" + new String(payload, StandardCharsets.UTF_8));
                }
                outcome.settled(null);
            });
        }

        @Override
        public void flush(long timeoutMillis) {
        }

        @Override
        public Health health() {
            return new Health(true, "test");
        }

        @Override
        public void close() {
        }
    }

    private Delivery delivery(TestSink t, long capacity) {
        Delivery d = new Delivery(new Transport("Test", null, null, t, "waiting", "closed"),
                "t/test", "test_buffer_size", capacity, metrics, "test", "t");
        d.start("delivery");
        return d;
    }

    private long metric(String name) {
        return metrics.snapshot().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().value();
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.shutdown();
        client.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void failedMessagesAreSentAgain() throws Exception {
        TestSink t = new TestSink(3);
        Delivery d = delivery(t, 1 << 20);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            d.offer(new Message("topic", null, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            expected.add("topic:m" + i);
        }
        assertEquals(0, d.close());
        assertEquals(expected, t.delivered.stream().sorted().toList());
        assertEquals(List.of("topic:m0", "topic:m1", "topic:m2"),
                t.delivered.stream().filter(expected.subList(0, 3)::contains).toList(), "the failed ones in order");
        assertEquals(3, metric("test_delivery_failures"));
        assertEquals(10, metric("test_messages_delivered"));
        assertEquals(0, metric("test_buffered_messages"));
    }

    @Test
    void aFullBufferWaitsWhileDeliveriesGoOn() throws Exception {
        TestSink t = new TestSink(0);
        Delivery d = delivery(t, 3 * new Message("topic", null, new byte[100]).size());
        for (int i = 0; i < 200; i++) {
            d.offer(new Message("topic", null, new byte[100]));
        }
        assertEquals(0, d.close());
        assertEquals(200, t.delivered.size());
        assertEquals(0, metric("test_messages_dropped"));
    }
}
