package jpmacct.plugins.memory;

import static jpmacct.core.plugin.PmacctGoldens.assertSameTable;
import static jpmacct.core.plugin.PmacctGoldens.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jpmacct.core.config.DaemonKind;
import jpmacct.core.imt.ImtProtocol;
import jpmacct.core.imt.ImtQuery;
import jpmacct.core.plugin.PluginHarness;
import jpmacct.core.plugin.PmacctGoldens;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/**
 * The memory plugin in a harness, asked through its real UNIX socket with the requests the pmacct client builds
 * ({@link ImtQuery}, {@link ImtProtocol}). Layouts are pmacct 1.7.7's (memory_5tuple goldens); the client's own
 * flags are tested with the client.
 */
class MemoryPluginTest {
    private static final String FORMATTED_HEADER = "SRC_IP                                         DST_IP                "
            + "                         SRC_PORT  DST_PORT  PROTOCOL    PACKETS               BYTES";

    /** An answer: its status and what followed the header. */
    record Answer(int status, String text) {
    }

    private static PluginHarness memory(Path dir, String... more) throws Exception {
        List<String> conf = new ArrayList<>(List.of("plugins: memory[m]",
                "aggregate[m]: src_host, dst_host, src_port, dst_port, proto", "imt_path[m]: " + dir.resolve("imt.pipe")));
        conf.addAll(List.of(more));
        return PluginHarness.start(conf.toArray(new String[0]));
    }

    private static Answer ask(Path dir, Consumer<ImtQuery> flags) throws IOException {
        ImtQuery q = new ImtQuery();
        flags.accept(q);
        return send(dir.resolve("imt.pipe"), ImtProtocol.request(q.encode()));
    }

