package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each pmacctd option does what the key it stands for does: bin/pmacctd is run on examples/edge.pcap once with the
 * option, once with the key in the file and once with neither; the option's run and the key's run must observe the
 * same, and differ from the run without either. Live-capture options are in LiveCaptureTest, -D and -S in
 * DaemonLifeTest.
 */
class PmacctdOptionsTest {
    /** One purge at the end unless a test says otherwise (purges fall on minute boundaries). */
    private static final String BASE = "pcap_savefile: edge.pcap\nplugins: print[p]\nprint_output[p]: csv\n"
            + "aggregate[p]: proto\nprint_refresh_time: 3600\n";

    /** What a run shows: its stdout, an output file, or selected log lines. */
    interface Observe {
        String of(E2e.Result r, Path dir) throws Exception;
    }

    private static final Observe STDOUT = (r, dir) -> r.stdout();

    private static Observe file(String name) {
        return (r, dir) -> {
            Path p = dir.resolve(name);
            String s = Files.exists(p) ? Files.readString(p) : "(no file)";
            Files.deleteIfExists(p);
            return s;
        };
    }

    private static Observe logLines(String containing) {
        return (r, dir) -> String.join("\n", r.stderr().lines().filter(l -> l.contains(containing)).toList());
    }

    /** One option: the extra file lines of its run, its arguments, the key line it stands for, and what to check. */
    record Case(String base, List<String> option, String key, Observe observe, Predicate<String> effect) {
        @Override
        public String toString() {
            return String.join(" ", option) + " = " + key.strip();
        }
    }

    private static Arguments of(String base, List<String> option, String key, Observe observe, Predicate<String> effect) {
        return Arguments.of(new Case(base, option, key, observe, effect));
    }

    static Stream<Arguments> options() {
        return Stream.of(
                of("", List.of("-c", "src_host"), "aggregate[p]: src_host\n", STDOUT,
                        o -> o.startsWith("SRC_IP,PACKETS,BYTES\n")),
                of("", List.of("-O", "json"), "print_output[p]: json\n", STDOUT,
                        o -> o.startsWith("{\"event_type\": \"purge\", \"ip_proto\": ")),
                of("", List.of("-u"), "print_num_protos: true\n", STDOUT, o -> o.contains("\n6,19,3748\n")),
                of("", List.of("-E", ";"), "print_output_separator: ;\n", STDOUT,
                        o -> o.startsWith("PROTOCOL;PACKETS;BYTES\n") && o.contains("\ntcp;19;3748\n")),
                of("", List.of("-o", "out.csv"), "print_output_file: out.csv\n", file("out.csv"),
                        o -> o.startsWith("PROTOCOL,PACKETS,BYTES\n") && o.contains("\nudp,17,8927\n")),
                // the marker carries the purge time: compared without digits
                of("print_output_file[p]: out.csv\n", List.of("-M"), "print_markers: true\n",
                        (r, dir) -> file("out.csv").of(r, dir).replaceAll("\\d+", "N"),
                        o -> o.startsWith("--START (N)--\nPROTOCOL,PACKETS,BYTES\n") && o.endsWith("--END (N)--\n")),
                // a file of an earlier run is kept and appended to, instead of replaced
                of("print_output_file[p]: old.csv\n", List.of("-A"), "print_output_file_append: true\n",
                        (r, dir) -> file("old.csv").of(r, dir), o -> o.startsWith("PROTOCOL,PACKETS,BYTES\nicmp,1,1\n")
                                && o.contains("\nudp,17,8927\n")),
                // with networks_file_filter, sources outside the networks file become 0.0.0.0
                of("aggregate[p]: src_host\nnetworks_file_filter: true\npcap_filter: ip\n", List.of("-n", "nets.lst"),
                        "networks_file: nets.lst\n", STDOUT, o -> o.contains("\n0.0.0.0,3,200\n") && o.contains("\n10.1.1.1,")),
                of("aggregate[p]: dst_port\n", List.of("-t", "ports.lst"), "ports_file: ports.lst\n", STDOUT,
                        o -> o.contains("\n0,33,12410\n") && o.contains("\n443,9,760\n")),
                // sampling_rate has no option; -R renormalizes what it samples (the same packets: seeded per plugin)
                of("sampling_rate: 4\naggregate[p]: sampling_rate\n", List.of("-R"), "sfacctd_renormalize: true\n",
                        STDOUT, o -> o.startsWith("SAMPLING_RATE,PACKETS,BYTES\n1,")),
                of("", List.of("-Y", "2"), "pcap_savefile_replay: 2\n", STDOUT,
                        o -> o.contains("\nudp,34,17854\n") && o.contains("\ntcp,38,7496\n")),
                of("pcap_savefile_replay: 2\n", List.of("-Z", "1"), "pcap_savefile_delay: 1\n",
                        logLines("sleeping for"), o -> o.lines().count() == 2
                                && o.lines().allMatch(l -> l.endsWith("INFO ( default/core ): PCAP capture file, sleeping for 1 seconds"))),
                // pmacct's debug lines: each directive read, and the plugin's buffer sizes
                of("", List.of("-d"), "debug: true\n",
                        (r, dir) -> logLines("plugin_pipe_size=").of(r, dir) + "\n" + logLines("DEBUG ( default/core ): [p.conf:4]").of(r, dir),
                        o -> o.equals("INFO ( p/print ): plugin_pipe_size=4194304 bytes plugin_buffer_size=65536 bytes: "
                                + "batches of 256 records, 32 batches queued at most\n"
                                + "DEBUG ( default/core ): [p.conf:4] aggregate[p]: proto")));
    }

