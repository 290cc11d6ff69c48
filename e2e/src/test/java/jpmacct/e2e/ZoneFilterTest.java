package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.e2e.FlowExport.Flow;

/**
 * The issue's home-router configuration end to end on nfacctd reading a savefile of NetFlow v9 from two exporters:
 * a zone filter on one plugin, an interface filter plus pre_tag_filter on another, the issue's pre_tag_map, a
 * ports_file, and the tags in SQL tables of both naming conventions (agent_id before v9; tag, tag2, label).
 */
class ZoneFilterTest {
    static final String E1 = "192.0.2.1";
    static final String E2 = "192.0.2.9";
    static final long LAN_MAC = FlowExport.mac("02:00:00:00:00:01");
    static final long GW_MAC = FlowExport.mac("02:00:00:00:00:aa");

    static final String PRETAG = "set_tag=10 ip=192.0.2.1 in=200\n"
            + "set_tag=20 filter='tcp and port 443'\n"
            + "set_tag2=7 vlan=100\n"
            + "set_label=customer-a src_mac=02:00:00:00:00:01\n";

    static List<Object[]> export() {
        List<Flow> e1 = List.of(
                new Flow("192.168.1.10", "203.0.113.5", 40000, 443, 6, 1000, 10, 100, 200, 0, LAN_MAC, GW_MAC),
                new Flow("203.0.113.5", "192.168.1.10", 443, 40000, 6, 2000, 12, 200, 100, 0, GW_MAC, LAN_MAC),
                new Flow("192.168.1.11", "192.168.1.12", 5353, 53, 17, 300, 3, 100, 101, 100, 2, 3),
                new Flow("192.168.1.20", "198.51.100.7", 6000, 5000, 17, 400, 4, 100, 200, 0, LAN_MAC, GW_MAC),
                new Flow("192.168.1.30", "224.0.0.251", 5353, 5353, 17, 500, 5, 100, 0, 0, 5,
                        FlowExport.mac("01:00:5e:00:00:fb")),
                new Flow("192.168.1.40", "255.255.255.255", 68, 67, 17, 600, 6, 100, 0, 0, 6,
                        FlowExport.mac("ff:ff:ff:ff:ff:ff")),
                new Flow("192.168.1.41", "255.255.255.255", 68, 67, 17, 700, 7, 100, 0, 0, 7, GW_MAC));
        List<Flow> e2 = List.of(
                new Flow("203.0.113.9", "192.168.1.50", 80, 41000, 6, 800, 8, 200, 100, 0, GW_MAC, 8),
                new Flow("192.168.1.60", "203.0.113.9", 42000, 443, 6, 900, 9, 101, 200, 0, 9, GW_MAC));
        List<Object[]> out = new ArrayList<>();
        out.add(new Object[] {E1, FlowExport.v9(1, 0, e1)});
        out.add(new Object[] {E2, FlowExport.v9(1, 0, e2)});
        return out;
    }

