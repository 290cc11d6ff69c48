package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jpmacct.core.primitive.Column;

/**
 * The memory plugin case recorded from pmacct 1.7.7: bin/pmacctd on the same pcap with the same configuration,
 * then every recorded {@code pmacct} query through the real socket, in the recorded order (the clear comes last
 * but one). Outputs compare as pmacct's normalisation says: rows as multisets where pmacct's order is its hash
 * order, exactly otherwise; for -T, rows tied on the sort counter may come in any order. Rows that differ because
 * pmacct miscounts are listed in {@code deviations/}, each tied to docs/COMPATIBILITY.md.
 */
class MemoryConformanceTest {

    /** One recorded query: its arguments, the golden file and how it was normalised. */
    record Query(List<String> args, String file, String mode) {
    }

    static Path conformance() {
        return E2e.root().resolve("pmacctd/src/test/resources/conformance");
    }

    static List<Query> queries(Path cmdTxt) throws Exception {
        List<Query> out = new ArrayList<>();
        for (String l : Files.readAllLines(cmdTxt)) {
            if (!l.startsWith("pmacct ")) {
                continue;
            }
            String mode = l.substring(l.indexOf("# normalisation: ") + 17).strip();
            String cmd = l.substring(0, l.indexOf(" > "));
            String file = l.substring(l.indexOf(" > ") + 3, l.indexOf('#')).strip();
            out.add(new Query(shellWords(cmd.substring("pmacct ".length())), file, mode));
        }
        return out;
    }

