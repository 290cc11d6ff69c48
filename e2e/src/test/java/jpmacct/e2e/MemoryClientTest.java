package jpmacct.e2e;

import static jpmacct.e2e.MemoryFixture.TRAFFIC_PACKETS;
import static jpmacct.e2e.MemoryFixture.awaitEndOfSavefile;
import static jpmacct.e2e.MemoryFixture.awaitTotal;
import static jpmacct.e2e.MemoryFixture.expectError;
import static jpmacct.e2e.MemoryFixture.pmacct;
import static jpmacct.e2e.MemoryFixture.pmacctOn;
import static jpmacct.e2e.MemoryFixture.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/pmacct's ways out (each a clear message and a non-zero exit) and flags the recorded cases leave out. */
class MemoryClientTest {

    @Test
    void aStaleSocketIsConnectionRefused(@TempDir Path dir) throws Exception {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(dir.resolve("stale.pipe"))); // closed without unlinking
        }
        expectError(pmacctOn(dir, "stale.pipe", "-s"), "ERROR: Connection refused while trying to connect to "
                + "'stale.pipe': nothing listens on this socket");
    }

    @Test
    void aFileThatIsNotASocketIsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("file.pipe"), "not a socket\n");
        expectError(pmacctOn(dir, "file.pipe", "-s"), "ERROR: Unable to connect to 'file.pipe': it is a regular file, not a socket");
        Files.createDirectory(dir.resolve("dir.pipe"));
        expectError(pmacctOn(dir, "dir.pipe", "-s"), "ERROR: Unable to connect to 'dir.pipe': it is a directory, not a socket");
        expectError(pmacctOn(dir, "missing.pipe", "-s"), "ERROR: Unable to connect to 'missing.pipe': no such socket");
    }

    /** A peer that reads the request and answers in protocol version 2: refused (status 2), or even "OK". */
    @Test
    void aDaemonOfAnotherProtocolVersionIsNamed(@TempDir Path dir) throws Exception {
        for (int status : new int[] {2, 0}) {
            Path p = dir.resolve("v2-" + status + ".pipe");
            try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                peer.bind(UnixDomainSocketAddress.of(p));
                Thread t = new Thread(() -> answerOnce(peer, new byte[] {'J', 'P', 'M', 'I', 2, (byte) status}));
                t.start();
                E2e.Result r = pmacctOn(dir, p.getFileName().toString(), "-s");
                t.join(5000);
                expectError(r, "ERROR: the daemon on '" + p.getFileName() + "' speaks memory protocol version 2, "
                        + "this client version 1");
            }
        }
    }

    private static void answerOnce(ServerSocketChannel peer, byte[] header) {
        try (SocketChannel c = peer.accept()) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
            in.readFully(new byte[5]);
            in.readFully(new byte[in.readInt()]);
            c.write(ByteBuffer.wrap(header));
            c.write(ByteBuffer.wrap("this daemon speaks protocol version 2".getBytes()));
        } catch (Exception e) {
            // the test reports through the client's output
        }
    }

    /** -E as pmacct 1.7.7 takes it: one character or \t; anything longer is refused before connecting. */
    @Test
    void aSeparatorOfMoreThanOneCharacterIsRefused(@TempDir Path dir) throws Exception {
        expectError(pmacctOn(dir, "nowhere.pipe", "-s", "-O", "csv", "-E", "ab"), "ERROR: -E option expects a single char as separator");
    }

    /**
     * -n flows with flows aggregated (pmacct 1.7.7's pmacctd crashed reading a savefile with that aggregate, so
     * there is no golden): the counters equal the FLOWS column; -e after -t, -i or -N clears and says only OK.
     */
    @Test
    void flowsCounterAndEraseJoinedToOtherQueries(@TempDir Path dir) throws Exception {
        try (Daemon d = start(dir, "pcap_savefile: traffic.pcap\npcap_savefile_wait: true\nplugins: memory[m]\n"
                + "aggregate[m]: proto, flows\nimt_path[m]: imt.pipe\n")) {
            awaitEndOfSavefile(d);
            awaitTotal(dir, "imt.pipe", TRAFFIC_PACKETS, "the table");
            String csv = pmacct(dir, "-s", "-O", "csv").stdout();
            assertEquals("PROTOCOL,PACKETS,FLOWS,BYTES", csv.lines().findFirst().orElse(""), csv);
            long flowsColumn = csv.lines().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum();
            assertTrue(flowsColumn > 0, csv);
            List<Long> perProto = pmacct(dir, "-c", "proto", "-N", "tcp;udp;icmp", "-n", "flows").stdout().lines()
                    .map(Long::parseLong).toList();
            assertEquals(3, perProto.size());
            assertEquals(flowsColumn, perProto.stream().mapToLong(Long::longValue).sum());
            String all = pmacct(dir, "-c", "proto", "-N", "tcp", "-n", "all").stdout().strip();
            assertEquals(perProto.get(0), Long.parseLong(all.split(" ")[2]), "-n all: packets bytes flows entries");

            for (List<String> q : List.of(List.of("-t", "-e"), List.of("-i", "-e"), List.of("-c", "proto", "-N", "tcp", "-e"))) {
                E2e.Result r = pmacct(dir, q.toArray(new String[0]));
                assertEquals("OK: Clearing stats.\n", r.stdout(), q + ": " + r.stderr());
                assertTrue(pmacct(dir, "-s").stdout().endsWith("For a total of: 0 entries\n"), q + " cleared the table");
            }
            expectError(pmacct(dir, "-s", "-t"), "give one query at a time");
        }
    }
}
