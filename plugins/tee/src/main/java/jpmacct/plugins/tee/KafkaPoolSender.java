package jpmacct.plugins.tee;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.plugin.DatagramConsumer.DatagramBytes;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.kafka.KafkaDatagram;
import jpmacct.plugins.tee.TeeReceivers.KafkaTarget;

/**
 * A tee pool that sends to a Kafka topic: one message per datagram in pmacct's format ({@link KafkaDatagram}), keyed
 * by the exporter so an exporter stays on one partition. The tee's sender thread only copies into this pool's own
 * ring; a thread of its own hands the datagrams to the producer, whose buffer (buffer.memory) holds them while the
 * broker is slow or away. So a producer that waits (for metadata, for room: max.block.ms) holds up neither the
 * collector's receiving threads nor the tee's other pools: when the ring is full the datagram is dropped and
 * counted as failed, and what the producer cannot deliver (delivery.timeout.ms) is counted as failed by its
 * callback. After a send that waited max.block.ms in vain, datagrams fail at once for a second (and at stop), so a
 * broker that is away does not cost that wait per datagram. Failures are logged at most once a minute per kind.
 */
final class KafkaPoolSender {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPoolSender.class);
    private static final long FAULT_LOG_MILLIS = 60_000;
    private static final long IDLE_NANOS = 50_000_000L;
    /** After a send that waited in vain, datagrams fail at once for this long, then one tries again. */
    private static final long AWAY_NANOS = 1_000_000_000L;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Exporters whose message key is kept; more (a spoofed flood) and the cache starts over. */
    private static final int MAX_KEYS = 4096;
    /**
     * Long enough for the metadata of a topic the broker creates on first use, short enough that a broker that is
     * away costs a stopping daemon little (the Java client's default is 60 s).
     */
    static final String DEFAULT_MAX_BLOCK_MS = "5000";

    private final String pluginId;
    private final String topic;
    private final String name;
    private final KafkaProducer<byte[], byte[]> producer;
    private final DatagramRing ring;
    private final TeePlugin.ReceiverStats stats;
    private final RateLimitedLog faults = new RateLimitedLog(LOG, FAULT_LOG_MILLIS);
    private final Map<InetAddress, byte[]> keys = new HashMap<>();
    private final SlotBytes copier = new SlotBytes();
    private final Callback delivered = this::delivered;
    private final Thread thread;
    private volatile boolean stopping;
    /** The producer could not take a datagram within max.block.ms; cleared by the next delivery. */
    private volatile boolean away;
    /** Until when datagrams fail without a try (the sending thread's only). */
    private long awayUntil;

    /** Reads the datagram of a slot of the tee's ring: handing it on allocates nothing. */
    private static final class SlotBytes implements DatagramBytes {
        byte[] data;

        @Override
        public void copyTo(byte[] dst, int length) {
            System.arraycopy(data, 0, dst, 0, length);
        }
    }

    /**
     * @param base tee_kafka_config_file's properties (the pool's broker list replaces any bootstrap.servers)
     */
    KafkaPoolSender(String pluginId, String pluginName, String threadName, int poolId, KafkaTarget target,
                    Properties base, int capacity, TeePlugin.ReceiverStats stats) {
        this.pluginId = pluginId;
        this.topic = target.topic();
        this.name = "pool " + poolId + " receiver " + target.describe();
        this.producer = new KafkaProducer<>(properties(base, target, pluginName + "-pool" + poolId));
        this.ring = new DatagramRing(capacity);
        this.stats = stats;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The producer's properties: the file's, the pool's brokers, byte arrays, and a bounded wait in send(). */
    static Properties properties(Properties base, KafkaTarget target, String clientId) {
        Properties p = new Properties();
        p.putAll(base);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.brokers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, base.getProperty(ProducerConfig.CLIENT_ID_CONFIG, "jpmacct-tee") + "-"
                + clientId);
        return p;
    }

    /**
     * From the tee's sender thread: the slot's datagram into this pool's ring. A full ring drops it (counted as
     * failed), unless a savefile put it: then this waits for room, as the savefile reader waits for the tee.
     */
    void offer(DatagramRing.Slot s) {
        copier.data = s.data;
        boolean queued = ring.offer(copier, s.length, s.sender, s.senderPort, s.lossless);
        while (!queued && s.lossless && !stopping) {
            LockSupport.parkNanos(100_000);
            queued = ring.offer(copier, s.length, s.sender, s.senderPort, true);
        }
        copier.data = null;
        if (!queued) {
            stats.errors.inc();
            faults.warn("queue", "tee: " + name + ": queue full, datagrams dropped (the broker is slow or away; "
                    + "plugin_pipe_size sizes the queue)");
        }
    }

    private void run() {
        MDC.put("pm", pluginId);
        while (true) {
            DatagramRing.Slot s = ring.poll();
            if (s == null) {
                if (stopping) {
                    return;
                }
                ring.await(IDLE_NANOS);
                continue;
            }
            if (away && (stopping || System.nanoTime() - awayUntil < 0)) {
                stats.errors.inc(); // the last send waited max.block.ms in vain: do not wait for each datagram
                ring.release();
                continue;
            }
            try {
                byte[] value = KafkaDatagram.encode(s.data, s.length, s.sender, s.senderPort);
                Future<RecordMetadata> f = producer.send(new ProducerRecord<>(topic, key(s.sender), value), delivered);
                if (f.isDone() && timedOut(f)) {
                    away = true;
                    awayUntil = System.nanoTime() + AWAY_NANOS;
                }
            } catch (KafkaException e) {
                // errors the producer does not hand to the callback (closed, interrupted)
                stats.errors.inc();
                faults.warn("send", "tee: " + name + ": send failed: " + e.getMessage());
            }
            ring.release();
        }
    }

    /** A send that failed at once because it waited max.block.ms (no metadata, buffer full: the broker is away). */
    private static boolean timedOut(Future<RecordMetadata> f) {
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TimeoutException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private byte[] key(InetAddress exporter) {
        byte[] k = keys.get(exporter);
        if (k == null) {
            if (keys.size() >= MAX_KEYS) {
                keys.clear();
            }
            k = KafkaDatagram.key(exporter);
            keys.put(exporter, k);
        }
        return k;
    }

    /** The producer's I/O thread: delivered, or given up after retries (delivery.timeout.ms) or buffer full. */
    private void delivered(RecordMetadata metadata, Exception e) {
        if (e == null) {
            away = false;
            stats.datagrams.inc();
            stats.bytes.add(Math.max(0, metadata.serializedValueSize()));
            return;
        }
        stats.errors.inc();
        MDC.put("pm", pluginId);
        faults.warn("delivery", "tee: " + name + ": delivery failed: " + e.getMessage());
    }

    /** Sends what the ring holds, then what the producer holds (at most 10 s: then the rest counts as failed). */
    void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
