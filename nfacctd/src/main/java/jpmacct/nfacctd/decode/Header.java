package jpmacct.nfacctd.decode;

import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;

/**
 * What the message header said, for the records of one datagram (or of a held set, replayed later). Reused by
 * one receiving thread.
 */
final class Header {
    Exporter exporter;
    Domain domain;
    int version;
    /** Export time, seconds since the epoch (v5/v9 unix_secs, IPFIX export time). */
    long unixSecs;
    /** v5/v9 sysUptime in milliseconds; 0 for IPFIX. */
    long sysUptimeMillis;
    long sequence;
    /** v9 source id, IPFIX observation domain, v5 engine type and id. */
    long sourceId;
    long arrivalMicros;
    /** v5 header sampling interval, 0 when none. */
    long headerSamplingRate;

    void set(Exporter exporter, Domain domain, int version, long unixSecs, long sysUptimeMillis, long sequence,
             long sourceId, long arrivalMicros) {
        this.exporter = exporter;
        this.domain = domain;
        this.version = version;
        this.unixSecs = unixSecs;
        this.sysUptimeMillis = sysUptimeMillis;
        this.sequence = sequence;
        this.sourceId = sourceId;
        this.arrivalMicros = arrivalMicros;
        this.headerSamplingRate = 0;
    }
}
