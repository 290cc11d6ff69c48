package jpmacct.nfacctd.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.KeptRecords;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.Fields;

/**
 * What a protocol decoder is given, for calling it directly: one exporter, a sink keeping a copy of every record,
 * the thread's fault, and the notices it tells (reasons and their messages).
 */
final class Decoding implements Notices {
    static final long ARRIVAL = 1_700_000_000_000_000L;

    /** A protocol decoder's entry point. */
    interface Decoder {
        Verdict decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros, RecordSink sink, Fault fault)
                throws InterruptedException;
    }

    final DecoderSettings settings;
    final Exporter exporter;
    final Fault fault = new Fault();
    private final KeptRecords kept = new KeptRecords();
    final List<FlowRecord> records = kept.records;
    /** The reasons of the notices told, in order (a held set's failure by its own reason). */
    final List<NetflowFault> noticed = new ArrayList<>();
    /** Their messages. */
    final List<String> notices = new ArrayList<>();
    private final Fault notice = new Fault();

    Decoding() {
        this(settings(1 << 20, 60_000, 4096));
    }

    Decoding(DecoderSettings settings) {
        this.settings = settings;
        try {
            this.exporter = new ExporterTable(new Metrics()).get(InetAddress.getByName("192.0.2.1"));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static DecoderSettings settings(long holdBytes, long holdMillis, int maxTemplates) {
        return new DecoderSettings(false, false, true, Fields.STANDARD, holdBytes, holdMillis, maxTemplates, null, 0,
                null, false);
    }

    /** The decoders of every version, telling this fixture. */
    NetflowVersions versions() {
        return new NetflowVersions(settings, this);
    }

    /** v9 and IPFIX decoders sharing their set walker, as in the daemon. */
    TemplateSets sets() {
        return new TemplateSets(settings, this);
    }

    /** Decodes one datagram as the receiving thread does: fault cleared, under the exporter's lock. */
    Verdict feed(Decoder decoder, byte[] datagram) throws InterruptedException {
        fault.clear();
        synchronized (exporter) {
            return decoder.decode(datagram, 0, datagram.length, exporter, ARRIVAL, kept, fault);
        }
    }

    Domain domain(int version, long id) {
        return exporter.domain(version, id);
    }

    @Override
    public void sequenceGap(Domain d, NetflowFault unit, long expected, long received, long lost) {
        tell(d.label(), unit, expected, received, lost);
    }

    @Override
    public void templateRedefined(Domain d, int templateId, int oldFields, int newFields) {
        tell(d.label(), NetflowFault.TEMPLATE_REDEFINED, templateId, oldFields, newFields);
    }

    @Override
    public void heldSetFailed(Exporter from, Fault why) {
        noticed.add((NetflowFault) why.reason());
        notices.add(from.label() + ": held set dropped: " + why.message());
    }

    @Override
    public void dropped(Exporter from, int templateId) {
        tell(from.label(), NetflowFault.NO_TEMPLATE, templateId, 0, 0);
    }

    @Override
    public void optionsTableFull(Exporter from) {
        tell(from.label(), NetflowFault.OPTIONS_TABLE_FULL, Exporter.MAX_OPTION_ENTRIES, 0, 0);
    }

    private void tell(String who, NetflowFault why, long a, long b, long c) {
        notice.set(why, a, b, c);
        noticed.add(why);
        notices.add(who + ": " + notice.message());
    }
}
