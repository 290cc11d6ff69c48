package jpmacct.core.output;

import jpmacct.core.aggregate.KeyField;

/** One aggregated entry as the output formats see it: key fields and counters. */
public interface Row {
    long field(KeyField f);

    long packets();

    long bytes();

    long flows();

    int tcpFlags();

    /** pre_tag_map label, "" when none. */
    String label();

    /** L7 class, "unknown" when none. */
    String classLabel();

    /** An interned text field (VRF and interface names): "" when absent. */
    default String text(KeyField f) {
        return "";
    }

    /** Key word {@code i} (0 or 1) of the plugin's k-th custom primitive. */
    default long customWord(int k, int i) {
        return 0;
    }

    /** The bytes of the plugin's k-th custom primitive when interned (not in words), null when absent. */
    default byte[] customValue(int k) {
        return null;
    }

    /** nfacctd_stitching's timestamp_min: the entry's earliest time, microseconds since the epoch; 0 without. */
    default long timestampMin() {
        return 0;
    }

    /** nfacctd_stitching's timestamp_max: the entry's latest time, microseconds since the epoch; 0 without. */
    default long timestampMax() {
        return 0;
    }

    /** The SRv6 segment list as its bytes (16 per address), null when none. */
    default byte[] srv6Segments() {
        return null;
    }

    /** Start of the history bin in epoch seconds, or 0 without history. */
    default long binStart() {
        return field(KeyField.BIN);
    }
}
