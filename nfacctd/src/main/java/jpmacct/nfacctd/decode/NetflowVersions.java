package jpmacct.nfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Exporter;

/**
 * A NetFlow or IPFIX datagram to the decoder of its version: the entry point of decoding. A function of the
 * bytes and the exporter's state (its domains' templates, held sets and sequence numbers, its counters), writing
 * records into {@code sink} and the reason of a fault into {@code fault}; it logs nothing (what it notices goes
 * to {@link Notices}) and never throws on bad input. One per receiving thread (the decoders keep scratch arrays);
 * the caller holds the exporter's lock.
 */
public final class NetflowVersions {
    private final FixedFormat v1;
    private final FixedFormat v5;
    private final FixedFormat v7;
    private final FixedFormat v8;
    private final TemplatedFormat v9;
    private final TemplatedFormat ipfix;

    public NetflowVersions(DecoderSettings settings, Notices notices) {
        v1 = new NetflowV1(settings, notices);
        v5 = new NetflowV5(settings, notices);
        v7 = new NetflowV7(settings, notices);
        v8 = new NetflowV8(settings, notices);
        TemplateSets sets = new TemplateSets(settings, notices);
        v9 = new NetflowV9(sets, notices);
        ipfix = new Ipfix(sets, notices);
    }

    /**
     * Decodes the datagram at {@code b[off, off + len)} from {@code exporter}.
     *
     * @return OK, HELD (data waits for its template), or the verdict of the fault recorded in {@code fault}
     *         (records before it are kept)
     */
    public Verdict decode(byte[] b, int off, int len, Exporter exporter, long arrivalMicros, RecordSink sink,
                          Fault fault) throws InterruptedException {
        if (len < 4) {
            return fault.set(NetflowFault.SHORTER_THAN_ANY_HEADER);
        }
        try {
            int version = Bytes.u16(b, off);
            switch (version) {
                case 1: return v1.decode(b, off, len, exporter, arrivalMicros, sink, fault);
                case 5: return v5.decode(b, off, len, exporter, arrivalMicros, sink, fault);
                case 7: return v7.decode(b, off, len, exporter, arrivalMicros, sink, fault);
                case 8: return v8.decode(b, off, len, exporter, arrivalMicros, sink, fault);
                case NetflowV9.VERSION: return v9.decode(b, off, len, exporter, arrivalMicros, sink, fault);
                case Ipfix.VERSION: return ipfix.decode(b, off, len, exporter, arrivalMicros, sink, fault);
                default: return fault.set(NetflowFault.UNKNOWN_VERSION, version);
            }
        } catch (IndexOutOfBoundsException e) {
            // backstop: every read is checked against the declared lengths first; a fuzzer finding lands here
            return fault.set(NetflowFault.PAST_THE_DATAGRAM);
        }
    }
}
