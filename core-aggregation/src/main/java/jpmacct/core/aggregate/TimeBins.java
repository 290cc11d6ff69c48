package jpmacct.core.aggregate;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import jpmacct.core.config.History;

/**
 * History bins ({@code *_history}, {@code *_history_roundoff}, {@code *_history_offset}): maps a timestamp to the
 * start of its bin.
 *
 * <p>As in pmacct, bins are {@code anchor + k * period} where the anchor is the first timestamp seen with its
 * seconds dropped and the round-off fields zeroed ({@code m}: minutes, {@code h}: hours and minutes, {@code d}: to
 * the 1st of the month, {@code w}: to Monday, {@code M}: to January 1st), then moved back by the offset (monthly
 * bins start that many seconds before the 1st). Unlike pmacct 1.7.7, a timestamp exactly on a bin boundary opens
 * the new bin even when it is older than the anchor (pmacct put it in the previous bin).
 */
public final class TimeBins {
    private final History history;
    private final String roundoff;
    private final ZoneId zone;
    private final long period;
    private final long offset;
    private boolean anchored;
    private long anchor;
    private long anchorMonthIndex;
    // cache of the last bin, so the common case is two compares
    private long cachedStart = 1;
    private long cachedEnd = 0;

    public TimeBins(History history, String roundoff, ZoneId zone) {
        this(history, roundoff, 0, zone);
    }

    /** @param offsetSeconds how far before the aligned times bins start; below the shortest bin */
    public TimeBins(History history, String roundoff, long offsetSeconds, ZoneId zone) {
        if (offsetSeconds < 0 || offsetSeconds >= shortestBin(history)) {
            throw new IllegalArgumentException("offset " + offsetSeconds + " is not below the bin of " + history);
        }
        this.history = history;
        this.roundoff = roundoff;
        this.zone = zone;
        this.period = history.seconds();
        this.offset = offsetSeconds;
    }

    /** Seconds of the shortest bin of this history: a monthly bin of February's 28 days. */
    public static long shortestBin(History history) {
        return history.monthly() ? history.count() * 28L * 86400 : history.seconds();
    }

    public History history() {
        return history;
    }

    /** Start of the bin holding {@code epochSeconds}. */
    public long binStart(long epochSeconds) {
        if (epochSeconds >= cachedStart && epochSeconds < cachedEnd) {
            return cachedStart;
        }
        if (!anchored) {
            anchor = roundoff(epochSeconds, roundoff, zone) - offset;
            anchorMonthIndex = monthIndex(anchor + offset);
            anchored = true;
        }
        long start;
        long end;
        if (history.monthly()) {
            long idx = monthIndex(epochSeconds + offset);
            long bin = anchorMonthIndex + Math.floorDiv(idx - anchorMonthIndex, history.count()) * history.count();
            start = startOfMonth(bin) - offset;
            end = startOfMonth(bin + history.count()) - offset;
        } else {
            start = anchor + Math.floorDiv(epochSeconds - anchor, period) * period;
            end = start + period;
        }
        cachedStart = start;
        cachedEnd = end;
        return start;
    }

    /** pmacct's roundoff_time(): seconds always dropped, then each round-off letter applied. */
    public static long roundoff(long epochSeconds, String letters, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        if (letters != null) {
            for (char c : letters.toCharArray()) {
                switch (c) {
                    case 'm':
                        t = t.withMinute(0);
                        break;
                    case 'h':
                        t = t.withMinute(0).withHour(0);
                        break;
                    case 'd':
                        t = t.withMinute(0).withHour(0).withDayOfMonth(1);
                        break;
                    case 'w':
                        t = t.withMinute(0).withHour(0);
                        while (t.getDayOfWeek() != DayOfWeek.MONDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY) {
                            t = t.minusDays(1);
                        }
                        break;
                    case 'M':
                        t = t.withMinute(0).withHour(0).withDayOfMonth(1).withMonth(1);
                        break;
                    default:
                        break;
                }
            }
        }
        return t.toEpochSecond();
    }

    private long monthIndex(long epochSeconds) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
        return t.getYear() * 12L + (t.getMonthValue() - 1);
    }

    private long startOfMonth(long monthIndex) {
        int year = (int) Math.floorDiv(monthIndex, 12);
        int month = (int) Math.floorMod(monthIndex, 12) + 1;
        return ZonedDateTime.of(year, month, 1, 0, 0, 0, 0, zone).toEpochSecond();
    }
}
