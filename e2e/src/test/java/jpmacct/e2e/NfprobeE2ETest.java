package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pmacctd's nfprobe against real collectors, on the conformance captures pmacct 1.7.7 was recorded on: nfcapd
 * receives our v5, v9 and IPFIX exports and nfdump's rows must equal those of pmacct's own nfprobe (goldens,
 * deviations applied); tshark must decode every datagram cleanly; bin/nfacctd must read them back into what
 * pmacct's nfacctd printed and what pmacctd+print counts. The datagrams pass through a relay in the test, which
 * keeps them for tshark and the round trip and forwards them to nfcapd.
 */
class NfprobeE2ETest {
    static final String[] CASES = {"nfprobe_v5", "nfprobe_v9", "nfprobe_v10", "nfprobe_v10_l2"};

    static Stream<String> cases() {
        List<String> out = new ArrayList<>();
        for (String set : List.of("small", "edge")) {
            for (String c : CASES) {
                out.add(set + "/" + c);
            }
        }
        return out.stream();
    }

    static boolean have(String tool) {
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static void need(String tool) {
        if (!have(tool)) {
            System.err.println("SKIPPED: " + tool + " is not installed (Debian: nfdump / tshark)");
        }
        assumeTrue(have(tool), tool + " is not installed");
    }

    static Path input(String set, Path dir) throws IOException {
        Path inputs = MemoryConformanceTest.conformance().resolve("inputs");
        Path to = dir.resolve("input.pcap");
        if (Files.exists(inputs.resolve(set + ".pcap"))) {
            Files.copy(inputs.resolve(set + ".pcap"), to);
        } else {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(inputs.resolve(set + ".pcap.gz")))) {
                Files.copy(in, to);
            }
        }
        return to;
    }

    /** Receives datagrams on a loopback port, keeps them, forwards each to {@code forward} (if any). */
    static final class Relay implements AutoCloseable {
        final DatagramChannel in;
        private final int port;
        final List<byte[]> datagrams = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Relay(Integer forward) throws IOException {
            in = DatagramChannel.open();
            in.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) in.getLocalAddress()).getPort();
            DatagramChannel out = DatagramChannel.open();
            out.bind(new InetSocketAddress("127.0.0.1", 0));
            thread = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(65536);
                try {
                    while (true) {
                        b.clear();
                        in.receive(b);
                        b.flip();
                        byte[] d = new byte[b.remaining()];
                        b.get(d);
                        datagrams.add(d);
                        if (forward != null) {
                            out.send(ByteBuffer.wrap(d), new InetSocketAddress("127.0.0.1", forward));
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "relay");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return port;
        }

        /** Waits until the relay has read everything queued for it (the sender has finished). */
        void drained() throws Exception {
            Daemon.awaitSocketRead(port, () -> datagrams.size() + " datagrams read");
        }

        /** The datagrams as a classic pcap (Ethernet, IPv4 127.0.0.1 to 127.0.0.1, UDP to dstPort). */
        void writePcap(Path file, int dstPort) throws IOException {
            try (OutputStream o = Files.newOutputStream(file)) {
                ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
                h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
                o.write(h.array());
                long t = System.currentTimeMillis() / 1000;
                for (byte[] d : datagrams) {
                    int len = 14 + 20 + 8 + d.length;
                    ByteBuffer r = ByteBuffer.allocate(16 + len);
                    r.order(ByteOrder.LITTLE_ENDIAN).putInt((int) t).putInt(0).putInt(len).putInt(len);
                    r.order(ByteOrder.BIG_ENDIAN);
                    r.put(new byte[12]).putShort((short) 0x0800);
                    r.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + d.length)).putInt(0)
                            .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x7f000001).putInt(0x7f000001);
                    r.putShort((short) 40000).putShort((short) dstPort).putShort((short) (8 + d.length)).putShort((short) 0);
                    r.put(d);
                    o.write(r.array());
                }
            }
        }

        @Override
        /** Stops reading; the datagram in hand when it closes is still kept (and forwarded). */
        public void close() throws IOException {
            in.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The golden's pmacctd.conf aimed at port. */
    static void conf(Path golden, Path dir, int port, String extra) throws IOException {
        String conf = Files.readString(golden.resolve("pmacctd.conf"), StandardCharsets.UTF_8)
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + port);
        Files.writeString(dir.resolve("pmacctd.conf"), conf + "logfile: pmacctd.log\n" + extra, StandardCharsets.UTF_8);
    }

    static void pmacctd(Path dir) throws Exception {
        E2e.Result r = E2e.run(dir, 180, E2e.bin("pmacctd").toString(), "-f", "pmacctd.conf");
        assertEquals(0, r.exit(), r.stderr() + Daemon.read(dir.resolve("pmacctd.log")));
    }

    /** nfdump's CSV rows (no summary), reduced to the golden's columns, and the summary line's totals. */
    static List<String> nfdumpRows(Path file, String goldenHeader, long[] totals) throws Exception {
        Path dir = file.getParent();
        E2e.Result r = E2e.run(dir, Map.of("TZ", "UTC", "LC_ALL", "C"), 60, "nfdump", "-r", file.toString(), "-o", "csv");
        assertEquals(0, r.exit(), r.stderr());
        List<String> lines = r.stdout().lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(","));
        String[] want = goldenHeader.split(",");
        int[] pick = new int[want.length];
        for (int i = 0; i < want.length; i++) {
            pick[i] = header.indexOf(want[i]);
            assertTrue(pick[i] >= 0, "nfdump has no column " + want[i]);
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.equals("Summary")) {
                String[] t = lines.get(i + 2).split(",");
                totals[0] = Long.parseLong(t[0]);
                totals[1] = Long.parseLong(t[1]);
                totals[2] = Long.parseLong(t[2]);
                break;
            }
            String[] f = l.split(",", -1);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < pick.length; k++) {
                b.append(k == 0 ? "" : ",").append(f[pick[k]]);
            }
            out.add(b.toString());
        }
        return out;
    }

    static Path golden(String set, String c) {
        return MemoryConformanceTest.conformance().resolve("golden").resolve(set).resolve(c);
    }

    /**
     * pmacctd with the case's recorded configuration, exporting into a relay (forwarding to {@code forward} when
     * set); returns the relay, closed, once it has read everything pmacctd sent; its datagrams are in export.pcap.
     */
    static Relay export(String set, String c, Path dir, Integer forward) throws Exception {
        input(set, dir);
        Relay relay = new Relay(forward);
        try {
            conf(golden(set, c), dir, relay.port(), "");
            pmacctd(dir);
            relay.drained();
        } finally {
            relay.close();
        }
        relay.writePcap(dir.resolve("export.pcap"), relay.port());
        return relay;
    }

    /** The file nfcapd wrote into dir/nfcapd (closed when it got SIGTERM). */
    static Path nfcapdFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("nfcapd"))) {
            return s.filter(p -> p.getFileName().toString().matches("nfcapd\\.\\d{12}")).findFirst()
                    .orElseThrow(() -> new AssertionError("nfcapd wrote no file: "
                            + Daemon.read(E2e.captured(dir, "nfcapd.stderr"))));
        }
    }

    static void awaitNfcapd(Path dir) throws Exception {
        Daemon.awaitCondition("nfcapd listening", 30, () -> Daemon.read(E2e.captured(dir, "nfcapd.stderr"))
                .contains("Init IPFIX") || Daemon.read(E2e.captured(dir, "nfcapd.stdout")).contains("Init IPFIX"),
                () -> Daemon.read(E2e.captured(dir, "nfcapd.stderr")));
    }

    /** Waits until a socket is bound to 127.0.0.1:port (nfcapd may say it started before it binds). */
    static void awaitUdpBound(int port, Path dir) throws Exception {
        String local = String.format(":%04X ", port);
        Daemon.awaitCondition("a socket on port " + port, 30, () -> Daemon.read(Path.of("/proc/net/udp")).contains(local)
                || Daemon.read(Path.of("/proc/net/udp6")).contains(local), () -> Daemon.read(E2e.captured(dir, "nfcapd.stderr")));
    }

    /** Exports the case's capture through the relay to nfcapd; returns the relay (closed) with its datagrams. */
    static Relay exportToNfcapd(String set, String c, Path dir) throws Exception {
        int nfcapdPort = NfacctdConformanceTest.freePort();
        Path store = Files.createDirectories(dir.resolve("nfcapd"));
        Process nfcapd = E2e.start(dir, Map.of("TZ", "UTC"), List.of("nfcapd", "-w", store.toString(), "-p",
                Integer.toString(nfcapdPort), "-b", "127.0.0.1", "-t", "3600", "-B", "4194304"), "nfcapd");
        try {
            awaitNfcapd(dir);
            awaitUdpBound(nfcapdPort, dir);
            return export(set, c, dir, nfcapdPort);
        } finally {
            nfcapd.destroy(); // SIGTERM: nfcapd closes its file
            nfcapd.waitFor();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nfcapdRecordsWhatPmacctsNfprobeExports(String id, @TempDir Path dir) throws Exception {
        need("nfcapd");
        need("nfdump");
        String set = id.substring(0, id.indexOf('/'));
        String c = id.substring(id.indexOf('/') + 1);
        Path golden = golden(set, c);
        Relay relay = exportToNfcapd(set, c, dir);
        Path file = nfcapdFile(dir);
        List<String> expected = new ArrayList<>(Files.readAllLines(golden.resolve("nfdump.csv"), StandardCharsets.UTF_8));
        String header = expected.remove(0);
        long[] totals = new long[3];
        List<String> ours = nfdumpRows(file, header, totals);
        long[] goldenTotals = totals(expected, header);
        MemoryConformanceTest.applyDeviations(expected, MemoryConformanceTest.conformance().resolve("deviations")
                .resolve(set).resolve(c).resolve("nfdump.csv.diff"));
        long[] expectedTotals = totals(expected, header);
        assertEquals(expected.size(), totals[0], id + ": flows in nfdump's summary");
        assertEquals(expectedTotals[1], totals[2], id + ": packets in nfdump's summary (pmacct's: " + goldenTotals[1] + ")");
        assertEquals(expectedTotals[2], totals[1], id + ": bytes in nfdump's summary (pmacct's: " + goldenTotals[2] + ")");
        Collections.sort(expected);
        List<String> sorted = new ArrayList<>(ours);
        Collections.sort(sorted);
        assertEquals(String.join("\n", expected), String.join("\n", sorted), id + ": nfdump rows");
        assertFalse(relay.datagrams.isEmpty());
        for (byte[] d : relay.datagrams) {
            assertTrue(d.length <= 1500 - 28, id + ": a datagram of " + d.length + " bytes");
        }
    }

    /** {flows, packets, bytes} of nfdump CSV rows (ipkt, ibyt columns). */
    static long[] totals(List<String> rows, String header) {
        List<String> h = Arrays.asList(header.split(","));
        int pk = h.indexOf("ipkt");
        int by = h.indexOf("ibyt");
        long[] t = {rows.size(), 0, 0};
        for (String r : rows) {
            String[] f = r.split(",");
            t[1] += Long.parseLong(f[pk]);
            t[2] += Long.parseLong(f[by]);
        }
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tsharkDecodesEveryDatagramCleanly(String id, @TempDir Path dir) throws Exception {
        need("tshark");
        String set = id.substring(0, id.indexOf('/'));
        String c = id.substring(id.indexOf('/') + 1);
        Path golden = golden(set, c);
        Relay relay = export(set, c, dir, null);
        int port = relay.port();
        Path pcap = dir.resolve("export.pcap");
        E2e.Result r = E2e.run(dir, Map.of("LC_ALL", "C"), 120, "tshark", "-n", "-r", pcap.toString(), "-d",
                "udp.port==" + port + ",cflow", "-V");
        assertEquals(0, r.exit(), r.stderr());
        String v = r.stdout();
        Files.writeString(dir.resolve("export.decode.txt"), v);
        int frames = relay.datagrams.size();
        assertEquals(frames, count(v, "Cisco NetFlow/IPFIX\n"), id + ": every datagram decoded as NetFlow/IPFIX");
        for (String bad : List.of("Malformed", "malformed", "Expert Info", "no template", "Unknown template",
                "unknown template", "[Data (", "Data FlowSet (Template Id): ")) {
            assertFalse(v.contains(bad), id + ": tshark says '" + bad + "'; see " + dir.resolve("export.decode.txt"));
        }
        int version = c.equals("nfprobe_v5") ? 5 : c.equals("nfprobe_v9") ? 9 : 10;
        assertEquals(frames, count(v, "Version: " + version + "\n"), id + ": version in every header");
        if (version != 5) {
            assertTrue(count(v, "Template Id: 1024\n") >= 1 && count(v, "Template Id: 2048\n") >= 1,
                    id + ": IPv4 and IPv6 templates");
            // templates go again every 18 datagrams
            int expectedTemplates = (frames + 17) / 18;
            assertEquals(expectedTemplates, count(v, "Template Id: 2049\n"), id + ": template refreshes");
        }
        assertEquals(0, r.stderr().lines().filter(l -> l.contains("cflow") || l.contains("Malformed")).count(), r.stderr());
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Round trip: the exports replayed into bin/nfacctd with the golden's nfacctd.conf print what pmacct's nfacctd
     * printed from pmacct's exports (deviations applied), and, keyed by the 5-tuple and tos, what pmacctd+print
     * counts on the same capture.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nfacctdReadsBackWhatPmacctdCounts(String id, @TempDir Path dir) throws Exception {
        String set = id.substring(0, id.indexOf('/'));
        String c = id.substring(id.indexOf('/') + 1);
        Path golden = golden(set, c);
        Relay relay = export(set, c, dir, null);
        int port = relay.port();
        Files.writeString(dir.resolve("nfacctd.conf"), Files.readString(golden.resolve("nfacctd.conf"))
                + "\nlogfile: nfacctd.log\n", StandardCharsets.UTF_8);
        E2e.Result r = E2e.run(dir, Map.of("TZ", "UTC"), 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr() + Daemon.read(dir.resolve("nfacctd.log")));
        List<String> ours = Files.readAllLines(dir.resolve("collector_nfacctd.csv"));
        NfacctdConformanceTest.compare(set + "/" + c, "collector_nfacctd.csv", golden, ours);

        // pmacctd+print on the same capture, the nfacctd side re-aggregated to its key
        String agg = "src_host,dst_host,src_port,dst_port,proto,tos";
        Files.writeString(dir.resolve("print.conf"), "daemonize: false\npcap_savefile: input.pcap\nplugins: print[p]\n"
                + "aggregate[p]: " + agg + "\nprint_output[p]: csv\nprint_output_file[p]: print.csv\n"
                + "print_refresh_time[p]: 3600\nlogfile: print.log\n", StandardCharsets.UTF_8);
        r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "print.conf");
        assertEquals(0, r.exit(), r.stderr());
        Map<String, long[]> direct = sums(Files.readAllLines(dir.resolve("print.csv")), 6, c.equals("nfprobe_v5"));
        Map<String, long[]> roundTrip = sums(ours, -1, false);
        assertEquals(render(direct), render(roundTrip), id + ": nfacctd's counts equal pmacctd+print's");
    }

    /**
     * Per "src,dst,sport,dport,proto,tos": packets and bytes. ICMP destination ports are zeroed (the probe carries
     * type and code there, pmacctd's print does not); v5 cannot carry IPv6, so those rows are dropped.
     */
    static Map<String, long[]> sums(List<String> csv, int keyColumns, boolean ipv4Only) {
        Map<String, long[]> out = new TreeMap<>();
        List<String> header = Arrays.asList(csv.get(0).split(","));
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            String src = f[header.indexOf("SRC_IP")];
            String proto = f[header.indexOf("PROTOCOL")];
            if (ipv4Only && src.contains(":")) {
                continue;
            }
            boolean icmp = proto.equals("icmp") || proto.equals("ipv6-icmp");
            String key = String.join(",", src, f[header.indexOf("DST_IP")], f[header.indexOf("SRC_PORT")],
                    icmp ? "0" : f[header.indexOf("DST_PORT")], proto, f[header.indexOf("TOS")]);
            long[] v = out.computeIfAbsent(key, k -> new long[2]);
            v[0] += Long.parseLong(f[header.indexOf("PACKETS")]);
            v[1] += Long.parseLong(f[header.indexOf("BYTES")]);
        }
        return out;
    }

    static String render(Map<String, long[]> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
        return b.toString();
    }

    /**
     * The seed tutorial: a bridge between two namespaces, bin/pmacctd daemonized on it with the README's
     * configuration, traffic across, SIGTERM; nfcapd must hold every packet as flows.
     */
    @Test
    void bridgeBetweenNamespacesExportsToNfcapd(@TempDir Path dir) throws Exception {
        if (!Netns.available()) {
            System.err.println("SKIPPED: the bridge scenario needs root and 'ip netns'");
        }
        assumeTrue(Netns.available(), "SKIPPED: the bridge scenario needs root and 'ip netns'");
        need("nfcapd");
        need("nfdump");
        int nfcapdPort = NfacctdConformanceTest.freePort();
        Path store = Files.createDirectories(dir.resolve("nfcapd"));
        Process nfcapd = E2e.start(dir, Map.of("TZ", "UTC"), List.of("nfcapd", "-w", store.toString(), "-p",
                Integer.toString(nfcapdPort), "-b", "127.0.0.1", "-t", "3600"), "nfcapd");
        long pid = -1;
        try (Netns net = new Netns()) {
            awaitNfcapd(dir);
            Files.writeString(dir.resolve("pmacctd.conf"), "daemonize: true\ninterface: " + net.bridge + "\n"
                    + "aggregate: src_host, dst_host, src_port, dst_port, proto, tos\nplugins: nfprobe\n"
                    + "nfprobe_receiver: 127.0.0.1:" + nfcapdPort + "\nnfprobe_version: 10\n"
                    + "nfprobe_timeouts: tcp=30:maxlife=60\npidfile: " + dir.resolve("p.pid") + "\nlogfile: "
                    + dir.resolve("pmacctd.log") + "\n", StandardCharsets.UTF_8);
            E2e.Result r = E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-f", "pmacctd.conf");
            assertEquals(0, r.exit(), r.stderr() + Daemon.read(dir.resolve("pmacctd.log")));
            pid = Long.parseLong(Files.readString(dir.resolve("p.pid")).strip());
            String jstack = Daemon.threadDump(pid);
            assertTrue(jstack.contains("\"Netflow Probe Plugin [default_nfprobe]\""), jstack);
            assertTrue(jstack.contains("\"Core Process [default]\""), jstack);
            net.spawn(net.nsB, "python3", "-c", "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
                    + "s.bind(('" + Netns.B + "',5005))\nwhile True: s.recv(2000)");
            net.awaitListening(net.nsB, true, 5005);
            net.exec(net.nsA, "ping -c 5 -i 0.2 -s 56 " + Netns.B);
            net.run(net.nsA, "python3", "-c", "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                    + "for i in range(20): s.sendto(b'x'*100,('" + Netns.B + "',5005))");
            Daemon.signal(pid, "TERM"); // a stopping pmacctd first reads what the kernel captured
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            for (int i = 0; h != null && h.isAlive() && i < 600; i++) {
                Thread.sleep(100);
            }
            assertFalse(h != null && h.isAlive(), "pmacctd still running 60 s after SIGTERM");
            pid = -1;
            Daemon.awaitSocketRead(nfcapdPort, () -> Daemon.read(E2e.captured(dir, "nfcapd.stderr")));
        } finally {
            if (pid > 0) {
                Daemon.signal(pid, "KILL");
            }
            nfcapd.destroy();
            nfcapd.waitFor();
        }
        Path file = nfcapdFile(dir);
        long[] totals = new long[3];
        List<String> rows = nfdumpRows(file, "sa,da,dp,pr,ipkt,ibyt", totals);
        Map<String, long[]> byPair = new TreeMap<>();
        for (String row : rows) {
            String[] f = row.split(",");
            long[] v = byPair.computeIfAbsent(f[0] + "," + f[1] + "," + f[3], k -> new long[2]);
            v[0] += Long.parseLong(f[4]);
            v[1] += Long.parseLong(f[5]);
        }
        String all = String.join("\n", rows) + "\n" + Daemon.read(dir.resolve("pmacctd.log"));
        assertEquals("5 420", pair(byPair, Netns.A + "," + Netns.B + ",ICMP"), "echo requests\n" + all);
        assertEquals("5 420", pair(byPair, Netns.B + "," + Netns.A + ",ICMP"), "echo replies\n" + all);
        assertEquals("20 2560", pair(byPair, Netns.A + "," + Netns.B + ",UDP"), "UDP datagrams\n" + all);
    }

    /** Live capture: a UDP flow idle past its timeout is exported by the next expiry scan, before any SIGTERM. */
    @Test
    void liveFlowsExpireOnTheirIdleTimeout(@TempDir Path dir) throws Exception {
        if (!Netns.available()) {
            System.err.println("SKIPPED: live capture needs root and 'ip netns'");
        }
        assumeTrue(Netns.available(), "SKIPPED: live capture needs root and 'ip netns'");
        Relay relay = new Relay(null);
        try (Netns net = new Netns()) {
            Files.writeString(dir.resolve("pmacctd.conf"), "interface: " + net.bridge + "\nplugins: nfprobe\n"
                    + "nfprobe_receiver: 127.0.0.1:" + relay.port() + "\nnfprobe_version: 9\n"
                    + "nfprobe_timeouts: udp=1:expint=1\npidfile: p.pid\n", StandardCharsets.UTF_8);
            try (Daemon d = Daemon.start(dir, "-f", "pmacctd.conf")) {
                d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid"))); // written once capturing
                net.run(net.nsA, "python3", "-c", "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                        + "for i in range(3): s.sendto(b'x'*100,('" + Netns.B + "',5006))");
                Daemon.awaitCondition("the UDP flow exported on its timeout", 10,
                        () -> udpFlow(relay.datagrams, 5006) != null, d::stderr);
                assertTrue(ProcessHandle.of(d.pid()).map(ProcessHandle::isAlive).orElse(false),
                        "exported while running, not at exit");
                d.signal("TERM");
                assertEquals(0, d.waitFor(60), d.stderr());
            }
        } finally {
            relay.close();
        }
        assertEquals("3 384", udpFlow(relay.datagrams, 5006), "packets and bytes of the flow");
    }

    /** "packets bytes" of the first v9 IPv4 record (template 1024) to dstPort, null when none arrived. */
    static String udpFlow(List<byte[]> datagrams, int dstPort) {
        for (byte[] d : datagrams) {
            ByteBuffer b = ByteBuffer.wrap(d);
            for (int off = 20; off + 4 <= d.length; ) {
                int id = b.getShort(off) & 0xFFFF;
                int len = b.getShort(off + 2) & 0xFFFF;
                if (len < 4) {
                    break;
                }
                for (int rec = off + 4; id == 1024 && rec + 57 <= off + len; rec += 57) {
                    if ((b.getShort(rec + 52) & 0xFFFF) == dstPort) {
                        return b.getLong(rec + 24) + " " + b.getLong(rec + 16);
                    }
                }
                off += len;
            }
        }
        return null;
    }

    /** nfprobe needs captured packets: a collector refuses it at start-up, naming itself; unsupported keys are named. */
    @Test
    void onlyPmacctdRunsNfprobe(@TempDir Path dir) throws Exception {
        E2e.Result r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-P", "nfprobe", "-l", "0");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("plugin type 'nfprobe' is not available in nfacctd: "), r.stderr());
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: x.pcap\nplugins: nfprobe\nnfprobe_ipprec: true\n",
                StandardCharsets.UTF_8);
        r = E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-f", "p.conf");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("p.conf:3: key 'nfprobe_ipprec' is not supported yet"), r.stderr());
    }

    static String pair(Map<String, long[]> m, String key) {
        long[] v = m.get(key);
        return v == null ? "none" : v[0] + " " + v[1];
    }
}
