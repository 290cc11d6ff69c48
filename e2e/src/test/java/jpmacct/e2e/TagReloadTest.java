package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.e2e.FlowExport.Flow;

/**
 * Maps swapped while flows arrive: SIGUSR2 and maps_refresh's file watch swap the pre_tag_map between two records,
 * a bad new map is refused with its file and line and the old one keeps tagging, and no record is lost or
 * counted twice on the way; ports_file follows its file the same way. At start a bad map or filter stops the daemon.
 */
class TagReloadTest {
    /** Datagrams between two steps of the test. */
    private static final int STEP = 2_000;

    @Test
    void reloadsUnderTrafficLoseNothing(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        Path map = dir.resolve("pretag.map");
        Files.writeString(map, "set_tag=1 ip=127.0.0.1\n");
        Files.writeString(dir.resolve("n.conf"), "nfacctd_ip: 127.0.0.1\nnfacctd_port: " + port + "\n"
                + "logfile: n.log\nplugins: memory[m]\nimt_path[m]: m.pipe\naggregate[m]: tag\n"
                + "pre_tag_map: pretag.map\nmaps_refresh: true\n"
                + "nfacctd_pipe_size: 4194304\n"); // a busy machine may leave the socket unread for a while
        try (Daemon d = Daemon.program("nfacctd", dir, Map.of(), "-f", "n.conf")) {
            d.await("the socket", 60, () -> Daemon.read(dir.resolve("n.log")).contains("waiting for NetFlow/IPFIX"));
            Path log = dir.resolve("n.log");
            AtomicInteger sent = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = new Thread(() -> send(port, sent, stop));
            sender.start();
            try {
                // each step waits for what the daemon accounted, not for what was sent: on a busy machine the
                // socket may still hold records sent before a reload, which then rightly get the new map's tag
                MemoryFixture.awaitAtLeast(dir, "m.pipe", STEP, "the first map's records");
                replace(dir, map, "set_tag=2 ip=127.0.0.0/8\n");
                d.signal("USR2");
                Daemon.awaitCondition("the reload", 30, () -> count(Daemon.read(log), "[pretag.map] map successfully (re)loaded") == 2, () -> Daemon.read(log));
                int afterFirst = sent.get();
                MemoryFixture.awaitAtLeast(dir, "m.pipe", afterFirst + STEP, "records after the reload");
                replace(dir, map, "set_tag=9 ip=127.0.0.1\nset_tag=3 colour=red\n");
                d.signal("USR2");
                Daemon.awaitCondition("the refusal", 30, () -> Daemon.read(log).contains("pretag.map:2: unknown key 'colour'"), () -> Daemon.read(log));
                MemoryFixture.awaitAtLeast(dir, "m.pipe", afterFirst + 2 * STEP, "records after the refusal");
                // no signal: maps_refresh sees the file change (once it has been at rest for a second)
                replace(dir, map, "set_tag=4 ip=127.0.0.1\n");
                Daemon.awaitCondition("the watched change", 30, () -> count(Daemon.read(log), "[pretag.map] map successfully (re)loaded") == 3, () -> Daemon.read(log));
                MemoryFixture.awaitAtLeast(dir, "m.pipe", sent.get() + STEP, "records after the watched change");
            } finally {
                stop.set(true);
                sender.join();
            }
            MemoryFixture.awaitTotal(dir, "m.pipe", sent.get(), "every record, once, across the reloads");
            Map<String, Long> byTag = byColumn(MemoryFixture.pmacctOn(dir, "m.pipe", "-s", "-O", "csv").stdout(), "TAG");
            assertEquals(List.of("1", "2", "4"), List.copyOf(byTag.keySet()), "the refused map never tagged: " + byTag);
            assertTrue(byTag.get("1") >= STEP, byTag.toString());
            assertTrue(byTag.get("2") >= 2 * STEP, "tag 2 kept on after the refusal: " + byTag);
            assertTrue(byTag.get("4") >= STEP, byTag.toString());
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        String text = Daemon.read(dir.resolve("n.log"));
        assertTrue(text.contains("keeping the previous pre_tag_map"), text);
    }

    /** One flow of one packet per datagram, paced (about 3000/s) so the run spans the reloads. */
    private static void send(int port, AtomicInteger sent, AtomicBoolean stop) {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            InetAddress to = InetAddress.getByName("127.0.0.1");
            long start = System.nanoTime();
            for (int i = 0; !stop.get(); i++) {
                byte[] d = FlowExport.v9(i + 1, 0, List.of(new Flow("10.0.0.1", "10.0.0.2", 1000 + i % 1000, 80, 6,
                        100, 1, 1, 2, 0, 0, 0)));
                s.send(new DatagramPacket(d, d.length, to, port));
                sent.incrementAndGet();
                long due = start + (i + 1) * 333_333L;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new map written beside and renamed over the old, as an editor or a script would. */
    private static void replace(Path dir, Path map, String text) throws Exception {
        Path tmp = Files.writeString(dir.resolve("pretag.map.new"), text);
        Files.move(tmp, map, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Long> byColumn(String csv, String column) {
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        Map<String, Long> out = new TreeMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            out.merge(f[header.indexOf(column)], Long.parseLong(f[header.indexOf("PACKETS")]), Long::sum);
        }
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void portsFileFollowsItsFileAndABadOneKeepsTheOld(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        Path ports = dir.resolve("ports.lst");
        Files.writeString(ports, "80\n");
        Files.writeString(dir.resolve("n.conf"), "nfacctd_ip: 127.0.0.1\nnfacctd_port: " + port + "\n"
                + "logfile: n.log\nplugins: memory[m]\nimt_path[m]: m.pipe\naggregate[m]: dst_port\n"
                + "ports_file: ports.lst\nmaps_refresh: true\n");
        Path log = dir.resolve("n.log");
        try (Daemon d = Daemon.program("nfacctd", dir, Map.of(), "-f", "n.conf");
             DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            d.await("the socket", 60, () -> Daemon.read(log).contains("waiting for NetFlow/IPFIX"));
            int sequence = sendTo443(s, port, 1);
            MemoryFixture.awaitTotal(dir, "m.pipe", 10, "443 outside ports.lst");
            replace(dir, ports, "80\n443\n");
            Daemon.awaitCondition("the watched change", 30,
                    () -> count(Daemon.read(log), "[ports.lst] map successfully (re)loaded") == 2, () -> Daemon.read(log));
            sequence = sendTo443(s, port, sequence);
            MemoryFixture.awaitTotal(dir, "m.pipe", 20, "443 listed");
            replace(dir, ports, "80\nhttps\n");
            d.signal("USR2");
            Daemon.awaitCondition("the refusal", 30, () -> Daemon.read(log).contains("keeping the previous ports_file"),
                    () -> Daemon.read(log));
            sendTo443(s, port, sequence);
            MemoryFixture.awaitTotal(dir, "m.pipe", 30, "443 still listed");
            Map<String, Long> byPort = byColumn(MemoryFixture.pmacctOn(dir, "m.pipe", "-s", "-O", "csv").stdout(),
                    "DST_PORT");
            assertEquals(Map.of("0", 10L, "443", 20L), byPort);
            assertTrue(Daemon.read(log).contains("ports.lst:2: invalid port 'https'"), Daemon.read(log));
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
    }

    /** Ten one-packet flows to port 443; returns the next sequence number. */
    private static int sendTo443(DatagramSocket s, int port, int sequence) throws Exception {
        InetAddress to = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 10; i++, sequence++) {
            byte[] d = FlowExport.v9(sequence, 0, List.of(new Flow("10.0.0.1", "10.0.0.2", 40000 + i, 443, 6,
                    100, 1, 1, 2, 0, 0, 0)));
            s.send(new DatagramPacket(d, d.length, to, port));
        }
        return sequence;
    }

    @Test
    void aBadMapOrFilterAtStartStopsTheDaemon(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pretag.map"), "set_tag=1 ip=127.0.0.1\nset_tag=2 colour=red\n");
        Files.writeString(dir.resolve("n.conf"), "nfacctd_port: " + NfacctdConformanceTest.freePort()
                + "\nplugins: print[p]\npre_tag_map: pretag.map\n");
        E2e.Result r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "n.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("pretag.map:2: unknown key 'colour'"), r.stderr());

        Files.writeString(dir.resolve("n.conf"), "nfacctd_port: " + NfacctdConformanceTest.freePort()
                + "\nplugins: print[p], print[wan]\naggregate_filter[wan]: in_iface 200 or out_iface 2x0\n");
        r = E2e.run(dir, 60, E2e.bin("nfacctd").toString(), "-f", "n.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("n.conf:3: aggregate_filter[wan]:"), r.stderr());
        assertTrue(r.stderr().contains("'2x0' (position 17) is not a number"), r.stderr());
    }
}
