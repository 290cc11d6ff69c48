package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jpmacct.core.imt.RecordedQueries;
import jpmacct.core.imt.RecordedQueries.Query;

/**
 * The memory plugin case recorded from pmacct 1.7.7: bin/pmacctd on the same pcap with the same configuration,
 * then every recorded {@code pmacct} query through the real socket, in the recorded order (the clear comes last
 * but one). Outputs compare as pmacct's normalisation says: rows as multisets where pmacct's order is its hash
 * order, exactly otherwise; for -T, rows tied on the sort counter may come in any order. Rows that differ because
 * pmacct miscounts are listed in {@code deviations/}, each tied to docs/COMPATIBILITY.md.
 */
class MemoryConformanceTest {

    static Path conformance() {
        return E2e.root().resolve("pmacctd/src/test/resources/conformance");
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
            for (Query q : RecordedQueries.queries(golden.resolve("cmd.txt"))) {
                List<String> cmd = new ArrayList<>(List.of(E2e.bin("pmacct").toString()));
                cmd.addAll(q.args());
                E2e.Result r = E2e.run(dir, 60, cmd.toArray(new String[0]));
                assertEquals(0, r.exit(), q + ": " + r.stderr());
                List<String> ours = RecordedQueries.lines(r.stdout());
                List<String> expected = RecordedQueries.lines(Files.readString(golden.resolve(q.file())));
                applyDeviations(expected, deviations.resolve(q.file() + ".diff"));
                if (q.args().contains("-a") && q.mode().equals("csv")) {
                    expected = RecordedQueries.allFieldsAsThisBuildPrintsThem(expected);
                }
                RecordedQueries.assertSameAnswer(q, expected, ours);
            }
        }
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
