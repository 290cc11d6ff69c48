package jpmacct.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jpmacct.collector.KernelUdpSockets;

/** A daemon started in the background through its launcher (bin/pmacctd ...), for tests that signal it. */
final class Daemon implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private Daemon(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static Daemon start(Path dir, String... args) throws IOException {
        return start(dir, Map.of(), args);
    }

    static Daemon start(Path dir, Map<String, String> env, String... args) throws IOException {
        return program("pmacctd", dir, env, args);
    }

    /** Any of the launchers (pmacctd, nfacctd, sfacctd) in the background. */
    static Daemon program(String program, Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = E2e.cmd(program, args);
        return new Daemon(dir, E2e.start(dir, env, cmd, ""));
    }

    /** A program that is not one of the launchers (pmacct's own daemons), in the background in {@code dir}. */
    static Daemon external(Path dir, Map<String, String> env, String... cmd) throws IOException {
        return new Daemon(dir, E2e.start(dir, env, List.of(cmd), ""));
    }

    long pid() {
        return process.pid();
    }

    String stderr() throws IOException {
        return E2e.read(E2e.captured(dir, ".stderr"));
    }

    /** The stderr so far, for polling conditions (empty when it cannot be read). */
    String stderrSafe() {
        return read(E2e.captured(dir, ".stderr"));
    }

    String stdout() throws IOException {
        return E2e.read(E2e.captured(dir, ".stdout"));
    }

    /** Sends a signal by name (TERM, INT, HUP, USR1, USR2) to a process. */
    static void signal(long pid, String name) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid + " failed");
        }
    }

    void signal(String name) throws IOException, InterruptedException {
        signal(pid(), name);
    }

    /** As {@link #signal(String)}, for use inside a wait's condition. */
    void signalNow(String name) {
        try {
            signal(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int waitFor(long seconds) throws InterruptedException, IOException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon still running after " + seconds + " s; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Polls until the condition holds; fails with the daemon's stderr after the timeout or once it has exited. */
    void await(String what, long seconds, BooleanSupplier condition) throws Exception {
        awaitCondition(what, seconds, () -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive() && !condition.getAsBoolean()) {
                throw new AssertionError("daemon exited (" + process.exitValue() + ") while waiting for " + what
                        + "; stderr:\n" + stderrSafe());
            }
            return false;
        }, this::stderr);
    }

    interface Text {
        String get() throws IOException;
    }

    static void awaitCondition(String what, long seconds, BooleanSupplier condition, Text context) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; stderr:\n" + context.get());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until every datagram the kernel queued for the UDP sockets on 127.0.0.1:{@code port} has been read (their
     * receive queues in /proc/net/udp are empty): what was sent there before is in the reader's hands.
     */
    static void awaitSocketRead(int port, Text context) throws Exception {
        KernelUdpSockets sockets = new KernelUdpSockets(InetAddress.getLoopbackAddress(), port);
        awaitCondition("the datagrams queued on port " + port + " to be read", 60, () -> sockets.unread() <= 0, context);
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Thread names of a JVM, as jstack/top -H show them. */
    static String threadDump(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
