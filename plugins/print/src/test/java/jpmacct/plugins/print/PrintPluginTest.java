package jpmacct.plugins.print;

import static jpmacct.core.plugin.PmacctGoldens.assertSameTable;
import static jpmacct.core.plugin.PmacctGoldens.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.plugin.PluginHarness;
import jpmacct.core.plugin.PmacctGoldens;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/**
 * The print plugin in a harness: fed the records that make up a table pmacct 1.7.7 printed, it must write that
 * table as pmacct did (goldens in pmacctd/src/test/resources/conformance); purges, file names, markers and
 * appending follow the harness's clock.
 */
class PrintPluginTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final Instant T0 = PluginHarness.DEFAULT_START;

    /** A recorded case's configuration with its output file moved into {@code dir}. */
    private static List<String> recordedConfiguration(Path golden, Path dir) {
        List<String> out = new ArrayList<>();
        for (String l : PmacctGoldens.configuration(golden)) {
            if (l.startsWith("print_output_file[p]: ")) {
                l = "print_output_file[p]: " + dir.resolve(l.substring(l.indexOf(": ") + 2));
            }
            out.add(l);
        }
        return out;
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file);
    }

    private static List<String> files(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Each layout pmacct printed, rebuilt from the table it printed: the same header, the same rows. */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"edge, print_csv_5tuple_tos, output.csv", "small, print_csv_5tuple_tos, output.csv",
            "edge, print_formatted_5tuple_tos, output.txt", "small, print_formatted_5tuple_tos, output.txt",
            "edge, print_json_wide, output.json", "small, print_json_wide, output.json",
            "edge, print_csv_mac_vlan, output.csv", "edge, print_csv_tcpflags_proto, output.csv",
            "edge, print_csv_proto, output.csv", "small, print_csv_proto, output.csv"})
    void recordedLayouts(String pcap, String kase, String file, @TempDir Path dir) throws Exception {
        Path golden = golden(pcap, kase);
        try (PluginHarness h = PluginHarness.start(recordedConfiguration(golden, dir).toArray(new String[0]))) {
            h.feed(PmacctGoldens.records(golden.resolve(file), T0));
            h.close();
            assertSameTable(golden.resolve(file), read(dir.resolve(file)));
            assertEquals(List.of(file), files(dir));
        }
    }

    /**
     * print_history 1m with a file per bin: the final purge writes every bin to the file its start names, and the
     * JSON rows carry the bin as stamp_inserted. Times print in UTC, as the recording's TZ=UTC.
     */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"edge, print_csv_history_1m", "small, print_csv_history_1m", "edge, print_json_history_1m",
            "small, print_json_history_1m"})
    void recordedHistoryBins(String pcap, String kase, @TempDir Path dir) throws Exception {
        Path golden = golden(pcap, kase);
        List<String> conf = recordedConfiguration(golden, dir);
        conf.add("timestamps_utc[p]: true");
        List<String> bins = binFiles(golden);
        try (PluginHarness h = PluginHarness.start(conf.toArray(new String[0]))) {
            h.feed(binRecords(golden, bins));
            h.close();
        }
        for (String f : bins) {
            assertSameTable(golden.resolve(f), read(dir.resolve(f)));
        }
        assertEquals(bins, files(dir));
    }

    /**
     * The same bins purged every minute as time goes by: each purge writes the bins that have closed and keeps
     * the open one for later. Appending, a row written twice or lost would show.
     */
    @Test
    void historyBinsStayUntilTheyClose(@TempDir Path dir) throws Exception {
        Path golden = golden("edge", "print_csv_history_1m");
        List<String> conf = recordedConfiguration(golden, dir);
        conf.addAll(List.of("timestamps_utc[p]: true", "print_refresh_time[p]: 60", "print_output_file_append[p]: true"));
        List<String> bins = binFiles(golden);
        try (PluginHarness h = PluginHarness.start(conf.toArray(new String[0]))) {
            h.feed(binRecords(golden, bins));
            h.advance(Duration.ofMinutes(3));
        }
        for (String f : bins) {
            assertSameTable(golden.resolve(f), read(dir.resolve(f)));
        }
    }

    /** The recorded files of a history case, in order: output-20231114-2213.csv ... */
    private static List<String> binFiles(Path golden) throws Exception {
        return files(golden).stream().filter(n -> n.startsWith("output-")).toList();
    }

    /** Records for each bin file's rows, inside the minute its name gives. */
    private static List<FlowRecord> binRecords(Path golden, List<String> bins) {
        List<FlowRecord> out = new ArrayList<>();
        for (String f : bins) {
            LocalDateTime bin = LocalDateTime.parse(f.substring(7, 20), DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"));
            out.addAll(PmacctGoldens.records(golden.resolve(f), bin.toInstant(ZoneOffset.UTC).plusSeconds(30)));
        }
        return out;
    }

    /**
     * CSV separators, numeric protocols and the event layouts as the memory client printed them from the same
     * table in pmacct 1.7.7 (the print plugin shares the layouts, pmacct's print_output_separator its -E).
     */
    @ParameterizedTest(name = "{0}/{2}")
    @CsvSource(delimiter = '|', value = {
            "edge | csv | s_csv_numeric_proto.out | print_num_protos[p]: true",
            "small | csv | s_csv_numeric_proto.out | print_num_protos[p]: true",
            "edge | csv | s_csv_semicolon.out | print_output_separator[p]: ;",
            "edge | csv | s_csv_tab.out | print_output_separator[p]: \\t",
            "edge | event_csv | s_event_csv.out | print_refresh_time[p]: 60",
            "small | event_csv | s_event_csv.out | print_refresh_time[p]: 60",
            "edge | event_formatted | s_event_formatted.out | print_refresh_time[p]: 60"})
    void layoutsTheMemoryClientRecorded(String pcap, String output, String file, String setting, @TempDir Path dir)
            throws Exception {
        Path table = golden(pcap, "memory_5tuple").resolve("s_csv.out");
        Path expected = golden(pcap, file.startsWith("s_csv_numeric") ? "memory_5tuple" : "memory_client_flags").resolve(file);
        try (PluginHarness h = PluginHarness.start("plugins: print[p]",
                "aggregate[p]: src_host, dst_host, src_port, dst_port, proto", "print_output[p]: " + output,
                "print_output_file[p]: " + dir.resolve("out"), setting)) {
            h.feed(PmacctGoldens.records(table, T0));
        }
        List<String> rows = PmacctGoldens.lines(expected).stream().filter(l -> !l.startsWith("For a total of: ")).toList();
        assertSameTable(rows, read(dir.resolve("out")), expected + " without the client's total");
    }

    private static FlowRecord udp(String src, long packets, long bytes) {
        return RecordBuilder.flow().src(src).dst("10.2.2.2").ports(5000, 53).proto("udp").packets(packets)
                .bytes(bytes).at(T0).build();
    }

    /**
     * Without print_history the name's time escapes are the purge's; each purge writes its own file, an empty
     * purge none. The refresh deadlines fall on the minute.
     */
    @Test
    void aFilePerPurgeNamedByThePurgeTime(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.start("plugins: print[p]", "aggregate[p]: proto", "print_output[p]: csv",
                "print_output_file[p]: " + dir.resolve("out-%H%M%S-$ref.csv"), "print_refresh_time[p]: 60")) {
            h.feed(udp("10.1.1.1", 2, 200));
            h.advance(Duration.ofSeconds(60));
            h.feed(udp("10.1.1.1", 3, 300), RecordBuilder.flow().proto("tcp").bytes(40).build());
            h.advance(Duration.ofSeconds(60));
            h.advance(Duration.ofSeconds(60));
            h.feed(udp("10.1.1.1", 1, 10));
            h.advance(Duration.ofSeconds(5));
        }
        assertEquals(List.of("out-221400-60.csv", "out-221500-60.csv", "out-221625-60.csv"), files(dir),
                "purges at 22:14:00 and 22:15:00, none at 22:16:00 (empty), the final one at 22:16:25");
        assertEquals("PROTOCOL,PACKETS,BYTES\nudp,2,200\n", read(dir.resolve("out-221400-60.csv")));
        assertEquals(new TreeSet<>(List.of("PROTOCOL,PACKETS,BYTES", "udp,3,300", "tcp,1,40")),
                new TreeSet<>(read(dir.resolve("out-221500-60.csv")).lines().toList()));
        assertEquals("PROTOCOL,PACKETS,BYTES\nudp,1,10\n", read(dir.resolve("out-221625-60.csv")));
    }

    /** $tag and $tag2 split the purge into one file per value. */
    @Test
    void tagsInTheNameSplitThePurge(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.start("plugins: print[p]", "aggregate[p]: tag, proto", "print_output[p]: csv",
                "print_output_file[p]: " + dir.resolve("by-$tag.csv"))) {
            h.feed(RecordBuilder.flow().proto("udp").bytes(100).tag(1).build(),
                    RecordBuilder.flow().proto("udp").bytes(50).tag(2).build(),
                    RecordBuilder.flow().proto("tcp").bytes(60).tag(1).build());
        }
        assertEquals(List.of("by-1.csv", "by-2.csv"), files(dir));
        assertEquals(new TreeSet<>(List.of("TAG,PROTOCOL,PACKETS,BYTES", "1,udp,1,100", "1,tcp,1,60")),
                new TreeSet<>(read(dir.resolve("by-1.csv")).lines().toList()));
        assertEquals("TAG,PROTOCOL,PACKETS,BYTES\n2,udp,1,50\n", read(dir.resolve("by-2.csv")));
    }

    @Test
    void appendWritesTheHeaderOnceAndRewritingKeepsTheLastPurge(@TempDir Path dir) throws Exception {
        for (boolean append : new boolean[] {true, false}) {
            Path out = dir.resolve("append-" + append + ".csv");
            try (PluginHarness h = PluginHarness.start("plugins: print[p]", "aggregate[p]: proto", "print_output[p]: csv",
                    "print_output_file[p]: " + out, "print_output_file_append[p]: " + append)) {
                h.feed(udp("10.1.1.1", 2, 200));
                h.advance(Duration.ofSeconds(60));
                h.feed(udp("10.1.1.1", 1, 100));
            }
            assertEquals(append ? "PROTOCOL,PACKETS,BYTES\nudp,2,200\nudp,1,100\n" : "PROTOCOL,PACKETS,BYTES\nudp,1,100\n",
                    read(out), "append " + append);
        }
    }

    /**
     * VRF and interface names (nfacctd's options data) print under pmacct 1.8's names: CSV and formatted after
     * the route distinguisher, JSON as vrf_name, ingress_vrf_name, egress_vrf_name, iface_name_in, iface_name_out.
     */
    @Test
    void vrfAndInterfaceNamesUnderPmacctsNames(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.daemon(DaemonKind.NFACCTD).start("plugins: print[c], print[j], print[f]",
                "aggregate: in_iface, vrf_name, ingress_vrf_name, egress_vrf_name, in_iface_name, out_iface_name",
                "print_output[c]: csv", "print_output_file[c]: " + dir.resolve("out.csv"), "print_output[j]: json",
                "print_output_file[j]: " + dir.resolve("out.json"), "print_output_file[f]: " + dir.resolve("out.txt"))) {
            h.feed(RecordBuilder.flow().ifaces(167, 0).vrfNames("A2_TEST_1", null, "A2_TEST_1")
                    .ifaceNames("TenGigE0_0_0_16.121", null).bytes(79).build());
        }
        assertEquals("IN_IFACE,VRF_NAME,INGRESS_VRF_NAME,EGRESS_VRF_NAME,IN_IFACE_NAME,OUT_IFACE_NAME,PACKETS,BYTES\n"
                + "167,A2_TEST_1,A2_TEST_1,,TenGigE0_0_0_16.121,,1,79\n", read(dir.resolve("out.csv")));
        assertEquals("{\"event_type\": \"purge\", \"iface_in\": 167, \"vrf_name\": \"A2_TEST_1\", "
                + "\"ingress_vrf_name\": \"A2_TEST_1\", \"egress_vrf_name\": \"\", "
                + "\"iface_name_in\": \"TenGigE0_0_0_16.121\", \"iface_name_out\": \"\", \"packets\": 1, "
                + "\"bytes\": 79}\n", read(dir.resolve("out.json")));
        List<String> formatted = read(dir.resolve("out.txt")).lines().toList();
        assertEquals(String.format("%-12s%-34s%-34s%-34s%-34s%-34s%-22s%s", "IN_IFACE", "VRF_NAME", "INGRESS_VRF_NAME",
                "EGRESS_VRF_NAME", "IN_IFACE_NAME", "OUT_IFACE_NAME", "PACKETS", "BYTES"), formatted.get(0));
        assertEquals(String.format("%-12s%-34s%-34s%-34s%-34s%-34s%-22s%s", "167", "A2_TEST_1", "A2_TEST_1", "",
                "TenGigE0_0_0_16.121", "", "1", "79"), formatted.get(1));
    }

    /**
     * The SRv6 segment list is written in JSON only, as pmacct's print plugin writes it (its CSV leaves it out, its
     * formatted output exits): here CSV and formatted leave it out, with a warning.
     */
    @Test
    void srv6SegmentListsInJsonOnly(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.daemon(DaemonKind.NFACCTD).start("plugins: print[c], print[j]",
                "aggregate: proto, srv6_seg_ipv6_list", "print_output[c]: csv",
                "print_output_file[c]: " + dir.resolve("out.csv"), "print_output[j]: json",
                "print_output_file[j]: " + dir.resolve("out.json"))) {
            h.feed(RecordBuilder.flow().proto("udp").srv6Segments("fc00:0:1::", "2001:db8::5").bytes(79).build());
        }
        assertEquals("PROTOCOL,PACKETS,BYTES\nudp,1,79\n", read(dir.resolve("out.csv")));
        assertEquals("{\"event_type\": \"purge\", \"srv6_seg_ipv6_list\": [\"0-fc00:0:1::\", \"1-2001:db8::5\"], "
                + "\"ip_proto\": \"udp\", \"packets\": 1, \"bytes\": 79}\n", read(dir.resolve("out.json")));
    }

    /** Appending, each purge is a block between its markers; the CSV header comes once, with the file. */
    @Test
    void markersSurroundEachPurge(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.start("plugins: print[p], print[j]", "aggregate: proto",
                "print_output[p]: csv", "print_output_file[p]: " + dir.resolve("out.csv"), "print_output[j]: json",
                "print_output_file[j]: " + dir.resolve("out.json"), "print_markers: true", "print_output_file_append: true")) {
            h.feed(udp("10.1.1.1", 2, 200));
            h.advance(Duration.ofSeconds(60));
            h.feed(udp("10.1.1.1", 1, 100), RecordBuilder.flow().proto("tcp").bytes(40).build());
        }
        List<String> csv = read(dir.resolve("out.csv")).lines().toList();
        String start = "--START (" + PID + ")--";
        String end = "--END (" + PID + ")--";
        assertEquals(List.of(start, "PROTOCOL,PACKETS,BYTES", "udp,2,200", end, start), csv.subList(0, 5));
        assertEquals(new TreeSet<>(List.of("udp,1,100", "tcp,1,40")), new TreeSet<>(csv.subList(5, 7)));
        assertEquals(List.of(end), csv.subList(7, csv.size()));

        List<String> json = read(dir.resolve("out.json")).lines().toList();
        String init = "{\"event_type\": \"purge_init\", \"writer_id\": \"j/" + PID + "\"}";
        assertEquals(init, json.get(0));
        assertEquals("{\"event_type\": \"purge\", \"ip_proto\": \"udp\", \"packets\": 2, \"bytes\": 200}", json.get(1));
        assertEquals("{\"event_type\": \"purge_close\", \"writer_id\": \"j/" + PID + "\", \"purged_entries\": 1, "
                + "\"total_entries\": 1, \"duration\": 0}", json.get(2));
        assertEquals(init, json.get(3));
        assertEquals("{\"event_type\": \"purge_close\", \"writer_id\": \"j/" + PID + "\", \"purged_entries\": 2, "
                + "\"total_entries\": 2, \"duration\": 0}", json.get(6));
        assertEquals(7, json.size());
    }

    @Test
    void anEmptyPurgeWritesNothingUnlessAsked(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.start("plugins: print[a], print[b]", "aggregate: proto", "print_output: csv",
                "print_output_file[a]: " + dir.resolve("a.csv"), "print_output_file[b]: " + dir.resolve("b.csv"),
                "print_write_empty_file[b]: true")) {
            h.advance(Duration.ofSeconds(60));
        }
        assertEquals(List.of("b.csv"), files(dir));
        assertEquals("PROTOCOL,PACKETS,BYTES\n", read(dir.resolve("b.csv")));
    }

    @Test
    void latestFileLinksTheNewestFile(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.start("plugins: print[p]", "aggregate[p]: proto", "print_output[p]: csv",
                "print_output_file[p]: " + dir.resolve("bins/%Y/out-%H%M.csv"), "print_history[p]: 1m",
                "print_history_roundoff[p]: m", "timestamps_utc[p]: true", "print_latest_file[p]: " + dir.resolve("latest"),
                "print_refresh_time[p]: 60")) {
            h.feed(udp("10.1.1.1", 1, 100));
            h.advance(Duration.ofSeconds(60));
            h.feed(RecordBuilder.flow().proto("tcp").bytes(40).at(T0.plusSeconds(60)).build());
        }
        assertEquals(List.of("out-2213.csv", "out-2214.csv"), files(dir.resolve("bins/2023")));
        assertEquals(dir.resolve("bins/2023/out-2214.csv").toRealPath(), dir.resolve("latest").toRealPath());
    }

    @Test
    void filesFollowFilesUmask(@TempDir Path dir) throws Exception {
        for (String umask : new String[] {"077", "022"}) {
            Path out = dir.resolve(umask + ".txt");
            try (PluginHarness h = PluginHarness.start("files_umask: " + umask, "plugins: print[p]", "aggregate[p]: proto",
                    "print_output_file[p]: " + out)) {
                h.feed(udp("10.1.1.1", 1, 100));
            }
            assertEquals(umask.equals("077") ? "rw-------" : "rw-r--r--",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        }
    }

    @Test
    void aDaemonWithoutAnOutputFileIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginHarness.start("daemonize: true", "plugins: print[p]", "aggregate[p]: proto"));
        assertTrue(e.getMessage().contains("print_output_file") && e.getMessage().contains("daemonize"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> PluginHarness.start("plugins: print[p]", "print_output[p]: avro"));
        assertTrue(e.getMessage().contains("print_output") && e.getMessage().contains("not supported"), e.getMessage());
    }

    /** Records without the plugin's bit, or outside its pre_tag_filter, are not accounted. */
    @Test
    void onlyTheRecordsForThePluginAreAccounted(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.start("plugins: print[p]", "aggregate[p]: tag", "print_output[p]: csv",
                "print_output_file[p]: " + dir.resolve("out.csv"), "pre_tag_filter[p]: 1-2")) {
            h.feed(RecordBuilder.flow().tag(1).bytes(10).build(), RecordBuilder.flow().tag(3).bytes(20).build(),
                    RecordBuilder.flow().tag(2).bytes(30).pluginMask(0).build());
        }
        assertEquals("TAG,PACKETS,BYTES\n1,1,10\n", read(dir.resolve("out.csv")));
    }

    /** A tcp flow of the stitching tests, from {@code start} to {@code end} seconds after T0. */
    private static FlowRecord tcpFlow(double start, double end) {
        return RecordBuilder.flow().proto("tcp").bytes(40).between(T0.plusMillis((long) (start * 1000)),
                T0.plusMillis((long) (end * 1000))).build();
    }

    /**
     * nfacctd_stitching: timestamp_min is the earliest start and timestamp_max the latest end of an entry's flows,
     * whatever their order; a flow without times, and any flow with nfacctd_time_new (its arrival as bin time),
     * gives its arrival. pmacct keeps the first flow's start and never moves timestamp_max with whole-second times.
     */
    @Test
    void stitchingSpansTheFlowsOfEachEntry(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.json");
        FlowRecord noTimes = tcpFlow(0, 0);
        noTimes.timeStartMicros = 0;
        noTimes.timeEndMicros = 0;
        noTimes.timeArrivalMicros = (T0.getEpochSecond() + 30) * 1_000_000L;
        FlowRecord timeNew = RecordBuilder.flow().proto("udp").bytes(50).between(T0, T0.plusSeconds(50)).build();
        timeNew.binTimeMicros = (T0.getEpochSecond() + 40) * 1_000_000L + 125;
        try (PluginHarness h = PluginHarness.start("plugins: print[p]", "aggregate[p]: proto", "print_output[p]: json",
                "print_output_file[p]: " + out, "nfacctd_stitching: true", "timestamps_utc: true")) {
            h.feed(tcpFlow(10, 20), tcpFlow(5.5, 8), noTimes, tcpFlow(12, 14), timeNew);
        }
        assertEquals(new TreeSet<>(List.of(
                "{\"event_type\": \"purge\", \"ip_proto\": \"tcp\", \"timestamp_min\": \"2023-11-14 22:13:25.500000\", "
                        + "\"timestamp_max\": \"2023-11-14 22:13:50.000000\", \"packets\": 4, \"bytes\": 160}",
                "{\"event_type\": \"purge\", \"ip_proto\": \"udp\", \"timestamp_min\": \"2023-11-14 22:14:00.000125\", "
                        + "\"timestamp_max\": \"2023-11-14 22:14:00.000125\", \"packets\": 1, \"bytes\": 50}")),
                new TreeSet<>(read(out).lines().toList()));
    }

    /**
     * With print_history, a bin still open at a purge is carried into the next cache with its times, which merge
     * with what comes later; timestamps_secs cuts them to the second. CSV and formatted put the two columns after
     * the other timestamps.
     */
    @Test
    void stitchingTimesSurviveTheCarryOfOpenBins(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("out.csv");
        Path txt = dir.resolve("out.txt");
        try (PluginHarness h = PluginHarness.start("plugins: print[c], print[f]", "aggregate: proto, timestamp_start",
                "print_output[c]: csv", "print_output_file[c]: " + csv, "print_output[f]: formatted",
                "print_output_file[f]: " + txt, "print_refresh_time: 10", "print_history: 1m",
                "print_history_roundoff: m", "print_output_file_append: true", "nfacctd_stitching: true",
                "timestamps_utc: true", "timestamps_secs: true")) {
            FlowRecord first = tcpFlow(1.5, 2.5);
            h.feed(first);
            h.advance(Duration.ofSeconds(15)); // a purge at 22:13:30 keeps the open 22:13 bin
            FlowRecord second = tcpFlow(3, 35.75);
            second.timeStartMicros = first.timeStartMicros; // the same entry
            h.feed(second);
            h.advance(Duration.ofSeconds(60));
        }
        assertEquals("PROTOCOL,TIMESTAMP_START,TIMESTAMP_MIN,TIMESTAMP_MAX,PACKETS,BYTES\n"
                + "tcp,2023-11-14 22:13:21.000000,2023-11-14 22:13:21.000000,2023-11-14 22:13:55.000000,2,80\n", read(csv));
        assertEquals(List.of("PROTOCOL    TIMESTAMP_START                TIMESTAMP_MIN                  TIMESTAMP_MAX"
                        + "                  PACKETS               BYTES",
                "tcp         2023-11-14 22:13:21.000000     2023-11-14 22:13:21.000000     2023-11-14 22:13:55.000000"
                        + "     2                     80"),
                read(txt).lines().toList());
    }
}
