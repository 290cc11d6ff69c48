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

    /** nfacctd_stitching's timestamp_min: the entry's earliest time, microseconds since the epoch; 0 without. */
    default long timestampMin() {
        return 0;
    }

    /** nfacctd_stitching's timestamp_max: the entry's latest time, microseconds since the epoch; 0 without. */
    default long timestampMax() {
        return 0;
    }

    /** Start of the history bin in epoch seconds, or 0 without history. */
    default long binStart() {
        return field(KeyField.BIN);
    }
}
