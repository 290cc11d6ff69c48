package jpmacct.pmacctd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Runs pmacctd in its own JVM (the test class path), in a given directory, as a user would from a shell. */
public final class DaemonProcess {
    /** Exit status and what the process printed. */
    public record Result(int exit, String stdout, String stderr) {
    }

    private DaemonProcess() {
    }

    public static Process start(Path dir, String... args) throws IOException {
        return start(DaemonJvm.ofTest(), Pmacctd.class, dir, List.of(args));
    }

    /** Starts {@code daemon} on {@code jvm} in {@code dir}, its output in .stdout and .stderr there. */
    public static Process start(DaemonJvm jvm, Class<?> daemon, Path dir, List<String> args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(jvm.command(daemon.getName(), args)).directory(dir.toFile());
        pb.environment().put("TZ", "UTC");
        pb.redirectOutput(dir.resolve(".stdout").toFile());
        pb.redirectError(dir.resolve(".stderr").toFile());
        return jvm.start(pb);
    }

    public static Result run(Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Process p = start(dir, args);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pmacctd did not finish within " + timeoutSeconds + " s; stderr: " + stderr(dir));
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve(".stdout"), StandardCharsets.UTF_8), stderr(dir));
    }

    /**
     * Waits until {@code state} holds (what a daemon says, a file), never for a time; after {@code patienceMillis}
     * fails naming {@code what}, with {@code context} (the daemon's log).
     */
    public static void await(BooleanSupplier state, String what, long patienceMillis, Supplier<String> context)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + patienceMillis;
        while (!state.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("waited in vain for " + what + "; log:\n" + context.get());
            }
            Thread.sleep(50);
        }
    }

    /** How often {@code needle} occurs in {@code haystack}. */
    public static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    public static String stderr(Path dir) throws IOException {
        return Files.readString(dir.resolve(".stderr"), StandardCharsets.UTF_8);
    }
}
