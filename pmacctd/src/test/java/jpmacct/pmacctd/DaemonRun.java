package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * pmacctd run by a plugin's tests in the test's directory: its configuration in p.conf, its log in the file p.log
 * ({@code logfile}), a fresh one per run. Tests wait for what the log says or for the daemon's exit, never for a
 * time; a run ends or is refused without a stack trace.
 */
public final class DaemonRun {
    public static final String CONF = "p.conf";
    public static final String LOG = "p.log";
    /** How long a test waits for the daemon before it fails; far longer than any run takes. */
    public static final long PATIENCE_SECONDS = 120;

    private DaemonRun() {
    }

    /** Writes {@code conf} with the log file into p.conf, removes the log of a previous run, starts pmacctd on it. */
    public static Process start(Path dir, String conf) throws IOException {
        Files.writeString(dir.resolve(CONF), conf + "logfile: " + LOG + "\n", StandardCharsets.UTF_8);
        Files.deleteIfExists(dir.resolve(LOG));
        return DaemonProcess.start(dir, "-f", CONF);
    }

    /** Waits for the daemon's end; checks it exits 0 without a stack trace; returns what it said. */
    public static String ended(Process p, Path dir) throws InterruptedException {
        assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "pmacctd ends:\n" + output(dir));
        String out = output(dir);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        return out;
    }

    /** Runs pmacctd expecting a refusal at start-up: non-zero exit, no stack trace; returns what it said. */
    public static String refused(Path dir, String conf) throws IOException, InterruptedException {
        Process p = start(dir, conf);
        if (!p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pmacctd did not end; log:\n" + output(dir));
        }
        String out = output(dir);
        assertTrue(p.exitValue() != 0, "refused:\n" + out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        return out;
    }

    /**
     * What the daemon of the last run in {@code dir} said: what it printed before its log file was open (a
     * configuration refused as it is read), then its log file.
     */
    public static String output(Path dir) {
        return read(dir.resolve(".stderr")) + log(dir);
    }

    /** The log file as it is now; empty before the daemon opens it. */
    public static String log(Path dir) {
        return read(dir.resolve(LOG));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
