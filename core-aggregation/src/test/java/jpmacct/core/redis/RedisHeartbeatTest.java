package jpmacct.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.runtime.LogCapture;

/** A process's heartbeat against a redis-server of the test's own, which it stops and starts again. */
class RedisHeartbeatTest {
    private final Metrics metrics = new Metrics();

    private RedisHeartbeat heartbeat(RedisSettings s, BooleanSupplier alive) {
        return new RedisHeartbeat(s, "p/print", "Print Plugin [p]", RedisHeartbeat.processBeat(s, "p", "print"),
                alive, metrics);
    }

    private static RedisSettings settings(RedisServer server, String password, long db) {
        return new RedisSettings("127.0.0.1", server.port(), password, db, "test", 7);
    }

    /** The key's TTL in the database, -2 when it is not there. */
    private static long ttl(RedisServer server, String password, long db, String key) throws Exception {
        try (RespClient c = RespClient.connect(server.address(), 3000)) {
            if (password != null) {
                c.auth(password);
            }
            c.select(db);
            return (Long) c.call("TTL", key);
        }
    }

    private long metric(String name) {
        for (Metrics.Sample s : metrics.snapshot()) {
            if (s.name().equals(name) && s.labels().equals("process=\"p/print\"")) {
                return s.value();
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private static void await(String what, Check condition, LogCapture log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; log:\n" + String.join("\n", log.lines()));
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    @Test
    void beatsThenWarnsOnceWhileTheServerIsAwayAndComesBack() throws Exception {
        String key = "test+7+process+p+print";
        try (RedisServer server = RedisServer.start(); LogCapture log = new LogCapture(RedisHeartbeat.class);
             RedisHeartbeat h = heartbeat(settings(server, null, 0), () -> true)) {
            h.start();
            await("the key", () -> ttl(server, null, 0, key) > 0, log);
            long ttl = ttl(server, null, 0, key);
            assertTrue(ttl >= 1 && ttl <= RedisHeartbeat.EXPIRE_SECONDS, "TTL " + ttl);
            assertEquals(List.of("INFO ( p/print/redis ): connecting to redis server " + server.hostPort()),
                    log.matching("INFO"));
            assertEquals(1, metric("redis_connected"));

            server.kill();
            await("the warning", () -> !log.matching("WARN").isEmpty(), log);
            assertEquals(List.of("WARN ( p/print/redis ): Can't connect to redis server: Connection refused"),
                    log.matching("WARN"));
            assertEquals(0, metric("redis_connected"));
            // two more attempts fail (1 s, then 2 s of back-off): still the one line
            await("more attempts", () -> metric("redis_connect_failures") >= 3, log);
            assertEquals(1, log.matching("WARN").size(), String.join("\n", log.lines()));

            server.restart();
            await("the key again", () -> ttl(server, null, 0, key) > 0, log);
            assertEquals(List.of("INFO ( p/print/redis ): connection to redis server " + server.hostPort() + " restored"),
                    log.matching("restored"));
            assertTrue(log.matching("ERROR").isEmpty(), String.join("\n", log.lines()));
        }
    }

    @Test
    void aWrongPasswordIsAnErrorOnceAndTheRightOneWrites() throws Exception {
        String key = "test+7+process+p+print";
        try (RedisServer server = RedisServer.start("--requirepass", "s3cret");
             LogCapture log = new LogCapture(RedisHeartbeat.class)) {
            try (RedisHeartbeat h = heartbeat(settings(server, "wrong", 0), () -> true)) {
                h.start();
                await("two refusals", () -> metric("redis_connect_failures") >= 2, log);
            }
            assertEquals(List.of("ERROR ( p/print/redis ): Authentication error: "
                    + "WRONGPASS invalid username-password pair or user is disabled."), log.matching("ERROR"));
            assertEquals(-2L, ttl(server, "s3cret", 0, key));
            try (RedisHeartbeat h = heartbeat(settings(server, "s3cret", 5), () -> true)) {
                h.start();
                await("the key in database 5", () -> ttl(server, "s3cret", 5, key) > 0, log);
            }
            assertEquals(-2L, ttl(server, "s3cret", 0, key));
        }
    }

    @Test
    void aProcessThatEndedIsNoLongerAnnounced() throws Exception {
        AtomicBoolean alive = new AtomicBoolean(false);
        AtomicInteger asked = new AtomicInteger();
        try (RedisServer server = RedisServer.start(); LogCapture log = new LogCapture(RedisHeartbeat.class);
             RedisHeartbeat h = heartbeat(settings(server, null, 0), () -> {
                 asked.incrementAndGet();
                 return alive.get();
             })) {
            h.start();
            await("two beats skipped", () -> asked.get() >= 2, log);
            assertEquals(-2L, ttl(server, null, 0, "test+7+process+p+print"));
            alive.set(true);
            await("the key", () -> ttl(server, null, 0, "test+7+process+p+print") > 0, log);
        }
    }

    /** A name is resolved at each connection: one that does not resolve is a failed connection, retried. */
    @Test
    void anUnknownHostIsAFailedConnection() throws Exception {
        RedisSettings s = new RedisSettings("nosuch.invalid", 6379, null, 0, "test", 7);
        try (LogCapture log = new LogCapture(RedisHeartbeat.class); RedisHeartbeat h = heartbeat(s, () -> true)) {
            h.start();
            await("the warning", () -> !log.matching("WARN").isEmpty(), log);
            assertEquals(List.of("INFO ( p/print/redis ): connecting to redis server nosuch.invalid:6379",
                    "WARN ( p/print/redis ): Can't connect to redis server: unknown host nosuch.invalid"),
                    log.lines().stream().filter(l -> !l.startsWith("DEBUG")).toList());
        }
    }

    @Test
    void keysAreClusterNameIdAndResource() {
        RedisSettings s = new RedisSettings("localhost", 6379, null, 0, "nfacctd", 0);
        assertEquals("nfacctd+0+daemon_type", s.key("daemon_type"));
        assertEquals("nfacctd+0+process+nfacctd_kafka+kafka", s.processKey("nfacctd_kafka", "kafka"));
        assertNull(s.password());
    }
}
