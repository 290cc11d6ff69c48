package jpmacct.collector;

import jpmacct.core.metrics.Counter;
import jpmacct.core.metrics.Metrics;

/**
 * One exporter's health counters, in the daemon's metrics registry under {@code exporter="<address>"}: what
 * arrived, what was accounted, and every way records can go missing, so "where did my flows go" has an answer.
 */
public final class ExporterCounters {
    public final String exporter;
    /** Datagrams received. */
    public final Counter datagrams;
    /** Flow records (or flow samples) accounted. */
    public final Counter records;
    /** Datagrams refused as malformed (nothing of them accounted past the fault). */
    public final Counter malformed;
    /** Export packets (or records, per protocol) missing according to the sequence numbers. */
    public final Counter sequenceLost;
    /** Data sets held because their template had not arrived yet (their records cannot be counted before). */
    public final Counter setsHeld;
    /** Held data sets decoded once their template came. */
    public final Counter setsReleased;
    /** Records of held data sets decoded once their template came. */
    public final Counter recordsReleased;
    /** Data sets dropped for want of a template (the hold was full, timed out, or disabled). */
    public final Counter setsNoTemplate;
    /** Bytes of the data sets dropped for want of a template. */
    public final Counter bytesNoTemplate;
    /** Templates (and options templates) learnt or redefined. */
    public final Counter templates;
    /** Options data records (sampling, interface tables) read. */
    public final Counter optionRecords;
    /** Data sets discarded because their padding was not zero (nfacctd_pre_processing_checks). */
    public final Counter setsBadPadding;
    /** VRF or interface ids of options data not learnt because the exporter's tables were full. */
    public final Counter optionEntriesRefused;

    public ExporterCounters(Metrics m, String exporter) {
        this.exporter = exporter;
        String[] l = {"exporter", exporter};
        datagrams = m.counter("exporter_datagrams", "Datagrams received from the exporter", l);
        records = m.counter("exporter_records", "Flow records or samples accounted", l);
        malformed = m.counter("exporter_malformed_datagrams", "Datagrams refused as malformed", l);
        sequenceLost = m.counter("exporter_sequence_lost", "Export packets or records missing by sequence number", l);
        setsHeld = m.counter("exporter_sets_held", "Data sets held until their template arrives", l);
        setsReleased = m.counter("exporter_sets_released", "Held data sets decoded once their template arrived", l);
        recordsReleased = m.counter("exporter_records_released", "Records of held sets decoded once their template arrived", l);
        setsNoTemplate = m.counter("exporter_sets_no_template", "Data sets dropped without a template", l);
        bytesNoTemplate = m.counter("exporter_bytes_no_template", "Bytes of data sets dropped without a template", l);
        templates = m.counter("exporter_templates", "Templates learnt or redefined", l);
        optionRecords = m.counter("exporter_option_records", "Options data records read", l);
        setsBadPadding = m.counter("exporter_sets_bad_padding", "Data sets discarded for non-zero padding", l);
        optionEntriesRefused = m.counter("exporter_option_entries_refused",
                "VRF or interface ids of options data not learnt: the exporter's tables were full", l);
    }
}
