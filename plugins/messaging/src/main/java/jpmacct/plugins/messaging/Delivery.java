package jpmacct.plugins.messaging;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.metrics.Counter;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * Gets messages to the broker through outages. Purges put messages into a buffer bounded in bytes
 * ({@code kafka_buffer_size}); a delivery thread hands them to the {@link MessageSink} and keeps each one until the
 * sink reports it delivered. A failed message goes back to the head of the line; after a failure one message at a
 * time is tried (1 s, 2 s ... 10 s apart) until one gets through, then the rest follow. Aggregation never waits: a
 * purge waits for room in a full buffer only while deliveries go on; with the broker away a message that does not
 * fit is dropped and counted. Messages waiting longer than {@link #STALL_MILLIS}
 * without any delivery are reported once per outage with pmacct's "Connection failed" lines ({@link Transport});
 * the way back is reported too. At exit the buffer is given until deliveries stop making progress (and at most {@link
 * #EXIT_MILLIS}); what is left is counted and logged as lost.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    /** No delivery for this long while messages wait: the broker is reported unreachable (pmacct: 5 polls). */
    static final long STALL_MILLIS = 5_000;
    /** At exit, how long the buffer may go without a delivery before what is left is given up. */
    static final long EXIT_STALL_MILLIS = 5_000;
    static final long EXIT_MILLIS = 60_000;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 10_000;
    private static final long LOG_INTERVAL_MILLIS = 60_000;
    /** Room a waiting writer is woken for (or a quarter of a smaller buffer). */
    private static final long WAKE_WRITER_BYTES = 1 << 20;

    private final String broker;
    private final Transport transport;
    private final String tag;
    private final String bufferKey;
    private final MessageSink sink;
    private final long capacity;
    private final RateLimitedLog limited = new RateLimitedLog(LOG, LOG_INTERVAL_MILLIS);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Messages not sent yet, in order; the delivery thread takes them all at once (swapping in its empty batch). */
    private ArrayDeque<Message> queue = new ArrayDeque<>();
    /** Messages sent that failed, to be sent again before the queue. */
    private final ArrayDeque<Message> retry = new ArrayDeque<>();
    /**
     * Messages and bytes held: queued, to retry and in flight. A delivery settles without the lock (the common
     * case, one per message); what waits on it (a writer wanting room, the broker's way back) takes the lock.
     */
    private final AtomicLong heldMessages = new AtomicLong();
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean healthy = true;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private long nextAttemptNanos;
    /** The last delivery, or when the buffer last filled from empty. */
    private volatile long progressNanos = System.nanoTime();
    /** A writer waits for room, the delivery thread for messages: who must be woken. Under the lock. */
    private volatile boolean writerWaiting;
    private boolean senderIdle;
    private volatile boolean reportedDown;
    /** Set once the broker was ever reported down: the exit line then sums up, outage or not at the end. */
    private volatile boolean everDown;
    private long downSinceNanos;
    private long failuresSinceDown;
    private String lastFailure = "";
    private volatile boolean stopping;
    private boolean abandoned;
    private Thread thread;

    private final Counter delivered;
    private final Counter failures;
    private final Counter dropped;
    private final Counter lost;

    /**
     * @param tag       the plugin's log tag (name/type)
     * @param bufferKey the key bounding the buffer, as configured, for messages
     * @param type      the plugin type, prefix of the metrics
     */
    Delivery(Transport transport, String tag, String bufferKey, long capacity, Metrics metrics, String type,
             String plugin) {
        this.transport = transport;
        this.broker = transport.broker();
        this.tag = tag;
        this.bufferKey = bufferKey;
        this.sink = transport.sink();
        this.capacity = capacity;
        this.delivered = metrics.counter(type + "_messages_delivered", "Messages the broker took", "plugin", plugin);
        this.failures = metrics.counter(type + "_delivery_failures", "Attempts to deliver a message that failed "
                + "(the message is kept and sent again)", "plugin", plugin);
        this.dropped = metrics.counter(type + "_messages_dropped", "Messages dropped: the buffer for messages "
                + "waiting for the broker was full", "plugin", plugin);
        this.lost = metrics.counter(type + "_messages_lost_at_exit", "Messages still undelivered when the daemon "
                + "stopped", "plugin", plugin);
        metrics.gauge(type + "_buffered_messages", "Messages waiting for the broker", heldMessages::get, "plugin",
                plugin);
        metrics.gauge(type + "_buffered_bytes", "Bytes of messages waiting for the broker", heldBytes::get,
                "plugin", plugin);
    }

    void start(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Takes a message for delivery. When the buffer is full the writer waits for room while deliveries go on (a
     * slow broker holds the purge back, not the accounting); when none got through for {@link #STALL_MILLIS} the
     * message is dropped and counted, and false returned.
     */
    boolean offer(Message m) throws InterruptedException {
        long size = m.size();
        lock.lock();
        try {
            while (heldBytes.get() + size > capacity && heldMessages.get() > 0) {
                if (stopping || System.nanoTime() - progressNanos >= TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                    writerWaiting = false;
                    dropped.inc();
                    limited.error("full", broker + " messages waiting exceed " + bufferKey + " (" + capacity
                            + " bytes): message dropped");
                    return false;
                }
                writerWaiting = true;
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            writerWaiting = false;
            if (heldMessages.get() == 0) {
                progressNanos = System.nanoTime();
            }
            queue.addLast(m);
            heldMessages.incrementAndGet();
            heldBytes.addAndGet(size);
            if (senderIdle) {
                changed.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends while the broker takes messages: everything waiting at once, then what came meanwhile; after a failure
     * one message at a time, each after the back-off.
     */
    private void run() {
        MDC.put("pm", tag);
        ArrayDeque<Message> batch = new ArrayDeque<>();
        try {
            while (true) {
                boolean probe;
                lock.lock();
                try {
                    while (true) {
                        long now = System.nanoTime();
                        reportStall(now);
                        if (abandoned || (stopping && heldMessages.get() == 0)) {
                            return;
                        }
                        boolean waiting = !retry.isEmpty() || !queue.isEmpty();
                        boolean mayTry = healthy || (inFlight.get() == 0 && now - nextAttemptNanos >= 0);
                        if (waiting && mayTry) {
                            break;
                        }
                        senderIdle = true;
                        changed.await(250, TimeUnit.MILLISECONDS);
                        senderIdle = false;
                    }
                    probe = !healthy;
                    if (probe) {
                        batch.addLast(retry.isEmpty() ? queue.pollFirst() : retry.pollFirst());
                    } else if (retry.isEmpty()) {
                        ArrayDeque<Message> taken = queue;
                        queue = batch;
                        batch = taken;
                    } else {
                        batch.addAll(retry);
                        retry.clear();
                        batch.addAll(queue);
                        queue.clear();
                    }
                    inFlight.addAndGet(batch.size());
                } finally {
                    lock.unlock();
                }
                while (!batch.isEmpty()) {
                    Message m = batch.pollFirst();
                    try {
                        sink.send(m.destination(), m.key(), m.payload(), failure -> settled(m, failure));
                    } catch (Exception e) {
                        settled(m, e);
                    }
                }
                if (probe) {
                    sink.flush(MAX_RETRY_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("{} delivery stopped: {}", broker, e.toString());
        }
    }

    /** A message's outcome, from the sink's thread or the delivery thread. */
    private void settled(Message m, Exception failure) {
        inFlight.decrementAndGet();
        long now = System.nanoTime();
        if (failure == null) {
            heldMessages.decrementAndGet();
            heldBytes.addAndGet(-m.size());
            delivered.inc();
            progressNanos = now;
            if (healthy && !reportedDown && !stopping) {
                // a writer waiting for room is woken once a good share of the buffer is free, not per message
                if (writerWaiting && heldBytes.get() <= capacity - Math.min(capacity / 4, WAKE_WRITER_BYTES)) {
                    wakeWriter();
                }
                return;
            }
        }
        MDC.put("pm", tag); // the sink's threads are this plugin's
        lock.lock();
        try {
            if (failure == null) {
                if (!healthy) {
                    healthy = true;
                    retryMillis = FIRST_RETRY_MILLIS;
                }
                if (reportedDown) {
                    reportedDown = false;
                    LOG.info("{} delivers again after {} s: {} messages waiting ({} delivery attempts failed "
                            + "meanwhile, {} messages dropped in all for a full buffer)", broker,
                            TimeUnit.NANOSECONDS.toSeconds(now - downSinceNanos), heldMessages.get(),
                            failuresSinceDown, dropped.get());
                }
            } else {
                failures.inc();
                failuresSinceDown++;
                lastFailure = reason(failure);
                if (abandoned) {
                    return;
                }
                retry.addLast(m);
                if (healthy) {
                    healthy = false;
                    retryMillis = FIRST_RETRY_MILLIS;
                } else {
                    retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
                }
                nextAttemptNanos = now + TimeUnit.MILLISECONDS.toNanos(retryMillis);
                limited.error("failed", broker + " message delivery failed: " + lastFailure
                        + "; kept and sent again");
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void wakeWriter() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Reports messages waiting without any getting through (called every second or so). */
    void check() {
        lock.lock();
        try {
            reportStall(System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: reports once per outage that messages wait without any getting through. */
    private void reportStall(long now) {
        if (reportedDown || heldMessages.get() == 0
                || now - progressNanos < TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
            return;
        }
        reportedDown = true;
        everDown = true;
        downSinceNanos = progressNanos;
        failuresSinceDown = 0;
        MessageSink.Health h = sink.health();
        // pmacct's two lines (tests/900-kafka-connection-loss), then what happens here instead of losing the purge
        LOG.error("{} ({})", transport.waitingLine(), heldMessages.get());
        LOG.error("{}: {}; {} messages ({} bytes) kept and sent again when {} is back", transport.closedLine(),
                h.detail(), heldMessages.get(), heldBytes.get(), broker);
    }

    /** Gives the buffer until deliveries stop making progress, then lets go of the sink; returns messages lost. */
    long close() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_MILLIS);
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
            while (heldMessages.get() > 0) {
                long now = System.nanoTime();
                if (now - deadline >= 0 || now - progressNanos >= TimeUnit.MILLISECONDS.toNanos(EXIT_STALL_MILLIS)) {
                    break;
                }
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            abandoned = heldMessages.get() > 0;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
        } finally {
            lock.unlock();
        }
        sink.close();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long left = heldMessages.get();
        if (left > 0) {
            lost.add(left);
            LOG.error("{} ({})", transport.waitingLine(), left);
            LOG.error("{} messages ({} bytes) could not be delivered before exit and are lost; last failure: {}", left,
                    heldBytes.get(), lastFailure.isEmpty() ? sink.health().detail() : lastFailure);
        }
        if (everDown || failures.get() > 0 || dropped.get() > 0 || left > 0) {
            LOG.info("{}: {} messages delivered, {} delivery attempts failed, {} messages dropped for a full buffer, "
                    + "{} lost at exit", broker, delivered.get(), failures.get(), dropped.get(), left);
        }
        return left;
    }

    /** An exception as one line: its message, or its type; the cause's when it only wraps. */
    static String reason(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && (r.getMessage() == null || r.getMessage().equals(r.getCause().toString()))) {
            r = r.getCause();
        }
        String msg = r.getMessage();
        return msg == null || msg.isBlank() ? r.getClass().getSimpleName() : msg;
    }
}
