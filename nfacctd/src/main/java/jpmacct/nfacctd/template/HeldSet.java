package jpmacct.nfacctd.template;

/**
 * A copy of a data set whose template had not arrived, with what its message header said, so it decodes later as
 * if it had just arrived.
 *
 * @param sysUptimeMillis the v9 header's sysUpTime, or {@link #NO_UPTIME} (IPFIX has none)
 */
public record HeldSet(int templateId, byte[] body, long unixSecs, long sysUptimeMillis, long sequence,
                      long arrivalMicros, long heldAtNanos) {
    /** The header had no sysUpTime: times relative to it come from the exporter's systemInitTime. */
    public static final long NO_UPTIME = -1;

    /** What the hold costs against the exporter's bound: the copy plus bookkeeping. */
    public int cost() {
        return body.length + 64;
    }
}
