package jpmacct.nfacctd.exporter;

/**
 * A copy of a data set whose template had not arrived, with what its message header said, so it decodes later as
 * if it had just arrived.
 */
public record HeldSet(int templateId, byte[] body, long unixSecs, long sysUptimeMillis, long sequence,
                      long arrivalMicros, long heldAtNanos) {
    /** What the hold costs against the exporter's bound: the copy plus bookkeeping. */
    public int cost() {
        return body.length + 64;
    }
}
