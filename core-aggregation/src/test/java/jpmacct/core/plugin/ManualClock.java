package jpmacct.core.plugin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that stands still until the test moves it; plugins read it through {@link PluginContext#clock()}. Safe to
 * read from other threads (a memory plugin's query thread, a print plugin's writer).
 */
public final class ManualClock extends Clock {
    private final AtomicLong millis;

    public ManualClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    /** Time zones are the configuration's business (timestamps_utc), not the clock's. */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a manual clock has no zone of its own");
    }

    /** Moves the clock to {@code millis}; time never goes back. */
    void set(long epochMillis) {
        if (epochMillis < millis.get()) {
            throw new IllegalArgumentException("the clock cannot go back from " + instant() + " to "
                    + Instant.ofEpochMilli(epochMillis));
        }
        millis.set(epochMillis);
    }

    void advance(Duration d) {
        set(millis.get() + d.toMillis());
    }
}
