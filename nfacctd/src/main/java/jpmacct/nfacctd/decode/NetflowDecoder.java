package jpmacct.nfacctd.decode;

import java.net.InetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.collector.DatagramHandler;
import jpmacct.core.record.RecordSink;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;

/**
 * One receiving thread's decoder: finds the exporter, dispatches on the version, and writes flow records into the
 * thread's batch. A malformed datagram is counted against its exporter and logged (at most once a minute per
 * exporter); it never throws, and other datagrams are unaffected.
 */
public final class NetflowDecoder implements DatagramHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NetflowDecoder.class);
    static final RateLimitedLog MALFORMED_LOG = new RateLimitedLog(LOG, 60_000);
    static final RateLimitedLog SEQUENCE_LOG = new RateLimitedLog(LOG, 60_000);
    static final RateLimitedLog TEMPLATE_LOG = new RateLimitedLog(LOG, 60_000);

    private final ExporterTable exporters;
    private final RecordSink out;
    private final FixedFlowDecoder fixed;
    private final TemplateFlowDecoder templated;

    /** @param out where records go: the thread's batch writer, or any sink in tests */
    public NetflowDecoder(ExporterTable exporters, DecoderSettings settings, RecordSink out) {
        this.exporters = exporters;
        this.out = out;
        this.fixed = new FixedFlowDecoder(settings);
        this.templated = new TemplateFlowDecoder(settings);
    }

    @Override
    public void onDatagram(byte[] datagram, int length, InetAddress sender, long arrivalMicros)
            throws InterruptedException {
        Exporter ex = exporters.get(sender);
        ex.counters.datagrams.inc();
        String problem;
        synchronized (ex) {
            problem = decode(datagram, 0, length, ex, arrivalMicros);
        }
        if (problem != null) {
            ex.counters.malformed.inc();
            MALFORMED_LOG.warn(ex.name, "exporter " + ex.name + ": malformed datagram (" + length + " bytes): " + problem);
        }
    }

    private String decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros) throws InterruptedException {
        if (len < 4) {
            return "shorter than any NetFlow header";
        }
        try {
            int version = Bytes.u16(b, off);
            switch (version) {
                case 1:
                case 5:
                case 7:
                case 8:
                    return fixed.decode(b, off, len, ex, arrivalMicros, out);
                case 9:
                case 10:
                    return templated.decode(b, off, len, ex, arrivalMicros, out);
                default:
                    return "version " + version + " is not NetFlow v1, v5, v7, v8, v9 or IPFIX";
            }
        } catch (IndexOutOfBoundsException e) {
            // backstop: every read is checked against the declared lengths first; a fuzzer finding lands here
            return "a field reaches past the datagram";
        }
    }

    /** At shutdown: data still waiting for its template is lost; count it and say so. */
    public static void dropHeld(ExporterTable exporters, DecoderSettings settings) {
        TemplateFlowDecoder t = new TemplateFlowDecoder(settings);
        for (Exporter ex : exporters.all()) {
            synchronized (ex) {
                long before = ex.counters.setsNoTemplate.get();
                t.dropAllHeld(ex);
                long dropped = ex.counters.setsNoTemplate.get() - before;
                if (dropped > 0) {
                    LOG.warn("exporter {}: {} data sets never got their template and are lost", ex.name, dropped);
                }
            }
        }
    }
}
