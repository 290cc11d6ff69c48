package jpmacct.plugins.sql.write;

/** Delays between attempts to reach a database that is away: doubling from the first up to the last. */
final class Backoff {
    private final long firstMillis;
    private final long lastMillis;
    private long nextMillis;

    Backoff(long firstMillis, long lastMillis) {
        this.firstMillis = Math.min(firstMillis, lastMillis);
        this.lastMillis = lastMillis;
        this.nextMillis = this.firstMillis;
    }

    /** The delay before the next attempt; each call doubles the one after, up to the last. */
    long next() {
        long d = nextMillis;
        nextMillis = Math.min(nextMillis * 2, lastMillis);
        return d;
    }

    /** The database answered: the next outage starts with the first delay again. */
    void reset() {
        nextMillis = firstMillis;
    }
}
