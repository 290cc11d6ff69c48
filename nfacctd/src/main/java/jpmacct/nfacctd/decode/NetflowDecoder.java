package jpmacct.nfacctd.decode;

import java.net.InetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.collector.DatagramHandler;
import jpmacct.core.decode.Fault;
import jpmacct.core.decode.FaultLog;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;

/**
 * One receiving thread's decoder: finds the exporter, decodes under its lock ({@link NetflowVersions}), counts a
 * fault against the exporter and logs it (at most once a minute per exporter and reason, through the thread's
 * own {@link FaultLog}), as it logs what decoding notices. It never throws on bad input, and other datagrams are
 * unaffected. What an exporter sends wrong or loses on the way is logged at INFO, as pmacct logs its malformed
 * datagrams and sequence gaps (data without template: pmacct's DEBUG, here INFO since it is held first and only
 * what could not be held is lost): a capture that is an extract must not make the log look broken.
 */
public final class NetflowDecoder implements DatagramHandler, Notices {
    private static final Logger LOG = LoggerFactory.getLogger(NetflowDecoder.class);
    private static final long LOG_INTERVAL_MILLIS = 60_000;

    private final ExporterTable exporters;
    private final DecoderSettings settings;
    private final RecordSink out;
    private final NetflowVersions versions;
    private final Fault fault = new Fault();
    private final Fault notice = new Fault();
    private final FaultLog log = new FaultLog(LOG, LOG_INTERVAL_MILLIS);

    /** @param out where records go: the thread's batch writer, or any sink in tests */
    public NetflowDecoder(ExporterTable exporters, DecoderSettings settings, RecordSink out) {
        this.exporters = exporters;
        this.settings = settings;
        this.out = out;
        this.versions = new NetflowVersions(settings, this);
    }

    @Override
    public void onDatagram(byte[] datagram, int length, InetAddress sender, long arrivalMicros)
            throws InterruptedException {
        Exporter ex = exporters.get(sender);
        ex.counters().datagrams.inc();
        fault.clear();
        Verdict verdict;
        synchronized (ex) {
            verdict = versions.decode(datagram, 0, length, ex, arrivalMicros, out, fault);
        }
        if (verdict != Verdict.OK && verdict != Verdict.HELD) {
            ex.counters().malformed.inc();
            log.info(ex, ex.label(), "malformed datagram", length, fault, System.nanoTime());
        }
    }

    @Override
    public void sequenceGap(Domain d, NetflowFault unit, long expected, long received, long lost) {
        if (settings.sequenceWarnings()) {
            notice.set(unit, expected, received, lost);
            log.info(d.exporter(), d.label(), notice, System.nanoTime());
        }
    }

    @Override
    public void templateRedefined(Domain d, int templateId, int oldFields, int newFields) {
        notice.set(NetflowFault.TEMPLATE_REDEFINED, templateId, oldFields, newFields);
        log.info(d.exporter(), d.label(), notice, System.nanoTime());
    }

    @Override
    public void optionsTableFull(Exporter from) {
        notice.set(NetflowFault.OPTIONS_TABLE_FULL, Exporter.MAX_OPTION_ENTRIES);
        log.warn(from, from.label(), notice, System.nanoTime());
    }

    @Override
    public void heldSetFailed(Exporter from, Fault why) {
        from.counters().malformed.inc();
        log.info(from, from.label(), "held set dropped", -1, why, System.nanoTime());
    }

    @Override
    public void dropped(Exporter from, int templateId) {
        notice.set(NetflowFault.NO_TEMPLATE, templateId);
        log.info(from, from.label(), notice, System.nanoTime());
    }

    /** At shutdown: data still waiting for its template is lost; count it and say so. */
    public static void dropHeld(ExporterTable exporters) {
        FaultLog lost = new FaultLog(LOG, LOG_INTERVAL_MILLIS);
        Fault noTemplate = new Fault();
        for (Exporter ex : exporters.all()) {
            synchronized (ex) {
                long dropped = ex.dropAllHeld((from, templateId) -> {
                    noTemplate.set(NetflowFault.NO_TEMPLATE, templateId);
                    lost.info(from, from.label(), noTemplate, System.nanoTime());
                });
                if (dropped > 0) {
                    LOG.info("exporter {}: {} data sets never got their template and are lost", ex.name(), dropped);
                }
            }
        }
    }
}
