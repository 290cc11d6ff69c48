package jpmacct.nfacctd.decode;

import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;

/** Sequence-number checks: export packets (v9), records (IPFIX) or flows (v5/v7/v8) missing on the way. */
final class Sequences {
    private Sequences() {
    }

    /**
     * Counts the gap between what the domain expected and {@code seq}. A step backwards (reordering, an exporter
     * restart) is not a loss; the caller then sets the next expected number.
     */
    static void check(DecoderSettings settings, Exporter ex, Domain d, long seq, String unit) {
        if (d.nextSequence < 0) {
            return;
        }
        long gap = (seq - d.nextSequence) & 0xFFFFFFFFL;
        if (gap == 0 || gap >= 0x80000000L) {
            return;
        }
        ex.counters.sequenceLost.add(gap);
        if (settings.sequenceWarnings()) {
            NetflowDecoder.SEQUENCE_LOG.warn(ex.name, "exporter " + ex.name + " domain " + d.id + ": expected " + unit
                    + " " + d.nextSequence + ", received " + seq + " (" + gap + " lost)");
        }
    }
}
