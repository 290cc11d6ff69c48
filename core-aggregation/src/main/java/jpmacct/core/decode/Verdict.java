package jpmacct.core.decode;

/**
 * What a decoder made of one input (a frame, a datagram, a message). Anything but OK and HELD is counted, never
 * thrown; the reason, when there is one, is in the thread's {@link Fault}.
 */
public enum Verdict {
    /** Decoded into records (or state, for templates and counters). */
    OK,
    /** Kept for later: an IP fragment until its first fragment arrives, data until its template arrives. */
    HELD,
    /** Not IP (ARP, LLDP, ...): not accounted, as in pmacct. */
    NOT_IP,
    /** Too short to reach what must be read. */
    TRUNCATED,
    /** Inconsistent: lengths past their container, bad versions of a known format, impossible values. */
    MALFORMED,
    /** A link type this decoder does not know. */
    UNSUPPORTED_LINK,
    /** Well formed, but refused by a bound (too many agents, exporters, templates): counted as such. */
    REFUSED
}
