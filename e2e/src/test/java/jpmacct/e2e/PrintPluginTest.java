package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.runtime.BlockingTrigger;

/** print plugin features beyond the recorded conformance cases, run through the launcher. */
class PrintPluginTest {

    private static E2e.Result run(Path dir, String conf) throws Exception {
        if (!Files.exists(dir.resolve("edge.pcap"))) {
            E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        }
        // one purge at the end unless the test says otherwise: purges fall on minute boundaries, and a run that
        // crossed one would leave only the last purge's rows in an overwritten file
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: edge.pcap\nprint_refresh_time: 3600\n" + conf);
        return E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
    }

    /** Runs pmacctd over edge.pcap with {@code conf}, expects success, and returns the output file it wrote. */
    private static String output(Path dir, String conf, String file) throws Exception {
        E2e.Result r = run(dir, conf);
        assertEquals(0, r.exit(), r.stderr());
        return Files.readString(dir.resolve(file));
    }

    @Test
    void appendWritesTheHeaderOnce(@TempDir Path dir) throws Exception {
        String conf = "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: csv\nprint_output_file[p]: out.csv\n"
                + "print_output_file_append[p]: true\n";
        assertEquals(0, run(dir, conf).exit());
        String out = output(dir, conf, "out.csv");
        assertEquals(1, out.split("PROTOCOL,PACKETS,BYTES", -1).length - 1, out);
        assertEquals(2, out.split("\nudp,17,8927\n", -1).length - 1, out);
    }

    @Test
    void markersSurroundEachPurge(@TempDir Path dir) throws Exception {
        String out = output(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: csv\n"
                + "print_output_file[p]: out.csv\nprint_markers[p]: true\n", "out.csv");
        assertTrue(out.matches("(?s)--START \\(\\d+\\)--\nPROTOCOL,PACKETS,BYTES\n.*--END \\(\\d+\\)--\n"), out);

        String json = output(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: json\n"
                + "print_output_file[p]: out.json\nprint_markers[p]: true\n", "out.json");
        assertTrue(json.startsWith("{\"event_type\": \"purge_init\", \"writer_id\": \"p/"), json);
        assertTrue(json.contains("{\"event_type\": \"purge_close\", \"writer_id\": \"p/"), json);
        assertTrue(json.contains("\"purged_entries\": 7, \"total_entries\": 7"), json);
    }

