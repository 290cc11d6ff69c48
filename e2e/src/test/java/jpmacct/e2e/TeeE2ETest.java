package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nfacctd and sfacctd with the tee plugin as a user runs them: datagrams replicated byte for byte to plain UDP
 * receivers and to other nfacctd instances, balanced per exporter or round robin, selected by pre_tag_map tags,
 * a dead receiver, bad receiver files, and transparent replication as root.
 */
class TeeE2ETest {
    private static final String CISCO_V9 = "101-NFv9-CISCO-cust_primitives";
    private static final String AGGREGATE = "src_host, dst_host, src_port, dst_port, proto, tos, in_iface, out_iface";

    /** A plain UDP socket on 127.0.0.1 keeping every datagram with its source, in arrival order. */
    static final class Receiver implements AutoCloseable {
        final DatagramChannel channel;
        final List<byte[]> datagrams = Collections.synchronizedList(new ArrayList<>());
        final List<InetSocketAddress> sources = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Receiver() throws IOException {
            this("127.0.0.1");
        }

        Receiver(String host) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            thread = new Thread(this::run, "test receiver");
            thread.setDaemon(true);
            thread.start();
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        String address() throws IOException {
            String h = ((InetSocketAddress) channel.getLocalAddress()).getAddress().getHostAddress();
            return (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
        }

        private void run() {
            ByteBuffer b = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    b.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(b);
                    b.flip();
                    byte[] d = new byte[b.remaining()];
                    b.get(d);
                    synchronized (datagrams) {
                        datagrams.add(d);
                        sources.add(from);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        int count() {
            return datagrams.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static Daemon start(String program, Path dir, String conf) throws Exception {
        return start(program, dir, conf, NfacctdConformanceTest.UTC);
    }

    private static Daemon start(String program, Path dir, String conf, Map<String, String> env)
            throws Exception {
        Files.writeString(dir.resolve(program + ".conf"), conf, StandardCharsets.UTF_8);
        Daemon d = Daemon.program(program, dir, env, "-f", program + ".conf");
        d.await("the socket", 60, () -> log(dir, program).contains("waiting for"));
        return d;
    }

    private static String log(Path dir, String program) {
        return Daemon.read(dir.resolve(program + ".log"));
    }

    /** SIGINT: a stopping collector first reads what its socket holds, and the tee sends what its ring holds. */
    private static void stop(Daemon d) throws Exception {
        d.signal("INT");
        assertEquals(0, d.waitFor(60), d.stderr());
    }

    static String collector(String program, int port, String plugins, String... extra) {
        StringBuilder sb = new StringBuilder("daemonize: false\nlogfile: " + program + ".log\n" + program
                + "_ip: 127.0.0.1\n" + program + "_port: " + port + "\nplugins: " + plugins + "\n");
        for (String e : extra) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    private static String printing(String name) {
        return "print_refresh_time[" + name + "]: 3600\naggregate[" + name + "]: " + AGGREGATE + "\nprint_output["
                + name + "]: csv\nprint_output_file[" + name + "]: " + name + ".csv";
    }

    private static List<String> sortedLines(Path p) throws IOException {
        List<String> l = new ArrayList<>(Files.readAllLines(p, StandardCharsets.UTF_8));
        Collections.sort(l);
        return l;
    }

    private static void awaitCount(Receiver r, int n, Daemon d) throws Exception {
        d.await(n + " datagrams at a receiver (got " + r.count() + ")", 30, () -> r.count() >= n);
    }

    /**
     * One nfacctd with a tee replicating to two plain receivers (byte for byte, in order), to two more nfacctd
     * (their print output equals a direct nfacctd's) and to a port where nothing listens, next to its own print
     * plugin that still accounts everything.
     */
    @Test
    void replicatesEveryDatagramUnchanged(@TempDir Path dir) throws Exception {
        List<byte[]> sent = Replayer.payloads(NfacctdConformanceTest.capture(CISCO_V9));
        int teePort = NfacctdConformanceTest.freePort();
        int downA = NfacctdConformanceTest.freePort();
        int downB = NfacctdConformanceTest.freePort();
        int direct = NfacctdConformanceTest.freePort();
        int dead = NfacctdConformanceTest.freePort();
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path c = Files.createDirectories(dir.resolve("direct"));
        Path t = Files.createDirectories(dir.resolve("tee"));
        try (Receiver r1 = new Receiver(); Receiver r2 = new Receiver();
             Daemon da = start("nfacctd", a, collector("nfacctd", downA, "print[p]", printing("p")));
             Daemon db = start("nfacctd", b, collector("nfacctd", downB, "print[p]", printing("p")));
             Daemon dc = start("nfacctd", c, collector("nfacctd", direct, "print[p]", printing("p")))) {
            Files.writeString(t.resolve("tee_receivers.lst"), "! two copies to plain sockets\n"
                    + "id=1 ip=" + r1.address() + "," + r2.address() + "\n"
                    + "id=2 ip=127.0.0.1:" + downA + ",127.0.0.1:" + downB + "\n"
                    + "id=3 ip=127.0.0.1:" + dead + "\n");
            try (Daemon tee = start("nfacctd", t, collector("nfacctd", teePort, "tee[fanout], print[p]",
                    "tee_receivers[fanout]: tee_receivers.lst", "tee_transparent[fanout]: false", printing("p")))) {
                Replayer.send(sent, "127.0.0.2", teePort);
                Replayer.send(sent, "127.0.0.2", direct);
                awaitCount(r1, sent.size(), tee);
                awaitCount(r2, sent.size(), tee);
                stop(tee);
                String log = log(t, "nfacctd");
                assertTrue(log.contains("tee: pool 3 receiver 127.0.0.1:" + dead + ": " + sent.size()
                        + " datagrams"), log);
                assertTrue(log.contains("tee: pool 1 receiver " + r1.address() + ": " + sent.size()
                        + " datagrams"), log);
            }
            for (Receiver r : List.of(r1, r2)) {
                assertEquals(sent.size(), r.count());
                for (int i = 0; i < sent.size(); i++) {
                    assertArrayEquals(sent.get(i), r.datagrams.get(i), "datagram " + i);
                }
            }
            stop(da);
            stop(db);
            stop(dc);
            List<String> expected = sortedLines(c.resolve("p.csv"));
            assertTrue(expected.size() > 10, expected.toString());
            assertEquals(expected, sortedLines(a.resolve("p.csv")));
            assertEquals(expected, sortedLines(b.resolve("p.csv")));
            // the dead receiver did not stop the tee's own accounting
            assertEquals(expected, sortedLines(t.resolve("p.csv")));
        }
    }

    /** Datagrams naming their exporter, so a receiver can tell who sent what through the tee. */
    static List<byte[]> marked(String source, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(("exporter " + source + " datagram " + i).getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static String exporterOf(byte[] d) {
        return new String(d, StandardCharsets.US_ASCII).split(" ")[1];
    }

    @Test
    void hashAgentKeepsEachExporterOnOneReceiver(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        try (Receiver r1 = new Receiver(); Receiver r2 = new Receiver()) {
            Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=" + r1.address() + "," + r2.address()
                    + " balance-alg=hash-agent\n");
            // the per-receiver stats line every second instead of every minute
            Map<String, String> env = Map.of("TZ", "UTC", "JPMACCT_JAVA_OPTS",
                    "-Djpmacct.tee.statsMillis=1000");
            try (Daemon d = start("nfacctd", dir, collector("nfacctd", port, "tee[t]",
                    "tee_receivers: tee_receivers.lst"), env)) {
                int total = 0;
                for (int x = 2; x <= 17; x++) {
                    Replayer.send(marked("127.0.0." + x, 20), "127.0.0." + x, port);
                    total += 20;
                }
                int all = total;
                d.await("every datagram", 30, () -> r1.count() + r2.count() >= all);
                d.await("a periodic stats line", 30, () -> log(dir, "nfacctd")
                        .matches("(?s).*tee: pool 1 receiver 127\\.0\\.0\\.1:\\d+: \\d+ datagrams, \\d+ bytes sent, 0 send errors\n.*"));
                stop(d);
            }
            Set<String> at1 = new HashSet<>();
            Set<String> at2 = new HashSet<>();
            r1.datagrams.forEach(x -> at1.add(exporterOf(x)));
            r2.datagrams.forEach(x -> at2.add(exporterOf(x)));
            assertEquals(16, at1.size() + at2.size(), "each exporter on exactly one receiver: " + at1 + " " + at2);
            assertTrue(Collections.disjoint(at1, at2));
            assertTrue(!at1.isEmpty() && !at2.isEmpty(), "both receivers get some: " + at1 + " " + at2);
        }
    }

    @Test
    void roundRobinSplitsEvenlyAndTagsSelectPools(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        try (Receiver r1 = new Receiver(); Receiver r2 = new Receiver(); Receiver tagged10 = new Receiver();
             Receiver notTagged10 = new Receiver(); Receiver tagRange = new Receiver();
             Receiver evenTags = new Receiver(); Receiver oddTags = new Receiver()) {
            Files.writeString(dir.resolve("pretag.map"), "set_tag=10 ip=127.0.0.2/32\nset_tag=25 ip=127.0.0.3/32\n");
            Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=" + r1.address() + "," + r2.address()
                    + " balance-alg=rr\n"
                    + "id=2 ip=" + tagged10.address() + " tag=10\n"
                    + "id=3 ip=" + notTagged10.address() + " tag=-10\n"
                    + "id=4 ip=" + tagRange.address() + " tag=20-30\n"
                    + "id=5 ip=" + evenTags.address() + "," + oddTags.address() + " balance-alg=hash-tag\n");
            try (Daemon d = start("nfacctd", dir, collector("nfacctd", port, "tee[t]",
                    "tee_receivers: tee_receivers.lst", "pre_tag_map: pretag.map"))) {
                Replayer.send(marked("127.0.0.2", 100), "127.0.0.2", port);
                Replayer.send(marked("127.0.0.3", 60), "127.0.0.3", port);
                Replayer.send(marked("127.0.0.4", 40), "127.0.0.4", port);
                d.await("every datagram", 30, () -> r1.count() + r2.count() >= 200 && tagged10.count() >= 100
                        && notTagged10.count() >= 100 && tagRange.count() >= 60
                        && evenTags.count() + oddTags.count() >= 200);
                stop(d);
            }
            assertEquals(100, r1.count());
            assertEquals(100, r2.count());
            assertEquals(100, tagged10.count());
            tagged10.datagrams.forEach(x -> assertEquals("127.0.0.2", exporterOf(x)));
            assertEquals(100, notTagged10.count());
            notTagged10.datagrams.forEach(x -> assertNotEquals("127.0.0.2", exporterOf(x)));
            assertEquals(60, tagRange.count());
            tagRange.datagrams.forEach(x -> assertEquals("127.0.0.3", exporterOf(x)));
            // hash-tag: tag 10 and the untagged (0) on the first receiver, tag 25 on the second
            assertEquals(140, evenTags.count());
            evenTags.datagrams.forEach(x -> assertNotEquals("127.0.0.3", exporterOf(x)));
            assertEquals(60, oddTags.count());
            oddTags.datagrams.forEach(x -> assertEquals("127.0.0.3", exporterOf(x)));
        }
    }

    @Test
    void ipv6Receivers(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/net/if_inet6")), "no IPv6");
        int port = NfacctdConformanceTest.freePort();
        try (Receiver r = new Receiver("::1")) {
            Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=[::1]:" + r.port() + "\n");
            try (Daemon d = start("nfacctd", dir, collector("nfacctd", port, "tee[t]",
                    "tee_receivers: tee_receivers.lst"))) {
                List<byte[]> sent = marked("127.0.0.2", 30);
                Replayer.send(sent, "127.0.0.2", port);
                awaitCount(r, 30, d);
                stop(d);
                for (int i = 0; i < 30; i++) {
                    assertArrayEquals(sent.get(i), r.datagrams.get(i));
                }
            }
        }
    }

    /** tee_source_ip and a pool's src_port: what the receivers see as the tee's address. */
    @Test
    void sourceAddressAndPort(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        int srcPort = NfacctdConformanceTest.freePort();
        try (Receiver plain = new Receiver(); Receiver fixedPort = new Receiver()) {
            Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=" + plain.address() + "\n"
                    + "id=2 ip=" + fixedPort.address() + " src_port=" + srcPort + "\n");
            try (Daemon d = start("nfacctd", dir, collector("nfacctd", port, "tee[t]",
                    "tee_receivers: tee_receivers.lst", "tee_source_ip: 127.0.0.7"))) {
                Replayer.send(marked("127.0.0.2", 5), "127.0.0.2", port);
                awaitCount(plain, 5, d);
                awaitCount(fixedPort, 5, d);
                stop(d);
            }
            plain.sources.forEach(a -> assertEquals("127.0.0.7", a.getAddress().getHostAddress()));
            fixedPort.sources.forEach(a -> assertEquals(new InetSocketAddress("127.0.0.7", srcPort), a));
        }
    }

    /** pcap_savefile: the file's datagrams through the tee, none dropped (the reader waits for the queue). */
    @Test
    void savefileDatagramsAreReplicatedWithoutLoss(@TempDir Path dir) throws Exception {
        Path capture = NfacctdConformanceTest.capture(CISCO_V9);
        List<byte[]> sent = new ArrayList<>();
        for (int round = 0; round < 5; round++) { // 200 datagrams through a queue of 64
            sent.addAll(Replayer.payloads(capture));
        }
        try (Receiver r = new Receiver()) {
            Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=" + r.address() + "\n");
            Files.writeString(dir.resolve("nfacctd.conf"), "plugins: tee[t]\ntee_receivers: tee_receivers.lst\n"
                    + "pcap_savefile: " + capture + "\npcap_savefile_replay: 5\nplugin_pipe_size: 1\n");
            E2e.Result res = E2e.run(dir, 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
            assertEquals(0, res.exit(), res.stderr());
            Daemon.awaitCondition("every datagram", 30, () -> r.count() >= sent.size(), res::stderr);
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), r.datagrams.get(i), "datagram " + i);
            }
            assertTrue(res.stderr().contains("tee: queue full drops 0 (total)"), res.stderr());
        }
    }

    @Test
    void sfacctdReplicatesToo(@TempDir Path dir) throws Exception {
        List<byte[]> sent = Replayer.payloads(NfacctdConformanceTest.vectors().resolve("sflow-sfprobe-rate1")
                .resolve("export.pcap"));
        int port = NfacctdConformanceTest.freePort();
        try (Receiver r = new Receiver()) {
            Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=" + r.address() + "\n");
            try (Daemon d = start("sfacctd", dir, collector("sfacctd", port, "tee[t]",
                    "tee_receivers: tee_receivers.lst"))) {
                Replayer.send(sent, "127.0.0.2", port);
                awaitCount(r, sent.size(), d);
                stop(d);
            }
            assertEquals(sent.size(), r.count());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), r.datagrams.get(i), "datagram " + i);
            }
        }
    }

