package jpmacct.core.runtime;

/** Delays between attempts to reach a server that is away (database, broker): doubling from the first to the last. */
public final class Backoff {
    private final long firstMillis;
    private final long lastMillis;
    private long nextMillis;

    public Backoff(long firstMillis, long lastMillis) {
        this.firstMillis = Math.min(firstMillis, lastMillis);
        this.lastMillis = lastMillis;
        this.nextMillis = this.firstMillis;
    }

    /** The delay before the next attempt; each call doubles the one after, up to the last. */
    public long next() {
        long d = nextMillis;
        nextMillis = Math.min(nextMillis * 2, lastMillis);
        return d;
    }

    /** The server answered: the next outage starts with the first delay again. */
    public void reset() {
        nextMillis = firstMillis;
    }
}