    @Test
    void theIssuesConfigurationOnASavefile(@TempDir Path dir) throws Exception {
        FlowExport.savefile(dir.resolve("export.pcap"), export());
        Files.writeString(dir.resolve("pretag.map"), PRETAG);
        Files.writeString(dir.resolve("ports.lst"), "443\n53\n5000\n");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tags.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acct_tags (tag INT(8) NOT NULL DEFAULT 0, tag2 INT(8) NOT NULL DEFAULT 0,"
                    + " label VARCHAR(255) NOT NULL DEFAULT '', ip_src CHAR(45) NOT NULL, ip_dst CHAR(45) NOT NULL,"
                    + " packets INT NOT NULL, bytes BIGINT NOT NULL, stamp_inserted DATETIME NOT NULL,"
                    + " stamp_updated DATETIME, PRIMARY KEY (tag, tag2, label, ip_src, ip_dst, stamp_inserted))");
        }
        E2e.run(dir, 60, "sh", "-c", "sqlite3 v2.db < " + E2e.root().resolve("sql/pmacct-create-table_v2.sqlite3"));
        Files.writeString(dir.resolve("n.conf"), "! the issue's zones, on a savefile of two exporters' NetFlow\n"
                + "pcap_savefile: export.pcap\n"
                + "pcap_savefile_wait: true\n"
                + "pidfile: n.pid\n"
                + "plugins: print[green_full], memory[wan], sqlite3[tags], sqlite3[v2]\n"
                + "aggregate_filter[green_full]: src net 192.168.1.0/24 and not dst net 192.168.1.0/24 and not ether"
                + " multicast and not ip broadcast and ip\n"
                + "aggregate_filter[wan]: in_iface 200 or out_iface 200\n"
                + "pre_tag_map: pretag.map\n"
                + "pre_tag_filter[wan]: 10-20\n"
                + "ports_file: ports.lst\n"
                + "maps_refresh: true\n"
                + "aggregate[green_full]: src_host, dst_host, src_port, dst_port, proto, tag, tag2, label\n"
                + "print_output[green_full]: csv\n"
                + "print_output_file[green_full]: green.csv\n"
                + "print_refresh_time[green_full]: 3600\n" // one purge, however long the run takes
                + "aggregate[wan]: peer_src_ip, in_iface, out_iface, src_host, dst_host, tag\n"
                + "imt_path[wan]: wan.pipe\n"
                + "aggregate[tags]: tag, tag2, label, src_host, dst_host\n"
                + "sql_db[tags]: tags.db\nsql_table[tags]: acct_tags\nsql_table_version[tags]: 9\nsql_optimize_clauses[tags]: true\n"
                + "sql_history[tags]: 1h\nsql_refresh_time[tags]: 3600\nsql_journal[tags]: tags.journal\n"
                + "aggregate[v2]: tag, src_host, dst_host\n"
                + "sql_db[v2]: v2.db\nsql_table_version[v2]: 2\n"
                + "sql_history[v2]: 1h\nsql_refresh_time[v2]: 3600\nsql_journal[v2]: v2.journal\n");
        try (Daemon d = Daemon.program("nfacctd", dir, Map.of(), "-f", "n.conf")) {
            d.await("end of savefile", 60, () -> d.stderrSafe().contains("savefile done"));
            E2e.Result wan = MemoryFixture.pmacctOn(dir, "wan.pipe", "-s", "-O", "csv");
            assertEquals(0, wan.exit(), wan.stderr());
            assertEquals(List.of("192.0.2.1,100,200,192.168.1.10,203.0.113.5,20,10,1000",
                            "192.0.2.1,200,100,203.0.113.5,192.168.1.10,10,12,2000",
                            "192.0.2.9,101,200,192.168.1.60,203.0.113.9,20,9,900"),
                    rows(wan.stdout()));
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        // green_full (pmacct's column order: tags first): LAN to elsewhere, no multicast, no broadcast; the tags the map gave; ports outside ports.lst are 0
        assertEquals("TAG,TAG2,LABEL,SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES\n"
                + "0,0,customer-a,192.168.1.20,198.51.100.7,0,5000,udp,4,400\n"
                + "20,0,,192.168.1.10,203.0.113.5,0,443,tcp,10,1000\n"
                + "20,0,,192.168.1.60,203.0.113.9,0,443,tcp,9,900\n", sorted(Files.readString(dir.resolve("green.csv"))));
        assertEquals(List.of("0|0|customer-a|192.168.1.20|198.51.100.7|4", "0|0||192.168.1.30|224.0.0.251|5",
                        "0|0||192.168.1.40|255.255.255.255|6", "0|0||192.168.1.41|255.255.255.255|7",
                        "0|0||203.0.113.9|192.168.1.50|8", "0|7||192.168.1.11|192.168.1.12|3",
                        "10|0||203.0.113.5|192.168.1.10|12", "20|0||192.168.1.10|203.0.113.5|10",
                        "20|0||192.168.1.60|203.0.113.9|9"),
                query(dir.resolve("tags.db"), "SELECT tag, tag2, label, ip_src, ip_dst, packets FROM acct_tags"));
        assertEquals(List.of("0|33", "10|12", "20|19"),
                query(dir.resolve("v2.db"), "SELECT agent_id, SUM(packets) FROM acct_v2 GROUP BY agent_id"));
    }

    /** The client's CSV rows, columns in the order this test lists them. */
    private static List<String> rows(String csv) {
        String[] lines = csv.strip().split("\n");
        List<String> header = List.of(lines[0].split(","));
        int tag = header.indexOf("TAG");
        List<String> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            out.add(f[header.indexOf("PEER_SRC_IP")] + "," + f[header.indexOf("IN_IFACE")] + ","
                    + f[header.indexOf("OUT_IFACE")] + "," + f[header.indexOf("SRC_IP")] + ","
                    + f[header.indexOf("DST_IP")] + "," + f[tag] + "," + f[header.indexOf("PACKETS")] + ","
                    + f[header.indexOf("BYTES")]);
        }
        Collections.sort(out);
        return out;
    }

    static String sorted(String csv) {
        String[] lines = csv.split("\n");
        return lines[0] + "\n" + String.join("\n", new TreeSet<>(List.of(lines).subList(1, lines.length))) + "\n";
    }

    static List<String> query(Path db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        Collections.sort(out);
        return out;
    }
}
