package jpmacct.core.output;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * pmacct's timestamp text ({@code compose_timestamp}): {@code 2023-11-14 22:13:00[.uuuuuu]} in local time (or UTC
 * with {@code timestamps_utc}), RFC 3339 with {@code timestamps_rfc3339}, or epoch seconds with
 * {@code timestamps_since_epoch}; RFC 9557 with {@code timestamps_rfc9557} (pmacct 1.8), which writes a zero offset
 * {@code +00:00} where RFC 3339 output has {@code Z}.
 *
 * @param sinceEpoch {@code timestamps_since_epoch}
 * @param rfc3339    {@code timestamps_rfc3339} or {@code timestamps_rfc9557}: a {@code T} between date and time, and
 *                   the UTC offset after them
 * @param zone       output zone: UTC with {@code timestamps_utc}, else the local zone
 * @param rfc9557    {@code timestamps_rfc9557}: a zero offset written {@code +00:00}, not {@code Z}
 */
public record Timestamps(boolean sinceEpoch, boolean rfc3339, ZoneId zone, boolean rfc9557) {

    public Timestamps(boolean sinceEpoch, boolean rfc3339, ZoneId zone) {
        this(sinceEpoch, rfc3339, zone, false);
    }

    public static Timestamps defaults() {
        return new Timestamps(false, false, ZoneId.systemDefault());
    }

    /** From the keys: timestamps_since_epoch, timestamps_rfc3339, timestamps_rfc9557, timestamps_utc. */
    public static Timestamps configured(boolean sinceEpoch, boolean rfc3339, boolean rfc9557, boolean utc) {
        return new Timestamps(sinceEpoch, rfc3339 || rfc9557, utc ? ZoneOffset.UTC : ZoneId.systemDefault(), rfc9557);
    }

    public boolean utc() {
        return zone.equals(ZoneOffset.UTC);
    }

    /** Appends a timestamp given in microseconds since the epoch. */
    public void append(StringBuilder sb, long micros, boolean withMicros) {
        long sec = Math.floorDiv(micros, 1_000_000L);
        long usec = Math.floorMod(micros, 1_000_000L);
        if (sinceEpoch) {
            sb.append(sec);
            if (withMicros) {
                sb.append('.');
                pad(sb, usec, 6);
            }
            return;
        }
        ZonedDateTime t = null;
        if (sec != 0) {
            t = Instant.ofEpochSecond(sec).atZone(zone);
            pad(sb, t.getYear(), 4);
            sb.append('-');
            pad(sb, t.getMonthValue(), 2);
            sb.append('-');
            pad(sb, t.getDayOfMonth(), 2);
            sb.append(rfc3339 ? 'T' : ' ');
            pad(sb, t.getHour(), 2);
            sb.append(':');
            pad(sb, t.getMinute(), 2);
            sb.append(':');
            pad(sb, t.getSecond(), 2);
        } else {
            sb.append(rfc3339 ? "0000-00-00T00:00:00" : "0000-00-00 00:00:00");
        }
        if (withMicros) {
            sb.append('.');
            pad(sb, usec, 6);
        }
        if (rfc3339) {
            int offset = t == null ? 0 : t.getOffset().getTotalSeconds();
            if (offset == 0 && !rfc9557) {
                sb.append('Z');
            } else {
                sb.append(offset < 0 ? '-' : '+');
                int a = Math.abs(offset);
                pad(sb, a / 3600, 2);
                sb.append(':');
                pad(sb, (a / 60) % 60, 2);
            }
        }
    }

    private static void pad(StringBuilder sb, long v, int digits) {
        String s = Long.toString(v);
        for (int i = s.length(); i < digits; i++) {
            sb.append('0');
        }
        sb.append(s);
    }
}
