package jpmacct.plugins.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The bytes of a message being composed; reused from message to message. */
public final class MessageBuffer {
    private byte[] bytes = new byte[4096];
    private int size;
    /** Scratch for {@link #append(CharSequence)}. */
    private char[] chars = new char[1024];

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    public void write(byte b) {
        room(1);
        bytes[size++] = b;
    }

    public void write(byte[] b, int off, int len) {
        room(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    public void write(MessageBuffer other) {
        write(other.bytes, 0, other.size);
    }

    /** Appends text as UTF-8. */
    public void append(CharSequence text) {
        int n = text.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        // one bulk copy out of the builder, then a plain loop: faster than charAt through the interface
        if (text instanceof String s) {
            s.getChars(0, n, chars, 0);
        } else if (text instanceof StringBuilder b) {
            b.getChars(0, n, chars, 0);
        } else {
            for (int i = 0; i < n; i++) {
                chars[i] = text.charAt(i);
            }
        }
        room(n);
        byte[] out = bytes;
        int at = size;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c >= 0x80) {
                // rare in JSON here (labels, interface names): encode the rest the slow way
                size = at + i;
                byte[] rest = new String(chars, i, n - i).getBytes(StandardCharsets.UTF_8);
                write(rest, 0, rest.length);
                return;
            }
            out[at + i] = (byte) c;
        }
        size = at + n;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** The bytes as text, for debug lines. */
    String text() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    private void room(int n) {
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
    }
}
