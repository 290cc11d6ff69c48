package jpmacct.sfacctd.agent;

import jpmacct.collector.ExporterCounters;
import jpmacct.core.metrics.Counter;
import jpmacct.core.metrics.Metrics;

/** An agent's health counters: the collectors' common ones plus what only sFlow has. */
public final class AgentCounters {
    public final ExporterCounters common;
    /** Flow samples whose contents were refused (a record past the sample, a header longer than its record). */
    public final Counter samplesMalformed;
    /** Flow samples whose packet is not IP (ARP, LLDP...): not accounted, as pmacct and pmacctd do. */
    public final Counter samplesNotIp;
    /** Samples and records of formats this build does not read, skipped by their length. */
    public final Counter skippedUnknown;
    /** Counter samples read. */
    public final Counter counterSamples;

    public AgentCounters(Metrics m, String agent) {
        common = new ExporterCounters(m, agent);
        String[] l = {"exporter", agent};
        samplesMalformed = m.counter("sflow_samples_malformed", "Flow samples refused as malformed", l);
        samplesNotIp = m.counter("sflow_samples_not_ip", "Flow samples of non-IP packets, not accounted", l);
        skippedUnknown = m.counter("sflow_skipped_unknown", "Samples and records of unknown formats skipped", l);
        counterSamples = m.counter("sflow_counter_samples", "Counter samples read", l);
    }
}
