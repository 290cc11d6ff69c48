package jpmacct.plugins.nfprobe;

import java.util.Arrays;

/**
 * softflowd's flow table as pmacct's nfprobe keeps it: one entry per bidirectional flow, keyed canonically
 * (lower address first) by addresses, protocol, ports and interfaces, with counters per side (side 0 is the
 * lower address as source). Entries live in parallel primitive arrays indexed by slot; a linear-probing index
 * finds them. Each entry sits on the list of its expiry rule (tcp, tcp.rst, ...), kept in last-packet order, so
 * the head of each list is the next to expire under that rule and the cache never sorts or allocates.
 */
final class FlowCache {
    static final int RULE_GENERAL = 0;
    static final int RULE_TCP = 1;
    static final int RULE_TCP_RST = 2;
    static final int RULE_TCP_FIN = 3;
    static final int RULE_UDP = 4;
    static final int RULE_ICMP = 5;
    static final int RULES = 6;
    static final int NONE = -1;

    final int capacity;
    private final int mask;
    /** Open addressing: hash << 32 | slot + 1, 0 when empty, so a probe rarely touches a wrong slot's key. */
    private final long[] index;

    /**
     * Per slot, 16 words (two cache lines) so that one packet touches one place: the key (a0 hi, a0 lo, a1 hi,
     * a1 lo, family|proto|port0|port1, if0|if1), packets and octets per side, first and last packet (micros),
     * expiry second, flags|tos|direction|rule|vlan of both sides, MAC per side.
     */
    private static final int WORDS = 16;
    private static final int PACKETS = 6;
    private static final int OCTETS = 8;
    private static final int START = 10;
    private static final int LAST = 11;
    private static final int EXPIRES = 12;
    private static final int SMALL = 13;
    private static final int MAC = 14;
    private final long[] slots;
    private final int[] hash;
    private final int[] prev;
    private final int[] next;
    private final int[] head = new int[RULES];
    private final int[] tail = new int[RULES];
    private final int[] free;
    private int freeCount;
    private int size;

