package jpmacct.client;

import static jpmacct.core.plugin.PmacctGoldens.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jpmacct.core.imt.RecordedQueries;
import jpmacct.core.imt.RecordedQueries.Query;
import jpmacct.core.plugin.PluginHarness;
import jpmacct.core.plugin.PmacctGoldens;

/**
 * The {@code pmacct} client: its flags checked before it connects, and its answers from a memory plugin run in the
 * plugin harness, compared with what pmacct 1.7.7's client printed for the same table (memory goldens).
 */
class PmacctClientTest {

    /** What a run printed and returned. */
    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) throws PmacctClient.ClientError {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PmacctClient.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String refused(String... args) {
        return assertThrows(PmacctClient.ClientError.class, () -> run(args), String.join(" ", args)).getMessage();
    }

    @Test
    void optionsGetoptRefusesComeWithTheUsage() throws Exception {
        for (String[] args : new String[][] {{"-x"}, {"-s", "-p"}, {"-s", "extra"}}) {
            Run r = run(args);
            assertEquals(1, r.status(), String.join(" ", args));
            assertEquals("", r.out());
            assertTrue(r.err().contains("Usage: pmacct [query]"), r.err());
        }
        assertTrue(run("-x").err().startsWith("ERROR: invalid option -- 'x'\n"));
        assertTrue(run("-s", "-p").err().startsWith("ERROR: option requires an argument -- 'p'\n"));
        assertTrue(run("-s", "extra").err().startsWith("ERROR: unexpected argument 'extra'\n"));
    }

    @Test
    void helpAndVersionNeedNoDaemon() throws Exception {
        Run help = run("-h");
        assertEquals(0, help.status());
        assertEquals(PmacctClient.usage(), help.out());
        Run version = run("-V", "-p", "/nonexistent/socket");
        assertEquals(PmacctClient.VERSION + "\n", version.out());
    }

    @Test
    void queriesAreValidatedBeforeConnecting(@TempDir Path dir) {
        String nowhere = dir.resolve("nowhere.pipe").toString();
        assertEquals("no query given: one of -s, -N, -M, -e, -i, -t (see pmacct -h)", refused("-p", nowhere));
        assertEquals("give one query at a time: -s, -N, -M, -i and -t exclude each other", refused("-s", "-t"));
        assertEquals("-N or -M selected but -c has not been specified or is invalid.", refused("-N", "10.0.0.1"));
        assertTrue(refused("-c", "src_host,bogus", "-M", "10.0.0.1").contains("bogus"));
        assertTrue(refused("-c", "src_host", "-N", "not-an-address").contains("not-an-address"));
        assertEquals("-n: 'octets' is not one of bytes, packets, flows, all", refused("-c", "proto", "-N", "tcp", "-n", "octets"));
        assertEquals("-T: 'x' is not a number of entries", refused("-s", "-T", "bytes,x"));
        assertEquals("-T: the number of entries cannot be negative", refused("-s", "-T", "bytes,-1"));
        assertEquals("-O: 'xml' is not one of formatted, csv, json, event_formatted, event_csv", refused("-s", "-O", "xml"));
        assertEquals("-E option expects a single char as separator", refused("-s", "-O", "csv", "-E", "ab"));
        assertEquals("-C (classifiers table) is not supported by this build", refused("-C"));
        assertEquals("-U (custom primitives table) is not supported by this build", refused("-U"));
        assertEquals("file '" + dir.resolve("missing.lst") + "' not found",
                refused("-c", "src_host", "-M", "file:" + dir.resolve("missing.lst")));
        assertEquals("no values to match in ';'", refused("-c", "src_host", "-M", ";"));
    }

    @Test
    void aSocketNobodyServesIsNamed(@TempDir Path dir) throws Exception {
        Path stale = dir.resolve("stale.pipe");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale)); // closed without unlinking
        }
        assertTrue(refused("-p", stale.toString(), "-s").startsWith("Connection refused while trying to connect to '"
                + stale + "': nothing listens on this socket"));
        Files.writeString(dir.resolve("file.pipe"), "not a socket\n");
        assertTrue(refused("-p", dir.resolve("file.pipe").toString(), "-s").endsWith("it is a regular file, not a socket "
                + "(-p takes the memory plugin's imt_path)"));
        assertTrue(refused("-p", dir.toString(), "-s").contains("it is a directory, not a socket"));
        assertTrue(refused("-p", dir.resolve("missing.pipe").toString(), "-s").endsWith(": no such socket (is the "
                + "memory plugin running?)"));
    }

    @Test
    void anUnknownTopCounterIsWarnedAboutAndIgnored(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.start("plugins: memory[m]", "aggregate[m]: proto",
                "imt_path[m]: " + dir.resolve("imt.pipe"))) {
            Run r = run("-p", dir.resolve("imt.pipe").toString(), "-s", "-T", "octets,2", "-O", "csv");
            assertEquals(0, r.status());
            assertEquals("WARN: -T, ignoring unknown counter type: octets.\n", r.err());
            assertEquals("PROTOCOL,PACKETS,BYTES\n", r.out());
        }
    }

    /**
     * Every query pmacct 1.7.7's client was recorded answering, in the recorded order (clears included), asked of a
     * memory plugin holding the same table; -p and file: lists point where this test keeps them.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"edge, memory_5tuple", "small, memory_5tuple", "edge, memory_client_flags", "small, memory_client_flags"})
    void recordedQueriesAnswerAsPmacct(String pcap, String recorded, @TempDir Path dir) throws Exception {
        Path golden = golden(pcap, recorded);
        Path socket = dir.resolve("imt.pipe");
        List<String> conf = new ArrayList<>();
        for (String l : PmacctGoldens.configuration(golden)) {
            conf.add(l.startsWith("imt_path[m]: ") ? "imt_path[m]: " + socket : l);
        }
        try (PluginHarness h = PluginHarness.start(conf.toArray(new String[0]))) {
            h.feed(PmacctGoldens.records(golden(pcap, "memory_5tuple").resolve("s_csv.out"), h.now()));
            List<Query> queries = RecordedQueries.queries(golden.resolve("cmd.txt"));
            assertTrue(queries.size() >= 13, queries.size() + " queries");
            for (Query q : queries) {
                List<String> args = new ArrayList<>();
                for (String a : q.args()) {
                    args.add(a.equals("imt.pipe") ? socket.toString()
                            : a.startsWith("file:") ? "file:" + golden.resolve(a.substring(5)) : a);
                }
                Run r = run(args.toArray(new String[0]));
                assertEquals(0, r.status(), q + ": " + r.err());
                List<String> expected = RecordedQueries.lines(Files.readString(golden.resolve(q.file())));
                if (q.args().contains("-a") && q.mode().equals("csv")) {
                    expected = RecordedQueries.allFieldsAsThisBuildPrintsThem(expected);
                }
                RecordedQueries.assertSameAnswer(q, expected, RecordedQueries.lines(r.out()));
            }
        }
    }
}
