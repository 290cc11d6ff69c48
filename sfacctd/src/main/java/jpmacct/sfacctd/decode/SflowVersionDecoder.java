package jpmacct.sfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.RecordSink;
import jpmacct.sfacctd.agent.Agent;

/**
 * What the v5 and the v2/v4 decoders share: the entry point, the header, the loop over the samples and its
 * bounds, the samples accounted. One per receiving thread; what a datagram leaves behind (its {@link Datagram},
 * a sample's {@link SampleFields}) is storage reused by the next one, handed explicitly to what reads the parts.
 */
abstract sealed class SflowVersionDecoder permits SflowV4, SflowV5 {
    final SampledPacket packet = new SampledPacket();
    final GenericCounters counters;
    private final SflowHeader header = new SflowHeader();
    private final Datagram datagram;
    private final SampleFields fields = new SampleFields();

    SflowVersionDecoder(SflowSettings settings) {
        datagram = new Datagram(settings);
        counters = new GenericCounters(settings.counterLog());
    }

    /**
     * Decodes the datagram at [off, off + len) of {@code bytes}, of the agent its header names (found and locked by
     * the caller): flow samples become records in {@code sink}, counter samples update the agent, and the agent's
     * counters count what was accounted or refused. Never throws on bad input.
     *
     * @param fault cleared, then holds the datagram's first fault
     * @return OK, or the verdict of the first fault (the samples before it, and in v5 the well-framed ones after
     *         it, are accounted)
     */
    public final Verdict decode(byte[] bytes, int off, int len, Agent agent, long arrivalMicros, RecordSink sink,
                                Fault fault) throws InterruptedException {
        fault.clear();
        if (header.read(bytes, off, len, fault) < 0) {
            return fault.reason().verdict();
        }
        return decode(header, agent, arrivalMicros, sink, fault);
    }

    /**
     * As {@link #decode(byte[], int, int, Agent, long, RecordSink, Fault)}, its header already read: how the
     * receiving thread, which reads it to find the agent, hands the datagram over.
     */
    final Verdict decode(SflowHeader read, Agent agent, long arrivalMicros, RecordSink sink, Fault fault)
            throws InterruptedException {
        fault.clear();
        if (!reads(read.version)) {
            otherVersion().note(fault, read.version);
            return fault.reason().verdict();
        }
        Datagram d = datagram.open(read, agent, arrivalMicros, sink);
        try {
            samples(d, read.samplesAt, fault);
        } catch (IndexOutOfBoundsException e) {
            // backstop: every read is checked against the declared lengths first; a fuzzer finding lands here
            SflowFault.FIELD_PAST_DATAGRAM.note(fault);
        }
        agent.counters.common.records.add(d.accounted);
        return fault.present() ? fault.reason().verdict() : Verdict.OK;
    }

    private void samples(Datagram d, int p, Fault fault) throws InterruptedException {
        long count = d.u32(p);
        p += 4;
        for (long i = 0; i < count && p >= 0; i++) {
            if (p >= d.end) {
                SflowFault.SAMPLES_MISSING.note(fault, count, i);
                return;
            }
            p = sample(d, fields, p, i, count, fault);
        }
    }

    /** Whether this decoder reads datagrams of that version. */
    abstract boolean reads(int version);

    /** The fault of a datagram of a version this decoder does not read. */
    abstract SflowFault otherVersion();

    /**
     * Reads sample {@code index} (of {@code count}) at {@code p}: the offset after it, or -1 when the datagram ends
     * there (the fault noted).
     */
    abstract int sample(Datagram d, SampleFields f, int p, long index, long count, Fault fault)
            throws InterruptedException;
}
