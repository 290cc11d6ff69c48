package jpmacct.core.aggregate;

import java.util.Arrays;

/**
 * The aggregate of one plugin: open addressing with linear probing over one flat {@code long[]}. Each slot holds
 * its stored hash and TCP flags, the counters and the key words side by side, so a lookup touches one or two cache
 * lines (a 5-tuple slot is 64 bytes). One writer thread; no allocation per insert (only when the table grows).
 *
 * <pre>
 * slot: [ hash&lt;&lt;32 | tcp flags ][ packets ][ bytes ][ flows (if kept) ][ time min ][ time max ] (with stitching)
 *       [ key word 0 ] ... [ key word n-1 ]
 * </pre>
 *
 * With stitching ({@code nfacctd_stitching}) an entry keeps pmacct's timestamp_min and timestamp_max: the earliest
 * and the latest time (microseconds since the epoch) of what was added to it; without, the slot has no room for them.
 */
public final class AggregationTable {
    private static final float MAX_LOAD = 0.7f;
    private static final int META = 0;
    private static final int PACKETS = 1;
    private static final int BYTES = 2;

    private final int keyWords;
    private final boolean withFlows;
    private final boolean withTcpFlags;
    /** Offset of timestamp_min in a slot (timestamp_max follows), or -1 without stitching. */
    private final int timeOffset;
    private final int keyOffset;
    private final int stride;
    private final long maxEntries;
    private final long[] scratch;
    private long[] slots;
    private int mask;
    private int size;
    private int growAt;
    private long refused;

    /**
     * @param initialEntries expected number of entries (the table grows past it)
     * @param maxEntries     0 for unlimited; otherwise new keys beyond it are refused and counted
     */
    public AggregationTable(int keyWords, int initialEntries, long maxEntries, boolean withFlows, boolean withTcpFlags) {
        this(keyWords, initialEntries, maxEntries, withFlows, withTcpFlags, false);
    }

    /** @param withStitching whether entries keep the earliest and latest time added to them (nfacctd_stitching) */
    public AggregationTable(int keyWords, int initialEntries, long maxEntries, boolean withFlows, boolean withTcpFlags,
                            boolean withStitching) {
        this.keyWords = keyWords;
        this.withFlows = withFlows;
        this.withTcpFlags = withTcpFlags;
        int counters = withFlows ? 4 : 3;
        this.timeOffset = withStitching ? counters : -1;
        this.keyOffset = withStitching ? counters + 2 : counters;
        this.stride = keyOffset + keyWords;
        this.maxEntries = maxEntries;
        this.scratch = new long[keyWords];
        allocate(capacityFor(Math.max(16, initialEntries)));
    }

    private static int capacityFor(int entries) {
        long needed = (long) Math.ceil(entries / MAX_LOAD);
        int cap = Integer.highestOneBit((int) Math.min(needed, 1 << 30));
        return cap < needed ? cap << 1 : cap;
    }

    private void allocate(int capacity) {
        slots = new long[capacity * stride];
        mask = capacity - 1;
        growAt = (int) (capacity * MAX_LOAD);
    }

    /** Hash of a key; never 0. */
    public static int hash(long[] key, int words) {
        return hash(key, 0, words);
    }

