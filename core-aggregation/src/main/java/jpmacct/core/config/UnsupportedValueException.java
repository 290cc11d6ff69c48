package jpmacct.core.config;

/**
 * A value pmacct accepts that this build does not implement yet (for example {@code nfacctd_pro_rating: true}); the
 * resolver reports it as not supported yet rather than as invalid.
 */
public final class UnsupportedValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedValueException() {
        super("not supported yet");
    }
}
