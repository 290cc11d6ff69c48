package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the memory plugin's end-to-end tests share: a daemon on examples/traffic.pcap, bin/pmacct on imt.pipe. */
final class MemoryFixture {
    /** Packets in examples/traffic.pcap. */
    static final long TRAFFIC_PACKETS = 3000;

    private MemoryFixture() {
    }

    /** bin/pmacctd -f p.conf in {@code dir}, with examples/traffic.pcap beside it. */
    static Daemon start(Path dir, String conf) throws Exception {
        E2e.copy(E2e.root().resolve("examples/traffic.pcap"), dir);
        Files.writeString(dir.resolve("p.conf"), conf);
        return Daemon.start(dir, "-f", "p.conf");
    }

    static void awaitSocket(Daemon d, Path dir) throws Exception {
        d.await("the socket", 60, () -> Files.exists(dir.resolve("imt.pipe")));
    }

    static void awaitEndOfSavefile(Daemon d) throws Exception {
        d.await("end of savefile", 60, () -> d.stderrSafe().contains("savefile done"));
    }

    /** bin/pmacct -p imt.pipe with the given flags. */
    static E2e.Result pmacct(Path dir, String... args) throws Exception {
        return pmacctOn(dir, "imt.pipe", args);
    }

    static E2e.Result pmacctOn(Path dir, String socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(E2e.bin("pmacct").toString(), "-p", socket));
        cmd.addAll(List.of(args));
        return E2e.run(dir, 60, cmd.toArray(new String[0]));
    }

    /** Packets of the whole table (aggregate proto: traffic.pcap has tcp, udp and icmp only). */
    static long total(Path dir) throws Exception {
        E2e.Result r = pmacct(dir, "-c", "proto", "-N", "tcp;udp;icmp", "-S", "-n", "packets");
        assertEquals(0, r.exit(), r.stderr());
        return Long.parseLong(r.stdout().strip());
    }

    /**
     * Waits until the table behind {@code socket} holds {@code expected} packets (any aggregate): a plugin may still
     * drain its queue after the savefile ends. More than expected fails at once (counted twice); fewer, after a
     * minute (lost).
     */
    static void awaitTotal(Path dir, String socket, long expected, String what) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (long got = tablePackets(dir, socket); got != expected; got = tablePackets(dir, socket)) {
            assertTrue(got < expected, what + ": " + got + " packets, more than the " + expected + " expected");
            assertTrue(System.nanoTime() < deadline, what + ": " + got + " packets, " + expected + " expected");
            Thread.sleep(200);
        }
    }

    /**
     * Waits until the table behind {@code socket} holds at least {@code packets} (traffic still flowing): that many
     * records were decoded, in the order they were sent, before whatever the test does next.
     */
    static void awaitAtLeast(Path dir, String socket, long packets, String what) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (long got = tablePackets(dir, socket); got < packets; got = tablePackets(dir, socket)) {
            assertTrue(System.nanoTime() < deadline, what + ": " + got + " packets, " + packets + " expected");
            Thread.sleep(100);
        }
    }

    private static long tablePackets(Path dir, String socket) throws Exception {
        E2e.Result r = pmacctOn(dir, socket, "-s", "-O", "csv");
        assertEquals(0, r.exit(), r.stderr());
        return csvPackets(r.stdout());
    }

    /** The sum of the PACKETS column of a {@code -O csv} answer. */
    static long csvPackets(String csv) {
        List<String> lines = csv.lines().toList();
        int col = List.of(lines.get(0).split(",")).indexOf("PACKETS");
        assertTrue(col >= 0, "a PACKETS column:\n" + csv);
        return lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[col])).sum();
    }

    static void expectError(E2e.Result r, String message) {
        assertNotEquals(0, r.exit(), r.stdout());
        assertTrue(r.stderr().contains(message), "expected '" + message + "' in:\n" + r.stderr() + "\nstdout:\n"
                + r.stdout() + "\nexit " + r.exit());
    }
}
