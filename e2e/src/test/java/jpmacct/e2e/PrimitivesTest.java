package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Primitives and keys outside the recorded conformance cases, on examples/edge.pcap (see its cases file). */
class PrimitivesTest {

    /** Next hops and ASNs for 10.2.2.0/24 and 2001:db8:1::/48 inside a plain 10.0.0.0/8. */
    private static final String NETWORKS = "192.0.2.1,65010,10.2.2.0/24\n10.0.0.0/8\n2001:db8::1,65002,2001:db8:1::/48\n";

    /** pmacctd over edge.pcap with one print plugin {@code p} and {@code conf}; its result, expected successful. */
    private static E2e.Result run(Path dir, String conf) throws Exception {
        if (!Files.exists(dir.resolve("edge.pcap"))) {
            E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
            Files.writeString(dir.resolve("nets.lst"), NETWORKS);
        }
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: edge.pcap\nplugins: print[p]\n" + conf);
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
        assertEquals(0, r.exit(), r.stderr());
        return r;
    }

    /** CSV output, data rows sorted (pmacct's row order is unspecified). */
    private static String csv(Path dir, String conf) throws Exception {
        String[] lines = run(dir, "print_output[p]: csv\n" + conf).stdout().split("\n");
        return lines[0] + "\n" + String.join("\n", new TreeSet<>(Arrays.asList(lines).subList(1, lines.length))) + "\n";
    }

    /**
     * Each packet counts once for its source's and once for its destination's network. pmacct 1.7.7 counts it
     * twice for the source's (D10): 10.0.0.0 gets 52 packets and 10.2.2.0 6 of the 29 between 10.1.1.x and 10.2.2.x.
     */
    @Test
    void sumNetCountsBothNetworksOfAPacket(@TempDir Path dir) throws Exception {
        assertEquals("SRC_NET,PACKETS,BYTES\n10.0.0.0,29,9722\n10.2.2.0,29,9722\n",
                csv(dir, "aggregate[p]: sum_net\nnetworks_file: nets.lst\npcap_filter: ip\n"));
        // IPv6 no prefix covers (fe80::, 2001:db8:2::) sums under ::, mask 0
        assertEquals("SRC_NET,PACKETS,BYTES\n10.0.0.0,34,9920\n10.2.2.0,34,9920\n2001:db8:1::,10,3299\n::,12,3443\n",
                csv(dir, "aggregate[p]: sum_net\nnetworks_file: nets.lst\n"));
    }

    /** As pmacct 1.7.7 on the same capture (bytes of edge frame 39 aside, D4). */
    @Test
    void sumMacAndSumAs(@TempDir Path dir) throws Exception {
        String mac = csv(dir, "aggregate[p]: sum_mac\npcap_filter: ip\n");
        assertTrue(mac.startsWith("SRC_MAC,PACKETS,BYTES\n02:00:00:00:01:01,12,861\n02:00:00:00:01:02,12,861\n"), mac);
        assertTrue(mac.contains("\n02:00:00:00:03:01,3,224\n02:00:00:00:03:02,3,224\n"), "request and replies, both ways: " + mac);
        assertEquals("SRC_AS,PACKETS,BYTES\n0,29,9722\n65010,29,9722\n",
                csv(dir, "aggregate[p]: sum_as\nnetworks_file: nets.lst\npcap_filter: ip\n"));
        assertEquals("SRC_AS,PACKETS,BYTES\n0,46,13363\n65002,10,3299\n65010,34,9920\n",
                csv(dir, "aggregate[p]: sum_as\nnetworks_file: nets.lst\n"));
    }

    /**
     * src_as, dst_as and peer_dst_ip come from the networks_file ([next_hop,][as,]network); addresses no entry with an
     * ASN covers get 0 and no next hop. pmacct 1.7.7 needs 'pmacctd_as: file' for the ASNs (0 without it); the key
     * is accepted and changes nothing here.
     */
    @Test
    void asNumbersAndNextHopFromTheNetworksFile(@TempDir Path dir) throws Exception {
        String expected = "SRC_AS,DST_AS,PEER_DST_IP,PACKETS,BYTES\n0,0,,1,72\n0,65002,2001:db8::1,1,80\n"
                + "0,65010,192.0.2.1,31,9720\n65002,0,,9,3219\n65010,0,,3,200\n";
        String conf = "aggregate[p]: src_as, dst_as, peer_dst_ip\nnetworks_file: nets.lst\n";
        assertEquals(expected, csv(dir, conf));
        assertEquals(expected, csv(dir, conf + "pmacctd_as: file\n"));
    }

