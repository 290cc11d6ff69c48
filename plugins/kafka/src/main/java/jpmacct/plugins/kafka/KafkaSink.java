package jpmacct.plugins.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.plugins.messaging.MessageSink;

/**
 * Messages to Kafka through the Java client's producer ({@code KafkaProducer<byte[], byte[]>}), which batches,
 * retries and reconnects by itself; the engine keeps every message until its callback says it was delivered.
 * Bootstrap host names that do not resolve do not stop the daemon: the producer is created again at each attempt
 * until they do, each attempt counting as a failed delivery.
 */
final class KafkaSink implements MessageSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final Properties properties;
    private final String bootstrap;
    /** kafka_partition, or null to let the partitioner choose. */
    private final Integer partition;
    /** Who configured the client, for messages: kafka_config_file, kafka_broker_host. */
    private final String configuredBy;
    /** The health while deliveries succeed, made once: a delivery's callback only reads it. */
    private final Health connected;
    private final Object lock = new Object();
    private KafkaProducer<byte[], byte[]> producer;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** A flush waits on the lock for the messages in flight: only then do callbacks notify it. */
    private volatile boolean flushing;
    private boolean closed;
    private volatile Health health;

    KafkaSink(Properties properties, Integer partition, String configuredBy) {
        this.properties = properties;
        this.bootstrap = properties.getProperty("bootstrap.servers");
        this.partition = partition;
        this.configuredBy = configuredBy;
        this.health = new Health(false, "no message sent yet to " + bootstrap);
        this.connected = new Health(true, "connected to " + bootstrap);
    }

    @Override
    public void open() throws ConfigException {
        try {
            producer();
        } catch (KafkaException e) {
            if (!unresolvable(e)) {
                throw new ConfigException(configuredBy + ": the Kafka client refuses its configuration: "
                        + reason(e));
            }
            LOG.warn("Kafka brokers {} cannot be resolved now: {}; tried again at each delivery", bootstrap, reason(e));
            health = new Health(false, reason(e));
        }
    }

    /** The producer, created when first needed (a bootstrap name may resolve later). */
    private KafkaProducer<byte[], byte[]> producer() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Kafka producer closed");
            }
            if (producer == null) {
                producer = new KafkaProducer<>(properties);
            }
            return producer;
        }
    }

    /** The client's refusal of bootstrap servers no name of which resolves: a runtime condition, not a typo. */
    private static boolean unresolvable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No resolvable bootstrap urls")) {
                return true;
            }
        }
        return false;
    }

    /** Reports one outcome however the client reports it: callback or exception, never both. */
    private final class Settle implements Callback {
        private final Outcome outcome;
        private final AtomicBoolean done = new AtomicBoolean();

        Settle(Outcome outcome) {
            this.outcome = outcome;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            if (done.getAndSet(true)) {
                return;
            }
            if (failure != null) {
                health = new Health(false, reason(failure));
            } else if (health != connected) {
                health = connected;
            }
            if (inFlight.decrementAndGet() == 0 && flushing) {
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
            outcome.settled(failure);
        }
    }

    @Override
    public void send(String destination, byte[] key, byte[] payload, Outcome outcome) throws Exception {
        KafkaProducer<byte[], byte[]> p;
        try {
            p = producer();
        } catch (KafkaException e) {
            health = new Health(false, reason(e));
            throw new KafkaException(reason(e)); // the client's "Failed to construct kafka producer" says less
        }
        Settle settle = new Settle(outcome);
        inFlight.incrementAndGet();
        try {
            p.send(new ProducerRecord<>(destination, partition, key, payload), settle);
        } catch (RuntimeException e) {
            if (!settle.done.getAndSet(true)) {
                inFlight.decrementAndGet();
                health = new Health(false, reason(e));
                throw e;
            }
        }
    }

    @Override
    public void flush(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lock) {
            flushing = true;
            try {
                long left;
                while (inFlight.get() > 0 && (left = deadline - System.currentTimeMillis()) > 0) {
                    lock.wait(left); // flushing is set first: a callback's notify needs this lock, held until here
                }
            } finally {
                flushing = false;
            }
        }
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public void close() {
        KafkaProducer<byte[], byte[]> p;
        synchronized (lock) {
            closed = true;
            p = producer;
        }
        if (p != null) {
            // the engine waited for what could be delivered: whatever is still in the client fails now
            p.close(Duration.ZERO);
        }
    }

    /** An exception as one line, without the client's wrapping. */
    static String reason(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && (r.getMessage() == null || r instanceof KafkaException
                && r.getMessage().startsWith("Failed to construct kafka producer"))) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }
}
