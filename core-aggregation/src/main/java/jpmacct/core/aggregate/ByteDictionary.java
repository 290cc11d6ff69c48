package jpmacct.core.aggregate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Interns byte strings (custom primitive values too long for two key words, or of variable length) to small ids,
 * so keys stay fixed-width. A value already known is found without allocating; a new one is copied once. Id 0 is
 * "absent". One writer (the plugin's thread); readers on other threads (purge writers, memory queries) see every
 * value whose id they read from a key handed to them.
 */
public final class ByteDictionary {
    private int[] slots = new int[64];
    private int[] hashes = new int[16];
    private byte[][] values = new byte[16][];
    /** Ids handed out plus one; written after the value it publishes. */
    private volatile int size = 1;
    private volatile byte[][] published = values;

    /** The id of {@code len} bytes of {@code b} from {@code off}, added when new. */
    public int id(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        int mask = slots.length - 1;
        int i = h & mask;
        while (true) {
            int id = slots[i];
            if (id == 0) {
                break;
            }
            if (hashes[id] == h && Arrays.equals(values[id], 0, values[id].length, b, off, off + len)) {
                return id;
            }
            i = (i + 1) & mask;
        }
        int id = size;
        if (id == values.length) {
            values = Arrays.copyOf(values, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
        }
        values[id] = Arrays.copyOfRange(b, off, off + len);
        hashes[id] = h;
        slots[i] = id;
        published = values;
        size = id + 1;
        if (2 * (id + 1) > slots.length) {
            rehash();
        }
        return id;
    }

    /** The bytes of an id (not to be changed), or null for 0 and ids not handed out. */
    public byte[] value(int id) {
        int n = size;
        byte[][] v = published;
        return id > 0 && id < n ? v[id] : null;
    }

    /** Distinct values interned. */
    public int size() {
        return size - 1;
    }

    private void rehash() {
        int[] fresh = new int[slots.length * 2];
        int mask = fresh.length - 1;
        for (int id = 1; id < size; id++) {
            int i = hashes[id] & mask;
            while (fresh[i] != 0) {
                i = (i + 1) & mask;
            }
            fresh[i] = id;
        }
        slots = fresh;
    }

    /** Eight bytes at a time (SRv6 segment lists are up to 256 bytes), then the rest one by one. */
    private static int hash(byte[] b, int off, int len) {
        long h = 0xCBF29CE484222325L ^ len;
        int i = off;
        for (int end = off + (len & ~7); i < end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        for (int end = off + len; i < end; i++) {
            h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 16));
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
