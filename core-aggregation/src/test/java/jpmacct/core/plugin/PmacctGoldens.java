package jpmacct.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/**
 * The outputs recorded from pmacct 1.7.7 ({@code pmacctd/src/test/resources/conformance/golden/<pcap>/<case>}), read
 * in place from the source tree, and the records that aggregate back into a recorded table: a plugin fed those
 * records must print the table as pmacct printed it. Recorded rows are taken as they are; the deviations beside
 * the goldens concern decoding the captures, which a table rebuilt from rows does not go through.
 */
public final class PmacctGoldens {
    private static final Pattern JSON_FIELD = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|[^,}]+)");
    private static final Pattern STAMP_UPDATED = Pattern.compile("(\"stamp_updated\": )\"[^\"]*\"");

    private PmacctGoldens() {
    }

    /** The conformance directory, found above the module the tests run in. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("pmacctd/src/test/resources/conformance");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("no pmacctd/src/test/resources/conformance above " + Path.of("").toAbsolutePath());
    }

    /** One recorded case: {@code golden("edge", "print_csv_proto")}. */
    public static Path golden(String pcap, String kase) {
        return root().resolve("golden").resolve(pcap).resolve(kase);
    }

    /** A recorded case's pmacctd.conf without the lines of the capture itself (the harness feeds records instead). */
    public static List<String> configuration(Path golden) {
        List<String> out = new ArrayList<>();
        for (String l : read(golden.resolve("pmacctd.conf"))) {
            if (!l.startsWith("pcap_savefile")) {
                out.add(l);
            }
        }
        return out;
    }

    /** The non-empty lines of a file, the wall-clock {@code stamp_updated} of JSON rows replaced by a placeholder. */
    public static List<String> lines(Path file) {
        return lines(String.join("\n", read(file)));
    }

    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isEmpty()) {
                out.add(STAMP_UPDATED.matcher(l).replaceAll("$1\"<WALLCLOCK>\""));
            }
        }
        return out;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code ours} holds the rows of the golden file: the header line first (CSV and formatted), the
     * rows in any order (pmacct writes them in its hash order).
     */
    public static void assertSameTable(Path golden, String ours) {
        assertSameTable(lines(golden), ours, golden.toString());
    }

    /** As {@link #assertSameTable(Path, String)}, for the lines of a golden (JSON rows have no header). */
    public static void assertSameTable(List<String> expected, String ours, String what) {
        List<String> actual = lines(ours);
        boolean header = !expected.isEmpty() && !expected.get(0).startsWith("{");
        if (header && !actual.isEmpty()) {
            assertEquals(expected.get(0), actual.get(0), what + ": header");
        }
        assertEquals(sortedRows(expected, header), sortedRows(actual, header), what);
    }

    private static String sortedRows(List<String> lines, boolean header) {
        List<String> rows = new ArrayList<>(lines.subList(header && !lines.isEmpty() ? 1 : 0, lines.size()));
        Collections.sort(rows);
        return String.join("\n", rows);
    }

    /**
     * Records that aggregate into the rows of a recorded table (CSV, formatted text or JSON lines): one record a
     * packet, the row's bytes shared out among them, every one at {@code at}.
     */
    public static List<FlowRecord> records(Path table, Instant at) {
        List<FlowRecord> out = new ArrayList<>();
        for (Map<String, String> row : rows(table)) {
            RecordBuilder b = RecordBuilder.flow().at(at);
            long packets = 1;
            long bytes = 0;
            for (Map.Entry<String, String> f : row.entrySet()) {
                String v = f.getValue();
                switch (f.getKey()) {
                    case "SRC_IP", "ip_src" -> b.src(v);
                    case "DST_IP", "ip_dst" -> b.dst(v);
                    case "SRC_MAC", "mac_src" -> b.srcMac(v);
                    case "DST_MAC", "mac_dst" -> b.dstMac(v);
                    case "VLAN", "vlan" -> b.vlan(Integer.parseInt(v));
                    case "SRC_PORT", "port_src" -> b.srcPort(Integer.parseInt(v));
                    case "DST_PORT", "port_dst" -> b.dstPort(Integer.parseInt(v));
                    case "PROTOCOL", "ip_proto" -> b.proto(v);
                    case "TOS", "tos" -> b.tos(Integer.parseInt(v));
                    case "TCP_FLAGS", "tcp_flags" -> b.tcpFlags(Integer.parseInt(v));
                    case "PACKETS", "packets" -> packets = Long.parseLong(v);
                    case "BYTES", "bytes" -> bytes = Long.parseLong(v);
                    case "event_type", "stamp_inserted", "stamp_updated" -> {
                        // the output's own: the purge, the bin (from the time given), the purge time
                    }
                    default -> throw new IllegalArgumentException(table + ": no record field for column " + f.getKey());
                }
            }
            for (long i = 0; i < packets; i++) {
                out.add(b.packets(1).bytes(bytes / packets + (i == 0 ? bytes % packets : 0)).build());
            }
        }
        return out;
    }

    /** The rows of a recorded table, each column name to its value. */
    private static List<Map<String, String>> rows(Path table) {
        List<String> lines = lines(table);
        List<Map<String, String>> out = new ArrayList<>();
        if (table.toString().endsWith(".json")) {
            for (String l : lines) {
                Map<String, String> row = new LinkedHashMap<>();
                Matcher m = JSON_FIELD.matcher(l);
                while (m.find()) {
                    row.put(m.group(1), m.group(2).replace("\"", "").strip());
                }
                out.add(row);
            }
            return out;
        }
        String sep = lines.get(0).contains(",") ? "," : "\\s+";
        String[] header = lines.get(0).strip().split(sep);
        for (String l : lines.subList(1, lines.size())) {
            if (l.startsWith("For a total of: ")) {
                continue;
            }
            String[] values = l.strip().split(sep);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], values[i]);
            }
            out.add(row);
        }
        return out;
    }
}
