package jpmacct.core.decode;

/**
 * Why an input was not (wholly) accounted. Each protocol keeps its reasons in an enum implementing this; the
 * text is a {@link String#format} pattern of at most three {@code %d} arguments, formatted only when it is logged.
 */
public interface FaultReason {
    /** The verdict this fault gives the input. */
    Verdict verdict();

    /** The message pattern, e.g. {@code "version %d is not sFlow v2, v4 or v5"}. */
    String pattern();

    /** Identifies the reason among all protocols' reasons: the key of rate limiting. */
    int ordinal();
}
