package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
                Thread.sleep(500);
                net.exec(net.nsA, "ping -c 5 -i 0.2 -s 56 " + Netns.B);
                net.run(net.nsA, "python3", "-c", UDP_SEND);
                net.run(net.nsA, "python3", "-c", TCP_CLIENT);
                Thread.sleep(500);
                d.signal("TERM");
                assertEquals(0, d.waitFor(60), d.stderr());
                assertTrue(d.stderr().contains("dropped by kernel 0"), d.stderr());
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
                    + "print_output_file[p]: out.csv\npidfile: p.pid\n")) {
                d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid")));
                Thread.sleep(300);
                net.run(net.nsA, "python3", "-c", SEND_TAGGED);
                Thread.sleep(500);
                d.signal("TERM");
                assertEquals(0, d.waitFor(60), d.stderr());
            }
            String out = Files.readString(dir.resolve("out.csv"));
            assertEquals("VLAN,COS,SRC_IP,DST_IP,DST_PORT,PACKETS,BYTES\n100,5,10.78.0.1,10.78.0.2,4001,3,84\n", out);
        }
    }

    @Test
    void interfacesMapFillsInIface(@TempDir Path dir) throws Exception {
        try (Netns net = new Netns()) {
            Files.writeString(dir.resolve("ifaces.map"), "ifname=" + net.vethA + " ifindex=100 direction=in\n"
                    + "ifname=" + net.vethB + " ifindex=200 direction=in\n");
            Files.writeString(dir.resolve("p.conf"), "pcap_interfaces_map: ifaces.map\npcap_filter: icmp\n"
                    + "plugins: print[p]\naggregate[p]: in_iface, src_host, dst_host\nprint_output[p]: csv\n"
                    + "print_output_file[p]: out.csv\npidfile: p.pid\n");
            try (Daemon d = Daemon.start(dir, "-f", "p.conf")) {
                d.await("capture started", 60, () -> Files.exists(dir.resolve("p.pid")));
                Thread.sleep(300);
                net.exec(net.nsA, "ping -c 3 -i 0.2 " + Netns.B);
                Thread.sleep(500);
                d.signal("TERM");
                assertEquals(0, d.waitFor(60), d.stderr());
            }
            String out = Files.readString(dir.resolve("out.csv"));
            assertTrue(out.startsWith("IN_IFACE,SRC_IP,DST_IP,PACKETS,BYTES\n"), out);
            assertTrue(out.contains("\n100," + Netns.A + "," + Netns.B + ",3,252\n"), "requests enter from A's veth:\n" + out);
            assertTrue(out.contains("\n200," + Netns.B + "," + Netns.A + ",3,252\n"), "replies enter from B's veth:\n" + out);
        }
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
