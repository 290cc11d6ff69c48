package jpmacct.core.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;

/**
 * Runs {@code *_trigger_exec} after a purge; the purge never waits for it. By default a plugin's triggers run one
 * at a time, each logging its exit status and what it wrote on stderr (pmacct discards both, so a failing trigger
 * goes unnoticed there). With {@code *_trigger_exec_async} each starts at once, detached: nothing of it is tied to
 * the daemon (input, output and error go nowhere), several may run together and exit does not wait for them; its
 * exit status is still logged while the daemon runs.
 */
public final class TriggerExec {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerExec.class);
    private static final int MAX_STDERR = 4096;
    private static final File NO_INPUT = new File("/dev/null");

    private final String program;
    private final String tag;
    private final boolean async;
    /** Runs the triggers one after another; null when async. */
    private final ExecutorService oneAtATime;
    /** Triggers started or waiting to, not yet ended (one at a time only). */
    private final AtomicInteger queued = new AtomicInteger();
    private final RateLimitedLog limited = new RateLimitedLog(LOG, 60_000);

    public TriggerExec(String program, String tag, boolean async) {
        this.program = program;
        this.tag = tag;
        this.async = async;
        this.oneAtATime = async ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "trigger " + program);
            t.setDaemon(true);
            return t;
        });
    }

    /** The plugin's {@code *_trigger_exec} with its {@code *_trigger_exec_async}, or null when it has none. */
    public static TriggerExec configured(PluginConfig cfg) {
        String program = cfg.get(CoreKeys.TRIGGER_EXEC);
        return program == null ? null : new TriggerExec(program, cfg.id(), cfg.get(CoreKeys.TRIGGER_EXEC_ASYNC));
    }

    public void run() {
        run(Map.of());
    }

    /** Runs the program with these variables added to its environment (pmacct's SQL trigger variables). */
    public void run(Map<String, String> environment) {
        if (async) {
            startDetached(environment);
            return;
        }
        if (queued.getAndIncrement() > 0) {
            limited.warn("wait", "trigger '" + program + "' is still running; the next one starts when it ends "
                    + "(*_trigger_exec_async: true runs them at once)");
        }
        try {
            oneAtATime.execute(() -> {
                try {
                    runToEnd(environment);
                } finally {
                    queued.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            LOG.warn("trigger '{}' not run: the plugin is shutting down", program);
        }
    }

    private void runToEnd(Map<String, String> environment) {
        MDC.put("pm", tag);
        Process p = start(environment, ProcessBuilder.Redirect.PIPE);
        if (p == null) {
            return;
        }
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

    /** Started from the calling thread; its exit is seen by the JDK's reaper, so it never stays a zombie. */
    private void startDetached(Map<String, String> environment) {
        Process p = start(environment, ProcessBuilder.Redirect.DISCARD);
        if (p == null) {
            return;
        }
        LOG.debug("trigger '{}' started (pid {})", program, p.pid());
        p.onExit().thenAccept(ended -> {
            MDC.put("pm", tag);
            if (ended.exitValue() != 0) {
                LOG.warn("trigger '{}' exited with status {}", program, ended.exitValue());
            } else {
                LOG.debug("trigger '{}' finished", program);
            }
            MDC.remove("pm");
        });
    }

    /** The program started with no input and its output discarded; null (logged) when it cannot be. */
    private Process start(Map<String, String> environment, ProcessBuilder.Redirect stderr) {
        ProcessBuilder pb = new ProcessBuilder(program);
        pb.environment().putAll(environment);
        pb.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(stderr);
        try {
            return pb.start();
        } catch (IOException e) {
            LOG.error("trigger '{}' could not be started: {}", program, e.getMessage());
            return null;
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

    /**
     * Waits a bounded time for the triggers running or waiting to (shutdown); no trigger runs after it. Detached
     * triggers are not waited for.
     */
    public void awaitAll(long millis) throws InterruptedException {
        if (async) {
            return;
        }
        oneAtATime.shutdown();
        if (!oneAtATime.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
            LOG.warn("trigger '{}' still running at shutdown", program);
        }
    }
}