    /** Splits a command line on blanks, honouring single quotes. */
    static List<String> shellWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString());
        }
        return out;
    }

    /**
     * memory_5tuple comes from the project's recorded cases; memory_client_flags was recorded from pmacct 1.7.7 by
     * conformance/record-memory-client-flags.sh for the flags memory_5tuple leaves out.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"edge, memory_5tuple", "small, memory_5tuple", "edge, memory_client_flags", "small, memory_client_flags"})
    void clientOutputEqualsPmacct(String pcap, String recorded, @TempDir Path dir) throws Exception {
        Path golden = conformance().resolve("golden").resolve(pcap).resolve(recorded);
        Path inputs = conformance().resolve("inputs");
        if (Files.exists(inputs.resolve(pcap + ".pcap"))) {
            Files.copy(inputs.resolve(pcap + ".pcap"), dir.resolve("input.pcap"));
        } else {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(inputs.resolve(pcap + ".pcap.gz")))) {
                Files.copy(in, dir.resolve("input.pcap"));
            }
        }
        Files.copy(golden.resolve("pmacctd.conf"), dir.resolve("pmacctd.conf"));
        try (var lists = Files.newDirectoryStream(golden, "*.lst")) { // file: lists of -N/-M
            for (Path l : lists) {
                Files.copy(l, dir.resolve(l.getFileName()));
            }
        }
        Path deviations = conformance().resolve("deviations").resolve(pcap).resolve(recorded);
        try (Daemon d = Daemon.start(dir, "-f", "pmacctd.conf")) {
            d.await("end of savefile", 60, () -> Daemon.read(E2e.captured(dir, ".stderr")).contains("savefile done"));
            for (Query q : queries(golden.resolve("cmd.txt"))) {
                List<String> cmd = new ArrayList<>(List.of(E2e.bin("pmacct").toString()));
                cmd.addAll(q.args());
                E2e.Result r = E2e.run(dir, 60, cmd.toArray(new String[0]));
                assertEquals(0, r.exit(), q + ": " + r.stderr());
                List<String> ours = lines(r.stdout());
                List<String> expected = lines(Files.readString(golden.resolve(q.file())));
                applyDeviations(expected, deviations.resolve(q.file() + ".diff"));
                if (q.args().contains("-a") && q.mode().equals("csv")) {
                    expected = allFieldsAsThisBuildPrintsThem(expected);
                }
                compare(q, expected, ours);
            }
        }
    }

    private static List<String> lines(String text) {
        return new ArrayList<>(Arrays.asList(text.split("\n", -1)).subList(0, text.isEmpty() ? 0 : text.split("\n", -1).length - 1));
    }

    private static void compare(Query q, List<String> expected, List<String> ours) {
        String top = topCounter(q.args());
        if (q.mode().equals("raw") && top == null) {
            assertEquals(String.join("\n", expected), String.join("\n", ours), q.toString());
            return;
        }
        boolean header = !q.mode().equals("lines");
        if (header) {
            assertEquals(expected.get(0), ours.get(0), q + ": header");
        }
        List<String> e = new ArrayList<>(expected.subList(header ? 1 : 0, expected.size()));
        List<String> o = new ArrayList<>(ours.subList(header ? 1 : 0, ours.size()));
        if (top != null) {
            topRows(q, e, o, top);
            return;
        }
        Collections.sort(e);
        Collections.sort(o);
        assertEquals(String.join("\n", e), String.join("\n", o), q.toString());
    }

    private static String topCounter(List<String> args) {
        int i = args.indexOf("-T");
        return i < 0 ? null : args.get(i + 1).split(",")[0];
    }

    /**
     * -T: the same rows sorted by the counter (largest first) and the same trailer; rows tied on the counter may
     * come in any order, and among those tied at the cut of a top N any may be chosen.
     */
    private static void topRows(Query q, List<String> expected, List<String> ours, String counter) {
        assertEquals(trailer(expected), trailer(ours), q + ": trailer");
        List<String> e = new ArrayList<>(expected);
        List<String> o = new ArrayList<>(ours);
        e.removeAll(trailer(expected));
        o.removeAll(trailer(ours));
        e.sort((a, b) -> Long.compare(value(b, counter.equals("packets") ? 2 : 1), value(a, counter.equals("packets") ? 2 : 1)));
        int col = counter.equals("packets") ? 2 : 1; // counted from the end of the row
        long[] ev = values(e, col);
        long[] ov = values(o, col);
        assertEquals(Arrays.toString(ev), Arrays.toString(ov), q + ": " + counter + " in order");
        long cut = ov.length == 0 ? 0 : ov[ov.length - 1];
        e.removeIf(r -> value(r, col) == cut);
        o.removeIf(r -> value(r, col) == cut);
        Collections.sort(e);
        Collections.sort(o);
        assertEquals(String.join("\n", e), String.join("\n", o), q + ": rows above the last tie");
    }

    /** The blank line and "For a total of" line that close a formatted table. */
    private static List<String> trailer(List<String> lines) {
        return lines.stream().filter(l -> l.isEmpty() || l.startsWith("For a total of: ")).toList();
    }

    private static long[] values(List<String> rows, int col) {
        return rows.stream().mapToLong(r -> value(r, col)).toArray();
    }

    private static long value(String row, int fromEnd) {
        String[] f = row.trim().split("\\s+");
        return Long.parseLong(f[f.length - fromEnd]);
    }

    /** pmacct 1.7.7's form of an unset timestamp, and this build's (the print plugin's). */
    static final String PMACCT_UNSET_TIMESTAMP = "1970-01-01T00:00:00.000000Z";
    static final String UNSET_TIMESTAMP = "0000-00-00T00:00:00.000000Z";

    /**
     * The golden {@code -a -O csv} rows as this build prints them, with the documented deviations applied: pmacct
     * 1.7.7 prints 77 values under 72 headers (D7), so its rows are read with the layout of its code (CLASS
     * before LABEL; MPLS_VPN_RD and MPLS_PW_ID after PEER_DST_IP, SRC_NET after SRC_IP, DST_NET after DST_IP and
     * VXLAN after TUNNEL_DST_PORT, all without a header); each of this build's columns takes the value pmacct
     * printed for it, and unset timestamps take this build's form. Columns pmacct has and this build does not
     * (BGP, NAT, tunnels, ...) are dropped.
     */
    static List<String> allFieldsAsThisBuildPrintsThem(List<String> golden) {
        List<String> valueNames = pmacctAllFieldsValueNames(Arrays.asList(golden.get(0).split(",")));
        List<String> ours = new ArrayList<>();
        for (Column c : Column.clientOrder(Arrays.asList(Column.values()))) { // the client's order, as pmacct's
            ours.add(c.header());
        }
        ours.addAll(List.of("PACKETS", "FLOWS", "BYTES"));
        assertTrue(valueNames.containsAll(ours), "every column of this build is among pmacct's -a values");
        List<String> out = new ArrayList<>(List.of(String.join(",", ours)));
        for (String row : golden.subList(1, golden.size())) {
            String[] v = row.split(",", -1);
            assertEquals(valueNames.size(), v.length, "values in pmacct's -a row: " + row);
            Map<String, String> byName = new HashMap<>();
            for (int i = 0; i < v.length; i++) {
                byName.put(valueNames.get(i), valueNames.get(i).startsWith("TIMESTAMP_") && v[i].equals(PMACCT_UNSET_TIMESTAMP)
                        ? UNSET_TIMESTAMP : v[i]);
            }
            out.add(String.join(",", ours.stream().map(byName::get).toList()));
        }
        return out;
    }

    /** The names of the values in a row of pmacct 1.7.7's {@code -a} CSV, from its header (see above). */
    static List<String> pmacctAllFieldsValueNames(List<String> header) {
        List<String> names = new ArrayList<>();
        for (String h : header) {
            names.add(switch (h) {
                case "LABEL" -> "CLASS";
                case "CLASS" -> "LABEL";
                default -> h;
            });
            switch (h) {
                case "PEER_DST_IP" -> names.addAll(List.of("MPLS_VPN_RD", "MPLS_PW_ID"));
                case "SRC_IP" -> names.add("SRC_NET");
                case "DST_IP" -> names.add("DST_NET");
                case "TUNNEL_DST_PORT" -> names.add("VXLAN");
                default -> {
                }
            }
        }
        return names;
    }

    /** Removes the "-" lines (each must be present) and adds the "+" lines of a deviation file. */
    static void applyDeviations(List<String> expected, Path diff) throws Exception {
        if (!Files.exists(diff)) {
            return;
        }
        for (String l : Files.readAllLines(diff, StandardCharsets.UTF_8)) {
            if (l.startsWith("-")) {
                assertTrue(expected.remove(l.substring(1)), diff + ": line to remove is not in the golden: " + l);
            } else if (l.startsWith("+")) {
                expected.add(l.substring(1));
            }
        }
    }
}
