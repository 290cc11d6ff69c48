package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pmacctd with an empty configuration (and only the print plugin, to have an output) captures on libpcap's default
 * device, as pmacct does: the machine's real interface, named as `ip link` names it. Needs root.
 */
class DefaultInterfaceTest {
    private static final Pattern CHOSEN = Pattern.compile("INFO \\( default/core \\): no pcap_interface given; capturing on (.*)\n");

    @BeforeAll
    static void needsRoot() {
        Assumptions.assumeTrue(Netns.available(), "SKIPPED: live capture needs root (run .ci/run as root)");
    }

    /** Through the kernel packet ring (the default on Ethernet) and through libpcap. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ring", "pcap"})
    void anEmptyConfigCapturesOnTheDefaultDevice(String mode, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("empty.conf"), "");
        try (Daemon d = Daemon.start(dir, Map.of("JPMACCT_JAVA_OPTS", "-Djpmacct.capture=" + mode),
                "-f", "empty.conf", "-P", "print")) {
            d.await("the capture", 60, () -> d.stderrSafe().contains("link type is"));
            String log = d.stderr();
            Matcher m = CHOSEN.matcher(log);
            assertTrue(m.find(), log);
            String device = m.group(1);
            assertTrue(device.matches("[A-Za-z0-9._:-]+"), "a plain ASCII name: " + device);
            assertTrue(log.contains("INFO ( default/core ): [" + device + ",0] link type is: "), log);
            String link = ipLink(device);
            assertTrue(link.matches("(?s)\\d+: \\S+: <[^>]*\\bUP\\b[^>]*>.*") && !link.contains("LOOPBACK"),
                    "an interface that is up and not the loopback: " + link);
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
            assertFalse(d.stderr().contains("ERROR"), d.stderr());
        }
    }

    /** `ip link show dev NAME`, which fails on a name the system does not have. */
    private static String ipLink(String device) throws Exception {
        Process p = new ProcessBuilder("ip", "link", "show", "dev", device).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ip link show dev " + device + ": " + out);
        return out;
    }
}
