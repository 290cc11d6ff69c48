package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.capture.PacketSource;
import jpmacct.core.capture.SavefileReader;
import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * pmacctd's sfprobe plugin as an sFlow agent, with bin/sfacctd (or tshark) as the collector, all on loopback.
 * The capture is SoftflowdTest's (20,000 packets, IPv4 and IPv6, VLAN-tagged frames among them).
 */
class SfprobeTest {
    private static final String AGGREGATE = "src_host, dst_host, src_port, dst_port, proto";

    /** pmacctd reading the capture into one sfprobe plugin aimed at port. */
    private static E2e.Result probe(Path dir, Path pcap, int port, int rate) throws Exception {
        Files.writeString(dir.resolve("pmacctd.conf"), "pcap_savefile: " + pcap + "\nlogfile: pmacctd.log\n"
                + "plugins: sfprobe[sf]\nsfprobe_receiver[sf]: 127.0.0.1:" + port + "\nsfprobe_agentip[sf]: 127.0.0.7\n"
                + "sampling_rate[sf]: " + rate + "\nsfprobe_counter_interval[sf]: 1\n", StandardCharsets.UTF_8);
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "pmacctd.conf");
        assertEquals(0, r.exit(), r.stderr() + Daemon.read(dir.resolve("pmacctd.log")));
        return r;
    }

    /** sfacctd's print CSV of what sfprobe exported, at the given sampling rate. */
    private static String throughSfacctd(Path dir, Path pcap, int rate, boolean renormalize) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        Files.writeString(dir.resolve("sfacctd.conf"), "sfacctd_ip: 127.0.0.1\nsfacctd_port: " + port + "\n"
                + "logfile: sfacctd.log\nsfacctd_renormalize: " + renormalize + "\nplugins: print\naggregate: "
                + AGGREGATE + "\nprint_output: csv\nprint_output_file: sf.csv\nprint_refresh_time: 3600\n",
                StandardCharsets.UTF_8);
        try (Daemon d = Daemon.program("sfacctd", dir, Map.of(), "-f", "sfacctd.conf")) {
            d.await("the socket", 60, () -> Daemon.read(dir.resolve("sfacctd.log")).contains("waiting for sFlow data"));
            probe(dir, pcap, port, rate);
            d.signal("INT");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        String log = Daemon.read(dir.resolve("sfacctd.log"));
        assertTrue(log.contains("exporter 127.0.0.7: "), "the agent address of sfprobe_agentip:\n" + log);
        assertTrue(log.contains("sequence gaps 0, malformed datagrams 0"), log);
        return Files.readString(dir.resolve("sf.csv"), StandardCharsets.UTF_8);
    }

    /** "src,dst,sport,dport,proto" to {packets, bytes}. */
    private static Map<String, long[]> rows(String csv) {
        Map<String, long[]> out = new TreeMap<>();
        for (String row : csv.lines().skip(1).toList()) {
            String[] f = row.split(",");
            out.put(String.join(",", List.of(f).subList(0, f.length - 2)),
                    new long[] {Long.parseLong(f[f.length - 2]), Long.parseLong(f[f.length - 1])});
        }
        return out;
    }

    /** Per key, the frame bytes an sFlow agent reports: the length on the wire plus the 4 FCS bytes. */
    private static Map<String, Long> frameBytes(Path pcap) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        PacketDecoder decoder = new PacketDecoder(null, null, new DecodeStats());
        FlowRecord r = new FlowRecord();
        try (SavefileReader reader = new SavefileReader(pcap)) {
            while (reader.poll((buf, off, caplen, wire, ts, link, ifIndex) -> {
                r.clear();
                decoder.decode(buf, off, caplen, wire, link, ts, r);
                String proto = r.proto == 6 ? "tcp" : r.proto == 17 ? "udp" : r.proto == 1 ? "icmp" : r.proto == 58 ? "ipv6-icmp"
                        : Integer.toString(r.proto);
                String key = Addr.toString(r.srcFamily, r.srcHi, r.srcLo) + "," + Addr.toString(r.dstFamily, r.dstHi, r.dstLo)
                        + "," + r.srcPort + "," + r.dstPort + "," + proto;
                out.merge(key, Math.max(wire, caplen) + 4L, Long::sum);
            }, 1024) != PacketSource.END) {
                // all counted
            }
        }
        return out;
    }

    @Test
    void atRateOneSfacctdCountsWhatPmacctdCounts(@TempDir Path dir) throws Exception {
        Path pcap = SoftflowdTest.capture(dir);
        E2e.Result direct = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-I", pcap.toString(), "-c",
                AGGREGATE.replace(" ", ""), "-P", "print", "-O", "csv");
        assertEquals(0, direct.exit(), direct.stderr());
        Map<String, long[]> expected = rows(direct.stdout());
        Map<String, long[]> got = rows(throughSfacctd(dir, pcap, 1, false));
        assertEquals(expected.keySet(), got.keySet(), "the same flows");
        Map<String, Long> frames = frameBytes(pcap);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] g = got.get(e.getKey());
            assertEquals(e.getValue()[0], g[0], "packets of " + e.getKey());
            // pmacctd counts IP bytes, an sFlow agent the frame: the same packets, each with its link layer and FCS
            assertEquals(frames.get(e.getKey()), g[1], "bytes of " + e.getKey());
        }
    }

    @Test
    void atRateTenRenormalizedTotalsAreWithinTheSamplingError(@TempDir Path dir) throws Exception {
        Path pcap = SoftflowdTest.capture(dir);
        Map<String, long[]> got = rows(throughSfacctd(dir, pcap, 10, true));
        long packets = 0;
        long bytes = 0;
        for (long[] v : got.values()) {
            packets += v[0];
            bytes += v[1];
        }
        long frames = frameBytes(pcap).values().stream().mapToLong(Long::longValue).sum();
        // samples ~ Binomial(20000, 1/10): renormalized packets have a standard deviation of sqrt(20000 x 10 x 0.9)
        // = 424; five of them (2121, 10.6%) fail once in 1.7 million runs. Bytes vary with the frames picked too.
        assertTrue(Math.abs(packets - 20_000) <= 2121, "renormalized packets " + packets);
        assertEquals(0, packets % 10, "each sample stands for 10 packets");
        assertTrue(Math.abs(bytes - frames) <= 0.15 * frames, "renormalized bytes " + bytes + " of " + frames);
    }

    @Test
    void tsharkDecodesEveryDatagramSfprobeSends(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark is not installed (.ci/run installs it)");
        Path pcap = SoftflowdTest.capture(dir);
        List<byte[]> datagrams = new ArrayList<>();
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 32 << 20);
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            Thread reader = new Thread(() -> receive(ch, datagrams));
            reader.start();
            probe(dir, pcap, port, 5);
            Daemon.awaitSocketRead(port, () -> datagrams.size() + " datagrams read");
            ch.close(); // the datagram in the reader's hands is still kept
            reader.join(10_000);
        }
        assertTrue(datagrams.size() > 100, datagrams.size() + " datagrams");
        Path out = dir.resolve("sfprobe.pcap");
        writePcap(out, datagrams);
        E2e.Result all = E2e.run(dir, 120, "/usr/bin/tshark", "-r", out.toString(), "-d", "udp.port==6343,sflow",
                "-Y", "sflow", "-T", "fields", "-e", "sflow.flow_sample.sample_pool", "-e", "sflow.counters_sample.sequence_number");
        assertEquals(0, all.exit(), all.stderr());
        assertEquals(datagrams.size(), all.stdout().lines().count(), "every datagram is sFlow to tshark");
        E2e.Result bad = E2e.run(dir, 120, "/usr/bin/tshark", "-r", out.toString(), "-d", "udp.port==6343,sflow",
                "-Y", "_ws.malformed || _ws.expert.severity >= warning");
        assertEquals(0, bad.exit(), bad.stderr());
        assertEquals("", bad.stdout().strip(), "datagrams tshark finds malformed or warns about");
        long lastPool = 0;
        int counterSamples = 0;
        for (String line : all.stdout().lines().toList()) {
            String[] f = line.split("\t", -1);
            for (String pool : f[0].isEmpty() ? new String[0] : f[0].split(",")) {
                long p = Long.parseLong(pool);
                assertTrue(p > lastPool, "the sample pool grows: " + p + " after " + lastPool);
                lastPool = p;
            }
            counterSamples += f.length > 1 && !f[1].isEmpty() ? f[1].split(",").length : 0;
        }
        // skips are at most 2 x 5 - 1: the last sample comes within 9 packets of the end
        assertTrue(lastPool <= 20_000 && lastPool > 20_000 - 9, "the last sample pool " + lastPool);
        assertTrue(counterSamples >= 1, "counter samples: " + counterSamples);
    }

    private static void receive(DatagramChannel ch, List<byte[]> into) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                ch.receive(buf);
                buf.flip();
                byte[] d = new byte[buf.remaining()];
                buf.get(d);
                synchronized (into) {
                    into.add(d);
                }
            }
        } catch (IOException e) {
            // closed: done
        }
    }

    /** A pcap of the datagrams as IPv4/UDP from 127.0.0.7 to port 6343 (raw IP link type). */
    private static void writePcap(Path file, List<byte[]> datagrams) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24 + datagrams.stream().mapToInt(d -> d.length + 16 + 28).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        int t = 0;
        for (byte[] d : datagrams) {
            int len = d.length + 28;
            b.putInt(1_700_000_000 + t++).putInt(0).putInt(len).putInt(len);
            b.order(ByteOrder.BIG_ENDIAN);
            b.put((byte) 0x45).put((byte) 0).putShort((short) len).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {127, 0, 0, 7}).put(new byte[] {127, 0, 0, 1});
            b.putShort((short) 40000).putShort((short) 6343).putShort((short) (d.length + 8)).putShort((short) 0).put(d);
            b.order(ByteOrder.LITTLE_ENDIAN);
        }
        Files.write(file, Arrays.copyOf(b.array(), b.position()));
    }
}
