package jpmacct.core.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Logs a recurring problem at most once per interval and key, with the number of occurrences since the last line,
 * so a flood of bad input is visible without flooding the log.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, long[]> state = new HashMap<>();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this(log, intervalMillis, System::nanoTime);
    }

    /** With a clock of its own, so tests can step through intervals. */
    RateLimitedLog(Logger log, long intervalMillis, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** Warns unless this key was logged less than one interval ago; counts the suppressed ones. */
    public void warn(String key, String message) {
        log(key, message, Level.WARN);
    }

    /** As {@link #warn}, at INFO level (noteworthy events that are not faults). */
    public void info(String key, String message) {
        log(key, message, Level.INFO);
    }

    /** As {@link #warn}, at ERROR level (data that did not get where it was going). */
    public void error(String key, String message) {
        log(key, message, Level.ERROR);
    }

    private enum Level { INFO, WARN, ERROR }

    private synchronized void log(String key, String message, Level level) {
        long now = nanoClock.getAsLong();
        long[] s = state.get(key);
        if (s == null) {
            s = new long[] {now - intervalNanos, 0};
            state.put(key, s);
        }
        s[1]++;
        if (now - s[0] >= intervalNanos) {
            String line = s[1] > 1 ? message + " (" + s[1] + " times since last report)" : message;
            switch (level) {
                case ERROR -> log.error(line);
                case WARN -> log.warn(line);
                default -> log.info(line);
            }
            s[0] = now;
            s[1] = 0;
        }
    }
}
