package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pmacctd's command line: pmacct 1.7.7's options and their meaning. */
class PmacctdCliTest {

    private static E2e.Result pmacctd(Path dir, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = E2e.bin("pmacctd").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return E2e.run(dir, 120, cmd);
    }

    @Test
    void helpListsEveryOption(@TempDir Path dir) throws Exception {
        E2e.Result r = pmacctd(dir, "-h");
        assertEquals(0, r.exit());
        for (String opt : new String[] {"-h", "-V", "-f", "-a", "-c", "-D", "-N", "-z", "-n", "-t", "-P", "-d", "-i",
            "-I", "-S", "-F", "-w", "-Z", "-W", "-Y", "-R", "-L", "-u", "-p", "-b", "-m", "-s", "-r", "-O", "-o", "-M",
            "-A", "-E"}) {
            assertTrue(r.stdout().contains("  " + opt + "  \t"), "usage lacks " + opt);
        }
        assertTrue(r.stdout().startsWith("Promiscuous Mode Accounting Daemon, pmacctd "));
    }

    @Test
    void versionNamesLibpcap(@TempDir Path dir) throws Exception {
        E2e.Result r = pmacctd(dir, "-V");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().contains("libpcap version"), r.stdout());
        assertTrue(r.stdout().contains("print"), r.stdout());
    }

    @Test
    void primitivesListedByGroup(@TempDir Path dir) throws Exception {
        E2e.Result r = pmacctd(dir, "-a");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().contains("\nL3\n"), r.stdout());
        assertTrue(r.stdout().contains(String.format("%-32s : %-64s", "src_host", "Source IPv4/IPv6 address")));
        assertFalse(r.stdout().contains("peer_src_ip "), "peer_src_ip carries no data in pmacctd");
    }

    @Test
    void unknownOptionFails(@TempDir Path dir) throws Exception {
        E2e.Result r = pmacctd(dir, "-q");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("invalid option -- 'q'"), r.stderr());
    }

    @Test
    void trailingWordsAreTheFilter(@TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        E2e.Result r = pmacctd(dir, "-I", "edge.pcap", "-P", "print", "-O", "csv", "-c", "proto", "udp", "and", "not",
                "port", "53");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().startsWith("PROTOCOL,PACKETS,BYTES\n"), r.stdout());
        assertFalse(r.stdout().contains("tcp"), r.stdout());
        assertTrue(r.stdout().contains("\nudp,"), r.stdout());
    }

    @Test
    void optionsOverrideTheFile(@TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: edge.pcap\nplugins: print[p]\n"
                + "aggregate[p]: src_host\nprint_output[p]: json\n");
        E2e.Result r = pmacctd(dir, "-f", "p.conf", "-c", "proto", "-O", "csv");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().startsWith("PROTOCOL,PACKETS,BYTES\n"), r.stdout());
    }
}
