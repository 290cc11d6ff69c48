package jpmacct.core.decode;

import java.util.Locale;

/**
 * The last fault a decoder found, kept by value in one object per thread so that finding one allocates nothing:
 * the reason and up to three numbers. The message is built only when it is logged ({@link #message()}).
 */
public final class Fault {
    private FaultReason reason;
    private long first;
    private long second;
    private long third;

    /** Records the fault and returns its verdict: {@code return fault.set(Reason.CUT_SHORT);}. */
    public Verdict set(FaultReason why) {
        return set(why, 0, 0);
    }

    public Verdict set(FaultReason why, long a) {
        return set(why, a, 0);
    }

    public Verdict set(FaultReason why, long a, long b) {
        return set(why, a, b, 0);
    }

    public Verdict set(FaultReason why, long a, long b, long c) {
        reason = why;
        first = a;
        second = b;
        third = c;
        return why.verdict();
    }

    /** Forgets the fault (before the next input). */
    public void clear() {
        reason = null;
    }

    /** Whether a fault was recorded since the last {@link #clear()}. */
    public boolean present() {
        return reason != null;
    }

    /** The recorded reason, or null. */
    public FaultReason reason() {
        return reason;
    }

    public long first() {
        return first;
    }

    public long second() {
        return second;
    }

    public long third() {
        return third;
    }

    /** The message of the recorded fault; allocates, so call it only for a line that will be written. */
    public String message() {
        if (reason == null) {
            return "no fault";
        }
        return String.format(Locale.ROOT, reason.pattern(), first, second, third);
    }

    @Override
    public String toString() {
        return message();
    }
}
