package jpmacct.core.plugin;

import java.time.ZoneId;

import jpmacct.core.aggregate.TimeBins;

/**
 * When a caching plugin purges: every {@code *_refresh_time}, aligned like pmacct on the history round-off of the
 * start time (so 60 s purges happen on the minute with {@code *_history_roundoff: m}).
 */
public final class RefreshTimer {
    private final long refreshMillis;
    private long deadline;

    public RefreshTimer(long refreshSeconds) {
        this.refreshMillis = Math.max(1, refreshSeconds) * 1000L;
    }

    public void start(long nowMillis, String roundoff, ZoneId zone) {
        start(nowMillis, roundoff, zone, 0);
    }

    /** As {@link #start(long, String, ZoneId)}, every deadline later by {@code delayMillis} ({@code *_startup_delay}). */
    public void start(long nowMillis, String roundoff, ZoneId zone, long delayMillis) {
        long t = TimeBins.roundoff(nowMillis / 1000, roundoff, zone) * 1000L;
        while (t + refreshMillis < nowMillis) {
            t += refreshMillis;
        }
        deadline = t + refreshMillis + delayMillis;
    }

    /** For {@link Plugin#tickIntervalMillis()}: wake up at the deadline, at least once a second. */
    public long tickIntervalMillis(long nowMillis) {
        return Math.max(10, Math.min(1000, deadline - nowMillis));
    }

    /** Whether a purge is due; if so, moves the deadline past {@code nowMillis}. */
    public boolean due(long nowMillis) {
        if (nowMillis < deadline) {
            return false;
        }
        while (deadline <= nowMillis) {
            deadline += refreshMillis;
        }
        return true;
    }

    public long refreshMillis() {
        return refreshMillis;
    }
}
