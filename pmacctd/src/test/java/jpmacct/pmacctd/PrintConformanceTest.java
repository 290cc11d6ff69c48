package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every print case recorded from pmacct 1.7.7: same pcap, same configuration file, same command line, and the
 * output files must equal pmacct's (rows as multisets, since pmacct writes in hash order; the header first),
 * except for the rows listed in {@code deviations/}, each tied to an entry of docs/COMPATIBILITY.md.
 */
class PrintConformanceTest {

    static List<String> cases() {
        return Conformance.cases("print_");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputEqualsPmacct(String id, @TempDir Path dir) throws Exception {
        String pcap = id.substring(0, id.indexOf('/'));
        String kase = id.substring(id.indexOf('/') + 1);
        Path golden = Conformance.golden(pcap, kase);
        Conformance.input(pcap, dir, "input.pcap");
        Files.copy(golden.resolve("pmacctd.conf"), dir.resolve("pmacctd.conf"));
        if (Files.exists(golden.resolve("networks.lst"))) {
            Files.copy(golden.resolve("networks.lst"), dir.resolve("networks.lst"));
        }
        DaemonProcess.Result r = DaemonProcess.run(dir, 120, "-f", "pmacctd.conf");
        assertEquals(0, r.exit(), "pmacctd failed: " + r.stderr());

        Path deviations = Conformance.root().resolve("deviations").resolve(pcap).resolve(kase);
        Set<String> files = new TreeSet<>(outputs(golden));
        if (Files.isDirectory(deviations)) {
            try (var s = Files.list(deviations)) {
                s.forEach(p -> files.add(p.getFileName().toString().replaceAll("\\.diff$", "")));
            }
        }
        Set<String> expectedFiles = new TreeSet<>();
        for (String f : files) {
            List<String> expected = Conformance.lines(golden.resolve(f));
            String header = expected.isEmpty() || f.endsWith(".json") ? null : expected.get(0);
            Conformance.applyDeviations(expected, deviations.resolve(f + ".diff"));
            if (expected.isEmpty()) {
                continue;
            }
            expectedFiles.add(f);
            List<String> ours = Conformance.lines(dir.resolve(f));
            if (header != null && !ours.isEmpty()) {
                assertEquals(header, ours.get(0), f + ": header");
            }
            Collections.sort(expected);
            Collections.sort(ours);
            assertEquals(String.join("\n", expected), String.join("\n", ours), f);
        }
        assertEquals(expectedFiles, new TreeSet<>(outputs(dir)), "output files");
    }

    private static List<String> outputs(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("output")).forEach(out::add);
        }
        return out;
    }
}