    @Test
    void badReceiverFilesStopTheStartAndAreRefusedOnReload(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        Path list = dir.resolve("tee_receivers.lst");
        Files.writeString(list, "id=1 ip=127.0.0.1:2100\nid=2 ip=127.0.0.1:2101 colour=blue\n");
        Files.writeString(dir.resolve("nfacctd.conf"), collector("nfacctd", port, "tee[t]",
                "tee_receivers: tee_receivers.lst").replace("logfile: nfacctd.log\n", ""));
        E2e.Result r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("tee_receivers.lst:2: unknown key 'colour'"), r.stderr());

        Files.writeString(list, "id=1 ip=127.0.0.1:2100\nid=2 ip=127.0.0.1:99999\n");
        r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("tee_receivers.lst:2: key 'ip': '127.0.0.1:99999' is not a receiver"),
                r.stderr());

        try (Receiver good = new Receiver(); Receiver added = new Receiver()) {
            Files.writeString(list, "id=1 ip=" + good.address() + "\n");
            try (Daemon d = start("nfacctd", dir, collector("nfacctd", port, "tee[t]",
                    "tee_receivers: tee_receivers.lst"))) {
                Replayer.send(marked("127.0.0.2", 10), "127.0.0.2", port);
                awaitCount(good, 10, d);
                Files.writeString(list, "id=1 ip=" + good.address() + "\nid=2 ip=not-an-address:1\n");
                d.signal("USR2");
                d.await("the refusal", 30, () -> log(dir, "nfacctd").contains("keeping the previous tee_receivers"));
                assertTrue(log(dir, "nfacctd").contains("tee_receivers.lst:2: key 'ip'"), log(dir, "nfacctd"));
                Replayer.send(marked("127.0.0.2", 10), "127.0.0.2", port);
                awaitCount(good, 20, d);
                // a good file replaces the pools
                Files.writeString(list, "id=1 ip=" + good.address() + "\nid=2 ip=" + added.address() + "\n");
                d.signal("USR2");
                d.await("the reload", 30, () -> log(dir, "nfacctd").contains("[tee_receivers.lst] map successfully (re)loaded with 2 entries."));
                Replayer.send(marked("127.0.0.2", 10), "127.0.0.2", port);
                awaitCount(good, 30, d);
                awaitCount(added, 10, d);
                stop(d);
            }
        }
    }

    @Test
    void pmacctdRefusesTee(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pmacctd.conf"), "plugins: tee[t]\ntee_receivers: x.lst\n");
        E2e.Result r = E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-f", "pmacctd.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("plugin type 'tee' is not available in pmacctd"), r.stderr());
    }

    /** As root: the receiver sees the exporter's own address and port, through the tee on 127.0.0.1. */
    @Test
    void transparentKeepsTheExporterAddress(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "raw sockets need root");
        int port = NfacctdConformanceTest.freePort();
        try (Receiver r = new Receiver(); DatagramChannel exporter = DatagramChannel.open()) {
            Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=" + r.address() + "\n");
            exporter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.5"), 0));
            int exporterPort = ((InetSocketAddress) exporter.getLocalAddress()).getPort();
            try (Daemon d = start("nfacctd", dir, collector("nfacctd", port, "tee[t]",
                    "tee_receivers: tee_receivers.lst", "tee_transparent: true"))) {
                List<byte[]> sent = marked("127.0.0.5", 20);
                for (byte[] x : sent) {
                    exporter.send(ByteBuffer.wrap(x), new InetSocketAddress("127.0.0.1", port));
                }
                awaitCount(r, 20, d);
                stop(d);
                for (int i = 0; i < 20; i++) {
                    assertArrayEquals(sent.get(i), r.datagrams.get(i));
                    assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.5"), exporterPort),
                            r.sources.get(i));
                }
            }
        }
    }

    /** Without CAP_NET_RAW (dropped from the bounding set here) the daemon stops at start and says why. */
    @Test
    void transparentWithoutCapNetRawStopsAtStart(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root and setpriv to drop the capability");
        Files.writeString(dir.resolve("tee_receivers.lst"), "id=1 ip=127.0.0.1:9\n");
        Files.writeString(dir.resolve("nfacctd.conf"), collector("nfacctd", NfacctdConformanceTest.freePort(),
                "tee[t]", "tee_receivers: tee_receivers.lst", "tee_transparent: true").replace("logfile: nfacctd.log\n", ""));
        E2e.Result r = E2e.run(dir, 60, "/usr/bin/setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw",
                E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("nfacctd.conf:6: tee_transparent[t]: tee_transparent needs CAP_NET_RAW "
                + "(raw socket): Operation not permitted"), r.stderr());
    }
}
