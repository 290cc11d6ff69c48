package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NetFlow/IPFIX captures recorded with pmacct 1.7.7 (Cisco routers and softflowd): each is replayed over
 * loopback into bin/nfacctd with the exact configuration pmacct ran with, and every output (print files, memory
 * table through bin/pmacct) must equal pmacct's; also read as pcap_savefile. Rows where pmacct is wrong are listed
 * in {@code collector/deviations/}, each tied to docs/COMPATIBILITY.md.
 */
class NfacctdConformanceTest {
    static final List<String> NETFLOW_VECTORS = List.of("100-IPFIXv10-CISCO", "101-NFv9-CISCO-cust_primitives",
            "104-IPFIXv10-IPv6-CISCO-sampling_option", "softflowd-v5", "softflowd-v9", "softflowd-v10");
    static final Map<String, String> UTC = Map.of("TZ", "UTC");

    static Path vectors() {
        try {
            return Path.of(NfacctdConformanceTest.class.getResource("/collector/vectors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path deviations() {
        return vectors().resolveSibling("deviations");
    }

    /** The capture of a vector: the router capture, or softflowd's export. */
    static Path capture(String vector) {
        Path v = vectors().resolve(vector);
        return Files.exists(v.resolve("traffic-00.pcap")) ? v.resolve("traffic-00.pcap") : v.resolve("export.pcap");
    }

    /** The source pmacct's recording replayed from: the routers as a second exporter, softflowd as itself. */
    static String source(String vector) {
        return vector.startsWith("softflowd") ? "127.0.0.1" : "127.0.0.2";
    }

    static List<String> liveCases() throws IOException {
        List<String> out = new ArrayList<>();
        for (String v : NETFLOW_VECTORS) {
            for (String g : List.of("golden", "golden-renormalize")) {
                if (Files.isDirectory(vectors().resolve(v).resolve(g))) {
                    out.add(v + "/" + g);
                }
            }
        }
        return out;
    }

    static List<String> savefileCases() {
        List<String> out = new ArrayList<>();
        for (String v : NETFLOW_VECTORS) {
            for (String g : List.of("golden-savefile", "golden-renormalize-savefile")) {
                if (Files.isDirectory(vectors().resolve(v).resolve(g))) {
                    out.add(v + "/" + g);
                }
            }
        }
        return out;
    }

    static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The recorded configuration, on a port of our own (and a savefile path, when it reads one). */
    static void prepare(Path golden, Path dir, int port, String savefile) throws IOException {
        try (var s = Files.list(golden)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".conf") || n.endsWith(".map")) {
                    Files.copy(p, dir.resolve(n));
                }
            }
        }
        Path conf = dir.resolve(Files.exists(dir.resolve("sfacctd.conf")) ? "sfacctd.conf" : "nfacctd.conf");
        String text = Files.readString(conf, StandardCharsets.UTF_8)
                .replaceAll("(?m)^(nfacctd|sfacctd)_port: .*$", "$1_port: " + port);
        if (savefile != null) {
            text = text.replaceAll("(?m)^pcap_savefile: .*$", "pcap_savefile: " + savefile);
        }
        Files.writeString(conf, text, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("liveCases")
    void replayedOutputsEqualPmacct(String id, @TempDir Path dir) throws Exception {
        String vector = id.substring(0, id.indexOf('/'));
        Path golden = vectors().resolve(id);
        int port = freePort();
        prepare(golden, dir, port, null);
        try (Daemon d = Daemon.program("nfacctd", dir, UTC, "-f", "nfacctd.conf")) {
            d.await("the socket", 60, () -> Daemon.read(dir.resolve("nfacctd.log")).contains("waiting for NetFlow/IPFIX"));
            Replayer.replay(capture(vector), source(vector), port);
            String table = stableTable(dir, d, port);
            compare(id, "memory.csv", golden, lines(table));
            compare(id, "memory.json", golden, lines(pmacct(dir, "-s", "-O", "json")));
            compare(id, "memory.formatted.txt", golden, lines(pmacct(dir, "-s")));
            d.signal("INT");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        for (String f : List.of("base.csv", "base.json", "sum_host.csv", "totals.csv", "rich.json")) {
            compare(id, f, golden, Conformance.fileLines(dir.resolve(f)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("savefileCases")
    void savefileOutputsEqualPmacct(String id, @TempDir Path dir) throws Exception {
        String vector = id.substring(0, id.indexOf('/'));
        Path golden = vectors().resolve(id);
        prepare(golden, dir, freePort(), capture(vector).toString());
        E2e.Result r = E2e.run(dir, UTC, 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr() + Daemon.read(dir.resolve("nfacctd.log")));
        for (String f : List.of("base.csv", "base.json", "rich.json")) {
            compare(id, f, golden, Conformance.fileLines(dir.resolve(f)), "traffic-00." + f);
        }
    }

    /**
     * The memory table once the collector on {@code port} has read every datagram queued for it and the table then
     * stopped changing (the last records decoded and aggregated).
     */
    static String stableTable(Path dir, Daemon d, int port) throws Exception {
        Daemon.awaitSocketRead(port, d::stderr);
        String last = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            String now = pmacct(dir, "-s", "-O", "csv");
            if (now.equals(last) && now.lines().count() > 1) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the memory table never settled; stderr:\n" + d.stderr());
    }

    static String pmacct(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(E2e.bin("pmacct").toString(), "-p", "mem.pipe"));
        cmd.addAll(List.of(args));
        E2e.Result r = E2e.run(dir, UTC, 60, cmd.toArray(new String[0]));
        assertEquals(0, r.exit(), r.stderr());
        return r.stdout();
    }

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        text.lines().filter(l -> !l.isEmpty()).forEach(out::add);
        return out;
    }

    static void compare(String id, String file, Path golden, List<String> ours) throws Exception {
        compare(id, file, golden, ours, file);
    }

    /**
     * Same rows as pmacct's (as multisets: pmacct prints in hash order), header first, deviations applied. JSON
     * lines are compared without the keys pmacct 1.8 added, which pmacct 1.7.7's recordings lack.
     */
    static void compare(String id, String file, Path golden, List<String> ours, String goldenFile) throws Exception {
        if (file.endsWith(".json")) {
            ours = withoutPmacct18Keys(ours);
        }
        List<String> expected = Conformance.fileLines(golden.resolve(goldenFile));
        String header = file.endsWith(".json") || expected.isEmpty() ? null : expected.get(0);
        if (Boolean.getBoolean("jpmacct.recordDeviations")) {
            recordDeviations(id, file, expected, ours);
        }
        MemoryConformanceTest.applyDeviations(expected, deviations().resolve(id).resolve(file + ".diff"));
        if (header != null) {
            assertEquals(header, ours.isEmpty() ? "" : ours.get(0), id + " " + file + ": header");
        }
        Collections.sort(expected);
        List<String> sorted = new ArrayList<>(ours);
        Collections.sort(sorted);
        assertEquals(String.join("\n", expected), String.join("\n", sorted), id + " " + file);
    }

    /** JSON lines without {@code mpls_vpn_rd_origin}, which pmacct 1.8 writes beside {@code mpls_vpn_rd}. */
    static List<String> withoutPmacct18Keys(List<String> jsonLines) {
        List<String> out = new ArrayList<>(jsonLines.size());
        for (String l : jsonLines) {
            out.add(RD_ORIGIN.matcher(l).replaceAll(""));
        }
        return out;
    }

    private static final Pattern RD_ORIGIN = Pattern.compile(", \"mpls_vpn_rd_origin\": \"[a-z]+\"");

    /**
     * Writes (into the source tree) the rows where ours and pmacct's differ, for a maintainer to review and tag in
     * docs/COMPATIBILITY.md: {@code -Djpmacct.recordDeviations=true}.
     */
    private static void recordDeviations(String id, String file, List<String> golden, List<String> ours) throws IOException {
        List<String> missing = new ArrayList<>(golden);
        List<String> extra = new ArrayList<>();
        for (String l : ours) {
            if (!missing.remove(l)) {
                extra.add(l);
            }
        }
        Path diff = E2e.root().resolve("e2e/src/test/resources/collector/deviations").resolve(id).resolve(file + ".diff");
        if (missing.isEmpty() && extra.isEmpty()) {
            Files.deleteIfExists(diff);
            return;
        }
        Files.createDirectories(diff.getParent());
        List<String> out = new ArrayList<>();
        missing.forEach(l -> out.add("-" + l));
        extra.forEach(l -> out.add("+" + l));
        Files.write(diff, out, StandardCharsets.UTF_8);
    }

    /** Reading the output files. */
    static final class Conformance {
        private Conformance() {
        }

        static List<String> fileLines(Path p) throws IOException {
            List<String> out = new ArrayList<>();
            if (Files.exists(p)) {
                for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (!l.isEmpty()) {
                        out.add(l);
                    }
                }
            }
            return out;
        }
    }
}