    FlowCache(int capacity) {
        this.capacity = capacity;
        int tableSize = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        this.mask = tableSize - 1;
        this.index = new long[tableSize];
        this.slots = new long[capacity * WORDS];
        hash = new int[capacity];
        prev = new int[capacity];
        next = new int[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    private static int hashOf(int fam, long a0h, long a0l, long a1h, long a1l, int pr, int p0, int p1, long i0,
                              long i1) {
        long h = a0l * 0x9E3779B97F4A7C15L;
        h = (h ^ a1l) * 0x9E3779B97F4A7C15L;
        h = (h ^ a0h ^ (a1h << 1)) * 0x9E3779B97F4A7C15L;
        h = (h ^ ((long) p0 << 32 | (long) p1 << 16 | pr << 4 | fam)) * 0x9E3779B97F4A7C15L;
        h = (h ^ i0 ^ (i1 << 32)) * 0x9E3779B97F4A7C15L;
        // murmur3's finalizer: the index takes the low bits, which a product alone leaves poorly mixed
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    private static long meta(int fam, int pr, int p0, int p1) {
        return (long) fam << 40 | (long) pr << 32 | (long) p0 << 16 | p1;
    }

    private static long ifs(long i0, long i1) {
        return i0 << 32 | (i1 & 0xFFFFFFFFL);
    }

    /** The slot of the flow with this canonical key, or NONE. */
    int find(int fam, long a0h, long a0l, long a1h, long a1l, int pr, int p0, int p1, long i0, long i1) {
        int h = hashOf(fam, a0h, a0l, a1h, a1l, pr, p0, p1, i0, i1);
        long m = meta(fam, pr, p0, p1);
        long f = ifs(i0, i1);
        long[] k = slots;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long e = index[i];
            if (e == 0) {
                return NONE;
            }
            if ((int) (e >>> 32) == h) {
                int s = (int) e - 1;
                int o = s * WORDS;
                if (k[o + 1] == a0l && k[o + 3] == a1l && k[o + 4] == m && k[o] == a0h && k[o + 2] == a1h
                        && k[o + 5] == f) {
                    return s;
                }
            }
        }
    }

    // small word: flags (8 bits) and tos (8) per side at 0/8 and 16/24, direction (2) at 32/34, rule + 1 (4) at
    // 36, vlan (12) at 40/52
    int rule(int s) {
        return (int) (slots[s * WORDS + SMALL] >>> 36 & 0xF) - 1;
    }

    private void setRule(int s, int r) {
        int o = s * WORDS + SMALL;
        slots[o] = slots[o] & ~(0xFL << 36) | (long) (r + 1) << 36;
    }

    long packets(int s, int side) {
        return slots[s * WORDS + PACKETS + side];
    }

    long octets(int s, int side) {
        return slots[s * WORDS + OCTETS + side];
    }

    int tcpFlags(int s, int side) {
        return (int) (slots[s * WORDS + SMALL] >>> (8 * side)) & 0xFF;
    }

    int tos(int s, int side) {
        return (int) (slots[s * WORDS + SMALL] >>> (16 + 8 * side)) & 0xFF;
    }

    int direction(int s, int side) {
        return (int) (slots[s * WORDS + SMALL] >>> (32 + 2 * side)) & 3;
    }

    int vlan(int s, int side) {
        return (int) (slots[s * WORDS + SMALL] >>> (40 + 12 * side)) & 0xFFF;
    }

    long mac(int s, int side) {
        return slots[s * WORDS + MAC + side];
    }

    long startMicros(int s) {
        return slots[s * WORDS + START];
    }

    long lastMicros(int s) {
        return slots[s * WORDS + LAST];
    }

    long expiresAt(int s) {
        return slots[s * WORDS + EXPIRES];
    }

    void setStart(int s, long micros) {
        slots[s * WORDS + START] = micros;
    }

    void setLast(int s, long micros) {
        slots[s * WORDS + LAST] = micros;
    }

    /**
     * One packet on a side: counters added, flags OR-ed, tos replaced (pmacct keeps the last); MACs, VLAN and
     * direction kept from the first packet that had them.
     */
    void count(int s, int side, long packets, long bytes, int flags, int tos, long srcMac, long dstMac, int vlan,
               int dir) {
        int o = s * WORDS;
        slots[o + PACKETS + side] += packets;
        slots[o + OCTETS + side] += bytes;
        long w = slots[o + SMALL];
        w |= (long) (flags & 0xFF) << (8 * side);
        w = w & ~(0xFFL << (16 + 8 * side)) | (long) (tos & 0xFF) << (16 + 8 * side);
        if ((w >>> (32 + 2 * side) & 3) == 0) {
            w |= (long) (dir & 3) << (32 + 2 * side);
        }
        if ((w >>> (40 + 12 * side) & 0xFFF) == 0) {
            w |= (long) (vlan & 0xFFF) << (40 + 12 * side);
        }
        slots[o + SMALL] = w;
        if (slots[o + MAC + side] == 0) {
            slots[o + MAC + side] = srcMac;
        }
        if (slots[o + MAC + (side ^ 1)] == 0) {
            slots[o + MAC + (side ^ 1)] = dstMac;
        }
    }

    int family(int s) {
        return (int) (slots[s * WORDS + 4] >>> 40);
    }

    int proto(int s) {
        return (int) (slots[s * WORDS + 4] >>> 32) & 0xFF;
    }

    int port0(int s) {
        return (int) (slots[s * WORDS + 4] >>> 16) & 0xFFFF;
    }

    int port1(int s) {
        return (int) slots[s * WORDS + 4] & 0xFFFF;
    }

    long addr0Hi(int s) {
        return slots[s * WORDS];
    }

    long addr0Lo(int s) {
        return slots[s * WORDS + 1];
    }

    long addr1Hi(int s) {
        return slots[s * WORDS + 2];
    }

    long addr1Lo(int s) {
        return slots[s * WORDS + 3];
    }

    long if0(int s) {
        return slots[s * WORDS + 5] >>> 32;
    }

    long if1(int s) {
        return slots[s * WORDS + 5] & 0xFFFFFFFFL;
    }

    /** A new zeroed entry with this key (the cache must not be full), on no rule list yet. */
    int insert(int fam, long a0h, long a0l, long a1h, long a1l, int pr, int p0, int p1, long i0, long i1) {
        int s = free[--freeCount];
        int h = hashOf(fam, a0h, a0l, a1h, a1l, pr, p0, p1, i0, i1);
        int o = s * WORDS;
        Arrays.fill(slots, o, o + WORDS, 0L);
        slots[o] = a0h;
        slots[o + 1] = a0l;
        slots[o + 2] = a1h;
        slots[o + 3] = a1l;
        slots[o + 4] = meta(fam, pr, p0, p1);
        slots[o + 5] = ifs(i0, i1);
        hash[s] = h;
        int i = h & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = entry(h, s);
        size++;
        return s;
    }

    /** Puts the flow at the tail of the rule's list (its latest packet is the newest of that list). */
    void touch(int s, int newRule, long expires) {
        if (rule(s) != NONE) {
            unlink(s);
        }
        setRule(s, newRule);
        slots[s * WORDS + EXPIRES] = expires;
        int t = tail[newRule];
        prev[s] = t;
        next[s] = NONE;
        if (t == NONE) {
            head[newRule] = s;
        } else {
            next[t] = s;
        }
        tail[newRule] = s;
    }

    private void unlink(int s) {
        int r = rule(s);
        int p = prev[s];
        int n = next[s];
        if (p == NONE) {
            head[r] = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail[r] = p;
        } else {
            prev[n] = p;
        }
        setRule(s, NONE);
    }

    /** The flow that expires first over every rule (ties: the lower rule), NONE when empty. */
    int first() {
        int best = NONE;
        for (int r = 0; r < RULES; r++) {
            int s = head[r];
            if (s != NONE && (best == NONE || expiresAt(s) < expiresAt(best))) {
                best = s;
            }
        }
        return best;
    }

    /** The oldest flow under a rule, NONE when the list is empty. */
    int head(int r) {
        return head[r];
    }

    int nextOnRule(int s) {
        return next[s];
    }

    /** Forgets the flow; its arrays keep their values until the slot is reused, so export it first. */
    void remove(int s) {
        if (rule(s) != NONE) {
            unlink(s);
        }
        int i = findIndexPosition(s);
        index[i] = 0;
        // re-seat the probe run after the hole (linear probing deletion)
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            long moved = index[j];
            index[j] = 0;
            int k = (int) (moved >>> 32) & mask;
            while (index[k] != 0) {
                k = (k + 1) & mask;
            }
            index[k] = moved;
        }
        free[freeCount++] = s;
        size--;
    }

    private int findIndexPosition(int s) {
        long e = entry(hash[s], s);
        for (int i = hash[s] & mask; ; i = (i + 1) & mask) {
            if (index[i] == e) {
                return i;
            }
        }
    }

    private static long entry(int h, int s) {
        return (long) h << 32 | (s + 1);
    }
}
