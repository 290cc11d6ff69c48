package jpmacct.core.imt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jpmacct.core.primitive.Column;

/**
 * The {@code pmacct} queries recorded from pmacct 1.7.7 in a memory case's cmd.txt, and how an answer compares with
 * the recorded one: as pmacct's normalisation says, rows as multisets where pmacct's order is its hash order,
 * exactly otherwise; for -T, rows tied on the sort counter may come in any order.
 */
public final class RecordedQueries {
    /** pmacct 1.7.7's form of an unset timestamp, and this build's (the print plugin's). */
    public static final String PMACCT_UNSET_TIMESTAMP = "1970-01-01T00:00:00.000000Z";
    public static final String UNSET_TIMESTAMP = "0000-00-00T00:00:00.000000Z";

    private RecordedQueries() {
    }

    /** One recorded query: its arguments, the golden file and how it was normalised. */
    public record Query(List<String> args, String file, String mode) {
    }

    /** The queries of a cmd.txt, in the recorded order. */
    public static List<Query> queries(Path cmdTxt) throws IOException {
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
    public static List<String> shellWords(String s) {
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

    /** The lines of an answer, empty ones kept (the blank line before a formatted total). */
    public static List<String> lines(String text) {
        if (text.isEmpty()) {
            return new ArrayList<>();
        }
        List<String> all = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        return all.subList(0, all.size() - 1);
    }

    /** Asserts that {@code ours} answers {@code q} as pmacct's recorded {@code expected} did. */
    public static void assertSameAnswer(Query q, List<String> expected, List<String> ours) {
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
        int col = counter.equals("packets") ? 2 : 1; // counted from the end of the row
        e.sort((a, b) -> Long.compare(value(b, col), value(a, col)));
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

    /**
     * The golden {@code -a -O csv} rows as this build prints them, with the documented deviations applied: pmacct
     * 1.7.7 prints 77 values under 72 headers (D7), so its rows are read with the layout of its code (CLASS
     * before LABEL; MPLS_VPN_RD and MPLS_PW_ID after PEER_DST_IP, SRC_NET after SRC_IP, DST_NET after DST_IP and
     * VXLAN after TUNNEL_DST_PORT, all without a header); each of this build's columns takes the value pmacct
     * printed for it, and unset timestamps take this build's form. Columns pmacct has and this build does not
     * (BGP, NAT, tunnels, ...) are dropped.
     */
    public static List<String> allFieldsAsThisBuildPrintsThem(List<String> golden) {
        List<String> valueNames = pmacctAllFieldsValueNames(Arrays.asList(golden.get(0).split(",")));
        List<String> ours = new ArrayList<>();
        for (Column c : Column.clientOrder(Column.clientAllFields())) { // the client's order, as pmacct's
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
}
