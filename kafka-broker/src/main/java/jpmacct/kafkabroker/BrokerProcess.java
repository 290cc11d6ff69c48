package jpmacct.kafkabroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A {@link KafkaBroker} in a child JVM, for tests: started once per test JVM ({@link #shared()}) and stopped
 * when it exits, or the broker named by the environment's {@code JPMACCT_KAFKA_BOOTSTRAP} when set (CI or a
 * user's own). Ready when the broker prints Kafka's "Kafka Server started" line.
 */
public final class BrokerProcess implements AutoCloseable {
    public static final String BOOTSTRAP_ENV = "JPMACCT_KAFKA_BOOTSTRAP";
    private static final String READY_LINE = "Kafka Server started";
    private static final long START_TIMEOUT_SECONDS = 180;

    private static BrokerProcess shared;

    private final String bootstrap;
    private final Process process;
    private final Path dir;
    private final List<String> output = new ArrayList<>();

    private BrokerProcess(String bootstrap, Process process, Path dir) {
        this.bootstrap = bootstrap;
        this.process = process;
        this.dir = dir;
    }

    /** The broker of this test JVM, started on first use. */
    public static synchronized BrokerProcess shared() {
        if (shared == null) {
            String given = System.getenv(BOOTSTRAP_ENV);
            if (given != null && !given.isBlank()) {
                shared = new BrokerProcess(given.trim(), null, null);
            } else {
                try {
                    BrokerProcess started = start(Files.createTempDirectory("jpmacct-kafka"), freePort());
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-broker-stop"));
                    shared = started;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return shared;
    }

    /** Starts a broker on 127.0.0.1:{@code port} (controller on port + 1) with its data in {@code dir}. */
    public static BrokerProcess start(Path dir, int port) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(childClasspath());
        cmd.add(KafkaBroker.class.getName());
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        cmd.add("--dir");
        cmd.add(dir.toString());
        cmd.add("--partitions");
        cmd.add("1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BrokerProcess broker = new BrokerProcess("127.0.0.1:" + port, p, dir);
        broker.awaitReady();
        return broker;
    }

    /** host:port for {@code bootstrap.servers} and pmacct's {@code kafka_broker_host}/{@code _port}. */
    public String bootstrap() {
        return bootstrap;
    }

    public String host() {
        return bootstrap.substring(0, bootstrap.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    private void awaitReady() throws IOException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        if (output.size() < 2000) {
                            output.add(line);
                        }
                    }
                    if (line.contains(READY_LINE)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the broker went away; awaitReady reports it
            }
            ready.countDown();
        }, "kafka-broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean counted = ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!counted || !process.isAlive()) {
                close();
                throw new IOException("Kafka broker did not start within " + START_TIMEOUT_SECONDS + " s; its output:\n"
                        + String.join("\n", lines()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while starting the Kafka broker", e);
        }
    }

    /** What the broker printed so far (its first 2000 lines). */
    public List<String> lines() {
        synchronized (output) {
            return new ArrayList<>(output);
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        stop();
        deleteTree(dir);
    }

    /**
     * Stops the broker and keeps its data: {@link #start} on {@link #dir()} and the same port brings it back with
     * its topics (a test of a broker going away and returning).
     */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where the broker keeps its data; null for a broker named by the environment. */
    public Path dir() {
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** The test JVM's class path without logback: the broker logs through log4j2 and its own configuration. */
    private static String childClasspath() {
        String sep = System.getProperty("path.separator");
        return Stream.of(System.getProperty("java.class.path").split(sep))
                .filter(e -> !e.contains("logback"))
                .collect(Collectors.joining(sep));
    }

    /** A port whose next one is free too (the controller's). */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port < 65535 && isFree(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two consecutive free ports found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
