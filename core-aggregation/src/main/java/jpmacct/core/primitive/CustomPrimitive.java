package jpmacct.core.primitive;

import java.util.Locale;

import jpmacct.core.record.Addr;

/**
 * One entry of {@code aggregate_primitives}: a primitive defined by the user over a NetFlow v9 / IPFIX information
 * element. Its value is kept in two 64-bit words (at most 16 bytes), so keys and records stay fixed-size.
 *
 * @param name       the primitive's name in {@code aggregate} and in output headers (lower case)
 * @param enterprise IPFIX private enterprise number, 0 for IANA elements
 * @param type       information element id
 * @param length     bytes the element must have to be taken (pmacct copies only on an exact length match)
 * @param semantics  how it prints
 * @param slot       index among the daemon's custom primitives: where records carry it
 */
public record CustomPrimitive(String name, long enterprise, int type, int length, Semantics semantics, int slot) {
    /** At most this many bytes per value. */
    public static final int MAX_LENGTH = 16;

    /** pmacct's custom primitive semantics. */
    public enum Semantics {
        U_INT, HEX, STR, IP, MAC, RAW;

        public static Semantics parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
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
                value = length;
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
                if (length == 6) {
                    Addr.appendMac(sb, lo);
                }
                break;
            case STR:
                for (int i = 0; i < length; i++) {
                    int c = byteAt(hi, lo, i);
                    if (c == 0) {
                        break;
                    }
                    sb.append((char) c);
                }
                break;
            default: // RAW: upper-case hex bytes joined by '-'
                for (int i = 0; i < length; i++) {
                    if (i > 0) {
                        sb.append('-');
                    }
                    int c = byteAt(hi, lo, i);
                    sb.append(Character.toUpperCase(Character.forDigit(c >>> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
                break;
        }
    }

    /** Byte {@code i} of the value as it arrived (the value's bytes are the last {@code length} of hi:lo). */
    private int byteAt(long hi, long lo, int i) {
        int fromEnd = length - 1 - i; // 0 = last byte
        long word = fromEnd < 8 ? lo : hi;
        return (int) (word >>> (8 * (fromEnd % 8))) & 0xFF;
    }
}
