package jpmacct.nfacctd.decode;

import jpmacct.nfacctd.exporter.Domain;

/** Sequence-number checks: flows (v5/v7/v8), export packets (v9) or records (IPFIX) missing on the way. */
final class Sequences {
    private Sequences() {
    }

    /**
     * Counts the gap between what the domain expected and {@code sequence} and tells it; the caller then sets the
     * next number expected, as its protocol counts.
     */
    static void check(Domain d, long sequence, NetflowFault unit, Notices notices) {
        long gap = d.sequenceGap(sequence);
        if (gap > 0) {
            d.exporter().counters().sequenceLost.add(gap);
            notices.sequenceGap(d, unit, d.expectedSequence(), sequence, gap);
        }
    }
}
