package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Primitives and keys outside the recorded conformance cases, on examples/edge.pcap (see its cases file). */
class PrimitivesTest {

    private static String csv(Path dir, String conf) throws Exception {
        if (!Files.exists(dir.resolve("edge.pcap"))) {
            E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        }
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: edge.pcap\nplugins: print[p]\nprint_output[p]: csv\n" + conf);
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
        assertEquals(0, r.exit(), r.stderr());
        String[] lines = r.stdout().split("\n");
        return lines[0] + "\n" + String.join("\n", new TreeSet<>(Arrays.asList(lines).subList(1, lines.length))) + "\n";
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
    void tagsAndLabelsDefaultToEmpty(@TempDir Path dir) throws Exception {
        String out = csv(dir, "aggregate[p]: tag, tag2, label, class\n");
        assertEquals("TAG,TAG2,LABEL,CLASS,PACKETS,BYTES\n0,0,,unknown,45,13291\n", out);
    }
}
