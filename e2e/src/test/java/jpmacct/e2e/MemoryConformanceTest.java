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
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"edge", "small"})
    void clientOutputEqualsPmacct(String pcap, @TempDir Path dir) throws Exception {
        Path golden = conformance().resolve("golden").resolve(pcap).resolve("memory_5tuple");
        Path inputs = conformance().resolve("inputs");
        if (Files.exists(inputs.resolve(pcap + ".pcap"))) {
            Files.copy(inputs.resolve(pcap + ".pcap"), dir.resolve("input.pcap"));
        } else {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(inputs.resolve(pcap + ".pcap.gz")))) {
                Files.copy(in, dir.resolve("input.pcap"));
            }
        }
        Files.copy(golden.resolve("pmacctd.conf"), dir.resolve("pmacctd.conf"));
        Path deviations = conformance().resolve("deviations").resolve(pcap).resolve("memory_5tuple");
        try (Daemon d = Daemon.start(dir, "-f", "pmacctd.conf")) {
            d.await("end of savefile", 60, () -> Daemon.read(E2e.captured(dir, ".stderr")).contains("savefile done"));
            for (Query q : queries(golden.resolve("cmd.txt"))) {
                List<String> cmd = new ArrayList<>(List.of(E2e.bin("pmacct").toString()));
                cmd.addAll(q.args());
                E2e.Result r = E2e.run(dir, 60, cmd.toArray(new String[0]));
                assertEquals(0, r.exit(), q + ": " + r.stderr());
                List<String> ours = lines(r.stdout());
                if (q.args().contains("-a")) {
                    allFieldsAligned(ours);
                    continue;
                }
                List<String> expected = lines(Files.readString(golden.resolve(q.file())));
                applyDeviations(expected, deviations.resolve(q.file() + ".diff"));
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

    /** pmacct 1.7.7's -a prints 76 values under 72 headers; here every column has its header (D7). */
    private static void allFieldsAligned(List<String> csv) {
        List<String> headers = new ArrayList<>();
        for (Column c : Column.values()) {
            headers.add(c.header());
        }
        headers.addAll(List.of("PACKETS", "FLOWS", "BYTES"));
        assertEquals(String.join(",", headers), csv.get(0));
        for (String row : csv.subList(1, csv.size())) {
            assertEquals(headers.size(), row.split(",", -1).length, row);
        }
        assertTrue(csv.size() > 1, "rows present");
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