    @Test
    void latestFileFollowsTheNewestBin(@TempDir Path dir) throws Exception {
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: csv\n"
                + "print_output_file[p]: bins/%Y/out-%H%M.csv\nprint_history[p]: 1m\nprint_history_roundoff[p]: m\n"
                + "print_latest_file[p]: latest.csv\nprint_refresh_time[p]: 3600\n").exit());
        assertTrue(Files.isDirectory(dir.resolve("bins/2023")), "missing directories are created");
        Path latest = dir.resolve("latest.csv");
        assertTrue(Files.isSymbolicLink(latest));
        assertEquals(dir.resolve("bins/2023/out-2216.csv").toRealPath(), latest.toRealPath());
    }

    /**
     * The file is written under a temporary name and renamed into place, so a reader holding the old file (here:
     * a hard link to it) keeps the old content whole; pmacct writes in place. Appending writes in place.
     */
    @Test
    void outputFileIsReplacedByRenameAndAppendWritesInPlace(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("out.csv"), "old\n");
        Files.createLink(dir.resolve("reader.csv"), dir.resolve("out.csv"));
        String conf = "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: csv\nprint_output_file[p]: out.csv\n";
        assertTrue(output(dir, conf, "out.csv").contains("\nudp,17,8927\n"));
        assertEquals("old\n", Files.readString(dir.resolve("reader.csv")), "the old file was not written to");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(".run.stderr", ".run.stdout", "edge.pcap", "out.csv", "p.conf", "reader.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
        Files.delete(dir.resolve("reader.csv"));
        Files.createLink(dir.resolve("reader.csv"), dir.resolve("out.csv"));
        String appended = output(dir, conf + "print_output_file_append[p]: true\n", "out.csv");
        assertEquals(appended, Files.readString(dir.resolve("reader.csv")), "appending writes the same file");
        assertEquals(2, appended.split("\nudp,17,8927\n", -1).length - 1, appended);
    }

    /** Without print_history the strftime escapes use the purge time; pmacct 1.7.7 uses the epoch (1970). */
    @Test
    void strftimeWithoutHistoryUsesThePurgeTime(@TempDir Path dir) throws Exception {
        int before = Year.now(ZoneOffset.UTC).getValue();
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: out-%Y.txt\n").exit());
        int after = Year.now(ZoneOffset.UTC).getValue();
        assertTrue(Files.exists(dir.resolve("out-" + before + ".txt")) || Files.exists(dir.resolve("out-" + after + ".txt")),
                "a file named for this year (e2e runs with TZ=UTC)");
        assertFalse(Files.exists(dir.resolve("out-1970.txt")));
    }

    /**
     * $tag, $tag2 and $peer_src_ip name the file by the entry's values: 0 for the tags without pre_tag_map, and
     * 0_0_0_0 (the unspecified address, escaped as addresses are) for a peer pmacctd never has. pmacct 1.7.7
     * writes "null" there, or an empty string after which it leaves the later variables unreplaced.
     */
    @Test
    void dollarVariablesWithoutTagsOrPeer(@TempDir Path dir) throws Exception {
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto, peer_src_ip\nprint_output[p]: csv\n"
                + "print_output_file[p]: out-$tag-$tag2-$peer_src_ip-$ref.csv\nprint_refresh_time[p]: 30\n").exit());
        assertTrue(Files.readString(dir.resolve("out-0-0-0_0_0_0-30.csv")).contains("\n,udp,17,8927\n"));
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: by-$peer_src_ip.txt\n").exit());
        assertTrue(Files.exists(dir.resolve("by-0_0_0_0.txt")), "the same whether peer_src_ip is aggregated or not");
    }

    @Test
    void failingTriggerIsLoggedWithItsStatusAndStderr(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("trigger.sh");
        Files.writeString(script, "#!/bin/sh\necho ran > triggered\necho 'database is down' >&2\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        E2e.Result r = run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: csv\n"
                + "print_output_file[p]: out.csv\nprint_trigger_exec[p]: " + script + "\n");
        assertEquals(0, r.exit());
        assertTrue(Files.exists(dir.resolve("triggered")), "trigger ran after the purge");
        assertTrue(r.stderr().contains("WARN ( p/print ): trigger '" + script + "' exited with status 3: database is down"),
                r.stderr());
    }

    /**
     * print_trigger_exec_async: the trigger after the purge at exit starts and the daemon ends without waiting for
     * it (by default it waits up to 10 s); the trigger goes on after the daemon's end.
     */
    @Test
    void asyncTriggerOutlivesTheDaemon(@TempDir Path dir) throws Exception {
        BlockingTrigger trigger = BlockingTrigger.in(dir);
        E2e.Result r = run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: out.txt\n"
                + "print_trigger_exec[p]: " + trigger.script() + "\nprint_trigger_exec_async[p]: true\n");
        assertEquals(0, r.exit(), r.stderr());
        assertFalse(r.stderr().contains("still running"), r.stderr());
        assertEquals(0, trigger.ended(), "the trigger outlives the daemon");
        trigger.release();
        trigger.awaitEnded(1);
        assertEquals(1, trigger.started());
    }

    /**
     * print_preprocess leaves out the rows that fail its checks; the purge_close marker and the log count the rows
     * written (purged_entries, QN) against all of the purge (total_entries), as pmacct does.
     */
    @Test
    void preprocessLeavesOutRowsAndMarkersCountThem(@TempDir Path dir) throws Exception {
        E2e.Result r = run(dir, "plugins: print[p], print[all]\naggregate: proto\nprint_output: csv\n"
                + "print_output_file[all]: all.csv\nprint_output_file[p]: p.json\nprint_output[p]: json\n"
                + "print_markers[p]: true\nprint_preprocess[p]: minp=10, minbpp=100\nprint_preprocess_type[p]: all\n");
        assertEquals(0, r.exit(), r.stderr());
        List<String> all = Files.readAllLines(dir.resolve("all.csv"));
        List<String> expected = all.subList(1, all.size()).stream().filter(row -> {
            String[] f = row.split(",");
            long packets = Long.parseLong(f[1]);
            return packets >= 10 && Long.parseLong(f[2]) / packets >= 100;
        }).map(row -> row.split(",")[0]).sorted().toList();
        assertTrue(!expected.isEmpty() && expected.size() < all.size() - 1, all.toString());
        List<String> json = Files.readAllLines(dir.resolve("p.json"));
        List<String> written = json.subList(1, json.size() - 1).stream()
                .map(row -> row.replaceAll(".*\"ip_proto\": \"([^\"]*)\".*", "$1")).sorted().toList();
        assertEquals(expected, written);
        assertTrue(json.get(json.size() - 1).contains("\"purged_entries\": " + expected.size() + ", \"total_entries\": "
                + (all.size() - 1) + ","), json.get(json.size() - 1));
        assertTrue(r.stderr().contains("( p/print ): *** Purging cache - END (PID: ") && r.stderr().contains(", QN: "
                + expected.size() + "/" + (all.size() - 1) + ", ET: "), r.stderr());
        String refused = run(dir, "plugins: print[p]\naggregate: proto\nprint_preprocess: minp=2, usrf=10\n").stderr();
        assertTrue(refused.contains("p.conf:5: print_preprocess[p]: 'usrf' applies to the SQL plugins only"), refused);
    }

    /**
     * print_history_offset: hourly bins aligned on the hour start 15 minutes before it, as in pmacct (the capture's
     * 22:16 falls in the bin of 21:45); without print_history it is ignored, with a warning.
     */
    @Test
    void historyOffsetMovesTheBins(@TempDir Path dir) throws Exception {
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: out-%H%M.csv\n"
                + "print_history[p]: 1h\nprint_history_roundoff[p]: h\nprint_history_offset[p]: 900\n").exit());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("out-2145.csv"), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("out-")).toList());
        }
        E2e.Result r = run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: plain.csv\n"
                + "print_history_offset[p]: 15m\n");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("print_history_offset (p.conf:6) has no history bins to shift; ignored"),
                r.stderr());
    }

    @Test
    void outputFilesFollowFilesUmask(@TempDir Path dir) throws Exception {
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: a.txt\n").exit());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))),
                "pmacct's default files_umask 077");
        assertEquals(0, run(dir, "files_umask: 022\nplugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: b.txt\n").exit());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("b.txt"))));
    }

    @Test
    void separatorsNumericProtocolsAndEventFormats(@TempDir Path dir) throws Exception {
        String tsv = output(dir, "plugins: print[p]\naggregate[p]: proto,src_port\nprint_output[p]: csv\n"
                + "print_output_separator[p]: \\t\nprint_num_protos[p]: true\nprint_output_file[p]: out.tsv\n", "out.tsv");
        assertTrue(tsv.startsWith("SRC_PORT\tPROTOCOL\tPACKETS\tBYTES\n"), tsv);
        assertTrue(tsv.contains("\n40000\t6\t8\t680\n"), tsv);

        String ev = output(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: event_csv\n"
                + "print_output_file[p]: ev.csv\n", "ev.csv");
        assertTrue(ev.startsWith("PROTOCOL\n"), ev);
        assertTrue(ev.contains("\nudp\n"), ev);
        assertFalse(ev.contains("PACKETS"), ev);
    }

    @Test
    void emptyPurgesWriteNothingUnlessAsked(@TempDir Path dir) throws Exception {
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output_file[p]: none.txt\n"
                + "pcap_filter: host 192.0.2.99\n").exit());
        assertFalse(Files.exists(dir.resolve("none.txt")));
        assertEquals(0, run(dir, "plugins: print[p]\naggregate[p]: proto\nprint_output[p]: csv\n"
                + "print_output_file[p]: empty.csv\nprint_write_empty_file[p]: true\npcap_filter: host 192.0.2.99\n").exit());
        assertEquals("PROTOCOL,PACKETS,BYTES\n", Files.readString(dir.resolve("empty.csv")));
    }

    @Test
    void twoPluginsSeeTheirOwnScopedKeys(@TempDir Path dir) throws Exception {
        E2e.Result r = run(dir, "plugins: print[csv], print[top]\naggregate[csv]: src_host, dst_host, src_port, "
                + "dst_port, proto, tos\nprint_output[csv]: csv\nprint_output_file[csv]: traffic.csv\naggregate[top]: sum_host\n"
                + "print_output_file[top]: top.txt\n");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(Files.readString(dir.resolve("traffic.csv")).startsWith("SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,TOS,PACKETS,BYTES\n"));
        String top = Files.readString(dir.resolve("top.txt"));
        assertTrue(top.startsWith("SRC_IP                                         PACKETS               BYTES\n"), top);
        assertTrue(top.contains("\n10.1.1.1                                       9                     740\n"), top);
    }

    @Test
    void stdoutHeaderOnlyOnce(@TempDir Path dir) throws Exception {
        E2e.Result r = run(dir, "pcap_savefile_replay: 2\npcap_savefile_delay: 2\nplugins: print[p]\naggregate[p]: proto\n"
                + "print_output[p]: csv\nprint_refresh_time[p]: 1\n");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(1, r.stdout().split("PROTOCOL,PACKETS,BYTES", -1).length - 1, r.stdout());
        long udp = 0;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("udp,")) {
                udp += Long.parseLong(line.split(",")[1]);
            }
        }
        assertEquals(34, udp, "both replays accounted, across several purges:\n" + r.stdout());
    }
}
