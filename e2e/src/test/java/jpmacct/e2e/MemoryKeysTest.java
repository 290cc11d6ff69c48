package jpmacct.e2e;

import static jpmacct.e2e.MemoryFixture.TRAFFIC_PACKETS;
import static jpmacct.e2e.MemoryFixture.awaitEndOfSavefile;
import static jpmacct.e2e.MemoryFixture.awaitTotal;
import static jpmacct.e2e.MemoryFixture.pmacctOn;
import static jpmacct.e2e.MemoryFixture.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory plugin's keys: imt_mem_pools_number, imt_buckets, imt_perms, imt_path. */
class MemoryKeysTest {
    private static final String SAVEFILE = "pcap_savefile: traffic.pcap\npcap_savefile_wait: true\n"
            + "aggregate: src_host, dst_host\n";

    /** What -t says of one plugin's table and the rows of its -s answer, once it holds every packet. */
    private record Table(String status, long rows) {
    }

    private static Table table(Path dir, String socket) throws Exception {
        awaitTotal(dir, socket, TRAFFIC_PACKETS, socket);
        return new Table(status(dir, socket), pmacctOn(dir, socket, "-s", "-O", "csv").stdout().lines().count() - 1);
    }

    private static String status(Path dir, String socket) {
        try {
            return pmacctOn(dir, socket, "-t").stdout();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** imt_mem_pools_number: 0 means unlimited, whatever imt_mem_pools_size says; 1 pool of 640 bytes holds 10 entries. */
    @Test
    void poolsNumberZeroIsUnlimited(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, SAVEFILE + "plugins: memory[zero], memory[one]\n"
                + "imt_path[zero]: zero.pipe\nimt_mem_pools_number[zero]: 0\nimt_mem_pools_size[zero]: 640\n"
                + "imt_path[one]: one.pipe\nimt_mem_pools_number[one]: 1\nimt_mem_pools_size[one]: 640\n")) {
            awaitEndOfSavefile(d);
            Table zero = table(dir, "zero.pipe");
            assertTrue(zero.status().contains("limit: unlimited\n"), zero.status());
            assertTrue(zero.status().contains("records of new keys dropped (table full): 0\n"), zero.status());
            assertTrue(zero.rows() > 10, "more entries than one pool holds: " + zero.rows());
            Daemon.awaitCondition("one.pipe dropping new keys", 60, () -> !status(dir, "one.pipe").contains(
                    "records of new keys dropped (table full): 0\n"), () -> status(dir, "one.pipe"));
            assertTrue(status(dir, "one.pipe").contains("limit: 10\n"));
            assertFalse(d.stderr().contains("WARN ( zero/memory )"), d.stderr());
        }
    }

    /** imt_buckets sizes the first table only: from 1 the table grows and loses nothing; 100000 fits without growing. */
    @Test
    void bucketsSizeTheFirstTable(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, SAVEFILE + "plugins: memory[small], memory[big]\n"
                + "imt_path[small]: small.pipe\nimt_buckets[small]: 1\nimt_path[big]: big.pipe\nimt_buckets[big]: 100000\n")) {
            awaitEndOfSavefile(d);
            Table small = table(dir, "small.pipe");
            Table big = table(dir, "big.pipe");
            assertEquals(big.rows(), small.rows(), "the same entries either way");
            assertTrue(small.rows() > 22, "more entries than 32 slots hold at 70% load: " + small.rows());
            assertTrue(slots(small.status()) > 32, "the table grew from 32 slots:\n" + small.status());
            assertTrue(slots(big.status()) >= 100000 / 0.7, "100000 entries fit at 70% load:\n" + big.status());
        }
    }

    private static long slots(String status) {
        return Long.parseLong(status.replaceAll("(?s).*\ncapacity: (\\d+) slots\n.*", "$1"));
    }

    @Test
    void permsSetTheSocketsMode(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, SAVEFILE + "plugins: memory[m]\nimt_path[m]: imt.pipe\nimt_perms[m]: 0660\n")) {
            awaitEndOfSavefile(d);
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("imt.pipe"))));
        }
    }

    /**
     * A regular file or a directory at imt_path stops the start-up and is left as it is (pmacct 1.7.7 unlinks
     * whatever is there; a mistyped path could name a file that matters).
     */
    @Test
    void aFileThatIsNotASocketAtImtPathStopsStartUp(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("imt.pipe"), "keep me\n");
        Files.createDirectory(dir.resolve("dir.pipe"));
        E2e.copy(E2e.root().resolve("examples/traffic.pcap"), dir);
        for (String path : new String[] {"imt.pipe", "dir.pipe"}) {
            Files.writeString(dir.resolve("p.conf"), "pcap_savefile: traffic.pcap\nplugins: memory[m]\naggregate[m]: proto\n"
                    + "imt_path[m]: " + path + "\n");
            E2e.Result r = E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-f", "p.conf");
            assertNotEquals(0, r.exit(), r.stderr());
            String kind = path.equals("imt.pipe") ? "a regular file" : "a directory";
            assertTrue(r.stderr().contains("imt_path " + path + " exists and is " + kind + ", not a socket; refusing to "
                    + "replace it"), r.stderr());
        }
        assertEquals("keep me\n", Files.readString(dir.resolve("imt.pipe")));
        assertTrue(Files.isDirectory(dir.resolve("dir.pipe")));
    }
}
