package jpmacct.plugins.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static jpmacct.core.record.RecordBuilder.bytes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.PrintedTable;
import jpmacct.core.output.Row;
import jpmacct.core.output.TableRow;
import jpmacct.core.output.Timestamps;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Column;
import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.primitive.CustomPrimitives;
import jpmacct.core.record.Allocations;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/**
 * acct_data records from aggregated rows: read back with Avro's GenericDatumReader (binary) and JsonDecoder
 * (avro_json), they carry what the JSON output prints for the same rows, and what pmacct's own upstream tests expect
 * its kafka plugin to send.
 */
class AvroRecordEncoderTest {
    private static final Timestamps EPOCH = new Timestamps(true, false, ZoneOffset.UTC);
    private static final OutputFormat.Encodings ALL = AvroSchemasTest.ALL;
    /** Fields pmacct's test framework leaves out of every comparison. */
    private static final List<String> UPSTREAM_IGNORED = List.of("stamp_inserted", "stamp_updated", "timestamp_max",
            "timestamp_arrival", "timestamp_min");

    private static OutputFormat.Options options(OutputFormat.Encodings enc) {
        return new OutputFormat.Options(false, ",", EPOCH, false).withEncodings(enc);
    }

    private static PrintedTable table(Aggregate agg, FlowRecord... records) {
        PrintedTable t = new PrintedTable(agg);
        for (FlowRecord r : records) {
            t.add(r);
        }
        return t;
    }

    /** The rows of a table, each positioned cursor handed to {@code each}. */
    private interface EachRow {
        void accept(TableRow row) throws Exception;
    }

    private static void forEachRow(PrintedTable t, EachRow each) throws Exception {
        TableRow row = t.cursor();
        int n = 0;
        while (row.next()) {
            each.accept(row);
            n++;
        }
        assertTrue(n > 0, "no rows");
    }

    private static CustomPrimitives customPrimitives(Path dir, String... lines) throws Exception {
        Path f = dir.resolve("primitives.map");
        Files.write(f, List.of(lines));
        return CustomPrimitives.load(f);
    }

