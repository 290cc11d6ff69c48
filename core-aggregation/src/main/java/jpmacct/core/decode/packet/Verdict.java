package jpmacct.core.decode.packet;

/** What the packet decoder made of a frame. Anything but OK and HELD is counted, never thrown. */
public enum Verdict {
    /** Decoded into the record. */
    OK,
    /** An IP fragment held until its first fragment arrives (accounted then, or at expiry). */
    HELD,
    /** Not IP (ARP, LLDP, ...): not accounted, as in pmacct. */
    NOT_IP,
    /** Too short to reach the IP addresses. */
    TRUNCATED,
    /** Inconsistent headers (bad IP version, header length below minimum). */
    MALFORMED,
    /** A link type this decoder does not know. */
    UNSUPPORTED_LINK
}
