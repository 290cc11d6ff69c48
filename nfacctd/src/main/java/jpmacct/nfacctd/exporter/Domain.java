package jpmacct.nfacctd.exporter;

import jpmacct.nfacctd.template.TemplateCache;

/**
 * One exporter's NetFlow v9 source id or IPFIX observation domain (or v5/v8 engine): what it has learnt
 * ({@link TemplateCache}) and where its sequence numbers stand. Used under the exporter's lock.
 */
public final class Domain {
    private final Exporter exporter;
    private final int version;
    private final long id;
    private final TemplateCache templates = new TemplateCache();
    private final OptionTables options;
    /** The next sequence number expected, or -1 before the first (or after a message whose count is unknown). */
    private long nextSequence = -1;
    private String label;

    Domain(Exporter exporter, int version, long id) {
        this.exporter = exporter;
        this.version = version;
        this.id = id;
        this.options = new OptionTables(exporter);
    }

    public Exporter exporter() {
        return exporter;
    }

    public int version() {
        return version;
    }

    public long id() {
        return id;
    }

    public TemplateCache templates() {
        return templates;
    }

    /** What this domain's options data maps (VRFs, interfaces); the exporter's own tables are the fallback. */
    public OptionTables options() {
        return options;
    }

    /**
     * How many numbers are missing before {@code sequence}: 0 when it is the one expected, when none is expected,
     * or when it steps backwards (reordering, an exporter restart), which is not a loss.
     */
    public long sequenceGap(long sequence) {
        if (nextSequence < 0) {
            return 0;
        }
        long gap = (sequence - nextSequence) & 0xFFFFFFFFL;
        return gap >= 0x80000000L ? 0 : gap;
    }

    /** The next sequence number expected, or -1 when none is. */
    public long expectedSequence() {
        return nextSequence;
    }

    /** The next message should carry this number (taken modulo 2^32). */
    public void expectSequence(long next) {
        nextSequence = next & 0xFFFFFFFFL;
    }

    /** The next message's number cannot be checked (this one's count is unknown). */
    public void expectAnySequence() {
        nextSequence = -1;
    }

    /** "exporter ADDRESS domain ID", as log lines name it; built on first use. */
    public String label() {
        String l = label;
        if (l == null) {
            l = exporter.label() + " domain " + id;
            label = l;
        }
        return l;
    }
}
