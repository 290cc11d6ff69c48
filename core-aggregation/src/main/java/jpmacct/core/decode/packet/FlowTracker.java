package jpmacct.core.decode.packet;

import java.util.Arrays;

import jpmacct.core.record.FlowRecord;

/**
 * Marks the packets that start a flow, for the {@code flows} primitive in pmacctd (pmacct's ip_flow): one entry
 * per connection, per-direction state; a direction starts a new flow when unseen or expired. Lifetimes as pmacct:
 * {@code pmacctd_flow_lifetime} for non-TCP and established TCP (unless {@code pmacctd_flow_tcp_lifetime}),
 * 60 s in SYN state, 30 s after FIN, 10 s after RST.
 */
public final class FlowTracker {
    private static final int SYN = 0x02;
    private static final int FIN = 0x01;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;
    private static final long SYN_LIFETIME = 60;
    private static final long FIN_LIFETIME = 30;
    private static final long RST_LIFETIME = 10;
    /** {@link #last} of a direction not seen yet (0 is a valid time: captures with zeroed timestamps). */
    private static final long UNSEEN = Long.MIN_VALUE;

    private final long genericLifetime;
    private final long tcpLifetime;
    private final int maxEntries;
    private int mask;
    private long[] aHi;
    private long[] aLo;
    private long[] bHi;
    private long[] bLo;
    /** ports a<<16|b, proto, family */
    private long[] misc;
    private int[] hashes;
    /** last seen (seconds) per direction: index 2*slot forward, 2*slot+1 reverse */
    private long[] last;
    private int[] tcpState;
    private long[] lastSeq;
    private int size;
    private long full;

    public FlowTracker(long genericLifetimeSec, long tcpLifetimeSec, int maxEntries) {
        this.genericLifetime = genericLifetimeSec;
        this.tcpLifetime = tcpLifetimeSec;
        this.maxEntries = maxEntries;
        allocate(1 << 14);
    }

    private void allocate(int cap) {
        mask = cap - 1;
        aHi = new long[cap];
        aLo = new long[cap];
        bHi = new long[cap];
        bLo = new long[cap];
        misc = new long[cap];
        hashes = new int[cap];
        last = new long[cap * 2];
        tcpState = new int[cap * 2];
        lastSeq = new long[cap];
        size = 0;
    }

    /**
     * Sets {@code r.flows} to 1 when this packet starts a flow in its direction.
     *
     * @param seq TCP sequence number (for the established-state check), or 0
     */
    public void track(FlowRecord r, long seq, long nowSec) {
        // normalise so both directions share an entry: higher port first, then higher address
        boolean reverse = r.srcPort < r.dstPort
                || (r.srcPort == r.dstPort && compare(r.srcHi, r.srcLo, r.dstHi, r.dstLo) < 0);
        long xHi = reverse ? r.dstHi : r.srcHi;
        long xLo = reverse ? r.dstLo : r.srcLo;
        long yHi = reverse ? r.srcHi : r.dstHi;
        long yLo = reverse ? r.srcLo : r.dstLo;
        int xPort = reverse ? r.dstPort : r.srcPort;
        int yPort = reverse ? r.srcPort : r.dstPort;
        long m = ((long) xPort << 48) | ((long) yPort << 32) | ((long) r.proto << 8) | r.srcFamily;
        int h = FlowHash.of(xHi, xLo, yHi, yLo, m);
        int slot = h & mask;
        while (hashes[slot] != 0) {
            if (hashes[slot] == h && aHi[slot] == xHi && aLo[slot] == xLo && bHi[slot] == yHi && bLo[slot] == yLo
                    && misc[slot] == m) {
                break;
            }
            slot = (slot + 1) & mask;
        }
        if (hashes[slot] == 0) {
            if (size >= (mask + 1) * 7 / 10) {
                if (!makeRoom(nowSec)) {
                    full++;
                    r.flows = 1;
                    return;
                }
                track(r, seq, nowSec);
                return;
            }
            hashes[slot] = h;
            aHi[slot] = xHi;
            aLo[slot] = xLo;
            bHi[slot] = yHi;
            bLo[slot] = yLo;
            misc[slot] = m;
            last[2 * slot] = UNSEEN;
            last[2 * slot + 1] = UNSEEN;
            tcpState[2 * slot] = 0;
            tcpState[2 * slot + 1] = 0;
            size++;
        }
        int d = 2 * slot + (reverse ? 1 : 0);
        int rev = 2 * slot + (reverse ? 0 : 1);
        boolean tcp = r.proto == 6;
        boolean isNew = last[d] == UNSEEN || expired(last[d], tcpState[d], tcp, nowSec);
        if (isNew) {
            tcpState[d] = 0;
        }
        if (tcp) {
            evaluateTcp(slot, d, rev, r.tcpFlags, seq);
        }
        last[d] = nowSec;
        r.flows = isNew ? 1 : 0;
    }