    /**
     * Upstream case 101 (NetFlow v9, custom primitives, the three 1.8 encodings, kafka_output: avro): the first row
     * its expected output holds, as the framework's Avro consumer decodes it, from our encoding of the same flow.
     */
    @Test
    void upstreamCase101RowAsPmacctsConsumerReadsIt(@TempDir Path dir) throws Exception {
        CustomPrimitives defined = customPrimitives(dir,
                "name=mpls_tl_ipv4_address field_type=47 len=4 semantics=ip",
                "name=mpls_tl_prefix_length field_type=91 len=1 semantics=u_int",
                "name=mpls_tl_type field_type=46 len=1 semantics=u_int",
                "name=vrf_id_ingress field_type=234 len=4 semantics=u_int",
                "name=vrf_id_egress field_type=235 len=4 semantics=u_int");
        Aggregate agg = Aggregate.TYPE.parse("dst_host, dst_port, fwd_status, in_iface, mpls_label_stack, "
                + "mpls_tl_ipv4_address, mpls_tl_prefix_length, mpls_tl_type, mpls_vpn_rd, out_iface, peer_src_ip, "
                + "proto, src_host, src_port, tcpflags, timestamp_arrival, timestamp_end, timestamp_start, tos, "
                + "vrf_id_egress, vrf_id_ingress, vrf_name", defined);
        int slots = defined.all().size();
        Instant t = Instant.ofEpochSecond(1677577599);
        FlowRecord r = RecordBuilder.flow().peerSrc("172.21.1.101").ifaces(143, 142).src("138.187.58.13")
                .dst("138.187.57.33").ports(10000, 58779).proto("tcp").tcpFlags(0x10).bytes(60).at(t)
                .vrfNames("", "", "")
                .custom(slots, defined.byName("mpls_tl_ipv4_address").slot(), bytes(138, 187, 57, 65))
                .custom(slots, defined.byName("mpls_tl_prefix_length").slot(), bytes(32))
                .custom(slots, defined.byName("mpls_tl_type").slot(), bytes(0))
                .custom(slots, defined.byName("vrf_id_ingress").slot(), bytes(0x60, 0, 0, 0))
                .custom(slots, defined.byName("vrf_id_egress").slot(), bytes(0x60, 0, 0, 0)).build();
        r.mplsVpnRd = (0x1000L << 48) | 1610612736L;
        r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_FLOW;
        r.fwdStatus = 64;
        r.mplsLabels[0] = 16065;
        r.mplsLabels[1] = 16033;
        r.mplsLabelCount = 2;
        PrintedTable table = table(agg, r);
        AvroRecordEncoder enc = new AvroRecordEncoder(agg.columns(), agg.custom(), false, options(ALL), "nfacctd_kafka");
        String expected = "{\"peer_ip_src\": \"172.21.1.101\", \"iface_in\": 143, \"iface_out\": 142, \"mpls_vpn_rd\": "
                + "\"vrfid:1610612736\", \"mpls_vpn_rd_origin\": \"flow\", \"ip_src\": \"138.187.58.13\", \"ip_dst\": "
                + "\"138.187.57.33\", \"port_src\": 10000, \"port_dst\": 58779, \"tcp_flags\": [\"ACK\"], "
                + "\"fwd_status\": \"FORWARDED Unknown\", \"mpls_label_stack\": [\"0-16065\", \"1-16033\"], "
                + "\"vrf_name\": \"\", \"ip_proto\": \"tcp\", \"tos\": 0, \"timestamp_start\": \"1677577599.000000\", "
                + "\"timestamp_end\": \"1677577599.000000\", \"custom_primitives\": {\"mpls_tl_ipv4_address\": "
                + "\"138.187.57.65\", \"mpls_tl_prefix_length\": \"32\", \"mpls_tl_type\": \"0\", \"vrf_id_egress\": "
                + "\"1610612736\", \"vrf_id_ingress\": \"1610612736\"}, \"packets\": 1, \"flows\": null, \"bytes\": "
                + "60, \"writer_id\": \"nfacctd_kafka\"}";
        forEachRow(table, row -> {
            Map<String, Object> ours = Decoded.plain(Decoded.binary(enc.schema(), enc.binary(row, 0)));
            UPSTREAM_IGNORED.forEach(ours::remove);
            Map<String, Object> theirs = Decoded.jsonLine(expected);
            assertEquals(theirs, ours);
            assertEquals(new ArrayList<>(theirs.keySet()), new ArrayList<>(ours.keySet()), "fields in pmacct's order");
        });
    }

