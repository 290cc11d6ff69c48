package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live capture as a user runs it: two namespaced hosts joined by a bridge, bin/pmacctd on the bridge (or on both
 * veths with an interfaces map), known traffic between the hosts, counters checked after SIGTERM. Needs root.
 */
class LiveCaptureTest {
    private static final String UDP_SINK = "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
            + "s.bind(('0.0.0.0',5005))\nwhile True: s.recv(2048)";
    private static final String UDP_SEND = "import socket,time;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
            + "for i in range(20): s.sendto(b'x'*100,('" + Netns.B + "',5005))";
    private static final String TCP_SERVER = "import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,"
            + "socket.SO_REUSEADDR,1);s.bind(('0.0.0.0',8080));s.listen(1);c,a=s.accept();c.recv(100);"
            + "c.sendall(b'y'*1000);c.close()";
    private static final String TCP_CLIENT = "import socket,time;s=socket.create_connection(('" + Netns.B
            + "',8080));s.sendall(b'hello');d=b''\nwhile len(d)<1000:\n b=s.recv(2000)\n if not b: break\n d+=b\ns.close()";

    @BeforeAll
    static void needsRoot() {
        Assumptions.assumeTrue(Netns.available(), "SKIPPED: live capture needs root and 'ip netns' (run .ci/run as root)");
    }

    /** The kernel packet ring (default on Linux Ethernet) and the libpcap path must count the same. */
    static Stream<String> captureModes() {
        return Stream.of("ring", "pcap");
    }

    /** Starts pmacctd with {@code conf}, capturing through the kernel ring or libpcap ({@code mode}). */
    private static Daemon startCapture(Path dir, String mode, String conf) throws IOException {
        Files.writeString(dir.resolve("p.conf"), conf);
        return Daemon.start(dir, Map.of("JPMACCT_JAVA_OPTS", "-Djpmacct.capture=" + mode), "-f", "p.conf");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captureModes")
    void bridgeTrafficIsCountedExactly(String mode, @TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            try (Daemon d = startCapture(dir, mode, "interface: " + net.bridge + "\npromisc: true\n"
                    + "pcap_filter: ip\nplugins: print[csv]\naggregate[csv]: src_host, dst_host, proto, dst_port\n"
                    + "print_output[csv]: csv\nprint_output_file[csv]: out.csv\nprint_refresh_time[csv]: 3600\n"
                    + "pidfile: p.pid\n")) {
                d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid")));
                assertTrue(d.stderr().contains("kernel ring") == mode.equals("ring"), d.stderr());
                net.spawn(net.nsB, "python3", "-c", UDP_SINK);
                net.spawn(net.nsB, "python3", "-c", TCP_SERVER);
                net.awaitListening(net.nsB, true, 5005);
                net.awaitListening(net.nsB, false, 8080);
                net.exec(net.nsA, "ping -c 5 -i 0.2 -s 56 " + Netns.B);
                net.run(net.nsA, "python3", "-c", UDP_SEND);
                net.run(net.nsA, "python3", "-c", TCP_CLIENT);
                d.signal("TERM"); // a stopping pmacctd first reads what the kernel captured
                assertEquals(0, d.waitFor(60), d.stderr());
                assertTrue(d.stderr().contains("dropped by kernel 0"), d.stderr());
                // pmacctd_pipe_size: 64 MiB unless set (pmacct: the system default)
                assertTrue(d.stderr().contains(mode.equals("ring") ? "(kernel ring 64 x 1024 KiB, snaplen 128)"
                        : "(libpcap, kernel buffer 65536 KiB, snaplen 128)"), d.stderr());
            }
            String csv = Files.readString(dir.resolve("out.csv"));
            Map<String, long[]> rows = rows(csv);
            assertTrue(rows.containsKey(Netns.A + "," + Netns.B + ",icmp,0"), csv);
            assertArrayEquals(5, 5 * 84, rows.get(Netns.A + "," + Netns.B + ",icmp,0"), "echo requests");
            assertArrayEquals(5, 5 * 84, rows.get(Netns.B + "," + Netns.A + ",icmp,0"), "echo replies");
            assertArrayEquals(20, 20 * 128, rows.get(Netns.A + "," + Netns.B + ",udp,5005"), "UDP datagrams");
            long[] tcpToServer = rows.get(Netns.A + "," + Netns.B + ",tcp,8080");
            assertTrue(tcpToServer != null && tcpToServer[0] >= 4, "SYN, ACK, data, FIN at least: " + rows);
        }
    }

