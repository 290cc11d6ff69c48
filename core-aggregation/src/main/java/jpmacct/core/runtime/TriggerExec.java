package jpmacct.core.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs {@code *_trigger_exec} after a purge without waiting for it, then logs its exit status and what it wrote on
 * stderr (pmacct discards both, so a failing trigger goes unnoticed there).
 */
public final class TriggerExec {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerExec.class);
    private static final int MAX_STDERR = 4096;

    private final String program;
    private final String tag;
    private final List<Process> running = new ArrayList<>();

    public TriggerExec(String program, String tag) {
        this.program = program;
        this.tag = tag;
    }

    public void run() {
        run(Map.of());
    }

    /** Runs the program with these variables added to its environment (pmacct's SQL trigger variables). */
    public synchronized void run(Map<String, String> environment) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(program);
            pb.environment().putAll(environment);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            p = pb.start();
        } catch (IOException e) {
            LOG.error("trigger '{}' could not be started: {}", program, e.getMessage());
            return;
        }
        running.removeIf(x -> !x.isAlive());
        running.add(p);
        Thread t = new Thread(() -> watch(p), "trigger " + program);
        t.setDaemon(true);
        t.start();
    }

    private void watch(Process p) {
        MDC.put("pm", tag);
        try (InputStream err = p.getErrorStream()) {
            byte[] buf = err.readNBytes(MAX_STDERR);
            err.transferTo(OutputStream.nullOutputStream());
            int code = p.waitFor();
            String text = new String(buf, StandardCharsets.UTF_8).strip();
            if (code != 0) {
                LOG.warn("trigger '{}' exited with status {}{}", program, code, text.isEmpty() ? "" : ": " + text);
            } else if (!text.isEmpty()) {
                LOG.info("trigger '{}' finished; stderr: {}", program, text);
            } else {
                LOG.debug("trigger '{}' finished", program);
            }
        } catch (IOException e) {
            LOG.warn("trigger '{}': {}", program, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #awaitAll} for 10 s, keeping the thread's interrupt: a plugin's last step at shutdown. */
    public void awaitAtShutdown() {
        try {
            awaitAll(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits a bounded time for triggers still running (shutdown). */
    public synchronized void awaitAll(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (Process p : running) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !p.waitFor(left, TimeUnit.MILLISECONDS)) {
                LOG.warn("trigger '{}' still running at shutdown", program);
                return;
            }
        }
    }
}
