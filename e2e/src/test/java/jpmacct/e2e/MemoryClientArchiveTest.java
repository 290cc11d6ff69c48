package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's class-data archive: written by mvn package, trained by the launcher for any other java binary. */
class MemoryClientArchiveTest {

    /**
     * mvn package writes the client's class-data archive for the JDK that ran it, so no call trains one; another
     * java binary (here a JDK whose bin/java is a copy) gets its own on first use.
     */
    @Test
    void theClientArchiveIsWrittenAtPackageTime(@TempDir Path dir) throws Exception {
        Path target = E2e.root().resolve("dist/target");
        assertTrue(Files.isRegularFile(target.resolve("cds-client.jsa")), "mvn package wrote dist/target/cds-client.jsa");
        Path builtBy = Path.of(Files.readString(target.resolve("cds-client.jsa.java")).strip());
        Path home = builtBy.getParent().getParent();
        assertTrue(loadsFromTheArchive(dir, home), "the client's classes come from the archive");
        assertFalse(Files.exists(trainedFor(target, builtBy)), "nothing trained for the JDK that built it");

        Path other = Files.createDirectories(dir.resolve("jdk/bin"));
        try (var entries = Files.list(home)) {
            for (Path e : entries.toList()) {
                if (!e.getFileName().toString().equals("bin")) {
                    Files.createSymbolicLink(dir.resolve("jdk").resolve(e.getFileName()), e);
                }
            }
        }
        try (var tools = Files.list(home.resolve("bin"))) {
            for (Path e : tools.toList()) {
                Files.createSymbolicLink(other.resolve(e.getFileName()), e);
            }
        }
        Files.delete(other.resolve("java"));
        Files.copy(builtBy, other.resolve("java"), StandardCopyOption.COPY_ATTRIBUTES);
        Path fallback = trainedFor(target, other.resolve("java"));
        try {
            assertTrue(loadsFromTheArchive(dir, dir.resolve("jdk")), "another java binary trains its own archive");
            assertTrue(Files.exists(fallback), fallback.toString());
        } finally {
            Files.deleteIfExists(fallback);
        }
    }

    /** The archive the launcher trains on first use for a java binary (dist/target/cds-client_path_to_java.jsa). */
    private static Path trainedFor(Path target, Path java) {
        return target.resolve("cds-client" + java.toString().replace('/', '_') + ".jsa");
    }

    private static boolean loadsFromTheArchive(Path dir, Path javaHome) throws Exception {
        E2e.Result r = E2e.run(dir, Map.of("JAVA_HOME", javaHome.toString(), "JPMACCT_JAVA_OPTS", "-Xlog:class+load=info"),
                60, E2e.bin("pmacct").toString(), "-V");
        assertEquals(0, r.exit(), r.stderr());
        return Arrays.stream(r.stdout().split("\n"))
                .anyMatch(l -> l.endsWith(" jpmacct.client.PmacctClient source: shared objects file (top)"));
    }
}
