package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/sfacctd as a user runs it: bad agents, its options, keys it refuses. */
class SfacctdTest {

    /** The datagram with its agent address (IPv4, bytes 8-11) replaced. */
    private static byte[] fromAgent(byte[] d, int lastOctet) {
        byte[] c = d.clone();
        c[8] = 127;
        c[9] = 0;
        c[10] = 0;
        c[11] = (byte) lastOctet;
        return c;
    }

    /** Every way a datagram can lie, made from a real one of agent 127.0.0.5. */
    private static List<byte[]> broken(byte[] good) {
        List<byte[]> out = new ArrayList<>();
        byte[] d = fromAgent(good, 5);
        out.add(Arrays.copyOf(d, 20)); // cut inside the header
        byte[] count = d.clone();
        ByteBuffer.wrap(count).putInt(24, -1); // 2^32-1 samples
        out.add(count);
        byte[] length = d.clone();
        ByteBuffer.wrap(length).putInt(32, 1 << 30); // the first sample's length past the datagram
        out.add(length);
        byte[] version = d.clone();
        ByteBuffer.wrap(version).putInt(0, 6);
        out.add(version);
        byte[] type = d.clone();
        ByteBuffer.wrap(type).putInt(4, 9); // an agent address type that is neither IPv4 nor IPv6
        out.add(type);
        out.add(Arrays.copyOf(d, d.length / 2)); // a sample cut short
        return out;
    }

    @Test
    void aBrokenAgentAmongGoodOnes(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        Files.writeString(dir.resolve("sfacctd.conf"), "sfacctd_ip: 127.0.0.1\nsfacctd_port: " + port + "\nlogfile: sfacctd.log\n"
                + "plugins: memory[mem]\naggregate[mem]: peer_src_ip, flows\nimt_path[mem]: mem.pipe\n", StandardCharsets.UTF_8);
        List<byte[]> good = Replayer.payloads(NfacctdConformanceTest.vectors().resolve("sflow-sfprobe-rate10/export.pcap"));
        List<byte[]> mixed = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            mixed.add(good.get(i));
            mixed.add(fromAgent(good.get(i), 9)); // a second good agent
            if (i % 10 == 0) {
                mixed.addAll(broken(good.get(i)));
            }
        }
        try (Daemon d = Daemon.program("sfacctd", dir, Map.of(), "-f", "sfacctd.conf")) {
            d.await("the socket", 60, () -> Daemon.read(dir.resolve("sfacctd.log")).contains("waiting for sFlow data"));
            Replayer.send(mixed, "127.0.0.3", port);
            String table = NfacctdConformanceTest.stableTable(dir, d, port);
            assertTrue(table.contains("127.0.0.1,988,988,420616"), "agent 127.0.0.1 loses nothing:\n" + table);
            assertTrue(table.contains("127.0.0.9,988,988,420616"), "agent 127.0.0.9 loses nothing:\n" + table);
            d.signal("INT");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        String log = Daemon.read(dir.resolve("sfacctd.log"));
        // pmacct 1.8's words
        assertTrue(log.contains("INFO ( default/core ): waiting for sFlow data on interface=all ip=127.0.0.1 port=" + port
                + "/udp\n"), log);
        assertTrue(log.contains("INFO ( default/core ): sFlow agent 127.0.0.5: malformed datagram"), log);
        assertTrue(log.contains("exporter 127.0.0.1: 148 datagrams, 988 records; sequence gaps 0, malformed datagrams 0"), log);
        // cut in the header and the bad address type name no agent: counted against the UDP sender
        assertTrue(log.contains("exporter 127.0.0.3: 45 datagrams, 0 records; sequence gaps 0, malformed datagrams 45"), log);
        assertTrue(log.matches("(?s).*exporter 127\\.0\\.0\\.5: 45 datagrams, \\d+ records; sequence gaps \\d+, malformed datagrams 45.*"), log);
    }

