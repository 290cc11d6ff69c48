package jpmacct.core.primitive;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jpmacct.core.record.Addr;

/**
 * One entry of {@code aggregate_primitives}: a primitive defined by the user over a NetFlow v9 / IPFIX information
 * element. A value of at most 16 bytes that prints from its bytes alone ({@link #inWords()}) is kept in two key
 * words; longer ones, {@code len=vlen} ones and {@code raw} ones (whose text depends on the length that arrived)
 * are interned per plugin and keyed by id.
 *
 * @param name       the primitive's name in {@code aggregate} and in output headers (lower case)
 * @param enterprise IPFIX private enterprise number, 0 for IANA elements
 * @param type       information element id
 * @param length     bytes the element must have to be taken (pmacct copies only on an exact length match, except
 *                   for {@code raw}); {@link #VARIABLE} for {@code len=vlen}
 * @param semantics  how it prints
 * @param slot       index among the daemon's custom primitives: where records carry it
 * @param repeat     how many primitives defined before this one name the same element: beyond pmacct's legacy
 *                   element range (or with an enterprise) the n-th such primitive reads the element's n-th
 *                   occurrence in a template
 */
public record CustomPrimitive(String name, long enterprise, int type, int length, Semantics semantics, int slot,
                              int repeat) {
    /** {@code len=vlen}: the value is as long as the element that arrived. */
    public static final int VARIABLE = 0;
    /** The longest fixed length pmacct accepts (65535 is its variable-length marker). */
    public static final int MAX_LENGTH = 65534;
    /**
     * Values longer than this are cut: a record keeps at most this many bytes of each (records are reused, and
     * each keeps room for the longest values it has carried).
     */
    public static final int MAX_KEPT = 1024;
    /** Values up to this long that print from their bytes alone are kept in two key words. */
    public static final int WORDS_BYTES = 16;

    /** pmacct's custom primitive semantics. */
    public enum Semantics {
        U_INT, HEX, STR, IP, MAC, RAW;

        public static Semantics parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    public CustomPrimitive(String name, long enterprise, int type, int length, Semantics semantics, int slot) {
        this(name, enterprise, type, length, semantics, slot, 0);
    }

    public boolean variable() {
        return length == VARIABLE;
    }

    /** Whether the value lives in two key words (fixed length up to 16 bytes, not raw) rather than interned. */
    public boolean inWords() {
        return !variable() && semantics != Semantics.RAW && length <= WORDS_BYTES;
    }

    /**
     * How many bytes of an element of {@code fieldLength} bytes a record keeps, or -1 when pmacct would not take
     * it: other semantics need the exact length; {@code raw} takes any length and prints the first {@code length}
     * bytes and a dash when there were more (one byte beyond is kept to know it); all are cut at
     * {@link #MAX_KEPT}.
     */
    public int kept(int fieldLength) {
        int n;
        if (variable()) {
            n = fieldLength;
        } else if (semantics == Semantics.RAW) {
            n = Math.min(fieldLength, length + 1);
        } else {
            n = fieldLength == length ? length : -1;
        }
        return Math.min(n, MAX_KEPT);
    }

    /** Bytes pmacct reserves for the value in a plugin's buffer (a raw value is kept as text, 3 per byte). */
    public int reserved() {
        return variable() ? 0 : semantics == Semantics.RAW ? 3 * length + 1 : length;
    }

    /** Formatted-output width, as pmacct sizes it: the value's width or the name's, whichever is wider. */
    public int formattedWidth() {
        int value;
        switch (semantics) {
            case U_INT:
            case HEX:
                value = length == 1 ? 3 : length == 2 ? 5 : length == 4 ? 10 : 20;
                break;
            case IP:
                value = 46;
                break;
            case MAC:
                value = 17;
                break;
            default:
                value = length; // vlen: pmacct refuses formatted output; the name's width here
                break;
        }
        return Math.max(value, name.length());
    }

    /** Appends the value held in {@code hi}/{@code lo} (big-endian, right-aligned in the 16 bytes). */
    public void appendValue(StringBuilder sb, long hi, long lo) {
        switch (semantics) {
            case U_INT:
                sb.append(Long.toUnsignedString(lo));
                break;
            case HEX:
                sb.append(Long.toHexString(lo));
                break;
            case IP:
                if (length == 4) {
                    Addr.appendV4(sb, (int) lo);
                } else if (length == 16) {
                    Addr.appendV6(sb, hi, lo);
                }
                break;
            case MAC:
                appendMac(sb, bytes(hi, lo));
                break;
            default: // STR (RAW is never in words)
                appendText(sb, bytes(hi, lo), length);
                break;
        }
    }

    /** The value's bytes as they arrived, from their right-aligned place in hi:lo. */
    private byte[] bytes(long hi, long lo) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            int fromEnd = length - 1 - i;
            b[i] = (byte) ((fromEnd < 8 ? lo : hi) >>> (8 * (fromEnd % 8)));
        }
        return b;
    }

    /**
     * Appends an interned value: its bytes as kept ({@link #kept}), or null when the record did not carry it
     * (a fixed-length value then prints as pmacct prints its zeroed buffer).
     */
    public void appendValue(StringBuilder sb, byte[] value) {
        if (value == null) {
            if (!variable() && semantics != Semantics.RAW && semantics != Semantics.STR) {
                appendZeroes(sb);
            }
            return;
        }
        switch (semantics) {
            case STR:
                appendText(sb, value, value.length);
                break;
            case RAW: {
                int shown = variable() ? value.length : Math.min(value.length, length);
                for (int i = 0; i < shown; i++) {
                    if (i > 0) {
                        sb.append('-');
                    }
                    int c = value[i] & 0xFF;
                    sb.append(Character.toUpperCase(Character.forDigit(c >>> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
                if (shown < value.length) {
                    sb.append('-'); // pmacct's text buffer ends mid-way, after the dash
                }
                break;
            }
            case MAC:
                appendMac(sb, value);
                break;
            default:
                break; // an IP of a length other than 4 or 16 prints nothing, as in pmacct
        }
    }

    private void appendZeroes(StringBuilder sb) {
        if (semantics == Semantics.MAC) {
            appendMac(sb, new byte[6]);
        }
    }

    private static void appendMac(StringBuilder sb, byte[] value) {
        if (value.length < 6) {
            return;
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (value[i] & 0xFF);
        }
        Addr.appendMac(sb, mac);
    }

    /** Text up to the first NUL, read as UTF-8 (pmacct writes the bytes as they are). */
    private static void appendText(StringBuilder sb, byte[] b, int len) {
        int end = 0;
        while (end < len && b[end] != 0) {
            end++;
        }
        sb.append(new String(b, 0, end, StandardCharsets.UTF_8));
    }
}
