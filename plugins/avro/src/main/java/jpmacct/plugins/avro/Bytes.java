package jpmacct.plugins.avro;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.avro.io.BinaryData;

/**
 * A growable byte array written by the encoders: Avro's binary primitives (zig-zag varints, length-prefixed UTF-8)
 * and ASCII text for the JSON encoding. Grown, never shrunk, so a plugin's encoder stops allocating once it has seen
 * its largest record.
 */
final class Bytes {
    private byte[] bytes;
    private int length;

    Bytes(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    byte[] copy() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    void put(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, bytes, length, len);
        length += len;
    }

    // ---- Avro binary

    /** An Avro long or int (both are zig-zag varints); also array/map block counts and union branches. */
    void putLong(long v) {
        ensure(10);
        length += BinaryData.encodeLong(v, bytes, length);
    }

    /** An Avro string: its UTF-8 length, then its UTF-8 bytes. */
    void putString(CharSequence s) {
        putString(s, 0, s.length());
    }

    void putString(CharSequence s, int from, int to) {
        putLong(utf8Length(s, from, to));
        ensure(3 * (to - from));
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | (c >>> 6));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                bytes[length++] = (byte) (0xF0 | (cp >>> 18));
                bytes[length++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
                bytes[length++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                bytes[length++] = '?'; // a lone surrogate, as Java's own encoder writes it
            } else {
                bytes[length++] = (byte) (0xE0 | (c >>> 12));
                bytes[length++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    private static int utf8Length(CharSequence s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    // ---- JSON text (ASCII only: every other character is escaped)

    void ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
    }

    void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
    }

    void decimal(long v) {
        if (v == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        length += digits;
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * A JSON string as jansson writes it with JSON_ENSURE_ASCII (libavro's avro_value_to_json): quote and backslash
     * escaped, \b \f \n \r \t by name, other control characters and everything beyond ASCII as \\uXXXX (upper-case
     * hex; UTF-16 surrogate pairs beyond the BMP).
     */
    void jsonString(CharSequence s, int from, int to) {
        ensure(2 + 6 * (to - from));
        bytes[length++] = '"';
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': escape('"'); break;
                case '\\': escape('\\'); break;
                case '\b': escape('b'); break;
                case '\f': escape('f'); break;
                case '\n': escape('n'); break;
                case '\r': escape('r'); break;
                case '\t': escape('t'); break;
                default:
                    if (c < 0x20 || c > 0x7F) {
                        unicodeEscape(c);
                    } else {
                        bytes[length++] = (byte) c;
                    }
                    break;
            }
        }
        bytes[length++] = '"';
    }

    void jsonString(CharSequence s) {
        jsonString(s, 0, s.length());
    }

    private void escape(char c) {
        bytes[length++] = '\\';
        bytes[length++] = (byte) c;
    }

    private void unicodeEscape(char c) {
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        bytes[length++] = HEX[(c >>> 12) & 0xF];
        bytes[length++] = HEX[(c >>> 8) & 0xF];
        bytes[length++] = HEX[(c >>> 4) & 0xF];
        bytes[length++] = HEX[c & 0xF];
    }
}