    /** Three 802.1Q-tagged UDP frames (VLAN 100, PCP 5) sent raw from a namespace. */
    private static final String SEND_TAGGED = "import socket,struct\n"
            + "s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\ns.bind(('eth0',0))\n"
            + "ip=struct.pack('!BBHHHBBH4s4s',0x45,0,28,1,0,64,17,0,bytes([10,78,0,1]),bytes([10,78,0,2]))\n"
            + "udp=struct.pack('!HHHH',4000,4001,8,0)\n"
            + "f=b'\\xff'*6+b'\\x02\\x00\\x00\\x00\\x00\\x01'+struct.pack('!HH',0x8100,(5<<13)|100)+b'\\x08\\x00'+ip+udp\n"
            + "for i in range(3): s.send(f)";

    @ParameterizedTest(name = "{0}")
    @MethodSource("captureModes")
    void vlanTagsSurviveTheKernelsOffload(String mode, @TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            try (Daemon d = startCapture(dir, mode, "interface: " + net.bridge + "\npcap_filter: vlan 100 and udp\n"
                    + "plugins: print[p]\naggregate[p]: vlan, cos, src_host, dst_host, dst_port\nprint_output[p]: csv\n"
                    + "print_refresh_time: 3600\nprint_output_file[p]: out.csv\npidfile: p.pid\n")) {
                d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid")));
                net.run(net.nsA, "python3", "-c", SEND_TAGGED);
                d.signal("TERM"); // a stopping pmacctd first reads what the kernel captured
                assertEquals(0, d.waitFor(60), d.stderr());
            }
            String out = Files.readString(dir.resolve("out.csv"));
            assertEquals("VLAN,COS,SRC_IP,DST_IP,DST_PORT,PACKETS,BYTES\n100,5,10.78.0.1,10.78.0.2,4001,3,84\n", out);
        }
    }

    @Test
    void interfacesMapFillsInIface(@TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            String out = pingThroughInterfacesMap(net, dir, "in", "", 100);
            assertTrue(out.startsWith("IN_IFACE,OUT_IFACE,SRC_IP,DST_IP,PACKETS,BYTES\n"), out);
            assertTrue(out.contains("\n100,0," + Netns.A + "," + Netns.B + ",3,252\n"), "requests enter from A's veth:\n" + out);
            assertTrue(out.contains("\n200,0," + Netns.B + "," + Netns.A + ",3,252\n"), "replies enter from B's veth:\n" + out);
        }
    }

    /**
     * Captures three pings from A to B on both veths through an interfaces map (A's veth ifindex 100, B's 200, both
     * with {@code direction}); the log must show A's veth with index {@code indexOfA}. Returns the CSV written; a
     * second plugin writes the totals by sampling_direction to dir.csv.
     */
    private static String pingThroughInterfacesMap(Netns net, Path dir, String direction, String conf, long indexOfA)
            throws Exception {
        Files.writeString(dir.resolve("ifaces.map"), "ifname=" + net.vethA + " ifindex=100 direction=" + direction + "\n"
                + "ifname=" + net.vethB + " ifindex=200 direction=" + direction + "\n");
        Files.writeString(dir.resolve("p.conf"), "pcap_interfaces_map: ifaces.map\npcap_filter: icmp\n" + conf
                + "plugins: print[p], print[d]\naggregate[p]: in_iface, out_iface, src_host, dst_host\n"
                + "aggregate[d]: sampling_direction\nprint_output: csv\nprint_refresh_time: 3600\n"
                + "print_output_file[p]: out.csv\nprint_output_file[d]: dir.csv\npidfile: p.pid\n");
        try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
            d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid")));
            assertTrue(d.stderr().contains("[" + net.vethA + "," + indexOfA + "] link type is"), d.stderr());
            net.exec(net.nsA, "ping -c 3 -i 0.2 " + Netns.B);
            d.signal("TERM"); // a stopping pmacctd first reads what the kernel captured
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        return Files.readString(dir.resolve("out.csv"));
    }

    /** Each mode with the defaults, with the option and with the key it stands for. */
    static Stream<Arguments> modesAndHow() {
        return captureModes().flatMap(m -> Stream.of("default", "option", "key").map(h -> Arguments.of(m, h)));
    }

    /**
     * promisc (default true) and -N: the kernel counts a promiscuous listener in the interface's promiscuity; the
     * key run also sets pmacctd_pipe_size, which sizes the kernel buffer.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modesAndHow")
    void promiscuousModeAndKernelBuffer(String mode, String how, @TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            assertEquals(0, promiscuity(net.bridge), "a bridge is not promiscuous by itself");
            String conf = "interface: " + net.bridge + "\nplugins: print[p]\naggregate[p]: proto\n"
                    + "print_refresh_time: 3600\nprint_output_file[p]: out.txt\n" + (how.equals("key") ? "promisc: false\npmacctd_pipe_size: 8m\n" : "");
            Files.writeString(dir.resolve("p.conf"), conf);
            Map<String, String> env = Map.of("JPMACCT_JAVA_OPTS", "-Djpmacct.capture=" + mode);
            try (Daemon d = how.equals("option") ? Daemon.start(dir, env, "-f", "p.conf", "-N") : Daemon.start(dir, env, "-f", "p.conf")) {
                d.await("capture started", 60, () -> d.stderrSafe().contains("link type is"));
                assertEquals(how.equals("default") ? 1 : 0, promiscuity(net.bridge), d.stderr());
                assertEquals(!how.equals("default"), d.stderr().contains(", not promiscuous)"), d.stderr());
                String buffer = mode.equals("ring") ? (how.equals("key") ? "kernel ring 8 x 1024 KiB" : "kernel ring 64 x 1024 KiB")
                        : (how.equals("key") ? "kernel buffer 8192 KiB" : "kernel buffer 65536 KiB");
                assertTrue(d.stderr().contains(buffer), d.stderr());
                d.signal("TERM");
                assertEquals(0, d.waitFor(60), d.stderr());
            }
        }
    }

    private static int promiscuity(String iface) throws Exception {
        Process p = new ProcessBuilder("ip", "-d", "link", "show", "dev", iface).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("promiscuity (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    /** Three UDP 4000->4001 frames whose IPv4 header carries 40 bytes of options: the ports end at byte 82. */
    private static final String SEND_LONG_HEADER = "import socket,struct\n"
            + "s=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\ns.bind(('eth0',0))\n"
            + "ip=struct.pack('!BBHHHBBH4s4s',0x4f,0,68,1,0,64,17,0,bytes([10,78,0,1]),bytes([10,78,0,2]))+b'\\x01'*40\n"
            // a valid header checksum: a bridge with br_netfilter drops IPv4 frames without one
            + "c=sum(struct.unpack('!30H',ip))\nc=(c>>16)+(c&0xffff)\nc+=c>>16\nip=ip[:10]+struct.pack('!H',~c&0xffff)+ip[12:]\n"
            + "udp=struct.pack('!HHHH',4000,4001,8,0)\n"
            + "f=b'\\xff'*6+b'\\x02\\x00\\x00\\x00\\x00\\x01'+b'\\x08\\x00'+ip+udp\n"
            + "for i in range(3): s.send(f)";

    /**
     * snaplen and -L: 64 bytes cut these frames before their ports, which are then accounted as 0 (pmacct drops such
     * packets, D3); the default 128 keeps them.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modesAndHow")
    void snaplenDecidesWhatIsCaptured(String mode, String how, @TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            Files.writeString(dir.resolve("p.conf"), "interface: " + net.bridge + "\npcap_filter: udp\nplugins: print[p]\n"
                    + "aggregate[p]: src_host, dst_host, dst_port\nprint_output[p]: csv\nprint_refresh_time: 3600\nprint_output_file[p]: out.csv\n"
                    + "pidfile: p.pid\n" + (how.equals("key") ? "snaplen: 64\n" : ""));
            Map<String, String> env = Map.of("JPMACCT_JAVA_OPTS", "-Djpmacct.capture=" + mode);
            try (Daemon d = how.equals("option") ? Daemon.start(dir, env, "-f", "p.conf", "-L", "64") : Daemon.start(dir, env, "-f", "p.conf")) {
                d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid")));
                net.run(net.nsA, "python3", "-c", SEND_LONG_HEADER);
                d.signal("TERM"); // a stopping pmacctd first reads what the kernel captured
                assertEquals(0, d.waitFor(60), d.stderr());
                assertTrue(d.stderr().contains("snaplen " + (how.equals("default") ? 128 : 64)), d.stderr());
            }
            String port = how.equals("default") ? "4001" : "0";
            assertEquals("SRC_IP,DST_IP,DST_PORT,PACKETS,BYTES\n10.78.0.1,10.78.0.2," + port + ",3,204\n",
                    Files.readString(dir.resolve("out.csv")));
        }
    }

    /**
     * pcap_interface_wait and -w: an interface that does not exist yet is retried until it appears (-w), and SIGTERM
     * while waiting still ends the daemon cleanly (the key's run).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "option", "key"})
    void interfaceWaitRetriesUntilItAppears(String how, @TempDir Path dir) throws Exception {
        String iface = "jpw" + ThreadLocalRandom.current().nextInt(10000, 99999);
        Files.writeString(dir.resolve("p.conf"), "interface: " + iface + "\nplugins: print[p]\naggregate[p]: proto\n"
                + "print_refresh_time: 3600\nprint_output_file[p]: out.txt\n" + (how.equals("key") ? "pcap_interface_wait: true\n" : ""));
        if (how.equals("none")) {
            E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
            assertEquals(1, r.exit(), r.stderr());
            assertTrue(r.stderr().contains("ERROR ( default/core ): " + iface + ": "), r.stderr());
            return;
        }
        try (Daemon d = how.equals("option") ? Daemon.start(dir, "-f", "p.conf", "-w") : Daemon.start(dir, "-f", "p.conf")) {
            d.await("a retry", 60, () -> d.stderrSafe().contains("retrying in 5 seconds (pcap_interface_wait)"));
            assertTrue(d.alive());
            if (how.equals("option")) {
                Netns.sh("ip link add " + iface + " type veth peer name " + iface + "p && ip link set " + iface + " up");
                d.await("the capture", 60, () -> d.stderrSafe().contains("[" + iface + ",0] link type is"));
            }
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
        } finally {
            new ProcessBuilder("sh", "-c", "ip link del " + iface + " 2>/dev/null").start().waitFor();
        }
    }

    /**
     * direction=out in the map fills out_iface with the index pcap_ifindex picks: the map's (its default), the
     * system's, pmacct's hash of the name, or none (0).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"map", "sys", "hash", "none"})
    void pcapIfindexFillsOutIface(String ifindex, @TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            long a = ifindex.equals("map") ? 100 : jpmacct.pmacctd.IfIndex.of(net.vethA, ifindex);
            long b = ifindex.equals("map") ? 200 : jpmacct.pmacctd.IfIndex.of(net.vethB, ifindex);
            assertEquals(ifindex.equals("none"), a == 0 && b == 0);
            String out = pingThroughInterfacesMap(net, dir, "out", ifindex.equals("map") ? "" : "pcap_ifindex: " + ifindex + "\n", a);
            assertTrue(out.contains("\n0," + b + "," + Netns.A + "," + Netns.B + ",3,252\n"), "requests leave by B's veth:\n" + out);
            assertTrue(out.contains("\n0," + a + "," + Netns.B + "," + Netns.A + ",3,252\n"), "replies leave by A's veth:\n" + out);
            assertEquals(List.of("SAMPLING_DIRECTION,PACKETS,BYTES", "e,6,504"), Files.readAllLines(dir.resolve("dir.csv")));
        }
    }

    /** aggregate_filter on interfaces (a term pmacct lacks) and pre_tag_map on them, with pcap_interfaces_map. */
    @Test
    void interfaceFiltersAndTagsOnCapturedInterfaces(@TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            Files.writeString(dir.resolve("ifaces.map"), "ifname=" + net.vethA + " ifindex=100 direction=in\n"
                    + "ifname=" + net.vethB + " ifindex=200 direction=in\n");
            Files.writeString(dir.resolve("pretag.map"), "set_tag=5 in=200 filter='icmp[icmptype] = icmp-echoreply'\n"
                    + "set_tag=6 direction=0\n");
            Files.writeString(dir.resolve("p.conf"), "pcap_interfaces_map: ifaces.map\npcap_filter: icmp\n"
                    + "pre_tag_map: pretag.map\nplugins: print[wan], print[all]\n"
                    + "aggregate_filter[wan]: in_iface 200 or out_iface 200\n"
                    + "aggregate: in_iface, src_host, dst_host, tag\nprint_output: csv\n"
                    + "print_refresh_time: 3600\nprint_output_file[wan]: wan.csv\nprint_output_file[all]: all.csv\npidfile: p.pid\n");
            try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
                d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid")));
                net.exec(net.nsA, "ping -c 3 -i 0.2 " + Netns.B);
                d.signal("TERM"); // a stopping pmacctd first reads what the kernel captured
                assertEquals(0, d.waitFor(60), d.stderr());
            }
            String replies = "200," + Netns.B + "," + Netns.A + ",5,3";
            String requests = "100," + Netns.A + "," + Netns.B + ",6,3";
            assertEquals(List.of(replies), columns(dir.resolve("wan.csv")), "only what entered through ifindex 200");
            assertEquals(List.of(requests, replies), columns(dir.resolve("all.csv")));
        }
    }

    /** IN_IFACE,SRC_IP,DST_IP,TAG,PACKETS of a print CSV, sorted. */
    private static List<String> columns(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> h = List.of(lines.get(0).split(","));
        List<String> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            out.add(f[h.indexOf("IN_IFACE")] + "," + f[h.indexOf("SRC_IP")] + "," + f[h.indexOf("DST_IP")] + ","
                    + f[h.indexOf("TAG")] + "," + f[h.indexOf("PACKETS")]);
        }
        Collections.sort(out);
        return out;
    }

    private static void assertArrayEquals(long packets, long bytes, long[] actual, String what) {
        assertTrue(actual != null, what + " missing");
        assertEquals(packets, actual[0], what + " packets");
        assertEquals(bytes, actual[1], what + " bytes");
    }

    private static Map<String, long[]> rows(String csv) {
        Map<String, long[]> out = new HashMap<>();
        String[] lines = csv.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            // columns in pmacct order: SRC_IP,DST_IP,DST_PORT,PROTOCOL,PACKETS,BYTES; keyed src,dst,proto,port
            out.put(f[0] + "," + f[1] + "," + f[3] + "," + f[2], new long[] {Long.parseLong(f[4]), Long.parseLong(f[5])});
        }
        return out;
    }
}
