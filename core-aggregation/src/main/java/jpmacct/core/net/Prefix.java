package jpmacct.core.net;

import jpmacct.core.record.Addr;

/** An IPv4 or IPv6 address or prefix, as maps and filters name them ({@code 192.0.2.0/24}, {@code 2001:db8::/32}). */
public record Prefix(int family, long hi, long lo, int length) {

    /**
     * @param where appended to error messages (file and line, or a position in a filter)
     * @throws IllegalArgumentException for a malformed address or length
     */
    public static Prefix parse(String text, String where) {
        int slash = text.indexOf('/');
        Addr.Parsed a = Addr.parse(slash < 0 ? text : text.substring(0, slash));
        if (a == null) {
            throw new IllegalArgumentException("'" + text + "'" + where + " is not an address or prefix");
        }
        int max = a.family() == Addr.V4 ? 32 : 128;
        int len;
        try {
            len = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            len = -1;
        }
        if (len < 0 || len > max) {
            throw new IllegalArgumentException("'" + text + "'" + where + ": prefix length out of 0-" + max);
        }
        return new Prefix(a.family(), a.hi(), a.lo(), len);
    }

    public boolean contains(int f, long h, long l) {
        if (f != family) {
            return false;
        }
        if (family == Addr.V4) {
            long mask = length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
            return (l & mask) == (lo & mask);
        }
        if (length <= 64) {
            long mask = length == 0 ? 0 : -1L << (64 - length);
            return (h & mask) == (hi & mask);
        }
        long mask = length == 128 ? -1L : -1L << (128 - length);
        return h == hi && (l & mask) == (lo & mask);
    }
}
