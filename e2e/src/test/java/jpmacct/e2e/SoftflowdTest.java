package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real exporter at test time: softflowd (Debian package, installed by .ci/run) reads a capture and exports it
 * as NetFlow v5, v9 or IPFIX to bin/nfacctd; nfacctd's totals must equal the capture's, as bin/pmacctd counts them
 * (for v5, which cannot carry IPv6, its IPv4 part).
 */
class SoftflowdTest {

    static Path capture(Path dir) throws Exception {
        Path pcap = dir.resolve("small.pcap");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(E2e.root()
                .resolve("pmacctd/src/test/resources/conformance/inputs/small.pcap.gz")))) {
            Files.copy(in, pcap);
        }
        return pcap;
    }

    /** "etype,proto" to {packets, bytes} from a CSV with ETYPE, PROTOCOL, PACKETS, BYTES. */
    static Map<String, String> totals(String csv, boolean ipv4Only) {
        Map<String, String> out = new TreeMap<>();
        for (String row : csv.lines().skip(1).toList()) {
            String[] f = row.split(",");
            if (!ipv4Only || f[0].equals("800")) {
                out.put(f[0] + "," + f[1], f[2] + "," + f[3]);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "NetFlow v{0}")
    @ValueSource(ints = {5, 9, 10})
    void softflowdExportsEqualTheCapture(int version, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/softflowd")),
                "softflowd is not installed (apt-get install softflowd; .ci/run does)");
        Path pcap = capture(dir);
        E2e.Result expected = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-I", pcap.toString(), "-c", "etype,proto",
                "-P", "print", "-O", "csv");
        assertEquals(0, expected.exit(), expected.stderr());

        int port = NfacctdConformanceTest.freePort();
        Files.writeString(dir.resolve("nfacctd.conf"), "nfacctd_ip: 127.0.0.1\nnfacctd_port: " + port + "\n"
                + "logfile: nfacctd.log\nplugins: print\naggregate: etype, proto\nprint_output: csv\n"
                + "print_output_file: totals.csv\nprint_refresh_time: 3600\n", StandardCharsets.UTF_8);
        try (Daemon d = Daemon.program("nfacctd", dir, Map.of(), "-f", "nfacctd.conf")) {
            d.await("the socket", 60, () -> Daemon.read(dir.resolve("nfacctd.log")).contains("waiting for NetFlow/IPFIX"));
            E2e.Result sf = E2e.run(dir, 120, "/usr/sbin/softflowd", "-r", pcap.toString(), "-n", "127.0.0.1:" + port,
                    "-v", Integer.toString(version), "-d");
            assertEquals(0, sf.exit(), sf.stderr());
            d.signal("INT"); // a stopping collector first reads what its socket holds
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        String ours = Files.readString(dir.resolve("totals.csv"), StandardCharsets.UTF_8);
        assertEquals(totals(expected.stdout(), version == 5), totals(ours, false), "softflowd v" + version + " totals");
    }
}
