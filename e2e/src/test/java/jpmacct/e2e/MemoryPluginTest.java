package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static jpmacct.e2e.MemoryFixture.TRAFFIC_PACKETS;
import static jpmacct.e2e.MemoryFixture.awaitEndOfSavefile;
import static jpmacct.e2e.MemoryFixture.awaitSocket;
import static jpmacct.e2e.MemoryFixture.expectError;
import static jpmacct.e2e.MemoryFixture.pmacct;
import static jpmacct.e2e.MemoryFixture.pmacctOn;
import static jpmacct.e2e.MemoryFixture.start;
import static jpmacct.e2e.MemoryFixture.total;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory plugin and bin/pmacct as a user runs them: queries, sockets, bad input (under traffic: MemoryUnderTrafficTest). */
class MemoryPluginTest {
    @Test
    void queriesOnASavefileWithWait(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_wait: true\nplugins: memory[m]\n"
                + "aggregate[m]: src_host, dst_host, proto\nimt_path[m]: imt.pipe\ndebug[m]: true\n")) {
            awaitEndOfSavefile(d);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("imt.pipe"))));
            assertEquals(TRAFFIC_PACKETS, total(dir));
            E2e.Result top = pmacct(dir, "-s", "-T", "bytes,3");
            assertTrue(top.stdout().endsWith("\nFor a total of: 3 entries\n"), top.stdout());
            E2e.Result json = pmacct(dir, "-c", "proto", "-M", "icmp", "-O", "json");
            assertTrue(json.stdout().startsWith("{\"ip_src\": "), json.stdout());
            assertEquals("never", pmacct(dir, "-i").stdout().strip());
            assertTrue(pmacct(dir, "-t").stdout().contains("entries: "));
            assertEquals("OK: Clearing stats.\n", pmacct(dir, "-e").stdout());
            assertEquals(0, total(dir));
            assertTrue(pmacct(dir, "-s", "-l").stdout().endsWith("\nFor a total of: 0 entries\n"));
            assertTrue(d.stderr().contains("DEBUG ( m/memory ): SHOW: "), "debug[m] logs the plugin's queries:\n" + d.stderr());
            assertFalse(d.stderr().contains("DEBUG ( default/core )"), "but not the core's debug lines");
            d.signal("TERM");
            assertEquals(0, d.waitFor(30));
            assertFalse(Files.exists(dir.resolve("imt.pipe")), "the socket is removed at exit");
        }
    }

    @Test
    void badClientInputIsRefusedClearly(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_wait: true\nplugins: memory[m]\n"
                + "aggregate[m]: proto\nimt_path[m]: imt.pipe\n")) {
            awaitSocket(d, dir);
            expectError(pmacct(dir, "-c", "foo", "-N", "1"), "ERROR: unknown primitive 'foo'");
            expectError(pmacct(dir, "-c", "src_host", "-N", "10.1.1.999"), "ERROR: src_host: Invalid IP address: '10.1.1.999'");
            expectError(pmacct(dir, "-c", "src_port", "-N", "http"), "ERROR: src_port: Invalid number: 'http'");
            expectError(pmacct(dir, "-c", "src_host,dst_host", "-N", "10.1.1.1"), "has 1 value for 2 primitives");
            expectError(pmacct(dir, "-N", "10.1.1.1"), "-c has not been specified");
            expectError(pmacct(dir, "-c", "src_host", "-N", "file:missing.txt"), "file 'missing.txt' not found");
            expectError(pmacct(dir, "-s", "-O", "xml"), "-O: 'xml' is not one of");
            expectError(pmacct(dir), "no query given");
            expectError(pmacctOn(dir, "nowhere.pipe", "-s"),
                    "ERROR: Unable to connect to 'nowhere.pipe'");
        }
    }

    @Test
    void aSocketThatIsNotOursIsNamed(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("other.pipe");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(p));
            Thread t = new Thread(() -> {
                try (SocketChannel c = other.accept()) {
                    c.write(ByteBuffer.wrap("220 hello from something else\r\n".getBytes()));
                } catch (Exception e) {
                    // the test reports through the client's output
                }
            });
            t.start();
            E2e.Result r = pmacctOn(dir, "other.pipe", "-s");
            t.join(5000);
            expectError(r, "'other.pipe' is not a jpmacct memory plugin socket");
        }
    }

    /** Garbage, a wrong version, a silent client: each answered or dropped, counted, and the daemon keeps serving. */
    @Test
    void malformedRequestsDoNotStallTheDaemon(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_wait: true\nplugins: memory[m]\n"
                + "aggregate[m]: proto\nimt_path[m]: imt.pipe\n")) {
            awaitEndOfSavefile(d);
            UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(dir.resolve("imt.pipe"));
            List<SocketChannel> silent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                silent.add(SocketChannel.open(addr)); // connect and say nothing
            }
            byte[][] bad = {
                "GET / HTTP/1.0\r\n\r\n".getBytes(),
                {'J', 'P', 'M', 'I', 9, 0, 0, 0, 0},
                {'J', 'P', 'M', 'I', 1, 0x7f, 0, 0, 0},
                ByteBuffer.allocate(13).put(new byte[] {'J', 'P', 'M', 'I', 1}).putInt(4).put("op=x".getBytes()).array(),
            };
            for (byte[] b : bad) {
                try (SocketChannel c = SocketChannel.open(addr)) {
                    c.write(ByteBuffer.wrap(b));
                    c.shutdownOutput();
                    ByteBuffer in = ByteBuffer.allocate(256);
                    while (c.read(in) > 0) {
                        // read the answer
                    }
                    in.flip();
                    assertTrue(in.remaining() >= 6, "an error answer, not silence");
                    assertNotEquals(0, in.get(5), "status is not OK");
                }
            }
            assertEquals(TRAFFIC_PACKETS, total(dir), "queries still answered while silent clients hang on");
            for (SocketChannel c : silent) {
                c.close();
            }
            d.await("bad requests logged", 30, () -> d.stderrSafe().contains("bad request"));
            assertTrue(d.alive());
        }
    }

    @Test
    void staleSocketIsReplacedAndALiveOneRefused(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("imt.pipe");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock)); // closed below without unlinking: a stale socket
        }
        assertTrue(Files.exists(sock));
        String conf = "pcap_savefile: traffic.pcap\npcap_savefile_wait: true\nplugins: memory[m]\n"
                + "aggregate[m]: proto\nimt_path[m]: imt.pipe\n";
        try (Daemon d = start(dir, conf)) {
            awaitEndOfSavefile(d);
            assertTrue(d.stderr().contains("replacing stale socket"), d.stderr());
            assertEquals(TRAFFIC_PACKETS, total(dir));

            Path second = dir.resolve("second");
            Files.createDirectory(second);
            Files.writeString(second.resolve("p.conf"), conf.replace("imt.pipe", "../imt.pipe").replace("traffic.pcap", "../traffic.pcap"));
            E2e.Result r = E2e.run(second, 60, E2e.bin("pmacctd").toString(), "-f", "p.conf");
            assertNotEquals(0, r.exit());
            assertTrue(r.stderr().contains("is served by another running daemon"), r.stderr());
            assertEquals(TRAFFIC_PACKETS, total(dir), "the first daemon still serves");
        }
    }

    @Test
    void aFullTableDropsNewKeysVisibly(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_wait: true\nplugins: memory[m]\n"
                + "aggregate[m]: src_host, dst_host\nimt_path[m]: imt.pipe\nimt_mem_pools_number[m]: 1\n"
                + "imt_mem_pools_size[m]: 640\n")) {
            awaitEndOfSavefile(d);
            E2e.Result s = pmacct(dir, "-s", "-O", "csv");
            assertEquals(11, s.stdout().split("\n").length, "header and 10 entries:\n" + s.stdout());
            assertTrue(d.stderr().contains("table full at 10 entries"), d.stderr());
            assertTrue(pmacct(dir, "-t").stdout().contains("limit: 10\n"));
        }
    }

    /** History bins keep separate rows; -I and -0 choose how timestamps print; 'file:' lists hold -N requests. */
    @Test
    void historyTimestampsAndFileLists(@TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: edge.pcap\npcap_savefile_wait: true\n"
                + "plugins: memory[m]\naggregate[m]: proto, timestamp_start\nimt_path[m]: imt.pipe\n"
                + "timestamps_secs[m]: true\nsql_history[m]: 1m\n");
        try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
            awaitEndOfSavefile(d);
            String json = pmacct(dir, "-s", "-O", "json", "-0").stdout();
            long bins = json.lines().map(l -> l.replaceAll(".*\"stamp_inserted\": \"([^\"]*)\".*", "$1")).distinct().count();
            assertEquals(3, bins, "rows of the 22:13, 22:14 and 22:15 bins stay apart:\n" + json);
            assertTrue(json.contains("\"timestamp_start\": \"2023-11-14T22:14:05.000000Z\""), "-0: RFC 3339 in UTC:\n" + json);
            String csv = pmacct(dir, "-s", "-O", "csv", "-I").stdout();
            assertTrue(csv.lines().skip(1).allMatch(l -> l.matches("[a-z0-9-]+,1[67]\\d{8}\\.000000,\\d+,\\d+")),
                    "-I prints seconds since the epoch:\n" + csv);

            Files.writeString(dir.resolve("hosts.txt"), "! one request per line\nudp\n\ntcp\n");
            String two = pmacct(dir, "-c", "proto", "-N", "file:hosts.txt", "-n", "packets").stdout();
            assertEquals(2, two.lines().count(), two);
            String both = pmacct(dir, "-c", "proto", "-N", "udp;tcp", "-n", "packets").stdout();
            assertEquals(both, two, "a file: list is the same as ';'-separated requests");
        }
    }

    @Test
    void helpAndVersionReadLikePmacct(@TempDir Path dir) throws Exception {
        E2e.Result h = E2e.run(dir, 60, E2e.bin("pmacct").toString(), "-h");
        assertEquals(0, h.exit());
        assertTrue(h.stdout().startsWith("pmacct IMT plugin client, "), h.stdout());
        for (String flag : List.of("-s", "-N", "-M", "-n", "-S", "-a", "-c", "-T", "-e", "-i", "-r", "-l", "-t", "-p",
                "-O", "-E", "-I", "-u", "-0", "-V")) {
            assertTrue(h.stdout().contains("\n  " + flag + "\t"), "usage lists " + flag);
        }
        E2e.Result v = E2e.run(dir, 60, E2e.bin("pmacct").toString(), "-V");
        assertEquals(0, v.exit());
        assertTrue(v.stdout().contains("pmacct 1.7.7 compatible"), v.stdout());
        expectError(E2e.run(dir, 60, E2e.bin("pmacct").toString(), "-x"), "invalid option -- 'x'");
    }
}
