package jpmacct.pmacctd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    public static String stderr(Path dir) throws IOException {
        return Files.readString(dir.resolve(".stderr"), StandardCharsets.UTF_8);
    }
}