    /** Hash of the key at {@code key[off..off+words)}; never 0. */
    public static int hash(long[] key, int off, int words) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = off; i < off + words; i++) {
            h = Long.rotateLeft(h ^ (key[i] * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        int r = (int) h;
        return r == 0 ? 1 : r;
    }

    /**
     * Adds counters to the entry of {@code key}, creating it if needed.
     *
     * @return false when the key is new and the table is at {@code maxEntries} (the counts are refused)
     */
    public boolean add(long[] key, long pkts, long byteCount, long flowCount, int flags) {
        return add(key, 0, hash(key, 0, keyWords), pkts, byteCount, flowCount, flags, 0, 0);
    }

    /**
     * As {@link #add(long[], long, long, long, int)}, with the times a table with stitching keeps: the earliest
     * {@code timeMin} and the latest {@code timeMax} added to the entry (ignored without stitching).
     */
    public boolean add(long[] key, long pkts, long byteCount, long flowCount, int flags, long timeMin, long timeMax) {
        return add(key, 0, hash(key, 0, keyWords), pkts, byteCount, flowCount, flags, timeMin, timeMax);
    }

    /** Reads the home slot of a hash so that a later {@link #add} finds it in cache; returns it to keep the load. */
    public long touch(int hash) {
        return slots[(hash & mask) * stride];
    }

    /**
     * Adds counters, and with stitching the times {@code timeMin} and {@code timeMax} (microseconds), to the entry
     * of the key at {@code key[off..off+keyWords)} whose hash is already known.
     *
     * @return false when the key is new and the table is at {@code maxEntries} (the counts are refused)
     */
    public boolean add(long[] key, int off, int h, long pkts, long byteCount, long flowCount, int flags,
                       long timeMin, long timeMax) {
        long[] s = slots;
        int slot = h & mask;
        while (true) {
            int base = slot * stride;
            long meta = s[base];
            if (meta == 0) {
                break;
            }
            if ((int) (meta >>> 32) == h && keyEquals(s, base + keyOffset, key, off)) {
                s[base + PACKETS] += pkts;
                s[base + BYTES] += byteCount;
                if (withFlows) {
                    s[base + 3] += flowCount;
                }
                if (withTcpFlags) {
                    s[base] = meta | (flags & 0xFFFFFFFFL);
                }
                if (timeOffset >= 0) {
                    int t = base + timeOffset;
                    s[t] = Math.min(s[t], timeMin);
                    s[t + 1] = Math.max(s[t + 1], timeMax);
                }
                return true;
            }
            slot = (slot + 1) & mask;
        }
        if (maxEntries > 0 && size >= maxEntries) {
            refused++;
            return false;
        }
        if (size >= growAt) {
            grow();
            return add(key, off, h, pkts, byteCount, flowCount, flags, timeMin, timeMax);
        }
        int base = slot * stride;
        s[base] = ((long) h << 32) | (withTcpFlags ? flags & 0xFFFFFFFFL : 0);
        s[base + PACKETS] = pkts;
        s[base + BYTES] = byteCount;
        if (withFlows) {
            s[base + 3] = flowCount;
        }
        if (timeOffset >= 0) {
            s[base + timeOffset] = timeMin;
            s[base + timeOffset + 1] = timeMax;
        }
        System.arraycopy(key, off, s, base + keyOffset, keyWords);
        size++;
        return true;
    }

    private boolean keyEquals(long[] s, int at, long[] key, int off) {
        for (int i = 0; i < keyWords; i++) {
            if (s[at + i] != key[off + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds an entry of another table with the same layout (carrying entries over a purge, merging pending purges):
     * counters add up, times merge into the earliest and the latest.
     */
    public boolean addFrom(AggregationTable other, int slot) {
        int base = slot * other.stride;
        System.arraycopy(other.slots, base + other.keyOffset, scratch, 0, keyWords);
        return add(scratch, other.slots[base + PACKETS], other.slots[base + BYTES], other.flows(slot),
                other.tcpFlags(slot), other.timestampMin(slot), other.timestampMax(slot));
    }

    private void grow() {
        long[] old = slots;
        int oldCapacity = old.length / stride;
        allocate(oldCapacity << 1);
        for (int s = 0; s < oldCapacity; s++) {
            int from = s * stride;
            long meta = old[from];
            if (meta == 0) {
                continue;
            }
            int slot = (int) (meta >>> 32) & mask;
            while (slots[slot * stride] != 0) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(old, from, slots, slot * stride, stride);
        }
    }

    /** The slot of the entry with exactly this key, or -1. */
    public int find(long[] key) {
        int h = hash(key, 0, keyWords);
        int slot = h & mask;
        while (true) {
            int base = slot * stride;
            long meta = slots[base];
            if (meta == 0) {
                return -1;
            }
            if ((int) (meta >>> 32) == h && keyEquals(slots, base + keyOffset, key, 0)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Zeroes the counters (and TCP flags) of an entry, keeping the entry (the client's {@code -r}). */
    public void zeroCounters(int slot) {
        int base = slot * stride;
        slots[base] &= 0xFFFFFFFF00000000L;
        slots[base + PACKETS] = 0;
        slots[base + BYTES] = 0;
        if (withFlows) {
            slots[base + 3] = 0;
        }
    }

    /** Empties the table, keeping its capacity. */
    public void clear() {
        Arrays.fill(slots, 0);
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return mask + 1;
    }

    public int keyWords() {
        return keyWords;
    }

    /** Whether entries keep their earliest and latest time (nfacctd_stitching). */
    public boolean stitching() {
        return timeOffset >= 0;
    }

    /** New keys refused because the table was at its limit, since creation. */
    public long refused() {
        return refused;
    }

    /** Heap bytes held by the table. */
    public long heapBytes() {
        return 16L + 8L * slots.length;
    }

    // ---- iteration: slots 0..capacity()-1, skipping empty ones

    public boolean used(int slot) {
        return slots[slot * stride] != 0;
    }

    /** The array holding the keys; a slot's key starts at {@link #keyBase(int)}. */
    public long[] keyArray() {
        return slots;
    }

    public int keyBase(int slot) {
        return slot * stride + keyOffset;
    }

    public long packets(int slot) {
        return slots[slot * stride + PACKETS];
    }

    public long bytes(int slot) {
        return slots[slot * stride + BYTES];
    }

    public long flows(int slot) {
        return withFlows ? slots[slot * stride + 3] : 0;
    }

    public int tcpFlags(int slot) {
        return withTcpFlags ? (int) slots[slot * stride] : 0;
    }

    /** The earliest time added to the entry, microseconds since the epoch; 0 without stitching. */
    public long timestampMin(int slot) {
        return timeOffset >= 0 ? slots[slot * stride + timeOffset] : 0;
    }

    /** The latest time added to the entry, microseconds since the epoch; 0 without stitching. */
    public long timestampMax(int slot) {
        return timeOffset >= 0 ? slots[slot * stride + timeOffset + 1] : 0;
    }
}
