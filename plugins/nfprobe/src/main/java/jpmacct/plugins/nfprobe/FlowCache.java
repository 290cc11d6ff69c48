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
    private final int[] index;

    // key
    final int[] family;
    final long[] addr0Hi;
    final long[] addr0Lo;
    final long[] addr1Hi;
    final long[] addr1Lo;
    final int[] proto;
    final int[] port0;
    final int[] port1;
    final long[] if0;
    final long[] if1;
    // per side: [2 * slot + side]
    final long[] packets;
    final long[] octets;
    final int[] tcpFlags;
    final int[] tos;
    final long[] mac;
    final int[] direction;
    final int[] vlan;
    final long[] startMicros;
    final long[] lastMicros;
    /** Seconds at which the flow expires under its rule. */
    final long[] expiresAt;
    final int[] rule;
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
        this.index = new int[tableSize];
        Arrays.fill(index, NONE);
        family = new int[capacity];
        addr0Hi = new long[capacity];
        addr0Lo = new long[capacity];
        addr1Hi = new long[capacity];
        addr1Lo = new long[capacity];
        proto = new int[capacity];
        port0 = new int[capacity];
        port1 = new int[capacity];
        if0 = new long[capacity];
        if1 = new long[capacity];
        packets = new long[2 * capacity];
        octets = new long[2 * capacity];
        tcpFlags = new int[2 * capacity];
        tos = new int[2 * capacity];
        mac = new long[2 * capacity];
        direction = new int[2 * capacity];
        vlan = new int[2 * capacity];
        startMicros = new long[capacity];
        lastMicros = new long[capacity];
        expiresAt = new long[capacity];
        rule = new int[capacity];
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
        return (int) (h ^ (h >>> 29));
    }

    /** The slot of the flow with this canonical key, or NONE. */
    int find(int fam, long a0h, long a0l, long a1h, long a1l, int pr, int p0, int p1, long i0, long i1) {
        int h = hashOf(fam, a0h, a0l, a1h, a1l, pr, p0, p1, i0, i1);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int s = index[i];
            if (s == NONE) {
                return NONE;
            }
            if (hash[s] == h && addr0Lo[s] == a0l && addr1Lo[s] == a1l && port0[s] == p0 && port1[s] == p1
                    && proto[s] == pr && addr0Hi[s] == a0h && addr1Hi[s] == a1h && family[s] == fam && if0[s] == i0
                    && if1[s] == i1) {
                return s;
            }
        }
    }

    /** A new zeroed entry with this key (the cache must not be full), on no rule list yet. */
    int insert(int fam, long a0h, long a0l, long a1h, long a1l, int pr, int p0, int p1, long i0, long i1) {
        int s = free[--freeCount];
        int h = hashOf(fam, a0h, a0l, a1h, a1l, pr, p0, p1, i0, i1);
        family[s] = fam;
        addr0Hi[s] = a0h;
        addr0Lo[s] = a0l;
        addr1Hi[s] = a1h;
        addr1Lo[s] = a1l;
        proto[s] = pr;
        port0[s] = p0;
        port1[s] = p1;
        if0[s] = i0;
        if1[s] = i1;
        hash[s] = h;
        for (int side = 2 * s; side < 2 * s + 2; side++) {
            packets[side] = 0;
            octets[side] = 0;
            tcpFlags[side] = 0;
            tos[side] = 0;
            mac[side] = 0;
            direction[side] = 0;
            vlan[side] = 0;
        }
        rule[s] = NONE;
        int i = h & mask;
        while (index[i] != NONE) {
            i = (i + 1) & mask;
        }
        index[i] = s;
        size++;
        return s;
    }

    /** Puts the flow at the tail of the rule's list (its latest packet is the newest of that list). */
    void touch(int s, int newRule, long expires) {
        if (rule[s] != NONE) {
            unlink(s);
        }
        rule[s] = newRule;
        expiresAt[s] = expires;
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
        int r = rule[s];
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
        rule[s] = NONE;
    }

    /** The flow that expires first over every rule (ties: the lower rule), NONE when empty. */
    int first() {
        int best = NONE;
        for (int r = 0; r < RULES; r++) {
            int s = head[r];
            if (s != NONE && (best == NONE || expiresAt[s] < expiresAt[best])) {
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
        if (rule[s] != NONE) {
            unlink(s);
        }
        int i = findIndexPosition(s);
        index[i] = NONE;
        // re-seat the probe run after the hole (linear probing deletion)
        for (int j = (i + 1) & mask; index[j] != NONE; j = (j + 1) & mask) {
            int moved = index[j];
            index[j] = NONE;
            int k = hash[moved] & mask;
            while (index[k] != NONE) {
                k = (k + 1) & mask;
            }
            index[k] = moved;
        }
        free[freeCount++] = s;
        size--;
    }

    private int findIndexPosition(int s) {
        for (int i = hash[s] & mask; ; i = (i + 1) & mask) {
            if (index[i] == s) {
                return i;
            }
        }
    }
}
