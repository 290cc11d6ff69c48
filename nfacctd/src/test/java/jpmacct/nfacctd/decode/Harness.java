package jpmacct.nfacctd.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.FieldMapping;
import jpmacct.nfacctd.template.Fields;

/** One decoder with its exporters and a sink that keeps a copy of every record. */
final class Harness implements RecordSink {
    final Metrics metrics = new Metrics();
    final ExporterTable exporters = new ExporterTable(metrics);
    final List<FlowRecord> records = new ArrayList<>();
    final DecoderSettings settings;
    final NetflowDecoder decoder;
    int templateChanges;
    private final FlowRecord slot = new FlowRecord();

    Harness() {
        this(1 << 20, 60_000, Fields.STANDARD);
    }

    Harness(long holdBytes, long holdMillis, FieldMapping mapping) {
        this.settings = new DecoderSettings(false, false, true, mapping, holdBytes, holdMillis, 4096, null, 0,
                () -> templateChanges++, false);
        this.decoder = new NetflowDecoder(exporters, settings, this);
    }

    void feed(String sender, byte[] datagram) throws Exception {
        decoder.onDatagram(Unpooled.wrappedBuffer(datagram), 0, datagram.length, address(sender), 1_700_000_000_000_000L);
    }

    /** The bytes in the middle of a larger buffer, to catch reads outside the datagram's own range. */
    void feedInside(String sender, byte[] datagram) throws Exception {
        byte[] big = new byte[datagram.length + 64];
        java.util.Arrays.fill(big, (byte) 0x5A);
        System.arraycopy(datagram, 0, big, 32, datagram.length);
        decoder.onDatagram(Unpooled.wrappedBuffer(big), 32, datagram.length, address(sender), 1_700_000_000_000_000L);
    }

    Exporter exporter(String sender) throws UnknownHostException {
        return exporters.get(address(sender));
    }

    long malformed(String sender) throws UnknownHostException {
        return exporter(sender).counters.malformed.get();
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

    @Override
    public FlowRecord slot() {
        return slot;
    }

    @Override
    public void commit() {
        FlowRecord copy = new FlowRecord();
        copy.copyFrom(slot);
        records.add(copy);
    }
}
