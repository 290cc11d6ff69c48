package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signals, pidfile, logging and daemonizing, on the real launcher. */
class DaemonLifeTest {
    private static final String CONF = "pcap_savefile: edge.pcap\npcap_savefile_wait: true\npidfile: pmacctd.pid\n"
            + "plugins: print[csv]\naggregate[csv]: proto\nprint_output[csv]: csv\nprint_output_file[csv]: out.csv\n"
            + "print_refresh_time[csv]: 3600\n";

    private static void setUp(Path dir, String conf) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("p.conf"), conf);
    }

    @Test
    void sigtermFlushesEverythingAndExitsZero(@TempDir Path dir) throws Exception {
        setUp(dir, CONF);
        try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
            d.await("end of savefile", 60, () -> d.stderrSafe().contains("savefile done"));
            assertTrue(Files.exists(dir.resolve("pmacctd.pid")));
            assertEquals(Long.toString(d.pid()), Files.readString(dir.resolve("pmacctd.pid")).strip());
            String threads = Daemon.threadDump(d.pid());
            assertTrue(threads.contains("\"Core Process [default]\""), threads);
            assertTrue(threads.contains("\"Print Plugin [csv]\""), threads);
            assertFalse(Files.exists(dir.resolve("out.csv")), "nothing purged before the refresh time");
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        String out = Files.readString(dir.resolve("out.csv"));
        assertTrue(out.startsWith("PROTOCOL,PACKETS,BYTES\n"), out);
        assertEquals(45, sumColumn(out, 1), "every IP packet of edge.pcap, written at shutdown");
        assertFalse(Files.exists(dir.resolve("pmacctd.pid")), "pidfile removed at exit");
    }

    @Test
    void sigintFlushesToo(@TempDir Path dir) throws Exception {
        setUp(dir, CONF);
        try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
            d.await("end of savefile", 60, () -> d.stderrSafe().contains("savefile done"));
            d.signal("INT");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        assertEquals(45, sumColumn(Files.readString(dir.resolve("out.csv")), 1));
    }

    /** {@code daemonize: true} and -D alike. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"key", "option"})
    void daemonizeDetachesLogsToFileAndStopsOnSigterm(String how, @TempDir Path dir) throws Exception {
        boolean option = how.equals("option");
        setUp(dir, CONF + (option ? "" : "daemonize: true\n") + "logfile: pmacctd.log\n");
        E2e.Result r = option ? E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-f", "p.conf", "-D")
                : E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-f", "p.conf");
        assertEquals(0, r.exit(), r.stderr());
        Path pidfile = dir.resolve("pmacctd.pid");
        Daemon.awaitCondition("pidfile", 30, () -> Files.exists(pidfile), () -> Daemon.read(dir.resolve("pmacctd.log")));
        long pid = Long.parseLong(Files.readString(pidfile).strip());
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        Daemon.awaitCondition("end of savefile", 60, () -> Daemon.read(dir.resolve("pmacctd.log")).contains("savefile done"),
                () -> Daemon.read(dir.resolve("pmacctd.log")));
        Daemon.signal(pid, "TERM");
        h.onExit().get(60, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("pmacctd.log"));
        // pmacct 1.8's time: the offset always +hh:mm (1.7.7 wrote Z for UTC)
        assertTrue(log.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d INFO \\( default/core \\): .*"), log);
        assertEquals(1, log.split("cache entries=", -1).length - 1, "the foreground process does not write the log:\n" + log);
        String reading = "INFO ( default/core ): Reading configuration file '" + dir.resolve("p.conf").toRealPath() + "'.";
        assertEquals(1, log.split(Pattern.quote(reading), -1).length - 1, log);
        assertTrue(log.contains("INFO ( csv/print ): *** Purging cache - END"), log);
        assertEquals(45, sumColumn(Files.readString(dir.resolve("out.csv")), 1));
        assertFalse(Files.exists(pidfile));
    }

    @Test
    void sighupReopensTheLogfileAndSigusr1PrintsCounters(@TempDir Path dir) throws Exception {
        setUp(dir, CONF + "logfile: pmacctd.log\n");
        try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
            Path log = dir.resolve("pmacctd.log");
            d.await("end of savefile", 60, () -> Daemon.read(log).contains("savefile done"));
            Files.move(log, dir.resolve("pmacctd.log.1"));
            d.signal("HUP");
            d.await("a new log file", 30, () -> Files.exists(log));
            d.signal("USR1");
            d.await("counters in the new log", 30, () -> Daemon.read(log).contains("stats: packets_accounted{} = 45"));
            d.signal("TERM");
            assertEquals(0, d.waitFor(60));
        }
    }

    @Test
    void sigusr2ReloadsNetworksBetweenReplays(@TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("nets.lst"), "10.0.0.0/8\n");
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: edge.pcap\npcap_savefile_replay: 2\n"
                + "pcap_savefile_delay: 3\nnetworks_file: nets.lst\nplugins: print[p]\naggregate[p]: src_net,src_mask\n"
                + "print_output[p]: csv\nprint_output_file[p]: out.csv\nprint_refresh_time[p]: 3600\npcap_filter: ip\n");
        try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
            // first pass read, now sleeping before the replay
            d.await("the first pass", 60, () -> d.stderrSafe().split("sleeping for").length == 3);
            Files.writeString(dir.resolve("nets.lst"), "10.1.0.0/16\n10.2.0.0/16\n");
            d.signal("USR2");
            d.await("reload", 30, () -> d.stderrSafe().split(Pattern.quote("[nets.lst] map successfully (re)loaded."), -1).length == 3);
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        String out = Files.readString(dir.resolve("out.csv"));
        assertTrue(out.contains("\n10.0.0.0,8,"), "first pass with the old map:\n" + out);
        assertTrue(out.contains("\n10.1.0.0,16,"), "second pass with the new map:\n" + out);
    }

    /**
     * A replay round reaches the plugins before pcap_savefile_delay (pmacct keeps its last records in a partly filled
     * buffer through the delay): during the pause the table holds exactly one round.
     */
    @Test
    void aReplayRoundIsAccountedBeforeTheDelay(@TempDir Path dir) throws Exception {
        try (Daemon d = MemoryFixture.start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_replay: 2\n"
                + "pcap_savefile_delay: 10\nplugins: memory[m]\naggregate: proto\nimt_path[m]: imt.pipe\n")) {
            MemoryFixture.awaitSocket(d, dir);
            d.await("the pause after the first round", 60, () -> d.stderrSafe().split("sleeping for").length == 3);
            MemoryFixture.awaitTotal(dir, "imt.pipe", MemoryFixture.TRAFFIC_PACKETS, "the first round, in the pause");
            d.signal("INT");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
    }

    /** {@code syslog: daemon} and -S daemon alike. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"key", "option"})
    void syslogGetsTheSameTaggedLines(String how, @TempDir Path dir) throws Exception {
        boolean option = how.equals("option");
        Path devLog = Path.of("/dev/log");
        org.junit.jupiter.api.Assumptions.assumeTrue(Netns.available() && !Files.exists(devLog),
                "SKIPPED: needs root and no system logger on /dev/log (the test listens there itself)");
        Path received = dir.resolve("syslog.txt");
        Process listener = new ProcessBuilder("python3", "-c", "import socket\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind('/dev/log')\n"
                + "f=open('" + received + "','ab',0)\nwhile True: f.write(s.recv(65536)+b'\\n')").start();
        try {
            Daemon.awaitCondition("/dev/log listener", 30, () -> Files.exists(devLog), () -> "");
            setUp(dir, "pcap_savefile: edge.pcap\n" + (option ? "" : "syslog: daemon\n") + "plugins: print[p]\n"
                    + "aggregate[p]: proto\nprint_output_file[p]: out.txt\nprint_refresh_time: 3600\n");
            E2e.Result r = option ? E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf", "-S", "daemon")
                    : E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
            assertEquals(0, r.exit(), r.stderr());
            assertEquals("", r.stderr(), "with syslog, nothing goes to stderr");
            Daemon.awaitCondition("messages", 30, () -> Daemon.read(received).contains("Purging cache - END"),
                    () -> Daemon.read(received));
            String log = Daemon.read(received);
            // facility daemon (3) * 8 + severity info (6) = 30; warnings 28
            assertTrue(log.contains("<30>") && log.contains("jpmacct[") && log.contains("INFO ( default/core ): "), log);
            assertTrue(log.contains("<28>") && log.contains("WARN ( default/core ): truncated frame"), log);
        } finally {
            listener.destroyForcibly();
            Files.deleteIfExists(devLog);
        }
    }

    /** Sum of one numeric CSV column (0-based) over the data rows. */
    static long sumColumn(String csv, int column) {
        long sum = 0;
        String[] lines = csv.split("\n");
        for (int i = 1; i < lines.length; i++) {
            sum += Long.parseLong(lines[i].split(",")[column]);
        }
        return sum;
    }
}
