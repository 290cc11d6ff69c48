package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * aggregate_filter on pmacctd equals libpcap's own filtering: one pmacctd run with a filtered print plugin per
 * expression gives, plugin by plugin, what an unfiltered plugin gives on the same savefile pre-filtered by
 * tcpdump. Run on the conformance captures.
 */
class FilterConformanceTest {
    /** Expressions chosen to select something in each capture; the zone filter is the issue's own. */
    private static final List<String> EXPRESSIONS = List.of(
            "tcp",
            "udp and not port 53",
            "icmp or icmp6",
            "ip6",
            "vlan",
            "vlan and udp",
            "(tcp port 443 or udp) and not src net 192.168.1.0/24",
            "src net 192.168.1.0/24 and not dst net 192.168.1.0/24 and not ether multicast and not ip broadcast and ip",
            "greater 500",
            "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
            "ip[8] > 60",
            "ether broadcast or ether multicast",
            "src net 10.0.0.0/8",
            "not ip and not ip6",
            "ip6 and (tcp or udp) and not dst portrange 1-1023");

    private static final String AGGREGATE = "src_mac, dst_mac, vlan, src_host, dst_host, src_port, dst_port, proto, tos";

    @ParameterizedTest
    @ValueSource(strings = {"examples/edge.pcap", "examples/traffic.pcap",
            "pmacctd/src/test/resources/conformance/inputs/small.pcap.gz"})
    void perPluginFiltersEqualLibpcapPrefiltering(String capture, @TempDir Path dir) throws Exception {
        Path pcap = uncompressed(E2e.root().resolve(capture), dir);
        StringBuilder conf = new StringBuilder("pcap_savefile: " + pcap + "\nplugins: ");
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            conf.append(i == 0 ? "" : ", ").append("print[f").append(i).append(']');
        }
        conf.append('\n');
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            conf.append(plugin("f" + i)).append("aggregate_filter[f").append(i).append("]: ")
                    .append(EXPRESSIONS.get(i)).append('\n');
        }
        pmacctd(dir, "filtered.conf", conf.toString());

        List<String> differences = new ArrayList<>();
        int selective = 0;
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            Path pre = dir.resolve("pre" + i + ".pcap");
            E2e.Result t = E2e.run(dir, 120, "tcpdump", "-r", pcap.toString(), "-w", pre.toString(), EXPRESSIONS.get(i));
            assertEquals(0, t.exit(), t.stderr());
            pmacctd(dir, "pre" + i + ".conf", "pcap_savefile: " + pre + "\nplugins: print[f" + i + "u]\n"
                    + plugin("f" + i + "u"));
            String filtered = rows(dir.resolve("f" + i + ".csv"));
            String prefiltered = rows(dir.resolve("f" + i + "u.csv"));
            if (!filtered.equals(prefiltered)) {
                differences.add("'" + EXPRESSIONS.get(i) + "':\n  aggregate_filter:\n" + filtered
                        + "  tcpdump then unfiltered:\n" + prefiltered);
            }
            selective += filtered.isEmpty() ? 0 : 1;
        }
        assertEquals(List.of(), differences, capture);
        assertTrue(selective >= 8, "most expressions select something in " + capture);
    }

    /**
     * One purge at the end: purges fall on minute boundaries, and a run that crossed one on a busy machine would
     * leave only the last purge's rows in the (overwritten) file.
     */
    private static String plugin(String name) {
        return "aggregate[" + name + "]: " + AGGREGATE + "\nprint_output[" + name + "]: csv\nprint_output_file["
                + name + "]: " + name + ".csv\nprint_refresh_time[" + name + "]: 3600\n";
    }

    private static void pmacctd(Path dir, String file, String conf) throws Exception {
        Files.writeString(dir.resolve(file), conf);
        E2e.Result r = E2e.run(dir, 180, E2e.bin("pmacctd").toString(), "-f", file);
        assertEquals(0, r.exit(), r.stderr());
    }

    /** A file's rows in sorted order, header first; nothing for a file not written (no data). */
    private static String rows(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return "";
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            return "";
        }
        return lines.get(0) + "\n" + String.join("\n", new TreeSet<>(lines.subList(1, lines.size()))) + "\n";
    }

    private static Path uncompressed(Path capture, Path dir) throws IOException {
        if (!capture.toString().endsWith(".gz")) {
            return capture;
        }
        Path out = dir.resolve(capture.getFileName().toString().replaceFirst("\\.gz$", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(capture))) {
            Files.copy(in, out);
        }
        return out;
    }
}
