package jpmacct.e2e;

import static jpmacct.e2e.MemoryFixture.TRAFFIC_PACKETS;
import static jpmacct.e2e.MemoryFixture.awaitSocket;
import static jpmacct.e2e.MemoryFixture.awaitTotal;
import static jpmacct.e2e.MemoryFixture.csvPackets;
import static jpmacct.e2e.MemoryFixture.pmacct;
import static jpmacct.e2e.MemoryFixture.pmacctOn;
import static jpmacct.e2e.MemoryFixture.start;
import static jpmacct.e2e.MemoryFixture.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory plugin queried while a savefile is read: resets and clears, several clients at once, a print plugin
 * beside it. Every check is on counts, never on timings: query loops run until the savefile is done and at least
 * a few times, whether or not they overlap the reading.
 */
class MemoryUnderTrafficTest {
    private static final int REPLAYS = 3000;
    private static final long SENT = TRAFFIC_PACKETS * REPLAYS;

    /** Two memory plugins on aggregate proto: m (imt.pipe) is reset or cleared, ref (ref.pipe) only read. */
    private static Daemon replaying(Path dir) throws Exception {
        Daemon d = start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_replay: " + REPLAYS + "\n"
                + "pcap_savefile_wait: true\nplugins: memory[m], memory[ref]\naggregate: proto\n"
                + "imt_path[m]: imt.pipe\nimt_path[ref]: ref.pipe\n");
        awaitSocket(d, dir);
        d.await("ref.pipe", 60, () -> Files.exists(dir.resolve("ref.pipe")));
        return d;
    }

    /**
     * Runs {@code query} until the savefile is done (the last run starts after that) and at least {@code minRuns}
     * times; sums what the runs return.
     */
    private static long sumUntilDone(Daemon d, int minRuns, Callable<Long> query) throws Exception {
        long sum = 0;
        int runs = 0;
        boolean done;
        do {
            done = d.stderrSafe().contains("savefile done");
            sum += query.call();
            runs++;
        } while (!done || runs < minRuns);
        return sum;
    }

    /**
     * Read-and-reset (-N ... -r): what the reads collect plus what remains equals what was sent, so no count is
     * lost or counted twice across a reset.
     */
    @Test
    void resetsUnderTrafficLoseNothing(@TempDir Path dir) throws Exception {
        try (Daemon d = replaying(dir)) {
            long collected = sumUntilDone(d, 3, () -> {
                E2e.Result r = pmacct(dir, "-c", "proto", "-N", "tcp;udp;icmp", "-S", "-n", "packets", "-r");
                assertEquals(0, r.exit(), r.stderr());
                return Long.parseLong(r.stdout().strip());
            });
            awaitTotal(dir, "imt.pipe", SENT - collected, "what the resets left");
            awaitTotal(dir, "ref.pipe", SENT, "the plugin nobody reset");
        }
    }

    /**
     * {@code -s -e} and {@code -M ... -e} print the table and clear it in one step: the packets they print plus what
     * remains equal what was sent, so a clear neither loses a record nor lets one be printed twice.
     */
    @Test
    void readAndClearUnderTrafficLosesNothing(@TempDir Path dir) throws Exception {
        try (Daemon d = replaying(dir)) {
            int[] clears = {0};
            long printed = sumUntilDone(d, 4, () -> {
                E2e.Result r = clears[0]++ % 2 == 0
                        ? pmacct(dir, "-s", "-e", "-O", "csv")
                        : pmacct(dir, "-c", "proto", "-M", "tcp;udp;icmp", "-e", "-O", "csv");
                assertEquals(0, r.exit(), r.stderr());
                return csvPackets(r.stdout());
            });
            awaitTotal(dir, "imt.pipe", SENT - printed, "what the " + clears[0] + " read-and-clears left");
            awaitTotal(dir, "ref.pipe", SENT, "the plugin nobody cleared");
            assertTrue(Long.parseLong(pmacct(dir, "-i").stdout().strip()) >= 0, "-i counts from the last clear");
        }
    }

    /** A plain -e prints only its OK; the last one comes after the reading, so at most the plugin's queue is left. */
    @Test
    void clearWhileTrafficFlowsKeepsCounting(@TempDir Path dir) throws Exception {
        try (Daemon d = replaying(dir)) {
            sumUntilDone(d, 1, () -> {
                assertEquals("OK: Clearing stats.\n", pmacct(dir, "-e").stdout());
                return 0L;
            });
            long left = total(dir);
            assertTrue(left < SENT, "cleared counts are gone: " + left);
            awaitTotal(dir, "ref.pipe", SENT, "the plugin nobody cleared");
        }
    }

    /**
     * Three clients read-and-reset (-N -r) at once while a fourth reads the other plugin's table: each answer is well
     * formed and never goes backwards, and the resets' reads plus what remains equal what was sent.
     */
    @Test
    void concurrentClientsDuringIngestionAgree(@TempDir Path dir) throws Exception {
        try (Daemon d = replaying(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Long>> resetters = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Path own = Files.createDirectory(dir.resolve("resetter" + i)); // each client's output apart
                    resetters.add(pool.submit(() -> sumUntilDone(d, 3, () -> {
                        E2e.Result r = pmacctOn(own, "../imt.pipe", "-c", "proto", "-N", "tcp;udp;icmp", "-S", "-n",
                                "packets", "-r");
                        assertEquals(0, r.exit(), r.stderr());
                        return Long.parseLong(r.stdout().strip());
                    })));
                }
                Path watcherDir = Files.createDirectory(dir.resolve("watcher"));
                Map<String, Long> seen = new HashMap<>();
                Future<Long> watcher = pool.submit(() -> sumUntilDone(d, 3, () -> {
                    E2e.Result r = pmacctOn(watcherDir, "../ref.pipe", "-s", "-O", "csv");
                    assertEquals(0, r.exit(), r.stderr());
                    checkNeverBackwards(r.stdout(), seen);
                    return 0L;
                }));
                long collected = 0;
                for (Future<Long> f : resetters) {
                    collected += f.get();
                }
                watcher.get();
                awaitTotal(dir, "imt.pipe", SENT - collected, "what the concurrent resets left");
                awaitTotal(dir, "ref.pipe", SENT, "the plugin only read");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** An answer of {@code -s -O csv} on aggregate proto: the header, known keys once each, no counter lower than before. */
    private static void checkNeverBackwards(String csv, Map<String, Long> seen) {
        List<String> lines = csv.lines().toList();
        assertEquals("PROTOCOL,PACKETS,BYTES", lines.get(0), csv);
        List<String> keys = new ArrayList<>();
        long packets = 0;
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertEquals(3, f.length, l);
            assertTrue(List.of("tcp", "udp", "icmp").contains(f[0]), "a known key, not an empty one: " + l);
            assertFalse(keys.contains(f[0]), "each key once: " + csv);
            keys.add(f[0]);
            long p = Long.parseLong(f[1]);
            assertTrue(p > 0 && Long.parseLong(f[2]) >= p, "counters of whole packets: " + l);
            Long before = seen.put(f[0], p);
            assertTrue(before == null || before <= p, f[0] + " went back from " + before + " to " + p);
            packets += p;
        }
        assertTrue(packets <= SENT, packets + " packets of " + SENT + " sent");
    }

    /** The print plugin beside the memory plugin in one daemon: each has every packet, queried meanwhile or not. */
    @Test
    void memoryBesidePrintPluginBothComplete(@TempDir Path dir) throws Exception {
        int replays = 200;
        long sent = TRAFFIC_PACKETS * replays;
        try (Daemon d = start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_replay: " + replays + "\n"
                + "pcap_savefile_wait: true\nplugins: memory[m], print[p]\naggregate: proto\nimt_path[m]: imt.pipe\n"
                + "print_output[p]: csv\nprint_output_file[p]: out.csv\nprint_refresh_time[p]: 3600\n")) {
            awaitSocket(d, dir);
            sumUntilDone(d, 2, () -> {
                assertTrue(total(dir) <= sent);
                return 0L;
            });
            awaitTotal(dir, "imt.pipe", sent, "the memory plugin");
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
            assertEquals(sent, csvPackets(Files.readString(dir.resolve("out.csv"))), "the print plugin's last purge");
        }
    }
}
