package jpmacct.core.decode;

/**
 * Why an input was not (wholly) accounted. Each protocol keeps its reasons in an enum implementing this, each
 * constant with its {@link Description}: the verdict, and a {@link String#format} pattern of at most three
 * {@code %d} arguments, formatted only when it is logged.
 */
public interface FaultReason {
    /** What the reason says and does. */
    Description description();

    /** The verdict this fault gives the input. */
    default Verdict verdict() {
        return description().verdict();
    }

    /** The message pattern, e.g. {@code "version %d is not sFlow v2, v4 or v5"}. */
    default String pattern() {
        return description().pattern();
    }

    /** Identifies the reason among all protocols' reasons: the key of rate limiting. */
    int ordinal();

    /** A reason's verdict and message pattern. */
    record Description(Verdict verdict, String pattern) {
    }
}
