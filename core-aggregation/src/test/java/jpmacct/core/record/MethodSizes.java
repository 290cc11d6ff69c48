package jpmacct.core.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of bytecode of a method, read from its class file: C2 inlines a hot method only up to
 * {@link #HOT_INLINE_LIMIT} bytes, and a decoder's helper that grows past it becomes a call on every record.
 */
public final class MethodSizes {
    /** C2's FreqInlineSize (its default): a hot method of more bytes of bytecode is not inlined. */
    public static final int HOT_INLINE_LIMIT = 325;

    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_LONG = 5;
    private static final int CONSTANT_DOUBLE = 6;

    private MethodSizes() {
    }

    /** The code length of the only method named {@code name} in class {@code c}. */
    public static int codeLength(Class<?> c, String name) throws IOException {
        return codeLength(c, name, null);
    }

    /**
     * The code length of method {@code name} with {@code descriptor} (e.g. "(Z)V") in class {@code c}; any
     * descriptor when null, as long as one method has the name.
     */
    public static int codeLength(Class<?> c, String name, String descriptor) throws IOException {
        ByteBuffer b;
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            b = ByteBuffer.wrap(in.readAllBytes());
        }
        b.position(8); // magic, minor and major version
        String[] utf8 = new String[b.getShort() & 0xFFFF];
        for (int i = 1; i < utf8.length; i++) {
            int tag = b.get();
            switch (tag) {
                case CONSTANT_UTF8 -> {
                    byte[] s = new byte[b.getShort() & 0xFFFF];
                    b.get(s);
                    utf8[i] = new String(s, StandardCharsets.UTF_8);
                }
                case CONSTANT_LONG, CONSTANT_DOUBLE -> {
                    skip(b, 8);
                    i++; // they take two entries
                }
                case 7, 8, 16, 19, 20 -> skip(b, 2); // class, string, method type, module, package
                case 15 -> skip(b, 3); // method handle
                default -> skip(b, 4); // integer, float, references, name and type, dynamic
            }
        }
        skip(b, 6); // access flags, this and super class
        skip(b, 2 * (b.getShort() & 0xFFFF)); // interfaces
        skipMembers(b); // fields
        int methods = b.getShort() & 0xFFFF;
        int found = 0;
        int codeLength = -1;
        for (int m = 0; m < methods; m++) {
            skip(b, 2);
            boolean wanted = name.equals(utf8[b.getShort() & 0xFFFF]);
            wanted &= descriptor == null | utf8[b.getShort() & 0xFFFF].equals(descriptor);
            int attributes = b.getShort() & 0xFFFF;
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[b.getShort() & 0xFFFF];
                int length = b.getInt();
                if (wanted && attribute.equals("Code")) {
                    found++;
                    codeLength = b.getInt(b.position() + 4); // after max_stack and max_locals
                }
                skip(b, length);
            }
        }
        if (found != 1) {
            throw new IllegalArgumentException(c.getName() + " has " + found + " methods " + name
                    + (descriptor == null ? "" : descriptor) + " with code, not one");
        }
        return codeLength;
    }

    private static void skipMembers(ByteBuffer b) {
        int count = b.getShort() & 0xFFFF;
        for (int k = 0; k < count; k++) {
            skip(b, 6); // access flags, name, descriptor
            int attributes = b.getShort() & 0xFFFF;
            for (int a = 0; a < attributes; a++) {
                skip(b, 2);
                skip(b, b.getInt());
            }
        }
    }

    private static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }
}
