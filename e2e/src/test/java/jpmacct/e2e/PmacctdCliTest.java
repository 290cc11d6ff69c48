package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * -a lists what aggregate accepts: every line pmacct 1.7.7's pmacctd -a prints for a primitive this build has is
     * printed the same, in the same group and order; what pmacct accepts but does not list (sum_*, none, the
     * exporter fields) and what this build fills where pmacct does not (in_iface, out_iface, flows, timestamp_start,
     * timestamp_end) is listed too, marked when it stays empty in pmacctd.
     */
    @Test
    void primitivesListedAsPmacctDoes(@TempDir Path dir) throws Exception {
        E2e.Result r = pmacctd(dir, "-a");
        assertEquals(0, r.exit());
        List<String> ours = List.of(r.stdout().split("\n"));
        List<String> pmacct = Files.readAllLines(Path.of(getClass().getResource("/pmacct-1.7.7-pmacctd-a.txt").toURI()));
        Map<String, String> ourGroup = groups(ours);
        Map<String, String> pmacctGroup = groups(pmacct);
        List<String> shared = new ArrayList<>();
        for (String line : pmacct) {
            if (isPrimitive(line) && ours.contains(line)) {
                shared.add(line);
                assertEquals(pmacctGroup.get(line), ourGroup.get(line), line);
            }
        }
        assertEquals(shared, ours.stream().filter(shared::contains).toList(), "pmacct's order");
        assertEquals(28, shared.size(), "every pmacct 1.7.7 line from cos to timestamp_arrival that this build supports: " + shared);
        for (String name : new String[] {"sum_mac", "sum_host", "sum_net", "sum_port", "sum_as", "flows", "in_iface",
            "out_iface", "timestamp_start", "timestamp_end", "none"}) {
            assertTrue(ours.stream().anyMatch(l -> l.startsWith(String.format("%-32s : ", name)) && !l.contains("no data")),
                    name + " listed:\n" + r.stdout());
        }
        for (String name : new String[] {"peer_src_ip", "export_proto_seqno", "export_proto_version", "export_proto_sysid"}) {
            assertTrue(ours.stream().anyMatch(l -> l.startsWith(String.format("%-32s : ", name))
                    && l.endsWith(" (carries no data in pmacctd)")), name + " listed as empty:\n" + r.stdout());
        }
        assertTrue(ours.get(0).startsWith("Promiscuous Mode Accounting Daemon, pmacctd 1.7.7-jpmacct"), ours.get(0));
    }

    private static boolean isPrimitive(String line) {
        return line.contains(" : ");
    }

    /** The group heading each primitive line is listed under. */
    private static Map<String, String> groups(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        String group = null;
        for (String l : lines) {
            if (isPrimitive(l)) {
                out.put(l, group);
            } else if (!l.isBlank()) {
                group = l;
            }
        }
        return out;
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
