package jpmacct.core.config;

/**
 * A history period ({@code *_history}): how many units of which calendar unit one time bin spans.
 *
 * @param count number of units (at least 1)
 * @param unit  one of {@code s m h d w M}
 */
public record History(int count, char unit) {

    public static History parse(String text) {
        String t = text.strip();
        if (t.length() < 2) {
            throw new IllegalArgumentException("expected a count followed by a unit");
        }
        char unit = t.charAt(t.length() - 1);
        if ("smhdwM".indexOf(unit) < 0) {
            throw new IllegalArgumentException("unknown unit '" + unit + "'");
        }
        int count;
        try {
            count = Integer.parseInt(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a count");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        return new History(count, unit);
    }

    /** Length of one bin in seconds; months have no fixed length and return 0. */
    public long seconds() {
        switch (unit) {
            case 's': return count;
            case 'm': return count * 60L;
            case 'h': return count * 3600L;
            case 'd': return count * 86400L;
            case 'w': return count * 7L * 86400L;
            default: return 0;
        }
    }

    public boolean monthly() {
        return unit == 'M';
    }

    @Override
    public String toString() {
        return count + String.valueOf(unit);
    }
}
