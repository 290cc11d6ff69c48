package jpmacct.filter.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds libpcap for pcap4j and JNA. Debian installs {@code libpcap.so.0.8} without the unversioned name unless the
 * -dev package is present, so the versioned file is located and handed over explicitly.
 */
public final class PcapLibrary {
    private static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final List<String> DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib", "/usr/local/lib");
    private static volatile String path;

    private PcapLibrary() {
    }

    /** The library path in use; sets pcap4j's property before pcap4j loads. */
    public static synchronized String ensureLoaded() {
        if (path != null) {
            return path;
        }
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            path = configured;
            return path;
        }
        String found = locate();
        if (found == null) {
            throw new IllegalStateException("libpcap not found: install it (Debian/Ubuntu: apt-get install libpcap0.8)"
                    + " or set -D" + PROPERTY + "=/path/to/libpcap.so");
        }
        System.setProperty(PROPERTY, found);
        path = found;
        return path;
    }

    static String locate() {
        for (String dir : DIRS) {
            Path d = Path.of(dir);
            if (Files.isRegularFile(d.resolve("libpcap.so")) || Files.isSymbolicLink(d.resolve("libpcap.so"))) {
                return d.resolve("libpcap.so").toString();
            }
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                Path best = s.filter(p -> p.getFileName().toString().startsWith("libpcap.so."))
                        .sorted().findFirst().orElse(null);
                if (best != null) {
                    return best.toString();
                }
            } catch (IOException e) {
                // unreadable directory: try the next
            }
        }
        return null;
    }
}
