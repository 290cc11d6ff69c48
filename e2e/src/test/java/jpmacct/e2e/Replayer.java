package jpmacct.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


import jpmacct.collector.DatagramHandler;
import jpmacct.collector.SavefileDatagrams;
import jpmacct.core.capture.PacketSource;
import jpmacct.core.capture.SavefileReader;

/**
 * Replays the UDP payloads of a capture to a collector on loopback, from a loopback source address of the test's
 * choosing (127.0.0.2 plays a second exporter), in file order. Only loopback destinations are accepted.
 */
final class Replayer {
    private Replayer() {
    }

    /** The payloads of every UDP datagram in the capture, in order. */
    static List<byte[]> payloads(Path pcap) throws IOException, InterruptedException {
        List<byte[]> out = new ArrayList<>();
        DatagramHandler collect = (datagram, length, sender, arrivalMicros) ->
                out.add(Arrays.copyOf(datagram, length));
        SavefileDatagrams extract = new SavefileDatagrams(collect);
        try (SavefileReader r = new SavefileReader(pcap)) {
            while (r.poll(extract, 1024) != PacketSource.END) {
                // all delivered to collect
            }
        }
        return out;
    }

    /** Sends the datagrams from {@code source} to 127.0.0.1:port; returns how many were sent. */
    static int send(List<byte[]> datagrams, String source, int port) throws IOException, InterruptedException {
        InetAddress to = InetAddress.getByName("127.0.0.1");
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            if (!ch.socket().getLocalAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("replays come from loopback only, not " + source);
            }
            int n = 0;
            for (byte[] d : datagrams) {
                ch.send(ByteBuffer.wrap(d), new InetSocketAddress(to, port));
                if (++n % 64 == 0) {
                    Thread.sleep(1); // a burst of a large capture must not overrun the socket buffer
                }
            }
            return n;
        }
    }

    static int replay(Path pcap, String source, int port) throws IOException, InterruptedException {
        return send(payloads(pcap), source, port);
    }
}