    /** A table over many columns, both plain and with the 1.8 encodings: the values are the JSON output's. */
    @Test
    void valuesAreTheJsonOutputs(@TempDir Path dir) throws Exception {
        CustomPrimitives defined = customPrimitives(dir, "name=num field_type=1 len=4 semantics=u_int",
                "name=text field_type=5 len=vlen semantics=str", "name=v6 field_type=7 len=16 semantics=ip");
        Aggregate agg = Aggregate.TYPE.parse("tag, tag2, label, src_mac, dst_mac, vlan, cos, etype, src_as, dst_as, "
                + "peer_src_ip, in_iface, out_iface, mpls_vpn_rd, src_host, dst_host, src_net, dst_net, src_mask, "
                + "dst_mask, src_port, dst_port, tcpflags, proto, tos, flow_label, sampling_rate, fwd_status, "
                + "mpls_label_stack, mpls_stack_depth, srv6_seg_ipv6_list, vrf_name, in_iface_name, tunnel_src_host, "
                + "tunnel_proto, tunnel_tcpflags, tunnel_flow_label, vxlan, timestamp_start, timestamp_end, "
                + "export_proto_version, num, text, v6", defined);
        int slots = defined.all().size();
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 7;
        RecordBuilder b = RecordBuilder.flow().tag(7).tag2(9).label("nkey%node1,pkey%platform").srcMac("00:1b:21:3c:4d:5e")
                .vlan(100).cos(5).peerSrc("2001:db8::1").ifaces(3, 4).src("192.0.2.1").dst("2001:db8::2")
                .ports(443, 50000).proto("tcp").tos(184).tcpFlags(0x12).samplingRate(100).packets(3).bytes(4500)
                .srv6Segments("fc00::1", "fc00::2").vrfNames("in-vrf", "out-vrf", "a \"quoted\" vrf\u00e9")
                .ifaceNames("eth0", "eth1").between(Instant.ofEpochSecond(1700000000, 123000), Instant.ofEpochSecond(1700000060))
                .custom(slots, defined.byName("num").slot(), bytes(0, 1, 0, 2))
                .custom(slots, defined.byName("text").slot(), "tab\there".getBytes(StandardCharsets.UTF_8))
                .custom(slots, defined.byName("v6").slot(), v6);
        FlowRecord r1 = b.build();
        r1.fwdStatus = 141;
        r1.mplsLabels[0] = 24005;
        r1.mplsLabels[1] = 3;
        r1.mplsLabelCount = 2;
        r1.mplsStackDepth = 2;
        r1.flowLabel = 0xABCDE;
        r1.mplsVpnRd = (1L << 48) | (0xC0000201L << 16) | 42;
        r1.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_MAP;
        r1.tunnelSrcFamily = 4;
        r1.tunnelSrcLo = 0x0A000001L;
        r1.tunnelProto = 17;
        r1.tunnelTcpFlags = 0x01;
        r1.tunnelFlowLabel = 5;
        r1.vxlan = 4242;
        r1.exportProtoVersion = 10;
        r1.etype = 0x86dd;
        FlowRecord r2 = RecordBuilder.flow().src("10.0.0.1").bytes(1).label("").build(); // mostly empty values
        PrintedTable table = table(agg, r1, r2);
        for (OutputFormat.Encodings enc : List.of(OutputFormat.Encodings.NONE, ALL)) {
            OutputFormat json = new OutputFormat(OutputFormat.Style.JSON, agg.columns(), agg.custom(), false, options(enc));
            AvroRecordEncoder avro = new AvroRecordEncoder(agg.columns(), agg.custom(), false, options(enc), "w/1");
            forEachRow(table, row -> {
                StringBuilder sb = new StringBuilder();
                json.appendRow(sb, row, 0);
                Map<String, Object> printed = Decoded.jsonLine(sb.toString());
                printed.remove("event_type");
                GenericRecord fromBinary = Decoded.binary(avro.schema(), avro.binary(row, 0));
                GenericRecord fromJson = Decoded.json(avro.schema(), avro.json(row, 0));
                assertEquals(fromBinary, fromJson, "avro and avro_json carry the same record");
                assertEquals(asText(printed), asText(asJsonOutput(Decoded.plain(fromBinary))), enc.toString());
            });
        }
    }

