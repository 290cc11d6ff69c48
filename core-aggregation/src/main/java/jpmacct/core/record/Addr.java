package jpmacct.core.record;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP addresses as (family, hi, lo) without objects: parsing for config and maps, formatting for output in
 * pmacct's (and inet_ntop's) textual forms.
 */
public final class Addr {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    public static final int NONE = 0;
    public static final int V4 = 4;
    public static final int V6 = 6;

    private Addr() {
    }

    /** Parsed address, for config files and maps (not the hot path). */
    public record Parsed(int family, long hi, long lo) {
        public int v4() {
            return (int) lo;
        }
    }

    /** Parses a literal IPv4 or IPv6 address; returns null when it is not one. No name resolution. */
    public static Parsed parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        if (t.indexOf(':') < 0) {
            int v = parseV4(t);
            return v == -1 && !t.equals("255.255.255.255") ? null : new Parsed(V4, 0, v & 0xFFFFFFFFL);
        }
        if (!t.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(t).getAddress();
            if (b.length == 4) {
                // "::ffff:a.b.c.d" comes back as IPv4 from InetAddress; keep it IPv6 as written
                return new Parsed(V6, 0, 0x0000FFFF00000000L | (toInt(b, 0) & 0xFFFFFFFFL));
            }
            return new Parsed(V6, toLong(b, 0), toLong(b, 8));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Dotted quad to int, or -1 when malformed (note: 255.255.255.255 is also -1; callers check). */
    public static int parseV4(String t) {
        int value = 0;
        int parts = 0;
        int i = 0;
        int n = t.length();
        while (i < n) {
            int start = i;
            int octet = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                octet = octet * 10 + (t.charAt(i) - '0');
                if (octet > 255 || i - start > 2) {
                    return -1;
                }
                i++;
            }
            if (i == start) {
                return -1;
            }
            value = (value << 8) | octet;
            parts++;
            if (i < n) {
                if (t.charAt(i) != '.' || parts == 4) {
                    return -1;
                }
                i++;
                if (i == n) {
                    return -1;
                }
            }
        }
        return parts == 4 ? value : -1;
    }

    private static int toInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static long toLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** Appends the address as inet_ntop does; an address of family NONE prints as pmacct's empty value. */
    public static StringBuilder append(StringBuilder sb, int family, long hi, long lo) {
        if (family == V4) {
            appendV4(sb, (int) lo);
        } else if (family == V6) {
            appendV6(sb, hi, lo);
        }
        return sb;
    }

    public static String toString(int family, long hi, long lo) {
        return append(new StringBuilder(40), family, hi, lo).toString();
    }

    /**
     * A socket's or an exporter's address as log lines name it, as inet_ntop does: IPv6 in its short form (::1),
     * without the scope Java's text may carry (0:0:0:0:0:0:0:1%0).
     */
    public static String toString(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == 4 ? address.getHostAddress() : toString(V6, word(a, 0), word(a, 8));
    }

    /** Eight bytes of an address from {@code from}, big-endian: the hi or lo half of an IPv6 address. */
    public static long word(byte[] a, int from) {
        long w = 0;
        for (int i = from; i < from + 8; i++) {
            w = (w << 8) | (a[i] & 0xFF);
        }
        return w;
    }

    public static void appendV4(StringBuilder sb, int v) {
        sb.append((v >>> 24) & 0xFF).append('.').append((v >>> 16) & 0xFF).append('.')
                .append((v >>> 8) & 0xFF).append('.').append(v & 0xFF);
    }

    /** RFC 5952 text: lower case, longest run of two or more zero groups as "::", first run on ties. */
    public static void appendV6(StringBuilder sb, long hi, long lo) {
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (group(hi, lo, i) == 0) {
                int j = i;
                while (j < 8 && group(hi, lo, j) == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestLen = j - i;
                    bestStart = i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        // IPv4-mapped and IPv4-compatible forms, as glibc's inet_ntop prints them
        if (bestStart == 0 && (bestLen == 6 || (bestLen == 5 && group(hi, lo, 5) == 0xFFFF))) {
            sb.append(bestLen == 6 ? "::" : "::ffff:");
            appendV4(sb, (int) lo);
            return;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            appendHexGroup(sb, group(hi, lo, i));
        }
    }

    /** Group {@code i} (0-7) of an IPv6 address, most significant first. */
    private static int group(long hi, long lo, int i) {
        long half = i < 4 ? hi : lo;
        return (int) (half >>> (48 - 16 * (i & 3))) & 0xFFFF;
    }

    /** A 16-bit group in lower-case hex without leading zeros, straight into the text (a purge prints millions). */
    private static void appendHexGroup(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int digit = (v >>> shift) & 0xF;
            if (digit != 0 || started || shift == 0) {
                sb.append(HEX[digit]);
                started = true;
            }
        }
    }

    /** MAC address in pmacct's form: two lower-case hex digits per byte, colon separated. */
    public static void appendMac(StringBuilder sb, long mac) {
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
    }

    /** Parses aa:bb:cc:dd:ee:ff (or with '-'); returns -1 when malformed. */
    public static long parseMac(String text) {
        String[] parts = text.strip().split("[:-]");
        if (parts.length != 6) {
            return -1;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                return -1;
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return v;
    }
}
