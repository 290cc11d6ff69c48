package jpmacct.core.decode.packet;

import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;

/**
 * Gives later IP fragments the ports of their first fragment, as pmacct does. A later fragment that arrives
 * before its first one is held; when the first arrives the held counts are added to it (pmacct's behaviour), and
 * if it never arrives the held fragment is accounted with ports 0 when it expires (pmacct drops it).
 *
 * <p>Open addressing with backward-shift deletion; a fixed pool of held records; no allocation per packet.
 */
public final class FragmentTable {
    private static final byte EMPTY = 0;
    private static final byte KNOWN = 1;
    private static final byte PENDING = 2;

    private final int mask;
    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] dstHi;
    private final long[] dstLo;
    private final long[] misc;
    private final int[] hashes;
    private final byte[] state;
    private final int[] ports;
    private final long[] expires;
    private final int[] pendingIndex;
    private final FlowRecord[] pendingPool;
    private final int[] freePending;
    private int freeCount;
    private int size;
    private final int maxSize;
    private final long timeoutMicros;

    // counters, read by the owner thread's stats
    private long held;
    private long joined;
    private long orphaned;
    private long unmatched;

    public FragmentTable(int entries, int maxPending, long timeoutMillis) {
        int cap = Integer.highestOneBit(Math.max(64, entries * 2 - 1)) << 1;
        this.mask = cap - 1;
        this.maxSize = (int) (cap * 0.7);
        srcHi = new long[cap];
        srcLo = new long[cap];
        dstHi = new long[cap];
        dstLo = new long[cap];
        misc = new long[cap];
        hashes = new int[cap];
        state = new byte[cap];
        ports = new int[cap];
        expires = new long[cap];
        pendingIndex = new int[cap];
        pendingPool = new FlowRecord[maxPending];
        freePending = new int[maxPending];
        for (int i = 0; i < maxPending; i++) {
            pendingPool[i] = new FlowRecord();
            freePending[i] = maxPending - 1 - i;
        }
        freeCount = maxPending;
        timeoutMicros = timeoutMillis * 1000L;
    }

    private static long miscOf(int family, int proto, long id) {
        return ((long) family << 56) | ((long) (proto & 0xFF) << 40) | (id & 0xFFFFFFFFL);
    }

    private int find(long a, long b, long c, long d, long e, int h) {
        int slot = h & mask;
        while (state[slot] != EMPTY) {
            if (hashes[slot] == h && srcHi[slot] == a && srcLo[slot] == b && dstHi[slot] == c && dstLo[slot] == d
                    && misc[slot] == e) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1 - slot;
    }

    /**
     * A first fragment (offset 0, more fragments): remembers its ports and adds any counts held for it.
     */
    public void first(FlowRecord r, long id, long nowMicros) {
        long e = miscOf(r.srcFamily, r.proto, id);
        int h = FlowHash.of(r.srcHi, r.srcLo, r.dstHi, r.dstLo, e);
        int slot = find(r.srcHi, r.srcLo, r.dstHi, r.dstLo, e, h);
        if (slot >= 0) {
            if (state[slot] == PENDING) {
                FlowRecord p = pendingPool[pendingIndex[slot]];
                r.packets += p.packets;
                r.bytes += p.bytes;
                releasePending(slot);
                joined += p.packets;
            }
        } else {
            if (size >= maxSize) {
                return; // full: later fragments will be accounted without ports (counted there)
            }
            slot = -1 - slot;
            insert(slot, r, e, h);
        }
        state[slot] = KNOWN;
        ports[slot] = (r.srcPort << 16) | r.dstPort;
        expires[slot] = nowMicros + timeoutMicros;
    }

    /**
     * A later fragment (offset > 0). Sets its ports from the first fragment and returns true, or holds it and
     * returns false.
     */
    public boolean later(FlowRecord r, long id, long nowMicros) {
        long e = miscOf(r.srcFamily, r.proto, id);
        int h = FlowHash.of(r.srcHi, r.srcLo, r.dstHi, r.dstLo, e);
        int slot = find(r.srcHi, r.srcLo, r.dstHi, r.dstLo, e, h);
        if (slot >= 0) {
            if (state[slot] == KNOWN) {
                r.srcPort = ports[slot] >>> 16;
                r.dstPort = ports[slot] & 0xFFFF;
                expires[slot] = nowMicros + timeoutMicros;
                return true;
            }
            FlowRecord p = pendingPool[pendingIndex[slot]];
            p.packets += r.packets;
            p.bytes += r.bytes;
            held++;
            return false;
        }
        if (size >= maxSize || freeCount == 0) {
            unmatched++;
            return true;
        }
        slot = -1 - slot;
        insert(slot, r, e, h);
        int pi = freePending[--freeCount];
        pendingIndex[slot] = pi;
        FlowRecord p = pendingPool[pi];
        p.copyFrom(r);
        p.srcPort = 0;
        p.dstPort = 0;
        state[slot] = PENDING;
        expires[slot] = nowMicros + timeoutMicros;
        held++;
        return false;
    }

    private void insert(int slot, FlowRecord r, long e, int h) {
        srcHi[slot] = r.srcHi;
        srcLo[slot] = r.srcLo;
        dstHi[slot] = r.dstHi;
        dstLo[slot] = r.dstLo;
        misc[slot] = e;
        hashes[slot] = h;
        size++;
    }

    private void releasePending(int slot) {
        freePending[freeCount++] = pendingIndex[slot];
    }

    /** Removes expired entries; held fragments whose first fragment never came are written to {@code sink}. */
    public int expire(long nowMicros, RecordSink sink) throws InterruptedException {
        int emitted = 0;
        for (int slot = 0; slot <= mask; slot++) {
            while (state[slot] != EMPTY && expires[slot] < nowMicros) {
                emitted += evict(slot, sink);
            }
        }
        return emitted;
    }

    /** Accounts every held fragment and empties the table (end of input, shutdown). */
    public int flush(RecordSink sink) throws InterruptedException {
        return expire(Long.MAX_VALUE, sink);
    }

    private int evict(int slot, RecordSink sink) throws InterruptedException {
        int emitted = 0;
        if (state[slot] == PENDING) {
            FlowRecord held = pendingPool[pendingIndex[slot]];
            FlowRecord out = sink.slot();
            out.copyFrom(held);
            sink.commit();
            releasePending(slot);
            orphaned += held.packets;
            emitted = 1;
        }
        delete(slot);
        return emitted;
    }

    private void delete(int slot) {
        int i = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            if (state[j] == EMPTY) {
                break;
            }
            int home = hashes[j] & mask;
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (between) {
                continue;
            }
            srcHi[i] = srcHi[j];
            srcLo[i] = srcLo[j];
            dstHi[i] = dstHi[j];
            dstLo[i] = dstLo[j];
            misc[i] = misc[j];
            hashes[i] = hashes[j];
            state[i] = state[j];
            ports[i] = ports[j];
            expires[i] = expires[j];
            pendingIndex[i] = pendingIndex[j];
            i = j;
        }
        state[i] = EMPTY;
        size--;
    }

    public int size() {
        return size;
    }

    /** Slots in the table (a sweep visits each). */
    public int capacity() {
        return mask + 1;
    }

    /** Later fragments held for their first fragment, in total. */
    public long held() {
        return held;
    }

    /** Held fragments later joined with their first fragment. */
    public long joined() {
        return joined;
    }

    /** Held fragments accounted without ports because their first fragment never came. */
    public long orphaned() {
        return orphaned;
    }

    /** Later fragments accounted without ports because the table was full. */
    public long unmatched() {
        return unmatched;
    }
}