    private static void setUp(Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("nets.lst"), "10.1.0.0/16\n");
        Files.writeString(dir.resolve("ports.lst"), "443\n80\n");
    }

    private static E2e.Result run(Path dir, String conf, List<String> options) throws Exception {
        Files.writeString(dir.resolve("p.conf"), conf);
        Files.writeString(dir.resolve("old.csv"), "PROTOCOL,PACKETS,BYTES\nicmp,1,1\n");
        List<String> cmd = new ArrayList<>(List.of(E2e.bin("pmacctd").toString(), "-f", "p.conf"));
        cmd.addAll(options);
        E2e.Result r = E2e.run(dir, 120, cmd.toArray(new String[0]));
        assertEquals(0, r.exit(), r.stderr());
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void optionDoesWhatItsKeyDoes(Case c, @TempDir Path dir) throws Exception {
        setUp(dir);
        String conf = BASE + c.base();
        String withOption = c.observe().of(run(dir, conf, c.option()), dir);
        String withKey = c.observe().of(run(dir, conf + c.key(), List.of()), dir);
        String without = c.observe().of(run(dir, conf, List.of()), dir);
        assertTrue(c.effect().test(withOption), c + ": not the expected effect:\n" + withOption);
        assertEquals(withKey, withOption, c + ": the option and the key differ");
        assertNotEquals(without, withOption, c + ": no effect without either");
    }

    /** -r purges while the daemon runs (kept running by -W after the savefile); -F writes and removes the pidfile. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"options", "keys"})
    void refreshWaitAndPidfile(String how, @TempDir Path dir) throws Exception {
        setUp(dir);
        boolean options = how.equals("options");
        Files.writeString(dir.resolve("p.conf"), BASE + "print_output_file[p]: out.csv\n"
                + (options ? "" : "print_refresh_time: 1\npcap_savefile_wait: true\npidfile: p.pid\n"));
        String[] args = options ? new String[] {"-f", "p.conf", "-r", "1", "-W", "-F", "p.pid"} : new String[] {"-f", "p.conf"};
        try (Daemon d = Daemon.start(dir, args)) {
            d.await("the pidfile", 60, () -> Files.exists(dir.resolve("p.pid")));
            d.await("a purge while running", 60, () -> Files.exists(dir.resolve("out.csv")));
            assertTrue(d.alive(), "-W: still running after the savefile");
            assertEquals(Long.toString(d.pid()), Files.readString(dir.resolve("p.pid")).strip());
            assertTrue(Files.readString(dir.resolve("out.csv")).contains("\nudp,17,8927\n"));
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
            assertFalse(Files.exists(dir.resolve("p.pid")), "pidfile removed at exit");
            assertTrue(d.stderr().contains("savefile done; waiting for SIGINT or SIGTERM"), d.stderr());
        }
    }

    /** Without -W the daemon ends with the savefile; without -r nothing is written before the end. */
    @Test
    void withoutWaitTheSavefileEndsTheDaemon(@TempDir Path dir) throws Exception {
        setUp(dir);
        Files.writeString(dir.resolve("p.conf"), BASE + "print_output_file[p]: out.csv\n");
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf", "-F", "p.pid");
        assertEquals(0, r.exit(), r.stderr());
        assertFalse(r.stderr().contains("savefile done; waiting"), r.stderr());
        assertFalse(Files.exists(dir.resolve("p.pid")));
    }

    /** The memory plugin's -p (socket), -b (buckets), -m and -s (pools: an entry limit) equal their keys. */
    @Test
    void memoryOptionsEqualTheirKeys(@TempDir Path dir) throws Exception {
        setUp(dir);
        String base = "pcap_savefile: edge.pcap\npcap_savefile_wait: true\nplugins: memory[m]\naggregate[m]: proto\n";
        String byOptions = memoryTable(dir, "o.pipe", base, "-p", "o.pipe", "-b", "1000", "-m", "4", "-s", "1024");
        String byKeys = memoryTable(dir, "k.pipe", base + "imt_path: k.pipe\nimt_buckets: 1000\nimt_mem_pools_number: 4\n"
                + "imt_mem_pools_size: 1024\n");
        assertTrue(byOptions.contains("limit: 64\n"), "4 pools x 1024 bytes / 64 bytes per entry:\n" + byOptions);
        assertEquals(byKeys, byOptions);
        String defaults = memoryTable(dir, "d.pipe", base + "imt_path: d.pipe\n");
        assertTrue(defaults.contains("limit: unlimited\n"), defaults);
        assertNotEquals(capacityLine(defaults), capacityLine(byOptions), "-b sizes the table:\n" + defaults + byOptions);
    }

    private static String capacityLine(String table) {
        return table.lines().filter(l -> l.startsWith("capacity: ")).findFirst().orElse("");
    }

    /** Runs a memory-plugin daemon, queries it with pmacct -t on its socket, and returns entries/capacity/limit. */
    private static String memoryTable(Path dir, String socket, String conf, String... options) throws Exception {
        Files.writeString(dir.resolve("p.conf"), conf);
        List<String> args = new ArrayList<>(List.of("-f", "p.conf"));
        args.addAll(List.of(options));
        try (Daemon d = Daemon.start(dir, args.toArray(new String[0]))) {
            d.await("end of savefile", 60, () -> d.stderrSafe().contains("savefile done"));
            assertTrue(Files.exists(dir.resolve(socket)), "the socket is where -p/imt_path says: " + socket);
            E2e.Result t = E2e.run(dir, 60, E2e.bin("pmacct").toString(), "-p", socket, "-t");
            assertEquals(0, t.exit(), t.stderr());
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
            return String.join("\n", t.stdout().lines().filter(l -> l.startsWith("entries: ")
                    || l.startsWith("capacity: ") || l.startsWith("limit: ")).toList()) + "\n";
        }
    }

    /**
     * -z: a live capture as a non-root user stops at start-up with pmacct's message; with -z (or the key) it gets as
     * far as opening the interface, which then needs the capabilities the user lacks.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "option", "key"})
    void nonRootNeedsZ(String how, @TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (Netns.available()) {
            // as root: run the launcher as nobody; it must be able to enter the directory and read the jars
            Assumptions.assumeTrue(Files.isReadable(E2e.bin("pmacctd")), "SKIPPED: launcher not readable");
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.writeString(dir.resolve("p.conf"), "pcap_interface: lo\nplugins: print[p]\naggregate[p]: proto\n"
                + (how.equals("key") ? "pmacctd_nonroot: true\n" : ""));
        cmd.addAll(List.of(E2e.bin("pmacctd").toString(), "-f", "p.conf"));
        if (how.equals("option")) {
            cmd.add("-z");
        }
        E2e.Result r = E2e.run(dir, Map.of("JPMACCT_NO_CDS", "1"), 120, cmd.toArray(new String[0]));
        assertEquals(1, r.exit(), r.stderr());
        boolean refused = r.stderr().contains("ERROR ( default/core ): You need superuser privileges to run this command");
        assertEquals(how.equals("none"), refused, r.stderr());
        if (!how.equals("none")) {
            assertTrue(r.stderr().contains("lo: "), "it tried the interface:\n" + r.stderr());
        }
    }
}