    /**
     * The exporter's fields have nothing to carry in pmacctd: pmacct 1.7.7 prints exactly these rows (empty peer in
     * CSV and JSON, :: in formatted, zeros), and a warning says so.
     */
    @Test
    void exporterFieldsAreEmptyInPmacctd(@TempDir Path dir) throws Exception {
        String conf = "aggregate[p]: in_iface, out_iface, peer_src_ip, export_proto_version, export_proto_seqno, "
                + "export_proto_sysid, proto\npcap_filter: udp and not host 10.1.1.23\n";
        E2e.Result csv = run(dir, conf + "print_output[p]: csv\n");
        assertEquals("PEER_SRC_IP,IN_IFACE,OUT_IFACE,PROTOCOL,EXPORT_PROTO_SEQNO,EXPORT_PROTO_VERSION,EXPORT_PROTO_SYSID,"
                + "PACKETS,BYTES\n,0,0,udp,0,0,0,11,8633\n", csv.stdout());
        for (String p : new String[] {"peer_src_ip", "export_proto_seqno", "export_proto_version", "export_proto_sysid"}) {
            assertTrue(csv.stderr().contains("WARN ( p/print ): primitive '" + p + "' carries no data in pmacctd"), csv.stderr());
        }
        assertFalse(csv.stderr().contains("'in_iface' carries"), "in_iface/out_iface come from pcap_interfaces_map");
        assertEquals("{\"event_type\": \"purge\", \"peer_ip_src\": \"\", \"iface_in\": 0, \"iface_out\": 0, "
                + "\"ip_proto\": \"udp\", \"export_proto_seqno\": 0, \"export_proto_version\": 0, \"export_proto_sysid\": 0, "
                + "\"packets\": 11, \"bytes\": 8633}\n", run(dir, conf + "print_output[p]: json\n").stdout());
        String formatted = run(dir, conf).stdout();
        assertTrue(formatted.contains("\n::" + " ".repeat(45) + "0           0           udp         0" + " ".repeat(19)
                + "0" + " ".repeat(21) + "0" + " ".repeat(19) + "11                    8633\n"), formatted);
    }

    private static Set<String> rows(String csv) {
        return new TreeSet<>(Arrays.asList(csv.split("\n")));
    }

    /**
     * networks_file_filter zeroes the hosts no network covers; networks_no_mask_if_zero keeps such a host as its own
     * net (mask 0) instead of 0.0.0.0. Rows as pmacct 1.7.7 writes them (frame 39's forged length left out, D4).
     */
    @Test
    void networksFileFilterAndNoMaskIfZero(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f.lst"), "10.1.0.0/16\n2001:db8:1::/48\n");
        String base = "networks_file: f.lst\npcap_filter: ip and not host 10.1.1.23\n";
        assertEquals(rows("SRC_IP,DST_IP,PACKETS,BYTES\n0.0.0.0,10.1.1.1,1,60\n0.0.0.0,10.1.1.6,2,140\n10.1.1.1,0.0.0.0,8,680\n"
                        + "10.1.1.11,0.0.0.0,1,40\n10.1.1.12,0.0.0.0,2,81\n10.1.1.13,0.0.0.0,1,65\n10.1.1.14,0.0.0.0,1,220\n"
                        + "10.1.1.20,0.0.0.0,1,1500\n10.1.1.21,0.0.0.0,1,1500\n10.1.1.3,0.0.0.0,1,28\n10.1.1.31,0.0.0.0,1,36\n"
                        + "10.1.1.32,0.0.0.0,1,68\n10.1.1.33,0.0.0.0,1,56\n10.1.1.4,0.0.0.0,3,3068\n10.1.1.5,0.0.0.0,2,2048\n"
                        + "10.1.1.6,0.0.0.0,1,84\n"),
                rows(csv(dir, base + "aggregate[p]: src_host, dst_host\nnetworks_file_filter: true\n")));
        String net = "aggregate[p]: src_net, src_mask\n";
        assertEquals("SRC_NET,SRC_MASK,PACKETS,BYTES\n0.0.0.0,0,3,200\n10.1.0.0,16,25,9474\n", csv(dir, base + net));
        assertEquals("SRC_NET,SRC_MASK,PACKETS,BYTES\n10.1.0.0,16,25,9474\n10.2.2.2,0,1,60\n10.2.2.6,0,2,140\n",
                csv(dir, base + net + "networks_no_mask_if_zero: true\n"));
    }

