package jpmacct.core.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A redis-server of a test's own on a free loopback port, keeping nothing on disk, so a test can stop it (a lost
 * server) and start it again on the same port without touching the machine's Redis.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final List<String> options;
    private final Path dir;
    private Process process;

    private RedisServer(int port, List<String> options) throws IOException {
        this.port = port;
        this.options = List.copyOf(options);
        this.dir = Files.createTempDirectory("redis-test");
    }

    /** Starts one; {@code options} are redis-server's, e.g. {@code "--requirepass", "secret"}. */
    public static RedisServer start(String... options) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer r = new RedisServer(port, List.of(options));
        r.restart();
        return r;
    }

    public int port() {
        return port;
    }

    /** host:port, as redis_host takes it. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Starts the server (again, on the same port) and returns once it answers. */
    public void restart() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(options);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (RespClient c = RespClient.connect(address(), 1000)) {
                c.call("PING");
                return;
            } catch (RespClient.ErrorReply e) {
                return; // NOAUTH: up, with a password
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("redis-server on port " + port + " did not start: "
                            + Files.readString(dir.resolve("redis.log")), e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** Kills the server (SIGKILL: gone as in a crash); its clients see their connections end. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
