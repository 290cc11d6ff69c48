package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmacct 1.8's upstream tests on the enrichment this build takes from options data and flow_to_rd_map: their
 * captures go through bin/nfacctd and the route distinguishers, VRF and interface names (and the custom VRF ids)
 * of every flow must be those pmacct produced (resources collector/upstream/, counters left aside).
 */
class OptionsDataE2ETest {
    private static final Map<String, String> UTC = Map.of("TZ", "UTC");
    private static final Pattern PAIR = Pattern.compile("\"([a-z_]+)\": (?:\"([^\"]*)\"|(-?[0-9]+))");
    private static final String CUSTOM = "name=vrf_id_ingress field_type=234 len=4 semantics=u_int\n"
            + "name=vrf_id_egress field_type=235 len=4 semantics=u_int\n";

    static Path upstream(String test) {
        try {
            return Path.of(OptionsDataE2ETest.class.getResource("/collector/upstream/" + test).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each JSON row as the values of {@code fields}, in that order (nested objects flattened). */
    static TreeSet<String> project(List<String> jsonRows, List<String> fields) {
        TreeSet<String> out = new TreeSet<>();
        for (String row : jsonRows) {
            Map<String, String> values = new HashMap<>();
            Matcher m = PAIR.matcher(row);
            while (m.find()) {
                values.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
            }
            List<String> picked = new ArrayList<>();
            for (String f : fields) {
                picked.add(f + "=" + values.get(f));
            }
            out.add(String.join(" ", picked));
        }
        return out;
    }

    /** Runs nfacctd over the capture of an upstream test, printing JSON aggregated on {@code aggregate}. */
    private static List<String> savefileJson(Path dir, String test, String aggregate) throws Exception {
        Files.writeString(dir.resolve("custom.map"), CUSTOM);
        Files.writeString(dir.resolve("nfacctd.conf"), "daemonize: false\nlogfile: nfacctd.log\n"
                + "pcap_savefile: " + upstream(test).resolve("traffic-00.pcap") + "\npcap_savefile_wait: false\n"
                + "aggregate_primitives: custom.map\nplugins: print[j]\nprint_output[j]: json\n"
                + "print_output_file[j]: out.json\nprint_refresh_time: 3600\naggregate[j]: " + aggregate + "\n");
        E2e.Result r = E2e.run(dir, UTC, 120, E2e.bin("nfacctd").toString(), "-f", "nfacctd.conf");
        assertEquals(0, r.exit(), r.stderr() + Daemon.read(dir.resolve("nfacctd.log")));
        return Files.readAllLines(dir.resolve("out.json"));
    }

    /**
     * Huawei: VRF names and RDs from an options table scoped by ingress and egress VRF ids. (Ports are left out:
     * this capture's template repeats the L4 port elements, which is another matter.)
     */
    @Test
    void huaweiVrfNamesAsPmacct(@TempDir Path dir) throws Exception {
        String test = "106-IPFIXv10-HUAWEI-vrf_name";
        List<String> fields = List.of("ip_src", "ip_dst", "iface_in", "iface_out", "mpls_vpn_rd", "vrf_name",
                "ingress_vrf_name", "egress_vrf_name", "vrf_id_ingress", "vrf_id_egress");
        List<String> ours = savefileJson(dir, test, "src_host, dst_host, in_iface, out_iface, mpls_vpn_rd, vrf_name, "
                + "ingress_vrf_name, egress_vrf_name, vrf_id_ingress, vrf_id_egress");
        assertEquals(String.join("\n", project(Files.readAllLines(upstream(test).resolve("output-flow-00.json")), fields)),
                String.join("\n", project(ours, fields)));
    }

    /** Cisco: VRF ids, RDs and interface indexes reassigned by a second round of options data. */
    @Test
    void reassignedOptionsDataAsPmacct(@TempDir Path dir) throws Exception {
        String test = "112-IPFIXv10-CISCO-options-map-reassignment";
        List<String> fields = List.of("ip_src", "ip_dst", "port_src", "port_dst", "iface_in", "iface_out",
                "mpls_vpn_rd", "ingress_vrf_name", "egress_vrf_name", "iface_name_in", "iface_name_out",
                "vrf_id_ingress", "vrf_id_egress");
        List<String> ours = savefileJson(dir, test, "src_host, dst_host, src_port, dst_port, in_iface, out_iface, "
                + "mpls_vpn_rd, ingress_vrf_name, egress_vrf_name, in_iface_name, out_iface_name, vrf_id_ingress, "
                + "vrf_id_egress");
        assertEquals(String.join("\n", project(Files.readAllLines(upstream(test).resolve("output-flow-00.json")), fields)),
                String.join("\n", project(ours, fields)));
    }

    /** A flow_to_rd_map for the replay's exporter address instead of the upstream test's. */
    private static void map(Path to, String test, String map) throws Exception {
        Files.writeString(to, Files.readString(upstream(test).resolve(map)).replace("192.168.100.1", "127.0.0.2"));
    }

    /** flow_to_rd_map, then a new one swapped in by SIGUSR2 between two replays of the same capture. */
    @Test
    void flowToRdMapAndItsReloadAsPmacct(@TempDir Path dir) throws Exception {
        String test = "102-NFv9-CISCO-f2rd-pretag-sampling-reload";
        List<String> fields = List.of("ip_src", "ip_dst", "port_src", "port_dst", "mpls_vpn_rd");
        int port = NfacctdConformanceTest.freePort();
        Path map = dir.resolve("f2rd.map");
        map(map, test, "f2rd-00.map");
        Files.writeString(dir.resolve("nfacctd.conf"), "nfacctd_ip: 127.0.0.1\nnfacctd_port: " + port + "\n"
                + "logfile: nfacctd.log\nflow_to_rd_map: f2rd.map\nplugins: memory[mem]\nimt_path[mem]: mem.pipe\n"
                + "aggregate[mem]: src_host, dst_host, src_port, dst_port, mpls_vpn_rd\n");
        Path capture = upstream(test).resolve("traffic-00.pcap");
        TreeSet<String> first = project(Files.readAllLines(upstream(test).resolve("output-flow-00.json")), fields);
        TreeSet<String> both = new TreeSet<>(first);
        both.addAll(project(Files.readAllLines(upstream(test).resolve("output-flow-01.json")), fields));
        Path log = dir.resolve("nfacctd.log");
        try (Daemon d = Daemon.program("nfacctd", dir, UTC, "-f", "nfacctd.conf")) {
            d.await("the socket", 60, () -> Daemon.read(log).contains("waiting for NetFlow/IPFIX"));
            Replayer.replay(capture, "127.0.0.2", port);
            NfacctdConformanceTest.stableTable(dir, d, port);
            assertEquals(String.join("\n", first), String.join("\n",
                    project(NfacctdConformanceTest.lines(NfacctdConformanceTest.pmacct(dir, "-s", "-O", "json")), fields)));
            map(map, test, "f2rd-01.map");
            d.signal("USR2");
            Daemon.awaitCondition("the reload", 30, () -> Daemon.read(log).contains("[f2rd.map] map successfully (re)loaded with 7 entries."),
                    () -> Daemon.read(log));
            Replayer.replay(capture, "127.0.0.2", port);
            Daemon.awaitCondition("the second replay", 60, () -> {
                try {
                    return project(NfacctdConformanceTest.lines(NfacctdConformanceTest.pmacct(dir, "-s", "-O", "json")),
                            fields).size() >= both.size();
                } catch (Exception e) {
                    return false;
                }
            }, d::stderrSafe);
            assertEquals(String.join("\n", both), String.join("\n",
                    project(NfacctdConformanceTest.lines(NfacctdConformanceTest.pmacct(dir, "-s", "-O", "json")), fields)),
                    "the first map's RDs, then the second's");
            d.signal("TERM");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
    }
}