    /** The issue's own configuration: a memory table per 5-tuple, interfaces and VLAN, and sum_host into SQLite. */
    @Test
    void memoryAndSqliteAsTheIssueConfiguresThem(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("sflow.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement()) {
            String script = Files.readString(E2e.root().resolve("sql/pmacct-create-table_v1.sqlite3"), StandardCharsets.UTF_8)
                    .replaceAll("(?m)^--.*$", "");
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
        }
        int port = NfacctdConformanceTest.freePort();
        Files.writeString(dir.resolve("sfacctd.conf"), "sfacctd_ip: 127.0.0.1\nsfacctd_port: " + port + "\n"
                + "sfacctd_renormalize: true\nlogfile: sfacctd.log\nplugins: memory[m], sqlite3[s]\n"
                + "aggregate[m]: peer_src_ip, src_host, dst_host, src_port, dst_port, proto, in_iface, out_iface, vlan\n"
                + "aggregate[s]: sum_host\nsql_db[s]: " + db + "\nimt_path[m]: mem.pipe\n", StandardCharsets.UTF_8);
        try (Daemon d = Daemon.program("sfacctd", dir, Map.of(), "-f", "sfacctd.conf")) {
            d.await("the socket", 60, () -> Daemon.read(dir.resolve("sfacctd.log")).contains("waiting for sFlow data"));
            Replayer.replay(NfacctdConformanceTest.vectors().resolve("sflow-sfprobe-rate10/export.pcap"), "127.0.0.3", port);
            String table = NfacctdConformanceTest.stableTable(dir, d, port);
            long packets = table.lines().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[9])).sum();
            assertEquals(9880, packets, "988 samples at 1 in 10:\n" + table);
            assertTrue(table.startsWith("IN_IFACE,OUT_IFACE,VLAN,PEER_SRC_IP,SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES"),
                    table);
            d.signal("INT");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), SUM(packets), SUM(bytes) FROM acct")) {
            rs.next();
            // pmacct 1.7.7's sum_host of the same export, renormalized: 257 hosts, 19,760 packets, 8,412,320 bytes
            assertEquals("257 19760 8412320", rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getLong(3));
        }
    }

    @Test
    void optionsAndRefusedKeys(@TempDir Path dir) throws Exception {
        E2e.Result h = E2e.run(dir, 60, E2e.bin("sfacctd").toString(), "-h");
        assertEquals(0, h.exit(), h.stderr());
        assertTrue(h.stdout().startsWith("sFlow Accounting Daemon, sfacctd "), h.stdout());
        assertTrue(h.stdout().contains("Usage: sfacctd [ -D | -d ] [ -L IP address ] [ -l port ]"), h.stdout());
        E2e.Result v = E2e.run(dir, 60, E2e.bin("sfacctd").toString(), "-V");
        assertTrue(v.stdout().contains("sFlow: v2, v4, v5"), v.stdout());
        Files.writeString(dir.resolve("c.conf"), "sfacctd_counter_kafka_topic: cnt\nplugins: print\n", StandardCharsets.UTF_8);
        E2e.Result c = E2e.run(dir, 60, E2e.bin("sfacctd").toString(), "-f", "c.conf");
        assertEquals(1, c.exit());
        assertTrue(c.stderr().contains("c.conf:1: key 'sfacctd_counter_kafka_topic' is not supported yet"), c.stderr());
        E2e.Result probeHere = E2e.run(dir, 60, E2e.bin("sfacctd").toString(), "-P", "sfprobe", "-l", "0");
        assertEquals(1, probeHere.exit());
        assertTrue(probeHere.stderr().contains("plugin type 'sfprobe' is not available in sfacctd: "), probeHere.stderr());
        E2e.Result p = E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-I", "/nonexistent.pcap", "-P", "sfprobe",
                "-c", "src_host");
        assertTrue(p.stderr().contains("nonexistent.pcap"), "sfprobe is a known plugin: the savefile is what fails\n"
                + p.stderr());
        Files.writeString(dir.resolve("p.conf"), "plugins: sfprobe[sf]\nsfprobe_receiver[sf]: 127.0.0.1\n",
                StandardCharsets.UTF_8);
        E2e.Result bad = E2e.run(dir, 60, E2e.bin("pmacctd").toString(), "-f", "p.conf", "-I", "/nonexistent.pcap");
        assertEquals(1, bad.exit());
        assertTrue(bad.stderr().contains("sfprobe_receiver") && bad.stderr().contains("address:port"), bad.stderr());
    }
}
