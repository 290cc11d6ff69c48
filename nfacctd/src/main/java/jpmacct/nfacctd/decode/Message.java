package jpmacct.nfacctd.decode;

import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.template.HeldSet;

/**
 * What a NetFlow v9 or IPFIX message header said, for the records of one datagram (or of a held set, replayed
 * later), and what its sets have given so far. A thread's scratch, filled at the start of each message and passed
 * along explicitly.
 */
final class Message {
    Exporter exporter;
    Domain domain;
    int version;
    /** Export time, seconds since the epoch (v9 unix_secs, IPFIX export time). */
    long unixSecs;
    /** v9 sysUpTime in milliseconds; {@link HeldSet#NO_UPTIME} for IPFIX. */
    long sysUptimeMillis;
    long sequence;
    /** v9 source id, IPFIX observation domain. */
    long sourceId;
    long arrivalMicros;
    /** Data records (flow and options) decoded from this message's own sets: IPFIX numbers them. */
    int records;
    /** Whether a data set of this message waited for its template (held or dropped). */
    boolean held;

    void begin(Exporter exporter, Domain domain, int version, long unixSecs, long sysUptimeMillis, long sequence,
               long arrivalMicros) {
        this.exporter = exporter;
        this.domain = domain;
        this.version = version;
        this.unixSecs = unixSecs;
        this.sysUptimeMillis = sysUptimeMillis;
        this.sequence = sequence;
        this.sourceId = domain.id();
        this.arrivalMicros = arrivalMicros;
        this.records = 0;
        this.held = false;
    }
}
