package jpmacct.core.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import jpmacct.core.runtime.LogCapture;

/** Faults are kept by value, logged once per interval per (source, reason), with the count held back. */
class FaultLogTest {
    private enum Reason implements FaultReason {
        CUT("cut short at %d of %d"),
        VERSION("version %d unknown"),
        GAP("expected %d, received %d (%d lost)");

        private final Description description;

        Reason(String pattern) {
            this.description = new Description(Verdict.MALFORMED, pattern);
        }

        @Override
        public Description description() {
            return description;
        }
    }

    @Test
    void aFaultIsFormattedOnlyWhenAsked() {
        Fault f = new Fault();
        assertFalse(f.present());
        assertEquals(Verdict.MALFORMED, f.set(Reason.CUT, 12, 40));
        assertTrue(f.present());
        assertEquals("cut short at 12 of 40", f.message());
        f.clear();
        assertFalse(f.present());
    }

    @Test
    void oncePerIntervalPerSourceAndReason() {
        long second = 1_000_000_000L;
        Object a = new Object();
        Object b = new Object();
        Fault f = new Fault();
        try (LogCapture log = new LogCapture(FaultLogTest.class)) {
            FaultLog limited = new FaultLog(LoggerFactory.getLogger(FaultLogTest.class), 60_000);
            for (int i = 0; i < 5; i++) {
                f.set(Reason.CUT, i, 40);
                limited.warn(a, "exporter a", "malformed datagram", 40, f, i * second);
            }
            f.set(Reason.VERSION, 7);
            limited.warn(a, "exporter a", "malformed datagram", 40, f, 5 * second);
            limited.warn(b, "exporter b", "malformed datagram", -1, f, 5 * second);
            assertEquals(List.of("WARN exporter a: malformed datagram (40 bytes): cut short at 0 of 40",
                    "WARN exporter a: malformed datagram (40 bytes): version 7 unknown",
                    "WARN exporter b: malformed datagram: version 7 unknown"), untagged(log.lines()));
            f.set(Reason.CUT, 9, 40);
            limited.warn(a, "exporter a", "malformed datagram", 40, f, 61 * second);
            assertEquals("WARN exporter a: malformed datagram (40 bytes): cut short at 9 of 40 "
                    + "(5 times since last report)", untagged(log.lines()).get(3));
        }
    }

    @Test
    void aLineOfTheReasonAloneWithThreeNumbers() {
        Object a = new Object();
        Fault f = new Fault();
        try (LogCapture log = new LogCapture(FaultLogTest.class)) {
            FaultLog limited = new FaultLog(LoggerFactory.getLogger(FaultLogTest.class), 60_000);
            f.set(Reason.GAP, 10, 17, 7);
            limited.warn(a, "exporter a domain 3", f, 0);
            limited.warn(a, "exporter a domain 3", f, 1);
            limited.info(a, "exporter a", f, 0);
            assertEquals(List.of("WARN exporter a domain 3: expected 10, received 17 (7 lost)"), untagged(log.lines()),
                    "one line per source and reason, whatever the level");
        }
    }

    /** The lines without the log tag, which other tests of the same JVM may have set. */
    private static List<String> untagged(List<String> lines) {
        return lines.stream().map(l -> l.substring(0, l.indexOf(' ')) + " " + l.substring(l.indexOf("): ") + 3)).toList();
    }

    @Test
    void manySourcesStayBounded() {
        FaultLog limited = new FaultLog(LoggerFactory.getLogger(FaultLogTest.class), 60_000);
        Fault f = new Fault();
        f.set(Reason.CUT, 1, 2);
        for (int i = 0; i < 200_000; i++) {
            assertEquals(0, limited.due(new Object(), f.reason(), 0), "every new source logs its first line");
        }
    }
}