    private void evaluateTcp(int slot, int d, int rev, int flags, long seq) {
        if ((tcpState[d] & SYN) != 0 && (tcpState[rev] & SYN) != 0 && (tcpState[rev] & ACK) != 0
                && seq == lastSeq[slot] + 1) {
            tcpState[d] = 0;
            tcpState[rev] = 0;
        }
        if ((flags & SYN) != 0) {
            tcpState[d] = SYN;
            if ((flags & ACK) != 0) {
                tcpState[d] |= ACK;
            } else {
                lastSeq[slot] = seq;
            }
        }
        if ((flags & (FIN | RST)) != 0) {
            tcpState[d] = flags;
            tcpState[rev] = flags;
        }
    }

    private boolean expired(long seen, int s, boolean tcp, long now) {
        if (!tcp) {
            return now > seen + genericLifetime;
        }
        if (s == 0) {
            return now > seen + tcpLifetime;
        }
        if ((s & SYN) != 0 && now > seen + SYN_LIFETIME) {
            return true;
        }
        if ((s & FIN) != 0 && now > seen + FIN_LIFETIME) {
            return true;
        }
        return (s & RST) != 0 && now > seen + RST_LIFETIME;
    }

    /** Drops connections expired in both directions, growing the table if that frees too little. */
    private boolean makeRoom(long now) {
        long[] oHi = aHi;
        long[] oLo = aLo;
        long[] pHi = bHi;
        long[] pLo = bLo;
        long[] oMisc = misc;
        int[] oHash = hashes;
        long[] oLast = last;
        int[] oState = tcpState;
        long[] oSeq = lastSeq;
        int live = 0;
        for (int s = 0; s < oHash.length; s++) {
            if (oHash[s] != 0 && !(expiredBoth(oLast, oState, oMisc, s, now))) {
                live++;
            }
        }
        int cap = oHash.length;
        while (live >= cap / 2 && cap < Integer.highestOneBit(Math.max(1 << 14, maxEntries)) * 2) {
            cap <<= 1;
        }
        if (live >= cap * 7 / 10) {
            return false;
        }
        allocate(cap);
        for (int s = 0; s < oHash.length; s++) {
            if (oHash[s] == 0 || expiredBoth(oLast, oState, oMisc, s, now)) {
                continue;
            }
            int slot = oHash[s] & mask;
            while (hashes[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            hashes[slot] = oHash[s];
            aHi[slot] = oHi[s];
            aLo[slot] = oLo[s];
            bHi[slot] = pHi[s];
            bLo[slot] = pLo[s];
            misc[slot] = oMisc[s];
            last[2 * slot] = oLast[2 * s];
            last[2 * slot + 1] = oLast[2 * s + 1];
            tcpState[2 * slot] = oState[2 * s];
            tcpState[2 * slot + 1] = oState[2 * s + 1];
            lastSeq[slot] = oSeq[s];
            size++;
        }
        return true;
    }

    private boolean expiredBoth(long[] lastArr, int[] stateArr, long[] miscArr, int s, long now) {
        boolean tcp = ((miscArr[s] >>> 8) & 0xFF) == 6;
        return (lastArr[2 * s] == UNSEEN || expired(lastArr[2 * s], stateArr[2 * s], tcp, now))
                && (lastArr[2 * s + 1] == UNSEEN || expired(lastArr[2 * s + 1], stateArr[2 * s + 1], tcp, now));
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    public int size() {
        return size;
    }

    /** Packets counted as new flows because the table could not grow. */
    public long full() {
        return full;
    }

    void clear() {
        Arrays.fill(hashes, 0);
        size = 0;
    }
}
