package jpmacct.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@code *_trigger_exec} script for tests of how triggers overlap: each run notes its start, waits until the test
 * releases it (at most 30 s, so a failed test leaves nothing running), then notes its end.
 */
public final class BlockingTrigger {
    private final Path script;
    private final Path log;
    private final Path release;

    private BlockingTrigger(Path dir) throws IOException {
        this.script = dir.resolve("blocking-trigger.sh");
        this.log = dir.resolve("blocking-trigger.log");
        this.release = dir.resolve("blocking-trigger.release");
        Files.writeString(script, "#!/bin/sh\necho start >> '" + log + "'\ni=0\nwhile [ ! -e '" + release
                + "' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\necho end >> '" + log + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    public static BlockingTrigger in(Path dir) throws IOException {
        return new BlockingTrigger(dir);
    }

    public Path script() {
        return script;
    }

    /** Runs that have started. */
    public long started() {
        return count("start");
    }

    /** Runs that have ended. */
    public long ended() {
        return count("end");
    }

    /** Lets every run waiting, and every later one, end. */
    public void release() throws IOException {
        Files.writeString(release, "");
    }

    /** Waits (at most 30 s, as a run waits for its release) until {@code ended} runs have ended. */
    public void awaitEnded(long ended) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (ended() < ended) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(ended + " trigger runs ended expected; " + ended() + " of " + started());
            }
            Thread.sleep(20);
        }
    }

    private long count(String word) {
        try {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(word::equals).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
