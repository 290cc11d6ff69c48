package jpmacct.plugins.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jpmacct.pmacctd.DaemonProcess;

/**
 * What the amqp plugin's daemon tests share: pmacctd runs in the test's directory with its configuration in p.conf
 * and its log in p.log; tests wait for what the log says, for the daemon's exit or for messages, never for a time.
 */
final class AmqpRun {
    private static final String CONF = "p.conf";
    private static final String LOG = "p.log";
    private static final Pattern DIFFERING_FIELDS = Pattern.compile(", \"(stamp_updated|writer_id)\": \"[^\"]*\"");

    private AmqpRun() {
    }

    static Process start(Path dir, String conf) throws IOException {
        Files.writeString(dir.resolve(CONF), conf + "logfile: " + LOG + "\n", StandardCharsets.UTF_8);
        Files.deleteIfExists(dir.resolve(LOG));
        return DaemonProcess.start(dir, "-f", CONF);
    }

    /** Runs pmacctd to the end of its savefile; checks it exits 0 without a stack trace; returns what it said. */
    static String run(Path dir, String conf) throws Exception {
        return ended(start(dir, conf), dir);
    }

    static String ended(Process p, Path dir) throws Exception {
        assertTrue(p.waitFor(TestBroker.PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "pmacctd ends:\n" + output(dir));
        String out = output(dir);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        return out;
    }

    /** SIGTERM, then a clean end. */
    static String stop(Process p, Path dir) throws Exception {
        p.destroy();
        return ended(p, dir);
    }

    /** Runs pmacctd expecting a refusal at start-up: non-zero exit, no stack trace; returns what it said. */
    static String refused(Path dir, String conf) throws Exception {
        Process p = start(dir, conf);
        assertTrue(p.waitFor(TestBroker.PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "pmacctd ends");
        String out = output(dir);
        assertTrue(p.exitValue() != 0, "refused:\n" + out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        return out;
    }

    /** What the daemon said: what it printed before its log file was open, then its log file. */
    static String output(Path dir) {
        return read(dir.resolve(".stderr")) + read(dir.resolve(LOG));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the daemon's log holds {@code text}. */
    static void awaitLog(Path dir, String text) throws InterruptedException {
        TestBroker.await(() -> read(dir.resolve(LOG)).contains(text), "'" + text + "' in the log of " + dir);
    }

    /** A JSON object without what differs between two plugins of one run: stamp_updated and writer_id. */
    static String comparable(String json) {
        return DIFFERING_FIELDS.matcher(json).replaceAll("");
    }

    /** The objects of a print plugin's JSON file. */
    static List<String> printed(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{")).toList();
    }
}