    private static Answer send(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(request));
            InputStream in = Channels.newInputStream(ch);
            byte[] header = in.readNBytes(6);
            return new Answer(header[5], new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String text(Path dir, Consumer<ImtQuery> flags) throws IOException {
        Answer a = ask(dir, flags);
        assertEquals(ImtProtocol.OK, a.status(), a.text());
        return a.text();
    }

    private static Consumer<ImtQuery> show(String output) {
        return q -> q.output = output;
    }

    private static Consumer<ImtQuery> match(ImtQuery.Op op, String primitives, String... values) {
        return q -> {
            q.op = op;
            q.primitives = ImtQuery.primitives(primitives);
            q.matches = List.of(values);
        };
    }

    private static FlowRecord flow(String src, String dst, int sport, int dport, String proto, long packets, long bytes) {
        return RecordBuilder.flow().src(src).dst(dst).ports(sport, dport).proto(proto).packets(packets).bytes(bytes).build();
    }

    /** The table pmacct 1.7.7 held after edge.pcap and small.pcap, shown as pmacct's client showed it. */
    @ParameterizedTest(name = "{0} -s -O {1}")
    @CsvSource({"edge, formatted, s_formatted.out", "edge, csv, s_csv.out", "edge, json, s_json.out",
            "small, formatted, s_formatted.out", "small, csv, s_csv.out", "small, json, s_json.out"})
    void theRecordedTableInEachLayout(String pcap, String output, String file, @TempDir Path dir) throws Exception {
        Path golden = golden(pcap, "memory_5tuple");
        try (PluginHarness h = memory(dir)) {
            h.feed(PmacctGoldens.records(golden.resolve("s_csv.out"), h.now()));
            assertSameTable(golden.resolve(file), text(dir, show(output)));
        }
    }

    @Test
    void topEntriesAreSortedByTheCounterAndCut(@TempDir Path dir) throws Exception {
        try (PluginHarness h = memory(dir)) {
            h.feed(flow("10.0.0.1", "10.0.0.9", 1, 2, "udp", 5, 100), flow("10.0.0.2", "10.0.0.9", 1, 2, "udp", 1, 300),
                    flow("10.0.0.3", "10.0.0.9", 1, 2, "tcp", 3, 200), flow("10.0.0.4", "10.0.0.9", 1, 2, "tcp", 2, 50));
            assertEquals("SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES\n10.0.0.2,10.0.0.9,1,2,udp,1,300\n"
                    + "10.0.0.3,10.0.0.9,1,2,tcp,3,200\n", text(dir, q -> {
                        q.output = "csv";
                        q.topCounter = "bytes";
                        q.topN = 2;
                    }));
            List<String> byPackets = text(dir, q -> q.topCounter = "packets").lines().toList();
            assertEquals(FORMATTED_HEADER, byPackets.get(0));
            assertEquals(List.of("10.0.0.1", "10.0.0.3", "10.0.0.4", "10.0.0.2"),
                    byPackets.subList(1, 5).stream().map(l -> l.split(" ")[0]).toList());
            assertEquals(List.of("", "For a total of: 4 entries"), byPackets.subList(5, byPackets.size()));
            String udpTop = text(dir, match(ImtQuery.Op.TABLE, "proto", "udp").andThen(q -> {
                q.topCounter = "bytes";
                q.output = "csv";
            }));
            assertEquals("SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES\n10.0.0.2,10.0.0.9,1,2,udp,1,300\n"
                    + "10.0.0.1,10.0.0.9,1,2,udp,5,100\n", udpTop, "-M with -T");
        }
    }

    @Test
    void matchesSelectEntriesAndCountersAddUp(@TempDir Path dir) throws Exception {
        try (PluginHarness h = memory(dir)) {
            h.feed(flow("10.1.1.1", "10.2.2.2", 40000, 443, "tcp", 8, 680), flow("10.2.2.6", "10.1.1.6", 0, 0, "icmp", 2, 140),
                    flow("10.1.1.1", "10.2.2.3", 40001, 80, "tcp", 1, 60), flow("2001:db8::1", "2001:db8::2", 5, 53, "udp", 1, 90));
            assertEquals("SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES\n10.1.1.1,10.2.2.2,40000,443,tcp,8,680\n",
                    text(dir, match(ImtQuery.Op.TABLE, "src_host,dst_port", "10.1.1.1,443").andThen(show("csv"))));
            assertEquals("740\n140\n90\n0\n", text(dir, match(ImtQuery.Op.COUNTERS, "src_host", "10.1.1.1", "10.2.2.6",
                    "2001:db8::1", "10.9.9.9")), "one line a request, 0 for none");
            assertEquals("970\n", text(dir, match(ImtQuery.Op.COUNTERS, "src_host", "10.1.1.1", "10.2.2.6", "2001:db8::1")
                    .andThen(q -> q.sum = true)));
            assertEquals("9 740 0 2\n", text(dir, match(ImtQuery.Op.COUNTERS, "src_host", "10.1.1.1")
                    .andThen(q -> q.counter = "all")), "-n all: packets, bytes, flows, entries");
            assertEquals("2\n", text(dir, match(ImtQuery.Op.COUNTERS, "proto", "icmp").andThen(q -> q.counter = "packets")));
        }
    }

    @Test
    void eraseClearsAndSinceEraseCountsOnThePluginsClock(@TempDir Path dir) throws Exception {
        try (PluginHarness h = memory(dir)) {
            h.feed(flow("10.1.1.1", "10.2.2.2", 1, 2, "udp", 1, 100));
            assertEquals("never\n", text(dir, q -> q.op = ImtQuery.Op.SINCE_ERASE));
            assertEquals("OK: Clearing stats.\n", text(dir, q -> q.op = ImtQuery.Op.ERASE));
            assertEquals(FORMATTED_HEADER + "\n\nFor a total of: 0 entries\n", text(dir, show("formatted")));
            h.advance(Duration.ofSeconds(42));
            assertEquals("42\n", text(dir, q -> q.op = ImtQuery.Op.SINCE_ERASE));
            assertTrue(text(dir, q -> q.op = ImtQuery.Op.STATUS).contains("last cleared: 42 s ago\n"));

            h.feed(flow("10.1.1.1", "10.2.2.2", 1, 2, "udp", 1, 100));
            assertEquals("SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES\n10.1.1.1,10.2.2.2,1,2,udp,1,100\n",
                    text(dir, show("csv").andThen(q -> q.erase = true)), "-s -e shows, then clears");
            assertEquals("0\n", text(dir, match(ImtQuery.Op.COUNTERS, "src_host", "10.1.1.1")));
            assertEquals("0\n", text(dir, q -> q.op = ImtQuery.Op.SINCE_ERASE));
        }
    }

    @Test
    void resetZeroesTheMatchedCountersAndKeepsTheEntries(@TempDir Path dir) throws Exception {
        try (PluginHarness h = memory(dir)) {
            h.feed(flow("10.1.1.1", "10.2.2.2", 1, 2, "udp", 1, 100), flow("10.1.1.2", "10.2.2.2", 1, 2, "udp", 1, 50));
            assertEquals("100\n", text(dir, match(ImtQuery.Op.COUNTERS, "src_host", "10.1.1.1").andThen(q -> q.reset = true)));
            assertEquals("0\n", text(dir, match(ImtQuery.Op.COUNTERS, "src_host", "10.1.1.1")));
            h.feed(flow("10.1.1.1", "10.2.2.2", 1, 2, "udp", 1, 7));
            assertEquals("SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES\n10.1.1.2,10.2.2.2,1,2,udp,1,50\n"
                    + "10.1.1.1,10.2.2.2,1,2,udp,1,7\n", text(dir, show("csv").andThen(q -> q.topCounter = "bytes")));
        }
    }

    /** VRF and interface names (in pmacct's column order) and interned custom values, through the client's socket. */
    @Test
    void namesAndCustomValuesAsTheClientShowsThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("custom.map"), "name=app field_type=9:1 len=vlen semantics=str\n"
                + "name=num field_type=9:2 len=2 semantics=u_int\n");
        try (PluginHarness h = PluginHarness.daemon(DaemonKind.NFACCTD).start("plugins: memory[m]",
                "aggregate_primitives: " + dir.resolve("custom.map"), "imt_path[m]: " + dir.resolve("imt.pipe"),
                "aggregate[m]: src_host, vrf_name, in_iface_name, app, num")) {
            h.feed(RecordBuilder.flow().src("10.1.1.1").vrfNames("red", null, "red").ifaceNames("Gi0/1", null)
                    .custom(2, 0, "a longer application name".getBytes(StandardCharsets.US_ASCII))
                    .custom(2, 1, new byte[] {1, 2}).bytes(10).build(), RecordBuilder.flow().src("10.1.1.2").bytes(5).build());
            assertEquals(List.of("VRF_NAME,IN_IFACE_NAME,SRC_IP,app,num,PACKETS,BYTES",
                    "red,Gi0/1,10.1.1.1,a longer application name,258,1,10", ",,10.1.1.2,,0,1,5"),
                    text(dir, show("csv").andThen(q -> q.topCounter = "bytes")).lines().toList());
        }
    }

    /** SRv6 segment lists (interned by the plugin) in the client's JSON; its CSV leaves them out, as pmacct's print. */
    @Test
    void srv6SegmentListsAsTheClientShowsThem(@TempDir Path dir) throws Exception {
        try (PluginHarness h = PluginHarness.daemon(DaemonKind.NFACCTD).start("plugins: memory[m]",
                "imt_path[m]: " + dir.resolve("imt.pipe"), "aggregate[m]: src_host, srv6_seg_ipv6_list")) {
            h.feed(RecordBuilder.flow().src("10.1.1.1").srv6Segments("fc00:0:1::", "fc00:0:2:e000::").bytes(10).build(),
                    RecordBuilder.flow().src("10.1.1.2").bytes(5).build());
            assertEquals(List.of("{\"ip_src\": \"10.1.1.1\", \"srv6_seg_ipv6_list\": [\"0-fc00:0:1::\", "
                    + "\"1-fc00:0:2:e000::\"], \"packets\": 1, \"bytes\": 10}",
                    "{\"ip_src\": \"10.1.1.2\", \"srv6_seg_ipv6_list\": [], \"packets\": 1, \"bytes\": 5}"),
                    text(dir, show("json").andThen(q -> q.topCounter = "bytes")).lines().toList());
            assertEquals(List.of("SRC_IP,PACKETS,BYTES", "10.1.1.1,1,10", "10.1.1.2,1,5"),
                    text(dir, show("csv").andThen(q -> q.topCounter = "bytes")).lines().toList());
        }
    }

    /** imt_mem_pools_number x imt_mem_pools_size / 64 entries at most: new keys beyond are dropped and counted. */
    @Test
    void aFullTableDropsNewKeysAndCountsThem(@TempDir Path dir) throws Exception {
        try (PluginHarness h = memory(dir, "imt_mem_pools_number[m]: 1", "imt_mem_pools_size[m]: 640")) {
            for (int i = 0; i < 15; i++) {
                h.feed(flow("10.0.0." + (i + 1), "10.9.9.9", 1, 2, "udp", 1, 10));
            }
            h.feed(flow("10.0.0.1", "10.9.9.9", 1, 2, "udp", 1, 10));
            String status = text(dir, q -> q.op = ImtQuery.Op.STATUS);
            assertTrue(status.startsWith("entries: 10\n"), status);
            assertTrue(status.contains("limit: 10\n") && status.contains("records of new keys dropped (table full): 5\n"),
                    status);
            assertEquals("20\n", text(dir, match(ImtQuery.Op.COUNTERS, "src_host", "10.0.0.1")), "existing keys count on");
        }
    }

    @Test
    void onlyTheRecordsForThePluginAreAccounted(@TempDir Path dir) throws Exception {
        try (PluginHarness h = memory(dir, "pre_tag_filter[m]: 5")) {
            FlowRecord tagged = RecordBuilder.flow().src("10.0.0.1").tag(5).bytes(10).build();
            h.feed(tagged, RecordBuilder.flow().src("10.0.0.2").tag(6).bytes(20).build(),
                    RecordBuilder.flow().src("10.0.0.3").tag(5).bytes(40).pluginMask(0).build());
            assertEquals("10\n", text(dir, q -> {
                q.op = ImtQuery.Op.COUNTERS;
                q.primitives = List.of(Primitive.PROTO);
                q.matches = List.of("0");
                q.sum = true;
            }));
        }
    }

    @Test
    void theSocketHasItsModeAndGoesAtClose(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("imt.pipe");
        try (PluginHarness h = memory(dir, "imt_perms[m]: 0660")) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            try (var files = Files.list(dir)) {
                assertEquals(List.of("imt.pipe"), files.map(p -> p.getFileName().toString()).toList(),
                        "no temporary directory left beside it");
            }
            h.close();
            assertFalse(Files.exists(socket));
        }
    }

    @Test
    void aStaleSocketIsReplacedAndAnythingElseRefused(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("imt.pipe");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closed without unlinking: nobody answers
        }
        try (PluginHarness h = memory(dir)) {
            assertEquals(FORMATTED_HEADER + "\n\nFor a total of: 0 entries\n", text(dir, show("formatted")));
            IOException live = assertThrows(IOException.class, () -> memory(dir));
            assertTrue(live.getMessage().contains("served by another running daemon"), live.getMessage());
        }
        Files.writeString(socket, "a file\n");
        IOException file = assertThrows(IOException.class, () -> memory(dir));
        assertTrue(file.getMessage().contains("exists and is a regular file, not a socket"), file.getMessage());
        assertEquals("a file\n", Files.readString(socket), "left alone");
    }

    /** Requests that are not this protocol's get an error answer; the server goes on serving. */
    @Test
    void badRequestsAreAnsweredWithAnError(@TempDir Path dir) throws Exception {
        try (PluginHarness h = memory(dir)) {
            Path socket = dir.resolve("imt.pipe");
            Answer garbage = send(socket, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(ImtProtocol.ERROR, garbage.status());
            byte[] v2 = ImtProtocol.request("op=show\n");
            v2[4] = 2;
            Answer other = send(socket, v2);
            assertEquals(ImtProtocol.BAD_VERSION, other.status());
            assertEquals("this daemon speaks protocol version 1", other.text());
            Answer unknown = send(socket, ImtProtocol.request("op=show\nbogus=1\n"));
            assertEquals(ImtProtocol.ERROR, unknown.status());
            assertEquals("unknown request key 'bogus'", unknown.text());
            assertEquals(FORMATTED_HEADER + "\n\nFor a total of: 0 entries\n", text(dir, show("formatted")));
        }
    }
}
