package jpmacct.core.output;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/** strftime(3) in the C locale, for dynamic file and table names ({@code %Y%m%d-%H%M}). */
public final class Strftime {
    private Strftime() {
    }

    public static boolean hasEscapes(String pattern) {
        return pattern.indexOf('%') >= 0;
    }

    public static String format(String pattern, long epochSeconds, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
        StringBuilder sb = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                sb.append(c);
                continue;
            }
            char f = pattern.charAt(++i);
            switch (f) {
                case 'Y': sb.append(t.getYear()); break;
                case 'C': pad(sb, t.getYear() / 100, 2, '0'); break;
                case 'y': pad(sb, t.getYear() % 100, 2, '0'); break;
                case 'G': sb.append(t.get(IsoFields.WEEK_BASED_YEAR)); break;
                case 'g': pad(sb, t.get(IsoFields.WEEK_BASED_YEAR) % 100, 2, '0'); break;
                case 'm': pad(sb, t.getMonthValue(), 2, '0'); break;
                case 'd': pad(sb, t.getDayOfMonth(), 2, '0'); break;
                case 'e': pad(sb, t.getDayOfMonth(), 2, ' '); break;
                case 'j': pad(sb, t.getDayOfYear(), 3, '0'); break;
                case 'H': pad(sb, t.getHour(), 2, '0'); break;
                case 'k': pad(sb, t.getHour(), 2, ' '); break;
                case 'I': pad(sb, hour12(t), 2, '0'); break;
                case 'l': pad(sb, hour12(t), 2, ' '); break;
                case 'M': pad(sb, t.getMinute(), 2, '0'); break;
                case 'S': pad(sb, t.getSecond(), 2, '0'); break;
                case 'p': sb.append(t.getHour() < 12 ? "AM" : "PM"); break;
                case 's': sb.append(epochSeconds); break;
                case 'u': sb.append(t.getDayOfWeek().getValue()); break;
                case 'w': sb.append(t.getDayOfWeek().getValue() % 7); break;
                case 'V': pad(sb, t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0'); break;
                case 'U': pad(sb, (t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7, 2, '0'); break;
                case 'W': pad(sb, (t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7, 2, '0'); break;
                case 'a': sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US)); break;
                case 'A': sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US)); break;
                case 'b': case 'h': sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US)); break;
                case 'B': sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US)); break;
                case 'D': sb.append(format("%m/%d/%y", epochSeconds, zone)); break;
                case 'F': sb.append(format("%Y-%m-%d", epochSeconds, zone)); break;
                case 'R': sb.append(format("%H:%M", epochSeconds, zone)); break;
                case 'T': sb.append(format("%H:%M:%S", epochSeconds, zone)); break;
                case 'c': sb.append(format("%a %b %e %H:%M:%S %Y", epochSeconds, zone)); break;
                case 'x': sb.append(format("%m/%d/%y", epochSeconds, zone)); break;
                case 'X': sb.append(format("%H:%M:%S", epochSeconds, zone)); break;
                case 'z': {
                    int off = t.getOffset().getTotalSeconds();
                    sb.append(off < 0 ? '-' : '+');
                    off = Math.abs(off);
                    pad(sb, off / 3600, 2, '0');
                    pad(sb, (off / 60) % 60, 2, '0');
                    break;
                }
                case 'Z': sb.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.US)); break;
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case '%': sb.append('%'); break;
                default: sb.append('%').append(f); break;
            }
        }
        return sb.toString();
    }

    private static int hour12(ZonedDateTime t) {
        int h = t.get(ChronoField.CLOCK_HOUR_OF_AMPM);
        return h;
    }

    private static void pad(StringBuilder sb, int v, int width, char fill) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append(fill);
        }
        sb.append(s);
    }
}
