package jpmacct.core.decode;

import java.util.Arrays;

import org.slf4j.Logger;

/**
 * One thread's rate limiter of fault lines: at most one line per interval for each (source, reason), with the
 * number of occurrences since the last line. A source is whatever object stands for the sender (an exporter's or
 * agent's counters), compared by identity. Owned by one thread: no locks, and nothing is allocated for a
 * (source, reason) already seen; the message is formatted only for a line that is written.
 */
public final class FaultLog {
    private static final int MAX_SLOTS = 1 << 16;
    private final Logger log;
    private final long intervalNanos;
    private Object[] sources = new Object[64];
    private int[] reasons = new int[64];
    private long[] lastLogged = new long[64];
    private long[] suppressed = new long[64];
    private int used;

    public FaultLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /**
     * Counts the fault and writes {@code "<who>: <what> (<length> bytes): <reason>"} at WARN when the interval
     * since this source's last line of that reason has passed.
     */
    public void warn(Object source, String who, String what, int length, Fault fault, long nowNanos) {
        long since = due(source, fault.reason(), nowNanos);
        if (since >= 0) {
            log.warn(withCount(line(who, what, length, fault), since));
        }
    }

    /**
     * As {@link #warn}, at INFO: what pmacct logs at INFO (a sender's malformed datagrams, sequence gaps), or
     * things worth knowing that are not faults at all.
     */
    public void info(Object source, String who, String what, int length, Fault fault, long nowNanos) {
        long since = due(source, fault.reason(), nowNanos);
        if (since >= 0) {
            log.info(withCount(line(who, what, length, fault), since));
        }
    }

    private static String line(String who, String what, int length, Fault fault) {
        return who + ": " + what + (length >= 0 ? " (" + length + " bytes)" : "") + ": " + fault.message();
    }

    /** As {@link #warn}, for a line that is the reason alone: {@code "<who>: <reason>"}. */
    public void warn(Object source, String who, Fault fault, long nowNanos) {
        long since = due(source, fault.reason(), nowNanos);
        if (since >= 0) {
            log.warn(withCount(who + ": " + fault.message(), since));
        }
    }

    /** As {@link #warn(Object, String, Fault, long)}, at INFO. */
    public void info(Object source, String who, Fault fault, long nowNanos) {
        long since = due(source, fault.reason(), nowNanos);
        if (since >= 0) {
            log.info(withCount(who + ": " + fault.message(), since));
        }
    }

    private static String withCount(String line, long suppressed) {
        return suppressed > 0 ? line + " (" + (suppressed + 1) + " times since last report)" : line;
    }

    /**
     * -1 when this (source, reason) was logged less than an interval ago (the occurrence is counted), else how
     * many occurrences were suppressed since its last line (the caller writes one now).
     */
    long due(Object source, FaultReason reason, long nowNanos) {
        int key = reason == null ? -1 : System.identityHashCode(reason.getClass()) * 31 + reason.ordinal();
        int i = find(source, key);
        if (i < 0) {
            i = add(source, key, nowNanos - intervalNanos);
        }
        if (nowNanos - lastLogged[i] < intervalNanos) {
            suppressed[i]++;
            return -1;
        }
        long s = suppressed[i];
        lastLogged[i] = nowNanos;
        suppressed[i] = 0;
        return s;
    }

    private int slot(Object source, int key) {
        int h = (System.identityHashCode(source) * 0x9E3779B9 + key) * 0x85EBCA6B;
        int mask = sources.length - 1;
        for (int i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
            if (sources[i] == null || (sources[i] == source && reasons[i] == key)) {
                return i;
            }
        }
    }

    private int find(Object source, int key) {
        int i = slot(source, key);
        return sources[i] == null ? -1 : i;
    }

    private int add(Object source, int key, long last) {
        if ((used + 1) * 2 > sources.length) {
            if (sources.length >= MAX_SLOTS) {
                // a flood of sources: forget them all rather than grow without bound (a line may repeat early)
                Arrays.fill(sources, null);
                used = 0;
            } else {
                rehash(sources.length * 2);
            }
        }
        int i = slot(source, key);
        sources[i] = source;
        reasons[i] = key;
        lastLogged[i] = last;
        suppressed[i] = 0;
        used++;
        return i;
    }

    private void rehash(int capacity) {
        Object[] oldSources = sources;
        int[] oldReasons = reasons;
        long[] oldLast = lastLogged;
        long[] oldSuppressed = suppressed;
        sources = new Object[capacity];
        reasons = new int[capacity];
        lastLogged = new long[capacity];
        suppressed = new long[capacity];
        for (int j = 0; j < oldSources.length; j++) {
            if (oldSources[j] != null) {
                int i = slot(oldSources[j], oldReasons[j]);
                sources[i] = oldSources[j];
                reasons[i] = oldReasons[j];
                lastLogged[i] = oldLast[j];
                suppressed[i] = oldSuppressed[j];
            }
        }
    }
}
