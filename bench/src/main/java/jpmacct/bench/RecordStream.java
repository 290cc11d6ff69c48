package jpmacct.bench;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;

import jpmacct.collector.DatagramHandler;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.core.runtime.Logging;
import jpmacct.nfacctd.decode.DecoderSettings;
import jpmacct.nfacctd.decode.NetflowDecoder;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.Fields;
import jpmacct.sfacctd.agent.AgentTable;
import jpmacct.sfacctd.decode.SflowDecoder;
import jpmacct.sfacctd.decode.SflowSettings;

/**
 * Records an exporter's NetFlow/IPFIX stream (softflowd sending to 127.0.0.1:PORT), or with {@code sflow} an sFlow
 * stream (pmacctd's sfprobe), into a file for bench/native/flowreplay: per datagram [u16 length][u16 flow records
 * or flow samples][payload]. The records are counted by the collector's own decoder; recording ends when no
 * datagram came for 3 seconds after the first.
 *
 * <p>usage: RecordStream OUT PORT [sflow]
 */
public final class RecordStream {
    private RecordStream() {
    }

    public static void main(String[] args) throws Exception {
        Logging.early("bench");
        Path out = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int[] counted = new int[1];
        FlowRecord slot = new FlowRecord();
        RecordSink sink = new RecordSink() {
            @Override
            public FlowRecord slot() {
                return slot;
            }

            @Override
            public void commit() {
                counted[0]++;
            }
        };
        DecoderSettings settings = new DecoderSettings(false, false, false, Fields.STANDARD, 1 << 24, 600_000, 4096,
                null, 0, null, false);
        DatagramHandler decoder = args.length > 2 && args[2].equals("sflow")
                ? new SflowDecoder(new AgentTable(new Metrics()), SflowSettings.DEFAULTS, sink)
                : new NetflowDecoder(new ExporterTable(new Metrics()), settings, sink);
        long datagrams = 0;
        long records = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
             DataOutputStream w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            s.setReceiveBufferSize(32 << 20);
            byte[] buf = new byte[65536];
            System.err.println("recording on 127.0.0.1:" + port);
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.setSoTimeout(datagrams == 0 ? 120_000 : 3_000);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                counted[0] = 0;
                decoder.onDatagram(buf, p.getLength(), p.getAddress(), 0);
                w.writeShort(p.getLength());
                w.writeShort(counted[0]);
                w.write(buf, 0, p.getLength());
                datagrams++;
                records += counted[0];
            }
        }
        System.err.println("recorded " + datagrams + " datagrams, " + records + " flow records into " + out);
    }
}
