package jpmacct.nfacctd.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.KeptRecords;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.FieldMapping;
import jpmacct.nfacctd.template.Fields;

/** One decoder with its exporters and a sink that keeps a copy of every record. */
final class Harness {
    final Metrics metrics = new Metrics();
    final ExporterTable exporters = new ExporterTable(metrics);
    private final KeptRecords kept = new KeptRecords();
    final List<FlowRecord> records = kept.records;
    final DecoderSettings settings;
    final NetflowDecoder decoder;
    int templateChanges;

    Harness() {
        this(1 << 20, 60_000, Fields.STANDARD);
    }

    Harness(long holdBytes, long holdMillis, FieldMapping mapping) {
        this.settings = new DecoderSettings(false, false, true, mapping, holdBytes, holdMillis, 4096, null, 0,
                () -> templateChanges++, false);
        this.decoder = new NetflowDecoder(exporters, settings, kept);
    }

    void feed(String sender, byte[] datagram) throws Exception {
        decoder.onDatagram(datagram, datagram.length, address(sender), 1_700_000_000_000_000L);
    }

    /**
     * The bytes at the start of a larger array of garbage, as the receiver's reused array holds them: a read past
     * the datagram's length would see the garbage instead of failing.
     */
    void feedInside(String sender, byte[] datagram) throws Exception {
        byte[] big = new byte[datagram.length + 64];
        Arrays.fill(big, (byte) 0x5A);
        System.arraycopy(datagram, 0, big, 0, datagram.length);
        decoder.onDatagram(big, datagram.length, address(sender), 1_700_000_000_000_000L);
    }

    Exporter exporter(String sender) throws UnknownHostException {
        return exporters.get(address(sender));
    }

    long malformed(String sender) throws UnknownHostException {
        return exporter(sender).counters().malformed.get();
    }

    static InetAddress address(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    long packets() {
        long n = 0;
        for (FlowRecord r : records) {
            n += r.packets;
        }
        return n;
    }
}
