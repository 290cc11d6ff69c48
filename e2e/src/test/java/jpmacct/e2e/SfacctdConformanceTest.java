package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sFlow v5 exports of pmacct 1.7.7's sfprobe (sampling 1 and 10), replayed over loopback into bin/sfacctd with
 * the configuration pmacct's sfacctd ran with, plain and renormalized: every print file and the memory table must
 * equal pmacct's, but for the rows listed in {@code collector/deviations/} (docs/COMPATIBILITY.md, S-entries).
 * The datagrams come from 127.0.0.3 while the agent inside them is 127.0.0.1: peer_src_ip is the agent address.
 */
class SfacctdConformanceTest {
    static final List<String> SFLOW_VECTORS = List.of("sflow-sfprobe-rate1", "sflow-sfprobe-rate10");
    static final List<String> FILES = List.of("base.csv", "base.json", "sum_host.csv", "totals.csv", "rich.json");

    static List<String> cases() {
        return SFLOW_VECTORS.stream().flatMap(v -> List.of(v + "/golden", v + "/golden-renormalize").stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replayedOutputsEqualPmacct(String id, @TempDir Path dir) throws Exception {
        String vector = id.substring(0, id.indexOf('/'));
        Path golden = NfacctdConformanceTest.vectors().resolve(id);
        int port = NfacctdConformanceTest.freePort();
        NfacctdConformanceTest.prepare(golden, dir, port, null);
        try (Daemon d = Daemon.program("sfacctd", dir, NfacctdConformanceTest.UTC, "-f", "sfacctd.conf")) {
            d.await("the socket", 60, () -> Daemon.read(dir.resolve("sfacctd.log")).contains("waiting for sFlow data"));
            Replayer.replay(NfacctdConformanceTest.vectors().resolve(vector).resolve("export.pcap"), "127.0.0.3", port);
            String table = NfacctdConformanceTest.stableTable(dir, d, port);
            NfacctdConformanceTest.compare(id, "memory.csv", golden, NfacctdConformanceTest.lines(table));
            NfacctdConformanceTest.compare(id, "memory.json", golden,
                    NfacctdConformanceTest.lines(NfacctdConformanceTest.pmacct(dir, "-s", "-O", "json")));
            d.signal("INT");
            assertEquals(0, d.waitFor(60), d.stderr());
        }
        for (String f : FILES) {
            NfacctdConformanceTest.compare(id, f, golden, NfacctdConformanceTest.Conformance.fileLines(dir.resolve(f)));
        }
    }

    /**
     * sfacctd_counter_file on the rate-1 export (one counter sample) writes what pmacct 1.7.7 wrote, line for line,
     * but the timestamps: pmacct's are the wall clock when it read the savefile, ours the frame's time.
     */
    @org.junit.jupiter.api.Test
    void counterFileEqualsPmacct(@TempDir Path dir) throws Exception {
        Path golden = NfacctdConformanceTest.vectors().resolve("sflow-sfprobe-rate1/golden-counters");
        String conf = Files.readString(golden.resolve("sfacctd.conf")).replace("pcap_savefile: export.pcap",
                "pcap_savefile: " + golden.resolveSibling("export.pcap"));
        Files.writeString(dir.resolve("sfacctd.conf"), conf);
        E2e.Result r = E2e.run(dir, NfacctdConformanceTest.UTC, 120, E2e.bin("sfacctd").toString(), "-f", "sfacctd.conf");
        assertEquals(0, r.exit(), r.stderr());
        String timestamp = "\"timestamp\": \"[^\"]*\"";
        assertEquals(Files.readString(golden.resolve("cnt-127_0_0_1.json")).replaceAll(timestamp, ""),
                Files.readString(dir.resolve("cnt-127_0_0_1.json")).replaceAll(timestamp, ""));
    }

    /** The same export read as pcap_savefile gives the same outputs (sFlow carries no times the outputs show). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void savefileOutputsEqualTheReplay(String id, @TempDir Path dir) throws Exception {
        String vector = id.substring(0, id.indexOf('/'));
        Path golden = NfacctdConformanceTest.vectors().resolve(id);
        NfacctdConformanceTest.prepare(golden, dir, NfacctdConformanceTest.freePort(), null);
        Path conf = dir.resolve("sfacctd.conf");
        String text = Files.readString(conf).replaceAll("(?m)^(plugins|aggregate\\[mem\\]|imt_path\\[mem\\]):.*$", "")

                + "\npcap_savefile: " + NfacctdConformanceTest.vectors().resolve(vector).resolve("export.pcap") + "\n"
                + "plugins: print[base], print[base_json], print[sum_host], print[totals], print[rich]\n";
        Files.writeString(conf, text);
        E2e.Result r = E2e.run(dir, NfacctdConformanceTest.UTC, 120, E2e.bin("sfacctd").toString(), "-f", "sfacctd.conf");
        assertEquals(0, r.exit(), r.stderr() + Daemon.read(dir.resolve("sfacctd.log")));
        for (String f : FILES) {
            NfacctdConformanceTest.compare(id, f, golden, NfacctdConformanceTest.Conformance.fileLines(dir.resolve(f)));
        }
    }
}
