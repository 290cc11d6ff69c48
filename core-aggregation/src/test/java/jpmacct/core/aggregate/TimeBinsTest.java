package jpmacct.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.History;

class TimeBinsTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static long t(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }

    private static String bin(TimeBins bins, String iso) {
        return Instant.ofEpochSecond(bins.binStart(t(iso))).toString();
    }

    /** D5: pmacct 1.7.7 puts a packet at 22:14:00 (older than its start) in the 22:13 bin. */
    @Test
    void aTimestampOnABoundaryOpensTheNewBin() {
        TimeBins bins = new TimeBins(History.parse("1m"), null, UTC);
        assertEquals("2024-03-01T22:13:00Z", bin(bins, "2024-03-01T22:13:30Z"));
        assertEquals("2024-03-01T22:14:00Z", bin(bins, "2024-03-01T22:14:00Z"));
        assertEquals("2024-03-01T22:14:00Z", bin(bins, "2024-03-01T22:14:59Z"));
        assertEquals("2024-03-01T22:12:00Z", bin(bins, "2024-03-01T22:12:59Z"), "older than the anchor");
    }

    /** Anchored at the first record's time: the same input gives the same bins whenever it is read. */
    @Test
    void binsAreAnchoredAtTheFirstTimestampWithItsSecondsDropped() {
        TimeBins bins = new TimeBins(History.parse("5m"), null, UTC);
        assertEquals("2024-03-01T10:17:00Z", bin(bins, "2024-03-01T10:17:42Z"));
        assertEquals("2024-03-01T10:22:00Z", bin(bins, "2024-03-01T10:22:00Z"));
        assertEquals("2024-03-01T10:12:00Z", bin(bins, "2024-03-01T10:16:59Z"));
    }

    @Test
    void roundoffAlignsTheAnchor() {
        TimeBins hourly = new TimeBins(History.parse("5m"), "m", UTC);
        assertEquals("2024-03-01T10:15:00Z", bin(hourly, "2024-03-01T10:17:42Z"));
        TimeBins daily = new TimeBins(History.parse("1h"), "h", UTC);
        assertEquals("2024-03-01T10:00:00Z", bin(daily, "2024-03-01T10:17:42Z"));
        assertEquals("2024-03-01T23:00:00Z", bin(daily, "2024-03-01T23:59:59Z"));
    }

    /** *_history_offset moves the bins back from the aligned times, as pmacct does. */
    @Test
    void offsetMovesTheBinsBack() {
        TimeBins half = new TimeBins(History.parse("30m"), "h", 900, UTC);
        assertEquals("2024-03-01T10:15:00Z", bin(half, "2024-03-01T10:17:42Z"));
        assertEquals("2024-03-01T10:45:00Z", bin(half, "2024-03-01T10:45:00Z"));
        assertEquals("2024-03-01T09:45:00Z", bin(half, "2024-03-01T10:14:59Z"));
        TimeBins hourly = new TimeBins(History.parse("1h"), "h", 900, UTC);
        assertEquals("2024-03-01T09:45:00Z", bin(hourly, "2024-03-01T10:17:42Z"), "back, not forward: pmacct's bins");
        assertEquals("2024-03-01T10:45:00Z", bin(hourly, "2024-03-01T10:45:00Z"));
        TimeBins monthly = new TimeBins(History.parse("1M"), "d", 3600, UTC);
        assertEquals("2024-02-29T23:00:00Z", bin(monthly, "2024-03-10T05:00:00Z"));
        assertEquals("2024-02-29T23:00:00Z", bin(monthly, "2024-02-29T23:00:00Z"));
        assertEquals("2024-01-31T23:00:00Z", bin(monthly, "2024-02-29T22:59:59Z"));
    }

    @Test
    void offsetBelowTheShortestBin() {
        assertThrows(IllegalArgumentException.class, () -> new TimeBins(History.parse("1m"), null, 60, UTC));
        assertThrows(IllegalArgumentException.class, () -> new TimeBins(History.parse("1M"), null, 28 * 86400, UTC));
        assertEquals(28 * 86400L, TimeBins.shortestBin(History.parse("1M")), "February");
    }

    @Test
    void monthsFollowTheCalendar() {
        TimeBins bins = new TimeBins(History.parse("1M"), "d", UTC);
        assertEquals("2024-02-01T00:00:00Z", bin(bins, "2024-02-10T05:00:00Z"));
        assertEquals("2024-02-01T00:00:00Z", bin(bins, "2024-02-29T23:59:59Z"), "leap day");
        assertEquals("2024-03-01T00:00:00Z", bin(bins, "2024-03-01T00:00:00Z"));
        assertEquals("2023-12-01T00:00:00Z", bin(bins, "2023-12-31T12:00:00Z"));
    }

    @Test
    void roundoffUsesTheConfiguredZone() {
        ZoneId rome = ZoneId.of("Europe/Rome");
        long start = TimeBins.roundoff(t("2024-03-01T22:30:10Z"), "h", rome);
        assertEquals("2024-02-29T23:00:00Z", Instant.ofEpochSecond(start).toString(), "midnight of March 1st in Rome (UTC+1)");
        assertEquals("2024-01-01T00:00:00Z", Instant.ofEpochSecond(TimeBins.roundoff(t("2024-07-09T08:07:06Z"), "M", UTC)).toString());
    }
}
