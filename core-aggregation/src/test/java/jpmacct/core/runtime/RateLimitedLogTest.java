package jpmacct.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A recurring problem is logged once per interval and key, with how often it happened meanwhile. */
class RateLimitedLogTest {

    @Test
    void oncePerIntervalWithTheCountOfSuppressedOnes() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        try (LogCapture log = new LogCapture(RateLimitedLogTest.class)) {
            RateLimitedLog limited = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class), 60_000, now::get);
            for (int i = 0; i < 5; i++) {
                limited.warn("queue", "queue full");
                now.addAndGet(1_000_000_000L); // 1 s apart
            }
            limited.warn("other", "another problem");
            assertEquals(List.of("WARN ( - ): queue full", "WARN ( - ): another problem"), log.lines(),
                    "the first occurrence of each key at once, the next four held back");
            now.addAndGet(60_000_000_000L);
            limited.warn("queue", "queue full");
            assertEquals("WARN ( - ): queue full (5 times since last report)", log.lines().get(2),
                    "one interval later: one line counting the four held back and this one");
        }
    }
}
