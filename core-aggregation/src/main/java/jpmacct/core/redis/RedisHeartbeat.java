package jpmacct.core.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.metrics.Counter;
import jpmacct.core.metrics.Metrics;

/**
 * One process's link to Redis (the core's, or a plugin's), as pmacct keeps one per process: a daemon thread that
 * connects (AUTH, SELECT), runs its {@link Beat} every second, and when the server goes away reconnects with a
 * back-off (1 s doubling to 10 s). Its lines carry the process's tag plus {@code /redis}
 * ({@code nfacctd_core/core/redis}): {@code connecting to redis server host:port} once, {@code Can't connect to
 * redis server: reason} when an outage starts and then at most once a minute, a line when the server is back.
 * Nothing else waits for it: a lost server never slows or stops accounting.
 */
public final class RedisHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHeartbeat.class);
    /** Expiry of the keys a beat writes (pmacct's): three missed beats and the process is gone from the cluster. */
    public static final long EXPIRE_SECONDS = 3;
    static final long PERIOD_MILLIS = 1000;
    static final long MAX_BACKOFF_MILLIS = 10_000;
    /** For connecting and for each reply (pmacct's connection and command timeouts). */
    static final int TIMEOUT_MILLIS = 3000;
    /** How often a long outage is reported again. */
    static final long REMINDER_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** What the process writes at each beat, over a connected client. */
    @FunctionalInterface
    public interface Beat {
        void run(RespClient redis) throws IOException, RespClient.ErrorReply;
    }

    private final RedisSettings settings;
    private final String tag;
    private final Beat beat;
    private final BooleanSupplier alive;
    private final Thread thread;
    private final Counter failures;
    private final Counter replyErrors;
    private volatile RespClient client;
    private volatile boolean closed;
    private boolean connectedOnce;
    private boolean attempted;
    /** Beats done on the current connection: a connection lost before its first beat counts as not made. */
    private long beatsOnConnection;
    private boolean outage;
    private long lastReport;
    private long suppressed;
    private long replyReport = System.nanoTime() - REMINDER_NANOS;

    /**
     * @param processTag the process's log tag ({@code name/type}), {@code /redis} is added
     * @param threadName the process's thread name, {@code redis} is added
     * @param alive      whether the process still runs: beats are skipped once it does not, so its keys expire
     */
    public RedisHeartbeat(RedisSettings settings, String processTag, String threadName, Beat beat,
                          BooleanSupplier alive, Metrics metrics) {
        this.settings = settings;
        this.tag = processTag + "/redis";
        this.beat = beat;
        this.alive = alive;
        this.failures = metrics.counter("redis_connect_failures",
                "Connections to redis_host that failed or were lost before a beat", "process", processTag);
        this.replyErrors = metrics.counter("redis_reply_errors", "Error replies of redis_host to a beat",
                "process", processTag);
        metrics.gauge("redis_connected", "1 while connected to redis_host", () -> client != null ? 1 : 0,
                "process", processTag);
        this.thread = new Thread(this::run, threadName + " redis");
        thread.setDaemon(true);
    }

    /** The beat of pmacct's plugins: {@code cluster_name+cluster_id+process+name+type} set to 1. */
    public static Beat processBeat(RedisSettings settings, String name, String type) {
        String key = settings.processKey(name, type);
        return redis -> redis.setex(key, EXPIRE_SECONDS, "1");
    }

    public void start() {
        thread.start();
    }

    /** Stops beating and closes the connection; the keys expire on their own, as pmacct's do. */
    @Override
    public void close() {
        closed = true;
        disconnect();
        thread.interrupt();
        try {
            thread.join(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        MDC.put("pm", tag);
        long backoff = PERIOD_MILLIS;
        try {
            while (!closed) {
                if (client == null) {
                    if (!connect()) {
                        Thread.sleep(backoff);
                        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                        continue;
                    }
                }
                if (alive.getAsBoolean() && !beat()) {
                    if (beatsOnConnection == 0) {
                        Thread.sleep(backoff);
                        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                    }
                    // else reconnect at once: a restarted server or a connection cut while idle
                    continue;
                }
                backoff = PERIOD_MILLIS;
                Thread.sleep(PERIOD_MILLIS);
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            disconnect();
            MDC.remove("pm");
        }
    }

    /** One beat; false when the connection was lost (it is closed then). */
    private boolean beat() {
        RespClient c = client;
        try {
            beat.run(c);
            beatsOnConnection++;
        } catch (RespClient.ErrorReply e) {
            replyErrors.inc();
            long now = System.nanoTime();
            if (now - replyReport >= REMINDER_NANOS) {
                replyReport = now;
                LOG.warn("reply='{}'", e.getMessage());
            }
        } catch (IOException e) {
            if (closed) {
                return false;
            }
            LOG.debug("connection to redis server lost: {}", reason(e));
            disconnect();
            if (beatsOnConnection == 0) {
                failed(false, "Can't connect to redis server: " + reason(e));
            }
            return false;
        }
        return true;
    }

    private boolean connect() {
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port());
        } catch (UnknownHostException e) {
            announce(settings.host() + ":" + settings.port());
            failed(false, "Can't connect to redis server: unknown host " + settings.host());
            return false;
        }
        String where = address.getAddress().getHostAddress() + ":" + address.getPort();
        announce(where);
        RespClient c;
        try {
            c = RespClient.connect(address, TIMEOUT_MILLIS);
        } catch (IOException e) {
            failed(false, "Can't connect to redis server: " + reason(e));
            return false;
        }
        try {
            if (settings.password() != null) {
                try {
                    c.auth(settings.password());
                } catch (RespClient.ErrorReply e) {
                    failed(true, "Authentication error: " + e.getMessage());
                    close(c);
                    return false;
                }
            }
            if (settings.db() != 0) {
                try {
                    c.select(settings.db());
                } catch (RespClient.ErrorReply e) {
                    failed(true, "Can't select database " + settings.db() + " (redis_db): " + e.getMessage());
                    close(c);
                    return false;
                }
            }
        } catch (IOException e) {
            close(c);
            failed(false, "Can't connect to redis server: " + reason(e));
            return false;
        }
        if (outage) {
            LOG.info("connection to redis server {} restored", where);
            outage = false;
        } else {
            LOG.debug("Connection successful");
        }
        connectedOnce = true;
        beatsOnConnection = 0;
        client = c;
        if (closed) {
            disconnect();
        }
        return true;
    }

    /** pmacct's line at the first attempt; later attempts are DEBUG. */
    private void announce(String where) {
        if (!attempted) {
            attempted = true;
            LOG.info("connecting to redis server {}", where);
        } else {
            LOG.debug("{}connecting to redis server {}", connectedOnce ? "re" : "", where);
        }
    }

    /** The first failure of an outage is logged, then one line a minute with how many failed since. */
    private void failed(boolean error, String message) {
        failures.inc();
        long now = System.nanoTime();
        String line;
        if (!outage) {
            outage = true;
            line = message;
        } else {
            suppressed++;
            if (now - lastReport < REMINDER_NANOS) {
                return;
            }
            line = message + " (" + suppressed + " more attempts failed since the last report)";
        }
        lastReport = now;
        suppressed = 0;
        if (error) {
            LOG.error(line);
        } else {
            LOG.warn(line);
        }
    }

    private void disconnect() {
        RespClient c = client;
        client = null;
        if (c != null) {
            close(c);
        }
    }

    private static void close(RespClient c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** As hiredis says it where Java has the same words ("Connection refused"); the exception's name otherwise. */
    static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
