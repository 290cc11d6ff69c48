package jpmacct.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

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
 * Decode cost alone: nfacctd's decoder (sfacctd's with {@code sflow}) over a recorded stream (RecordStream's
 * format) again and again, one thread, records counted and dropped. Prints nanoseconds per record (or sample).
 *
 * <p>usage: NetflowDecodeTimer STREAM [seconds] [sflow]
 */
public final class NetflowDecodeTimer {
    private NetflowDecodeTimer() {
    }

    public static void main(String[] args) throws Exception {
        Logging.early("bench");
        List<byte[]> datagrams = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(Path.of(args[0])))) {
            while (true) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException e) {
                    break;
                }
                in.readUnsignedShort();
                byte[] b = new byte[len];
                in.readFully(b);
                datagrams.add(b);
            }
        }
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        long[] count = new long[1];
        FlowRecord slot = new FlowRecord();
        RecordSink sink = new RecordSink() {
            @Override
            public FlowRecord slot() {
                return slot;
            }

            @Override
            public void commit() {
                count[0]++;
            }
        };
        DecoderSettings settings = new DecoderSettings(false, false, false, Fields.STANDARD, 1 << 24, 600_000, 4096,
                null, 0, null, false);
        DatagramHandler decoder = args.length > 2 && args[2].equals("sflow")
                ? new SflowDecoder(new AgentTable(new Metrics()),
                        SflowSettings.DEFAULTS, sink)
                : new NetflowDecoder(new ExporterTable(new Metrics()), settings, sink);
        InetAddress from = InetAddress.getByName("127.0.0.2");
        // as the receiver does: each datagram copied out of a socket buffer into the thread's array
        ByteBuf[] bufs = new ByteBuf[datagrams.size()];
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = Unpooled.directBuffer(datagrams.get(i).length).writeBytes(datagrams.get(i));
        }
        byte[] copy = new byte[65536];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int rounds = 0;
        long start = 0;
        long startCpu = 0;
        long startCount = 0;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        while (System.nanoTime() < end) {
            if (rounds == 3) { // after warm-up
                start = System.nanoTime();
                startCpu = mx.getCurrentThreadCpuTime();
                startCount = count[0];
            }
            for (ByteBuf b : bufs) {
                int length = b.readableBytes();
                b.getBytes(0, copy, 0, length);
                decoder.onDatagram(copy, length, from, 0);
            }
            rounds++;
        }
        long records = count[0] - startCount;
        double ns = (System.nanoTime() - start) / (double) records;
        double cpu = (mx.getCurrentThreadCpuTime() - startCpu) / (double) records;
        System.out.printf("%d rounds, %d records: %.1f ns wall, %.1f ns CPU per record%n", rounds, count[0], ns, cpu);
    }
}
