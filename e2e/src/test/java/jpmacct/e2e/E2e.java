package jpmacct.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's launchers (bin/pmacctd ...) the way a user does, from a working directory. */
final class E2e {
    /** Exit status and output of a finished command. */
    record Result(int exit, String stdout, String stderr) {
    }

    private E2e() {
    }

    static Path root() {
        return Path.of(System.getProperty("jpmacct.root", "..")).toAbsolutePath().normalize();
    }

    static Path bin(String name) {
        return root().resolve("bin").resolve(name);
    }

    /** Starts a command whose output goes to {@code <prefix>.stdout} and {@code <prefix>.stderr} (see {@link #captured}). */
    static Process start(Path dir, Map<String, String> env, List<String> cmd, String prefix) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectOutput(captured(dir, prefix + ".stdout").toFile());
        pb.redirectError(captured(dir, prefix + ".stderr").toFile());
        return pb.start();
    }

    /** Where a command's output is kept: beside it, except in the project root, which a test must not litter. */
    static Path captured(Path dir, String name) {
        Path d = dir.toAbsolutePath().normalize();
        return d.equals(root()) ? root().resolve("e2e/target").resolve(name) : d.resolve(name);
    }

    static Result run(Path dir, long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        return run(dir, Map.of(), timeoutSeconds, cmd);
    }

    static Result run(Path dir, Map<String, String> env, long timeoutSeconds, String... cmd)
            throws IOException, InterruptedException {
        // apart from a daemon started in the same directory, whose output is .stdout/.stderr
        Process p = start(dir, env, List.of(cmd), ".run");
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds
                    + " s; stderr:\n" + read(captured(dir, ".run.stderr")));
        }
        return new Result(p.exitValue(), read(captured(dir, ".run.stdout")), read(captured(dir, ".run.stderr")));
    }

    static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    static List<String> cmd(String program, String... args) {
        List<String> out = new ArrayList<>();
        out.add(bin(program).toString());
        out.addAll(List.of(args));
        return out;
    }

    /** Copies a bundled example or test input into a working directory. */
    static Path copy(Path from, Path dir) throws IOException {
        Path to = dir.resolve(from.getFileName());
        Files.copy(from, to);
        return to;
    }
}
