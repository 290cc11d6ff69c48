package jpmacct.plugins.amqp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;

import jpmacct.core.metrics.Counter;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.runtime.Backoff;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * Publishes messages to one exchange of a RabbitMQ broker from a thread of its own, so a purge never waits for the
 * network. Messages wait in a buffer bounded by bytes: while the broker takes them a caller waits for room, while it
 * is away (unreachable, refusing the login or the exchange, blocked for lack of resources) they stay and new ones
 * are dropped once it is full. The connection is re-established with a back-off (1 s doubling to 60 s, pmacct's
 * retry interval) and the exchange declared again each time. Messages leave the buffer only once the broker has
 * confirmed them (publisher confirms), so an outage loses nothing that fits the buffer; a batch cut off by a broken
 * connection is sent again, which may repeat some of its messages.
 */
final class AmqpPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpPublisher.class);
    /** What a queued message costs beyond its body and routing key (objects, references). */
    static final int MESSAGE_OVERHEAD = 64;
    private static final int BATCH_MESSAGES = 1024;
    private static final long BATCH_BYTES = 4L << 20;
    private static final long FIRST_RETRY_MILLIS = 1000;
    /** pmacct's AMQP retry interval. */
    private static final long LAST_RETRY_MILLIS = 60_000;
    private static final long CONFIRM_TIMEOUT_MILLIS = 30_000;
    private static final long LOG_INTERVAL_MILLIS = 60_000;

    /** A message waiting for the broker. */
    record Message(String routingKey, byte[] body) {
        long cost() {
            return body.length + routingKey.length() + MESSAGE_OVERHEAD;
        }
    }

    /** Where the broker stands, as the sender thread last saw it. */
    enum State {
        /** No attempt has finished yet. */
        STARTING,
        /** Connected, the exchange declared. */
        UP,
        /** Connected, but the broker holds publishers back (memory or disk alarm). */
        BLOCKED,
        /** Unreachable, or refusing the login or the exchange. */
        AWAY
    }

    /** The broker and exchange, as configured. */
    record Settings(String host, int port, String vhost, String user, String password, String exchange,
                    String exchangeType, boolean persistent, int frameMax, int heartbeatSeconds, long bufferBytes) {
        String where() {
            return "RabbitMQ at " + host + ":" + port + " (vhost " + vhost + ", exchange " + exchange + ")";
        }
    }

    private final Settings settings;
    private final String id;
    private final ConnectionFactory factory;
    private final AMQP.BasicProperties properties;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, LOG_INTERVAL_MILLIS);
    private final Thread sender;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    /** Bytes of the messages queued and of those being published, freed once confirmed. */
    private long bufferedBytes;
    private int inFlight;
    private State state = State.STARTING;
    private boolean closing;
    private long closeDeadlineNanos;
    private volatile Connection connection;

    private final Counter sent;
    private final Counter dropped;
    private final Counter lost;
    private final Counter failures;
    private final Counter refused;
    /** Only the sender thread: messages still to go one at a time after the broker refused one of a batch. */
    private int oneByOne;

    /**
     * @param threadName the plugin's thread name: the sender and the client's connection threads are named after it
     * @param id         the plugin's log tag
     */
    AmqpPublisher(Settings settings, String threadName, String id, Metrics metrics) {
        this.settings = settings;
        this.id = id;
        this.factory = new ConnectionFactory();
        factory.setHost(settings.host());
        factory.setPort(settings.port());
        factory.setVirtualHost(settings.vhost());
        factory.setUsername(settings.user());
        factory.setPassword(settings.password());
        factory.setRequestedFrameMax(settings.frameMax());
        factory.setRequestedHeartbeat(settings.heartbeatSeconds());
        factory.setConnectionTimeout(10_000);
        // this class reconnects with its own back-off and declares the exchange itself
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setThreadFactory(r -> {
            Thread t = new Thread(r, threadName + " connection");
            t.setDaemon(true);
            return t;
        });
        factory.setExceptionHandler(new QuietExceptionHandler());
        this.properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                .deliveryMode(settings.persistent() ? 2 : null).build();
        this.sent = metrics.counter("amqp_sent_messages", "Messages the broker confirmed", "plugin", id);
        this.dropped = metrics.counter("amqp_dropped_messages", "Messages dropped: the buffer was full while the "
                + "broker was away", "plugin", id);
        this.lost = metrics.counter("amqp_lost_messages", "Messages still buffered when the daemon stopped",
                "plugin", id);
        this.failures = metrics.counter("amqp_connection_failures", "Failed connections and publishes", "plugin", id);
        this.refused = metrics.counter("amqp_refused_messages", "Messages the broker refused (larger than its "
                + "max_message_size)", "plugin", id);
        metrics.gauge("amqp_buffered_bytes", "Bytes of messages waiting for the broker", this::bufferedBytes,
                "plugin", id);
        this.sender = new Thread(this::run, threadName + " sender");
        sender.setDaemon(true);
    }

    void start() {
        sender.start();
    }

    /**
     * Queues a message for the broker. Waits for room while the broker takes messages (or the first connection is
     * being made); when it is away and the
     * buffer is full the message is dropped (counted, logged at most once a minute) and false returned. A message
     * larger than the whole buffer is taken when the buffer is empty.
     */
    boolean publish(String routingKey, byte[] body) throws InterruptedException {
        Message m = new Message(routingKey, body);
        long cost = m.cost();
        lock.lock();
        try {
            while (full(cost) && (state == State.UP || state == State.STARTING) && !closing) {
                changed.await();
            }
            if (full(cost)) {
                dropped.inc();
                rateLimited.warn("dropped", "amqp_buffer_size (" + settings.bufferBytes() + " bytes) is full and "
                        + settings.where() + " is " + describe(state) + ": message dropped");
                return false;
            }
            queue.addLast(m);
            bufferedBytes += cost;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean full(long cost) {
        return bufferedBytes > 0 && bufferedBytes + cost > settings.bufferBytes();
    }

    private static String describe(State s) {
        return switch (s) {
            case STARTING -> "not connected yet";
            case UP -> "up";
            case BLOCKED -> "blocking publishers";
            case AWAY -> "away";
        };
    }

    long bufferedBytes() {
        lock.lock();
        try {
            return bufferedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Messages waiting, including those published and not yet confirmed. */
    int bufferedMessages() {
        lock.lock();
        try {
            return queue.size() + inFlight;
        } finally {
            lock.unlock();
        }
    }

    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends what is buffered for at most {@code timeoutMillis} (retrying a broker that is away meanwhile), then
     * stops; what is left is counted as lost and logged.
     */
    void close(long timeoutMillis) {
        lock.lock();
        try {
            closing = true;
            closeDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (sender.isAlive()) {
            try {
                sender.join(timeoutMillis + 1000);
                if (sender.isAlive()) {
                    // stuck in a write the broker does not read: breaking the connection frees it
                    Connection c = connection;
                    if (c != null) {
                        c.abort(1000);
                    }
                    sender.interrupt();
                    sender.join(5000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int left;
        long leftBytes;
        lock.lock();
        try {
            left = queue.size() + inFlight;
            leftBytes = bufferedBytes;
        } finally {
            lock.unlock();
        }
        if (left > 0) {
            lost.add(left);
            LOG.error("{} messages ({} bytes) were not delivered to {} within {} ms of stopping: lost", left,
                    leftBytes, settings.where(), timeoutMillis);
        }
        LOG.info("{}: {} messages confirmed, {} dropped (buffer full), {} lost at exit", settings.where(), sent.get(),
                dropped.get(), lost.get());
    }

    @Override
    public void close() {
        close(0);
    }

    // ---- the sender thread

    /**
     * Connects at start and after every loss (with the back-off, also while there is nothing to send, so an outage
     * is told when it happens), then publishes batch after batch; a batch leaves the buffer once confirmed.
     */
    private void run() {
        MDC.put("pm", id);
        Backoff backoff = new Backoff(FIRST_RETRY_MILLIS, LAST_RETRY_MILLIS);
        List<Message> batch = new ArrayList<>(BATCH_MESSAGES);
        Channel channel = null;
        int failedAttempts = 0;
        try {
            while (true) {
                if (channel == null || !channel.isOpen()) {
                    if (stopNow(batch)) {
                        break;
                    }
                    try {
                        channel = connect();
                    } catch (IOException | TimeoutException | RuntimeException e) {
                        disconnect();
                        channel = null;
                        failures.inc();
                        failedAttempts++;
                        setState(State.AWAY);
                        long delay = backoff.next();
                        away(e, failedAttempts, delay);
                        pause(delay);
                        continue;
                    }
                    if (failedAttempts > 0) {
                        LOG.info("connected to {} after {} failed attempts; {} messages waiting", settings.where(),
                                failedAttempts, bufferedMessages());
                    } else {
                        LOG.info("connected to {}, exchange type {}", settings.where(), settings.exchangeType());
                    }
                    failedAttempts = 0;
                }
                if (batch.isEmpty() && !take(batch)) {
                    break;
                }
                if (batch.isEmpty()) {
                    continue; // the connection went away while idle
                }
                try {
                    publishBatch(channel, batch);
                    confirmed(batch);
                    backoff.reset();
                } catch (IOException | TimeoutException | RuntimeException e) {
                    failures.inc();
                    if (closeCode(e) == AMQP.PRECONDITION_FAILED) {
                        refusedMessage(e, batch);
                    }
                    disconnect();
                    channel = null;
                    setState(State.AWAY);
                    long delay = backoff.next();
                    if (!batch.isEmpty()) {
                        rateLimited.warn("publish", "publishing to " + settings.where() + " failed: " + reason(e)
                                + "; " + batch.size() + " messages kept and sent again in " + delay + " ms");
                    }
                    pause(delay);
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting
        } finally {
            disconnect();
        }
    }

    /** Closing, and nothing left to send or no time left to send it. */
    private boolean stopNow(List<Message> batch) {
        lock.lock();
        try {
            return closing && (queue.isEmpty() && batch.isEmpty() || System.nanoTime() - closeDeadlineNanos > 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The broker refused a message for what it holds (PRECONDITION_FAILED on publishing: larger than its
     * max_message_size): the batch is sent again one message at a time, and a message refused alone is dropped,
     * counted and logged, so one message cannot hold the others back for ever.
     */
    private void refusedMessage(Exception e, List<Message> batch) {
        if (batch.size() == 1) {
            Message m = batch.get(0);
            batch.clear();
            oneByOne = Math.max(0, oneByOne - 1);
            refused.inc();
            rateLimited.warn("refused", settings.where() + " refused a message of " + m.body().length + " bytes "
                    + "(routing key " + m.routingKey() + "): " + reason(e) + "; dropped");
            release(m.cost(), 0);
            return;
        }
        oneByOne = batch.size();
        lock.lock();
        try {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i));
            }
            inFlight = 0;
        } finally {
            lock.unlock();
        }
        batch.clear();
    }

    /** The broker closing a channel or the connection: its reply code and text. */
    private record Refusal(int code, String text) {
    }

    /** The broker's refusal behind a failure, or null when the failure is not one (a refused TCP connection). */
    private static Refusal refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close) {
                return new Refusal(close.getReplyCode(), close.getReplyText());
            }
            if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Connection.Close close) {
                return new Refusal(close.getReplyCode(), close.getReplyText());
            }
        }
        return null;
    }

    private static int closeCode(Throwable e) {
        Refusal r = refusal(e);
        return r == null ? 0 : r.code();
    }

    /**
     * Moves the next messages into {@code batch} (they stay counted in the buffer's bytes); waits while there are
     * none and the connection holds. False when closing and nothing is left, or past the closing deadline.
     */
    private boolean take(List<Message> batch) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closing) {
                    return false;
                }
                if (state == State.AWAY) {
                    return true;
                }
                changed.await();
            }
            if (closing && System.nanoTime() - closeDeadlineNanos > 0) {
                return false;
            }
            int most = oneByOne > 0 ? 1 : BATCH_MESSAGES;
            long bytes = 0;
            while (!queue.isEmpty() && batch.size() < most && bytes < BATCH_BYTES) {
                Message m = queue.pollFirst();
                bytes += m.cost();
                batch.add(m);
            }
            inFlight = batch.size();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void publishBatch(Channel channel, List<Message> batch) throws IOException, InterruptedException,
            TimeoutException {
        for (Message m : batch) {
            channel.basicPublish(settings.exchange(), m.routingKey(), false, false, properties, m.body());
        }
        if (!channel.waitForConfirms(CONFIRM_TIMEOUT_MILLIS)) {
            throw new IOException("the broker refused (nack) a message of the batch");
        }
    }

    private void confirmed(List<Message> batch) {
        long bytes = 0;
        for (Message m : batch) {
            bytes += m.cost();
        }
        sent.add(batch.size());
        oneByOne = Math.max(0, oneByOne - batch.size());
        batch.clear();
        release(bytes, 0);
    }

    /** Frees the bytes of messages that left the buffer; {@code inFlightLeft} are still being published. */
    private void release(long bytes, int inFlightLeft) {
        lock.lock();
        try {
            bufferedBytes -= bytes;
            inFlight = inFlightLeft;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Channel connect() throws IOException, TimeoutException {
        disconnect();
        Connection c = factory.newConnection(Thread.currentThread().getName().replace(" sender", ""));
        connection = c;
        c.addBlockedListener(new BlockedListener() {
            @Override
            public void handleBlocked(String reason) {
                MDC.put("pm", id); // the client's connection thread, this plugin's alone
                setState(State.BLOCKED);
                LOG.warn("{} holds publishers back ({}); messages wait in the buffer", settings.where(), reason);
            }

            @Override
            public void handleUnblocked() {
                setState(State.UP);
                LOG.info("{} takes messages again", settings.where());
            }
        });
        c.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication() && connection == c) {
                MDC.put("pm", id);
                setState(State.AWAY);
                rateLimited.warn("lost", "lost the connection to " + settings.where() + ": " + reason(cause));
            }
        });
        Channel ch = c.createChannel();
        ch.exchangeDeclare(settings.exchange(), settings.exchangeType(), settings.persistent(), false, false, null);
        ch.confirmSelect();
        setState(State.UP);
        return ch;
    }

    private void disconnect() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            c.abort(1000);
        }
    }

    private void away(Exception e, int attempt, long delayMillis) {
        String why = reason(e);
        String waiting = bufferedMessages() + " messages waiting";
        if (attempt == 1) {
            LOG.warn("cannot reach {}: {}; messages wait in the buffer (amqp_buffer_size {} bytes), retrying in {} ms",
                    settings.where(), why, settings.bufferBytes(), delayMillis);
        } else {
            rateLimited.warn("away", settings.where() + " still away after " + attempt + " attempts: " + why + "; "
                    + waiting + ", " + dropped.get() + " dropped");
        }
        LOG.debug("retrying in {} ms ({})", delayMillis, waiting);
    }

    /** Waits before the next attempt; closing cuts the wait at the deadline. */
    private void pause(long millis) throws InterruptedException {
        lock.lock();
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                long left = end - System.nanoTime();
                if (closing) {
                    left = Math.min(left, closeDeadlineNanos - System.nanoTime());
                }
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean pastCloseDeadline() {
        lock.lock();
        try {
            return closing && System.nanoTime() - closeDeadlineNanos > 0;
        } finally {
            lock.unlock();
        }
    }

    private void setState(State s) {
        lock.lock();
        try {
            state = s;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The broker's own words where it gave some (a refused login, exchange or vhost), else the exception's. */
    static String reason(Throwable e) {
        Refusal r = refusal(e);
        if (r != null) {
            return hint(r.code(), r.text());
        }
        if (e instanceof ShutdownSignalException && e.getCause() != null) {
            return reason(e.getCause()); // a broken connection: the socket's words
        }
        if (e instanceof EOFException) {
            return "the connection was closed";
        }
        String text = e.getMessage();
        if (text == null || text.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return text.startsWith("ACCESS_REFUSED") ? hint(AMQP.ACCESS_REFUSED, text) : text;
    }

    private static String hint(int code, String text) {
        if (code == AMQP.PRECONDITION_FAILED && text.contains("exchange")) {
            return text + " (amqp_exchange_type and amqp_persistent_msg must match the existing exchange)";
        }
        if (code == AMQP.NOT_ALLOWED && text.contains("vhost")) {
            return text + " (amqp_vhost)";
        }
        if (code == AMQP.ACCESS_REFUSED) {
            return text + " (amqp_user, amqp_passwd)";
        }
        return text;
    }

    /** The client's own reports: a connection lost while idle is noticed by the sender; the rest logged once a minute. */
    private final class QuietExceptionHandler extends ForgivingExceptionHandler {
        @Override
        public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
            setState(State.AWAY);
        }

        @Override
        protected void log(String message, Throwable e) {
            MDC.put("pm", id);
            rateLimited.warn("client", "RabbitMQ client: " + message + ": " + reason(e));
        }
    }

    /** The UTF-8 bytes of a JSON message. */
    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
