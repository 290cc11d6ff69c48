package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Access to the pmacct 1.7.7 conformance set in this module's test resources, also for the tests of other modules
 * (the SQL plugin's, through this module's test jar).
 */
public final class Conformance {
    private Conformance() {
    }

    /**
     * The set where it is in the sources, found from where this class was loaded: this module's target/test-classes,
     * or its test jar in target/ (which leaves the set out).
     */
    public static Path root() {
        try {
            Path loadedFrom = Path.of(Conformance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return loadedFrom.getParent().getParent().resolve("src/test/resources/conformance");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path golden(String pcap, String kase) {
        return root().resolve("golden").resolve(pcap).resolve(kase);
    }

    /** Places the named input capture in {@code dir} as {@code name}. */
    public static Path input(String pcap, Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        if (pcap.equals("small")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(root().resolve("inputs/small.pcap.gz")))) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } else {
            Files.copy(root().resolve("inputs").resolve(pcap + ".pcap"), target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    public static List<String> cases(String prefix) {
        List<String> out = new ArrayList<>();
        for (String pcap : List.of("edge", "small")) {
            try (var s = Files.list(root().resolve("golden").resolve(pcap))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted()
                        .forEach(n -> out.add(pcap + "/" + n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    public static List<String> lines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(p)) {
            return out;
        }
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (!l.isEmpty()) {
                out.add(l.replaceAll("(\"stamp_updated\": )\"[^\"]*\"", "$1\"<WALLCLOCK>\""));
            }
        }
        return out;
    }

    /** Removes the "-" rows (each must be present) and adds the "+" rows of a deviation file. */
    public static void applyDeviations(List<String> expected, Path diff) throws IOException {
        if (!Files.exists(diff)) {
            return;
        }
        for (String l : Files.readAllLines(diff)) {
            if (l.startsWith("-")) {
                assertTrue(expected.remove(l.substring(1)), diff + ": row to remove is not in the golden: " + l);
            } else if (l.startsWith("+")) {
                expected.add(l.substring(1));
            }
        }
    }
}
