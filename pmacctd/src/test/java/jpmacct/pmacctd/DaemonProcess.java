package jpmacct.pmacctd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Pmacctd.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("TZ", "UTC");
        pb.redirectOutput(dir.resolve(".stdout").toFile());
        pb.redirectError(dir.resolve(".stderr").toFile());
        return pb.start();
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