    /**
     * An acct_data record in the JSON output's shape: custom primitives at the top, no writer_id, no null flows.
     * Values compared as text: pmacct's JSON and Avro differ in type for some (tcp_flags "18" and 18).
     */
    private static Map<String, Object> asJsonOutput(Map<String, Object> avro) {
        Map<String, Object> out = new LinkedHashMap<>(avro);
        out.remove("writer_id");
        if (out.get("flows") == null) {
            out.remove("flows");
        }
        Object custom = out.remove("custom_primitives");
        if (custom instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put((String) k, v));
        }
        return out;
    }

    private static Map<String, String> asText(Map<String, Object> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** avro_json as libavro writes it: jansson's spacing, unions as {"type": value}, only ASCII. */
    @Test
    void avroJsonIsLibavrosText() throws Exception {
        Aggregate agg = Aggregate.TYPE.parse("src_host, dst_port, label, tcpflags");
        FlowRecord r = RecordBuilder.flow().src("10.0.0.1").ports(0, 53).label("k%v\u00e9,k2%\"x\"\n").tcpFlags(0x18)
                .packets(2).bytes(200).build();
        PrintedTable table = table(agg, r);
        AvroRecordEncoder plain = new AvroRecordEncoder(agg.columns(), List.of(), false, options(OutputFormat.Encodings.NONE), "nfacctd_kafka");
        AvroRecordEncoder encoded = new AvroRecordEncoder(agg.columns(), List.of(), true, options(ALL), "nfacctd_kafka");
        forEachRow(table, row -> {
            assertEquals("{\"label\": \"k%v\\u00E9,k2%\\\"x\\\"\\n\", \"ip_src\": \"10.0.0.1\", \"port_dst\": 53, "
                    + "\"tcp_flags\": 24, \"packets\": {\"long\": 2}, \"flows\": null, \"bytes\": {\"long\": 200}, "
                    + "\"writer_id\": \"nfacctd_kafka\"}", plain.json(row, 0));
            assertEquals("{\"label\": {\"k\": \"v\\u00E9\", \"k2\": \"\\\"x\\\"\\n\"}, \"ip_src\": \"10.0.0.1\", "
                    + "\"port_dst\": 53, \"tcp_flags\": [\"ACK\", \"PSH\"], \"packets\": {\"long\": 2}, "
                    + "\"flows\": {\"long\": 0}, \"bytes\": {\"long\": 200}, \"writer_id\": \"nfacctd_kafka\"}",
                    encoded.json(row, 0));
            GenericRecord back = Decoded.json(encoded.schema(), encoded.json(row, 0));
            assertEquals("v\u00e9", ((Map<?, ?>) back.get("label")).get(new Utf8("k")).toString());
        });
    }

    /** History: stamp_inserted is the bin, stamp_updated the purge time, both null for a row without a bin. */
    @Test
    void historyStamps() throws Exception {
        Aggregate agg = Aggregate.TYPE.parse("src_host");
        PrintedTable table = table(agg, RecordBuilder.flow().src("10.0.0.1").build());
        OutputFormat.Options history = new OutputFormat.Options(false, ",", new Timestamps(false, false, ZoneOffset.UTC),
                true);
        AvroRecordEncoder enc = new AvroRecordEncoder(agg.columns(), List.of(), false, history, "w");
        forEachRow(table, row -> {
            Row binned = new BinnedRow(row, 1700000100L);
            GenericRecord r = Decoded.binary(enc.schema(), enc.binary(binned, 1700000160L));
            assertEquals("2023-11-14 22:15:00", r.get("stamp_inserted").toString());
            assertEquals("2023-11-14 22:16:00", r.get("stamp_updated").toString());
            GenericRecord none = Decoded.binary(enc.schema(), enc.binary(new BinnedRow(row, 0), 1700000160L));
            assertEquals(null, none.get("stamp_inserted"));
            assertEquals(null, none.get("stamp_updated"));
            assertTrue(enc.json(binned, 1700000160L).contains("\"stamp_inserted\": {\"string\": \"2023-11-14 22:15:00\"}, "
                    + "\"stamp_updated\": {\"string\": \"2023-11-14 22:16:00\"}"));
        });
    }

    /** A row of the table with a history bin of its own and stitching times (the test table has neither). */
    private static final class BinnedRow implements Row {
        private final Row row;
        private final long bin;

        BinnedRow(Row row, long bin) {
            this.row = row;
            this.bin = bin;
        }

        @Override public long field(KeyField f) { return row.field(f); }
        @Override public long packets() { return row.packets(); }
        @Override public long bytes() { return row.bytes(); }
        @Override public long flows() { return row.flows(); }
        @Override public int tcpFlags() { return row.tcpFlags(); }
        @Override public String label() { return row.label(); }
        @Override public String classLabel() { return row.classLabel(); }
        @Override public long binStart() { return bin; }
        @Override public long timestampMin() { return 1700000000_000000L; }
        @Override public long timestampMax() { return 1700000059_500000L; }
    }

    @Test
    void stitchingTimesAreOptionalStrings() throws Exception {
        Aggregate agg = Aggregate.TYPE.parse("src_host");
        List<Column> cols = new ArrayList<>(agg.columns());
        cols.add(Column.TIMESTAMP_MIN);
        cols.add(Column.TIMESTAMP_MAX);
        AvroRecordEncoder enc = new AvroRecordEncoder(cols, List.of(), false, options(ALL), "w");
        forEachRow(table(agg, RecordBuilder.flow().src("10.0.0.1").build()), row -> {
            GenericRecord r = Decoded.binary(enc.schema(), enc.binary(new BinnedRow(row, 0), 0));
            assertEquals("1700000000.000000", r.get("timestamp_min").toString());
            assertEquals("1700000059.500000", r.get("timestamp_max").toString());
        });
    }

    /** Tags are unsigned in pmacct; an Avro long is signed: values above 2^63-1 arrive negative, as from pmacct. */
    @Test
    void tagsAboveTheLongRangeWrapAsPmacctsDo() throws Exception {
        Aggregate agg = Aggregate.TYPE.parse("tag");
        AvroRecordEncoder enc = new AvroRecordEncoder(agg.columns(), List.of(), false, options(ALL), "w");
        forEachRow(table(agg, RecordBuilder.flow().tag(-1L).build()), row ->
                assertEquals(-1L, Decoded.binary(enc.schema(), enc.binary(row, 0)).get("tag")));
    }

    /** A label given as a map keeps each key once, with its last value (pmacct's libavro map does the same). */
    @Test
    void labelMaps() {
        assertEquals(List.of("a", "3", "b", "2"), List.of(AvroRecordEncoder.parseLabel("a%1,b%2,a%3")));
        assertEquals(List.of(), List.of(AvroRecordEncoder.parseLabel("")));
        assertEquals(List.of(), List.of(AvroRecordEncoder.parseLabel("default")));
        assertEquals(List.of("k", "v"), List.of(AvroRecordEncoder.parseLabel(",k%%v,odd")));
    }

    /**
     * Encoding allocates nothing per record once warm (the buffer is the encoder's); what a record costs on the wire
     * against the JSON output, for a 5-tuple aggregate.
     */
    @Test
    void encodingAllocatesNothingPerRecord() throws Exception {
        Aggregate agg = Aggregate.TYPE.parse("src_host, dst_host, src_port, dst_port, proto, tcpflags, tag");
        PrintedTable table = new PrintedTable(agg);
        int rows = 8;
        for (int i = 0; i < rows; i++) {
            table.add(RecordBuilder.flow().src("10.0.0." + i).dst("192.0.2." + (i % 7)).ports(40000 + i, 443)
                    .proto(i % 2 == 0 ? "tcp" : "udp").tcpFlags(0x12).tag(i).packets(i + 1).bytes(1500L * (i + 1)).build());
        }
        TableRow row = table.cursor();
        for (OutputFormat.Encodings e : List.of(OutputFormat.Encodings.NONE, ALL)) {
            AvroRecordEncoder enc = new AvroRecordEncoder(agg.columns(), List.of(), false, options(e), "nfacctd_kafka/1234");
            for (AvroFormat format : AvroFormat.values()) {
                int rounds = 20_000;
                long allocated = Allocations.of(20_000, rounds, i -> {
                    row.moveTo(-1);
                    while (row.next()) {
                        enc.encode(format, row, 0);
                    }
                });
                assertTrue(allocated < rounds, format + ": allocated " + allocated + " bytes for " + rounds * rows
                        + " records");
            }
        }
        // bytes per record, for the docs
        AvroRecordEncoder enc = new AvroRecordEncoder(agg.columns(), List.of(), false, options(OutputFormat.Encodings.NONE),
                "nfacctd_kafka/1234");
        OutputFormat json = new OutputFormat(OutputFormat.Style.JSON, agg.columns(), List.of(), false,
                options(OutputFormat.Encodings.NONE));
        long avroBytes = 0;
        long avroJsonBytes = 0;
        long jsonBytes = 0;
        row.moveTo(-1);
        while (row.next()) {
            avroBytes += enc.encodeBinary(row, 0);
            avroJsonBytes += enc.encodeJson(row, 0);
            StringBuilder sb = new StringBuilder();
            json.appendRow(sb, row, 0);
            jsonBytes += sb.length() - 1;
        }
        System.out.printf("bytes per record (5-tuple, tcpflags, tag, writer_id): avro %d, avro_json %d, json %d%n",
                avroBytes / rows, avroJsonBytes / rows, jsonBytes / rows);
        assertTrue(avroBytes < jsonBytes / 2, "binary is well under half the JSON");
    }

    @Test
    void everyColumnAtOnce() {
        AvroRecordEncoder enc = new AvroRecordEncoder(List.of(Column.values()), List.<CustomPrimitive>of(), true,
                options(ALL), "w");
        // and mpls_vpn_rd_origin, the three counters, writer_id
        assertEquals(Column.values().length + 5, enc.schema().getFields().size());
    }
}