    /** pmacct 1.7.7's pmacctd prints timestamp_end as 0000-00-00 00:00:00.000000; here it is the capture time. */
    @Test
    void timestampEndIsTheCaptureTime(@TempDir Path dir) throws Exception {
        assertEquals("TIMESTAMP_START,TIMESTAMP_END,PACKETS,BYTES\n2023-11-14 22:14:00.500000,2023-11-14 22:14:00.500000,1,40\n",
                csv(dir, "pcap_filter: host 10.1.1.11\naggregate[p]: timestamp_start, timestamp_end\n"));
    }

    @Test
    void flowsCountNewFlowsPerDirection(@TempDir Path dir) throws Exception {
        // tcp: 10.1.1.1->10.2.2.2 ends with FIN and starts again 60 s later (2), its reverse (1), nine others (1 each)
        // udp: later fragments and the orphan start no flow
        assertEquals("PROTOCOL,PACKETS,FLOWS,BYTES\nesp,1,1,68\ngre,1,1,56\nicmp,3,2,224\nipv6-icmp,3,3,232\n"
                + "sctp,1,1,36\ntcp,19,12,3748\nudp,17,12,8927\n", csv(dir, "aggregate[p]: proto, flows\n"));
    }

    @Test
    void samplingKeepsOneInNAndRenormalizes(@TempDir Path dir) throws Exception {
        String sampled = csv(dir, "aggregate[p]: sampling_rate\nsampling_rate: 4\n");
        String[] f = sampled.split("\n")[1].split(",");
        assertEquals("4", f[0], sampled);
        long packets = Long.parseLong(f[1]);
        assertTrue(packets > 0 && packets < 45, "about one packet in four: " + sampled);
        String renormalized = csv(dir, "aggregate[p]: sampling_rate\nsampling_rate: 4\nsfacctd_renormalize: true\n");
        String[] g = renormalized.split("\n")[1].split(",");
        assertEquals("1", g[0], "renormalized counters carry rate 1, as pmacct");
        assertEquals(packets * 4, Long.parseLong(g[1]), "the same sample, counters multiplied");
    }

    @Test
    void staticNetworksMask(@TempDir Path dir) throws Exception {
        String out = csv(dir, "aggregate[p]: src_net, src_mask\nnetworks_mask: 16\npcap_filter: ip\n");
        assertTrue(out.startsWith("SRC_NET,SRC_MASK,PACKETS,BYTES\n10.1.0.0,16,"), out);
        assertTrue(out.contains("\n10.2.0.0,16,"), out);
    }

    @Test
    void portsFileKeepsOnlyListedPorts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ports.lst"), "! web\n443\n80\n");
        String out = csv(dir, "aggregate[p]: dst_port\nports_file: ports.lst\n");
        // 443: 10.1.1.1 (8 packets, 680 bytes) and 2001:db8:1::10 (80); 80: 10.1.1.11 and 10.1.1.12
        assertEquals("DST_PORT,PACKETS,BYTES\n0,33,12410\n443,9,760\n80,3,121\n", out);
    }

    @Test
    void timestampsInEveryStyle(@TempDir Path dir) throws Exception {
        String filter = "pcap_filter: host 10.1.1.11\naggregate[p]: timestamp_arrival\n";
        assertEquals("TIMESTAMP_ARRIVAL,PACKETS,BYTES\n2023-11-14 22:14:00.500000,1,40\n", csv(dir, filter));
        assertEquals("TIMESTAMP_ARRIVAL,PACKETS,BYTES\n1700000040.500000,1,40\n",
                csv(dir, filter + "timestamps_since_epoch: true\n"));
        assertEquals("TIMESTAMP_ARRIVAL,PACKETS,BYTES\n2023-11-14T22:14:00.500000Z,1,40\n",
                csv(dir, filter + "timestamps_rfc3339: true\ntimestamps_utc: true\n"));
        assertEquals("TIMESTAMP_ARRIVAL,PACKETS,BYTES\n2023-11-14 22:14:00.000000,1,40\n",
                csv(dir, filter + "timestamps_secs: true\n"));
    }

    @Test
    void tagsAndLabelsDefaultToEmptyAndClassIsUnknownWithAWarning(@TempDir Path dir) throws Exception {
        E2e.Result r = run(dir, "print_output[p]: csv\naggregate[p]: tag, tag2, label, class\n");
        assertEquals("TAG,TAG2,LABEL,CLASS,PACKETS,BYTES\n0,0,,unknown,45,13291\n", r.stdout());
        assertTrue(r.stderr().contains("WARN ( p/print ): no traffic classifier in this build: 'class' is always 'unknown'"),
                r.stderr());
    }

    @Test
    void noneAggregatesEverythingIntoOneRow(@TempDir Path dir) throws Exception {
        assertEquals("PACKETS,BYTES\n45,13291\n", csv(dir, "aggregate[p]: none\n"));
    }
}
