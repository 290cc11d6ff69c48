package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nfacctd as a user runs it: templates that arrive late or were learnt before a restart, several exporters at
 * once with a broken one among them, daemonized and stopped by its pidfile.
 */
class NfacctdTest {
    private static final String CISCO_V9 = "101-NFv9-CISCO-cust_primitives";
    private static final String CISCO_IPFIX = "100-IPFIXv10-CISCO";
    private static final String CISCO_IPFIX6 = "104-IPFIXv10-IPv6-CISCO-sampling_option";

    private static String conf(int port, String... extra) {
        StringBuilder sb = new StringBuilder("daemonize: false\nlogfile: nfacctd.log\nnfacctd_ip: 127.0.0.1\n")
                .append("nfacctd_port: ").append(port).append('\n')
                .append("plugins: print[base], print[totals]\nprint_refresh_time: 3600\n")
                .append("aggregate[base]: peer_src_ip, src_host, dst_host, src_port, dst_port, proto, tos, in_iface, "
                        + "out_iface, src_mask, dst_mask\nprint_output[base]: csv\nprint_output_file[base]: base.csv\n")
                .append("aggregate[totals]: peer_src_ip, export_proto_version, export_proto_sysid, flows\n")
                .append("print_output[totals]: csv\nprint_output_file[totals]: totals.csv\n");
        for (String e : extra) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    private static Daemon start(Path dir, String conf) throws Exception {
        Files.writeString(dir.resolve("nfacctd.conf"), conf, StandardCharsets.UTF_8);
        Daemon d = Daemon.program("nfacctd", dir, NfacctdConformanceTest.UTC, "-f", "nfacctd.conf");
        d.await("the socket", 60, () -> log(dir).contains("waiting for NetFlow/IPFIX"));
        return d;
    }

    private static String log(Path dir) {
        return Daemon.read(dir.resolve("nfacctd.log"));
    }

    /** SIGINT once the sender is done: a stopping collector first reads what its socket holds. */
    private static void stop(Daemon d) throws Exception {
        d.signal("INT");
        assertEquals(0, d.waitFor(60), d.stderr());
    }

    /** A file's lines, sorted (rows whose order is the hash table's). */
    static List<String> sorted(Path p) throws Exception {
        List<String> l = new ArrayList<>(NfacctdConformanceTest.Conformance.fileLines(p));
        Collections.sort(l);
        return l;
    }

    private static List<String> golden(String vector, String file) throws Exception {
        return sorted(NfacctdConformanceTest.vectors().resolve(vector).resolve("golden").resolve(file));
    }

    /** The capture's datagrams with those carrying a template (v9 set 0 or IPFIX set 2) moved to the end. */
    private static List<byte[]> templatesLast(String vector) throws Exception {
        List<byte[]> all = Replayer.payloads(NfacctdConformanceTest.capture(vector));
        List<byte[]> data = new ArrayList<>();
        List<byte[]> templates = new ArrayList<>();
        for (byte[] d : all) {
            (hasTemplate(d) ? templates : data).add(d);
        }
        assertTrue(!templates.isEmpty() && !data.isEmpty());
        data.addAll(templates);
        return data;
    }

    /** IPFIX messages with template ids (in template records and data set ids) changed as mapped. */
    private static List<byte[]> renumbered(List<byte[]> messages, Map<Integer, Integer> ids) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] m : messages) {
            byte[] d = m.clone();
            int pos = 16;
            while (pos + 4 <= d.length) {
                int set = u16(d, pos);
                int len = u16(d, pos + 2);
                if (len < 4) {
                    break;
                }
                if (set == 2) { // template records: id, count, fields (4 bytes, 8 with an enterprise number)
                    int p = pos + 4;
                    while (p + 4 <= pos + len) {
                        int count = u16(d, p + 2);
                        put16(d, p, ids.getOrDefault(u16(d, p), u16(d, p)));
                        p += 4;
                        for (int f = 0; f < count; f++) {
                            p += (u16(d, p) & 0x8000) != 0 ? 8 : 4;
                        }
                    }
                } else if (set >= 256) {
                    put16(d, pos, ids.getOrDefault(set, set));
                }
                pos += len;
            }
            out.add(d);
        }
        return out;
    }

    private static int u16(byte[] d, int p) {
        return ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
    }

    private static void put16(byte[] d, int p, int v) {
        d[p] = (byte) (v >>> 8);
        d[p + 1] = (byte) v;
    }

    private static boolean hasTemplate(byte[] d) {
        int version = ((d[0] & 0xFF) << 8) | (d[1] & 0xFF);
        int pos = version == 9 ? 20 : 16;
        while (pos + 4 <= d.length) {
            int id = ((d[pos] & 0xFF) << 8) | (d[pos + 1] & 0xFF);
            int len = ((d[pos + 2] & 0xFF) << 8) | (d[pos + 3] & 0xFF);
            if (id == (version == 9 ? 0 : 2)) {
                return true;
            }
            if (len < 4) {
                return false;
            }
            pos += len;
        }
        return false;
    }

    @Test
    void dataArrivingBeforeItsTemplateIsNotLost(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        try (Daemon d = start(dir, conf(port))) {
            Replayer.send(templatesLast(CISCO_V9), "127.0.0.2", port);
            stop(d);
        }
        // pmacct 1.7.7 drops 23 of these 51 records; every one is accounted here
        assertEquals(golden(CISCO_V9, "base.csv"), sorted(dir.resolve("base.csv")));
        assertEquals(golden(CISCO_V9, "totals.csv"), sorted(dir.resolve("totals.csv")));
        assertTrue(log(dir).matches("(?s).*without template 0 dropped / [1-9][0-9]* held.*"), log(dir));
    }

    @Test
    void templatesSurviveARestart(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        String file = "nfacctd_templates_file: " + dir.resolve("templates.json");
        try (Daemon d = start(dir, conf(port, file))) {
            Replayer.replay(NfacctdConformanceTest.capture(CISCO_V9), "127.0.0.2", port);
            stop(d);
        }
        assertTrue(Files.readString(dir.resolve("templates.json")).contains("\"id\": 313"));
        Files.delete(dir.resolve("base.csv"));
        Files.move(dir.resolve("nfacctd.log"), dir.resolve("nfacctd.log.1")); // the next start waits for its own line
        // after the restart nothing is held: the data before the template decodes with the saved one
        try (Daemon d = start(dir, conf(port, file, "nfacctd_templates_wait_buffer: 0"))) {
            Replayer.send(templatesLast(CISCO_V9), "127.0.0.2", port);
            stop(d);
        }
        assertTrue(log(dir).contains("1 saved templates loaded"), log(dir));
        assertTrue(log(dir).contains("without template 0 dropped / 0 held"), "nothing waited for a template: " + log(dir));
        assertEquals(golden(CISCO_V9, "base.csv"), sorted(dir.resolve("base.csv")));
    }

    @Test
    void exportersAtOnceWithABrokenOneAmongThem(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        List<byte[]> junk = new ArrayList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[4 + rnd.nextInt(300)];
            rnd.nextBytes(b);
            b[0] = 0;
            b[1] = (byte) (i % 2 == 0 ? 9 : 10); // NetFlow v9 / IPFIX headers over garbage
            junk.add(b);
        }
        try (Daemon d = start(dir, conf(port))) {
            Thread broken = new Thread(() -> {
                try {
                    Replayer.send(junk, "127.0.0.4", port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            broken.start();
            Replayer.replay(NfacctdConformanceTest.capture(CISCO_IPFIX), "127.0.0.2", port);
            // the second exporter's templates get the first one's ids, with other layouts: they must not mix
            Replayer.send(renumbered(Replayer.payloads(NfacctdConformanceTest.capture(CISCO_IPFIX6)),
                    Map.of(339, 264, 340, 265, 341, 260, 342, 263)), "127.0.0.3", port);
            broken.join();
            // counters as the daemon reports them once it decoded what was sent: ask until both exporters show
            d.await("the stats", 30, () -> {
                d.signalNow("USR1");
                return log(dir).contains("exporter_malformed_datagrams{exporter=\"127.0.0.4\"} = ")
                        && log(dir).contains("exporter_records{exporter=\"127.0.0.3\"} = ");
            });
            stop(d);
        }
        List<String> expected = new ArrayList<>(golden(CISCO_IPFIX, "totals.csv"));
        for (String row : golden(CISCO_IPFIX6, "totals.csv")) {
            if (!row.startsWith("PEER_SRC_IP")) {
                expected.add(row.replace("127.0.0.2,", "127.0.0.3,"));
            }
        }
        Collections.sort(expected);
        List<String> ours = new ArrayList<>();
        for (String row : sorted(dir.resolve("totals.csv"))) {
            if (!row.startsWith("127.0.0.4,")) { // whatever of the junk happened to parse
                ours.add(row);
            }
        }
        assertEquals(expected, ours);
        String stats = log(dir);
        assertTrue(stats.matches("(?s).*exporter_malformed_datagrams\\{exporter=\"127.0.0.4\"\\} = [1-9].*"), stats);
        assertTrue(stats.contains("exporter_malformed_datagrams{exporter=\"127.0.0.2\"} = 0"), stats);
        assertTrue(stats.contains("socket_kernel_drops"), stats);
    }

    @Test
    void sigtermStopsAnIdleCollectorAtOnce(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        try (Daemon d = start(dir, conf(port))) {
            Replayer.replay(NfacctdConformanceTest.capture("softflowd-v5"), "127.0.0.1", port);
            Thread.sleep(1000); // idle now: pmacct 1.7.7 would wait for the next datagram before it acts on SIGTERM
            d.signal("TERM");
            assertEquals(0, d.waitFor(20), d.stderr());
        }
        assertEquals(golden("softflowd-v5", "totals.csv"), sorted(dir.resolve("totals.csv")));
    }

    @Test
    void daemonizedAndStoppedThroughItsPidfile(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        Files.writeString(dir.resolve("nfacctd.conf"), conf(port, "pidfile: nfacctd.pid").replace("daemonize: false",
                "daemonize: true"), StandardCharsets.UTF_8);
        E2e.Result r = E2e.run(dir, NfacctdConformanceTest.UTC, 60, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr());
        Daemon.awaitCondition("the socket", 60, () -> log(dir).contains("waiting for NetFlow/IPFIX"), () -> log(dir));
        long pid = Long.parseLong(Files.readString(dir.resolve("nfacctd.pid")).strip());
        Replayer.replay(NfacctdConformanceTest.capture("softflowd-v9"), "127.0.0.1", port);
        Daemon.signal(pid, "INT"); // a stopping collector first reads what its socket holds

        Daemon.awaitCondition("the daemon to exit", 60, () -> ProcessHandle.of(pid).isEmpty(), () -> log(dir));
        assertEquals(golden("softflowd-v9", "totals.csv"), sorted(dir.resolve("totals.csv")));
        assertTrue(!Files.exists(dir.resolve("nfacctd.pid")), "pidfile removed at exit");
    }

    /**
     * nfacctd_stitching on the Cisco v9 capture read as a savefile: per entry the earliest start and the latest end
     * of its flows, the extremes of the flows printed one by one beside it. pmacct 1.7.7 prints the tcp entry with
     * timestamp_max 09:46:39 (its first flow's end: it never moves the end with whole-second times).
     */
    @Test
    void stitchingSpansEachEntrysFlows(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("nfacctd.conf"), "daemonize: false\nlogfile: nfacctd.log\npcap_savefile: "
                + NfacctdConformanceTest.capture(CISCO_V9) + "\nplugins: print[s], print[flows]\ntimestamps_utc: true\n"
                + "aggregate[s]: peer_src_ip, proto\nprint_output[s]: json\nprint_output_file[s]: s.json\n"
                + "nfacctd_stitching[s]: true\naggregate[flows]: proto, src_host, dst_host, src_port, dst_port, "
                + "timestamp_start, timestamp_end\nprint_output[flows]: csv\nprint_output_file[flows]: flows.csv\n",
                StandardCharsets.UTF_8);
        E2e.Result r = E2e.run(dir, NfacctdConformanceTest.UTC, 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr() + log(dir));
        assertEquals(List.of(
                "{\"event_type\": \"purge\", \"peer_ip_src\": \"138.187.57.55\", \"ip_proto\": \"tcp\", "
                        + "\"timestamp_min\": \"2023-02-28 09:46:39.000000\", \"timestamp_max\": \"2023-02-28 09:48:45.000000\", "
                        + "\"packets\": 53, \"bytes\": 4324}",
                "{\"event_type\": \"purge\", \"peer_ip_src\": \"138.187.57.55\", \"ip_proto\": \"udp\", "
                        + "\"timestamp_min\": \"2023-02-28 09:46:48.000000\", \"timestamp_max\": \"2023-02-28 09:47:42.000000\", "
                        + "\"packets\": 3, \"bytes\": 176}"), sorted(dir.resolve("s.json")));
        Map<String, List<String>> extremes = new TreeMap<>();
        List<String> flows = Files.readAllLines(dir.resolve("flows.csv"));
        List<String> header = List.of(flows.get(0).split(","));
        int proto = header.indexOf("PROTOCOL");
        int start = header.indexOf("TIMESTAMP_START");
        int end = header.indexOf("TIMESTAMP_END");
        for (String flow : flows.subList(1, flows.size())) {
            String[] f = flow.split(",");
            extremes.merge(f[proto], List.of(f[start], f[end]),
                    (a, b) -> List.of(min(a.get(0), b.get(0)), max(a.get(1), b.get(1))));
        }
        assertEquals(Map.of("tcp", List.of("2023-02-28 09:46:39.000000", "2023-02-28 09:48:45.000000"),
                "udp", List.of("2023-02-28 09:46:48.000000", "2023-02-28 09:47:42.000000")), extremes);
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
