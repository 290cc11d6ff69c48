package jpmacct.plugins.amqp;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;

import jpmacct.core.metrics.Counter;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.plugins.messaging.MessageSink;

/**
 * RabbitMQ for the messaging engine: one connection and channel to the broker, the exchange declared on each
 * connection as pmacct declares it, messages published with pmacct's properties (its content type, delivery mode 2
 * with amqp_persistent_msg). Each message's outcome is the broker's publisher confirm, so the engine keeps a message
 * until the broker has it; a connection that breaks fails what was not confirmed yet, and the next message connects
 * again (the engine paces the attempts). The broker's refusals (login, vhost, an exchange of another type) are
 * reported in its own words with the keys to check.
 */
final class AmqpSink implements MessageSink {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpSink.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long LOG_INTERVAL_MILLIS = 60_000;

    /** The broker and exchange, as configured. */
    record Settings(String host, int port, String vhost, String user, String password, String exchange,
                    String exchangeType, boolean persistent, int frameMax, int heartbeatSeconds) {
        String where() {
            return "RabbitMQ at " + host + ":" + port + " (vhost " + vhost + ", exchange " + exchange + ")";
        }
    }

    private final Settings settings;
    private final String id;
    private final String connectionName;
    private final ConnectionFactory factory;
    private final boolean persistent;
    private AMQP.BasicProperties properties;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, LOG_INTERVAL_MILLIS);
    private final Counter connectionFailures;
    /** The connection in use, or null; replaced by the engine's delivery thread only. */
    private volatile Link link;
    private volatile String lastFailure = "not connected yet";
    private volatile boolean closed;

    /**
     * @param threadName the plugin's thread name: the client's connection threads and the broker's view of the
     *                   connection are named after it
     * @param id         the plugin's log tag
     */
    AmqpSink(Settings settings, String threadName, String id, Metrics metrics, String plugin) {
        this.settings = settings;
        this.id = id;
        this.connectionName = threadName;
        this.factory = new ConnectionFactory();
        factory.setHost(settings.host());
        factory.setPort(settings.port());
        factory.setVirtualHost(settings.vhost());
        factory.setUsername(settings.user());
        factory.setPassword(settings.password());
        factory.setRequestedFrameMax(settings.frameMax());
        factory.setRequestedHeartbeat(settings.heartbeatSeconds());
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        factory.setHandshakeTimeout(CONNECT_TIMEOUT_MILLIS);
        // the engine paces reconnections and this class declares the exchange on each one
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setThreadFactory(r -> {
            Thread t = new Thread(r, threadName + " connection");
            t.setDaemon(true);
            return t;
        });
        factory.setExceptionHandler(new QuietExceptionHandler());
        this.persistent = settings.persistent();
        payloadType("application/json");
        this.connectionFailures = metrics.counter("amqp_connection_failures", "Attempts to connect to the broker "
                + "(and declare the exchange) that failed", "plugin", plugin);
    }

    /** pmacct's content_type: application/json for json and avro_json, application/octet-stream for avro. */
    @Override
    public void payloadType(String contentType) {
        this.properties = new AMQP.BasicProperties.Builder().contentType(contentType)
                .deliveryMode(persistent ? 2 : null).build();
    }

    /**
     * Connects in the background, so a broker that is away or refusing is told at start (and counted) rather than at
     * the first purge, without holding the daemon's start up; the first message waits for this attempt.
     */
    @Override
    public void open() {
        Thread t = new Thread(() -> {
            MDC.put("pm", id);
            try {
                link();
            } catch (IOException e) {
                LOG.warn("{}; the purges' messages wait for it (amqp_buffer_size) and go once it takes them",
                        e.getMessage());
            }
        }, connectionName + " connect");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void send(String destination, byte[] key, byte[] payload, Outcome outcome) throws Exception {
        Link l = link();
        long seq = l.channel.getNextPublishSeqNo();
        l.pending.put(seq, outcome);
        try {
            l.channel.basicPublish(settings.exchange(), destination, false, false, properties, payload);
        } catch (IOException | RuntimeException e) {
            // not handed over: the engine keeps the message without an outcome
            l.pending.remove(seq);
            l.broken(e);
            throw new IOException(reason(e), e);
        }
    }

    @Override
    public void flush(long timeoutMillis) throws InterruptedException {
        Link l = link;
        if (l == null) {
            return;
        }
        try {
            l.channel.waitForConfirms(timeoutMillis);
        } catch (TimeoutException | RuntimeException e) {
            // outcomes follow from the confirms or from the connection's end
        }
    }

    @Override
    public Health health() {
        Link l = link;
        boolean up = l != null && l.channel.isOpen();
        return new Health(up, up ? "connected to " + settings.where() : settings.where() + ": " + lastFailure);
    }

    /**
     * One JSON message on a connection of its own, as pmacct publishes its schema announcements: the exchange
     * declared, the message published (persistent with amqp_persistent_msg), the connection closed.
     */
    @Override
    public void announce(String destination, byte[] json) throws IOException, TimeoutException {
        AMQP.BasicProperties jsonProperties = new AMQP.BasicProperties.Builder().contentType("application/json")
                .deliveryMode(persistent ? 2 : null).build();
        Connection c = factory.newConnection(connectionName + " schemas");
        try {
            Channel ch = c.createChannel();
            ch.exchangeDeclare(settings.exchange(), settings.exchangeType(), settings.persistent(), false, false, null);
            ch.basicPublish(settings.exchange(), destination, false, false, jsonProperties, json);
        } finally {
            c.close(CONNECT_TIMEOUT_MILLIS);
        }
    }

    /** The heartbeat interval agreed with the broker, in seconds; -1 when not connected. */
    int heartbeatSeconds() {
        Link l = link;
        return l == null ? -1 : l.connection.getHeartbeat();
    }

    @Override
    public void close() {
        closed = true;
        Link l = link;
        link = null;
        if (l != null) {
            l.end(new IOException("the plugin stopped"));
        }
    }

    /** The open channel, connecting first when there is none. */
    private synchronized Link link() throws IOException {
        Link l = link;
        if (l != null && l.channel.isOpen()) {
            return l;
        }
        if (closed) {
            throw new IOException("the plugin stopped");
        }
        if (l != null) {
            l.end(new IOException(lastFailure));
        }
        link = null;
        try {
            l = connect();
        } catch (IOException | TimeoutException | RuntimeException e) {
            connectionFailures.inc();
            lastFailure = reason(e);
            throw new IOException("cannot reach " + settings.where() + ": " + lastFailure, e);
        }
        if (closed) {
            l.end(new IOException("the plugin stopped")); // close() came while connecting
            throw new IOException("the plugin stopped");
        }
        link = l;
        LOG.info("connected to {}, exchange type {}", settings.where(), settings.exchangeType());
        return l;
    }

    private Link connect() throws IOException, TimeoutException {
        Connection c = factory.newConnection(connectionName);
        try {
            Channel ch = c.createChannel();
            ch.exchangeDeclare(settings.exchange(), settings.exchangeType(), settings.persistent(), false, false, null);
            ch.confirmSelect();
            return new Link(c, ch);
        } catch (IOException | RuntimeException e) {
            c.abort(1000);
            throw e;
        }
    }

    /**
     * A connection, its channel and the outcomes of the messages it published that the broker has not confirmed
     * yet, by publish sequence number (a new channel counts from 1 again, so they belong to this channel alone).
     */
    private final class Link implements ConfirmListener, BlockedListener {
        final Connection connection;
        final Channel channel;
        final ConcurrentNavigableMap<Long, Outcome> pending = new ConcurrentSkipListMap<>();

        Link(Connection connection, Channel channel) {
            this.connection = connection;
            this.channel = channel;
            channel.addConfirmListener(this);
            connection.addBlockedListener(this);
            channel.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    MDC.put("pm", id); // the client's connection thread, this plugin's alone
                    lastFailure = reason(cause);
                    rateLimited.warn("lost", (cause.isHardError() ? "lost the connection to " : "the broker closed "
                            + "the channel to ") + settings.where() + ": " + lastFailure);
                }
                fail(new IOException(reason(cause)));
            });
        }

        @Override
        public void handleAck(long seq, boolean multiple) {
            settle(seq, multiple, null);
        }

        @Override
        public void handleNack(long seq, boolean multiple) {
            settle(seq, multiple, new IOException("the broker could not take the message (nack)"));
        }

        private void settle(long seq, boolean multiple, Exception failure) {
            if (multiple) {
                for (Long k : pending.headMap(seq, true).keySet()) {
                    Outcome o = pending.remove(k); // once: the channel's end may be failing the same ones
                    if (o != null) {
                        o.settled(failure);
                    }
                }
            } else {
                Outcome o = pending.remove(seq);
                if (o != null) {
                    o.settled(failure);
                }
            }
        }

        /** Every outcome not reported yet, as a failure. */
        private void fail(Exception failure) {
            Map.Entry<Long, Outcome> e;
            while ((e = pending.pollFirstEntry()) != null) {
                e.getValue().settled(failure);
            }
        }

        /** A publish failed: the connection is given up and what it had not confirmed fails. */
        void broken(Exception e) {
            lastFailure = reason(e);
            end(new IOException(lastFailure));
        }

        void end(Exception failure) {
            connection.abort(1000);
            fail(failure);
        }

        @Override
        public void handleBlocked(String reason) {
            MDC.put("pm", id);
            lastFailure = "the broker holds publishers back (" + reason + ")";
            LOG.warn("{} holds publishers back ({}); messages wait", settings.where(), reason);
        }

        @Override
        public void handleUnblocked() {
            MDC.put("pm", id);
            LOG.info("{} takes messages again", settings.where());
        }
    }

    /** The broker's own words where it gave some (a refused login, exchange or vhost), else the exception's. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close close) {
                return hint(close.getReplyCode(), close.getReplyText());
            }
            if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Connection.Close close) {
                return hint(close.getReplyCode(), close.getReplyText());
            }
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

    /** The client's own reports: a lost connection is the channel's shutdown; the rest logged once a minute. */
    private final class QuietExceptionHandler extends ForgivingExceptionHandler {
        @Override
        public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
        }

        @Override
        protected void log(String message, Throwable e) {
            MDC.put("pm", id);
            rateLimited.warn("client", "RabbitMQ client: " + message + ": " + reason(e));
        }
    }
}
