package jpmacct.plugins.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.output.OutputFormat;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Column;

/** pmacct's acct_data, acct_init and acct_close schemas (plugin_cmn_avro.c) from a plugin's columns. */
class AvroSchemasTest {
    static final OutputFormat.Encodings ALL = new OutputFormat.Encodings(true, true, true, true);

    private static List<Column> columns(String aggregate) {
        return Aggregate.TYPE.parse(aggregate).columns();
    }

    private static String fieldTypes(Schema s) {
        StringBuilder sb = new StringBuilder();
        for (Schema.Field f : s.getFields()) {
            sb.append(sb.length() == 0 ? "" : " ").append(f.name()).append(':').append(f.schema());
        }
        return sb.toString();
    }

    /** Upstream case 100's kafka plugin (kafka_history set, the three 1.8 encodings on): pmacct's schema, byte for byte. */
    @Test
    void upstreamCase100SchemaIsPmacctsText() {
        Schema s = AvroSchemas.acctData(columns("peer_src_ip, src_host, dst_host, src_port, dst_port, src_mask, "
                + "dst_mask, in_iface, out_iface, src_net, dst_net, mpls_vpn_rd, mpls_label_stack, fwd_status, proto, "
                + "tcpflags, tos"), false, true, new OutputFormat.Encodings(true, true, true, false));
        String string = "\"string\"";
        String optionalString = "[\"null\",\"string\"]";
        String optionalLong = "[\"null\",\"long\"]";
        String strings = "{\"type\":\"array\",\"items\":\"string\"}";
        StringBuilder expected = new StringBuilder("{\"type\":\"record\",\"name\":\"acct_data\",\"fields\":[");
        String[][] fields = {{"peer_ip_src", string}, {"iface_in", "\"long\""}, {"iface_out", "\"long\""},
            {"mpls_vpn_rd", string}, {"mpls_vpn_rd_origin", string}, {"ip_src", string}, {"net_src", string},
            {"ip_dst", string}, {"net_dst", string}, {"mask_src", "\"long\""}, {"mask_dst", "\"long\""},
            {"port_src", "\"long\""}, {"port_dst", "\"long\""}, {"tcp_flags", strings}, {"fwd_status", string},
            {"mpls_label_stack", strings}, {"ip_proto", string}, {"tos", "\"long\""},
            {"stamp_inserted", optionalString}, {"stamp_updated", optionalString}, {"packets", optionalLong},
            {"flows", optionalLong}, {"bytes", optionalLong}, {"writer_id", string}};
        for (int i = 0; i < fields.length; i++) {
            expected.append(i == 0 ? "" : ",").append("{\"name\":\"").append(fields[i][0]).append("\",\"type\":")
                    .append(fields[i][1]).append('}');
        }
        assertEquals(expected.append("]}").toString(), s.toString());
        assertEquals(s, new Schema.Parser().parse(s.toString()));
    }

    @Test
    void everyColumnHasItsPlaceAndItsJsonName() {
        assertEquals(EnumSet.allOf(Column.class), EnumSet.copyOf(AvroSchemas.order()),
                "a column added to the core needs its place in pmacct's Avro order");
        assertEquals(Column.values().length, AvroSchemas.order().size());
        Schema s = AvroSchemas.acctData(List.of(Column.values()), true, true, OutputFormat.Encodings.NONE);
        List<String> names = new ArrayList<>();
        s.getFields().forEach(f -> names.add(f.name()));
        for (Column c : Column.values()) {
            assertTrue(names.contains(c.jsonKey()), c.jsonKey());
        }
        assertEquals(List.of("custom_primitives", "stamp_inserted", "stamp_updated", "packets", "flows", "bytes",
                "writer_id"), names.subList(names.size() - 7, names.size()));
    }

    /** pmacct 1.8's primitives and encodings: the types pmacct declares for them. */
    @Test
    void pmacct18PrimitivesAndEncodings() {
        List<Column> cols = columns("label, tcpflags, tunnel_tcpflags, fwd_status, mpls_label_stack, "
                + "srv6_seg_ipv6_list, flow_label, tunnel_flow_label, vrf_name, ingress_vrf_name, egress_vrf_name, "
                + "in_iface_name, out_iface_name, sampling_direction, path_delay_avg_usec, nvgre, mpls_pw_id, "
                + "timestamp_export, in_vlan, out_cvlan");
        assertEquals("label:\"string\" vlan_in:\"long\" cvlan_out:\"long\" mpls_pw_id:\"long\" "
                        + "tcp_flags:\"long\" fwd_status:\"string\" mpls_label_stack:\"string\" "
                        + "srv6_seg_ipv6_list:{\"type\":\"array\",\"items\":\"string\"} vrf_name:\"string\" "
                        + "ingress_vrf_name:\"string\" egress_vrf_name:\"string\" iface_name_in:\"string\" "
                        + "iface_name_out:\"string\" flow_label:\"int\" sampling_direction:\"string\" "
                        + "path_delay_avg_usec:\"long\" tunnel_flow_label:\"int\" tunnel_tcp_flags:\"string\" "
                        + "nvgre:\"long\" timestamp_export:\"string\" packets:[\"null\",\"long\"] "
                        + "flows:[\"null\",\"long\"] bytes:[\"null\",\"long\"] writer_id:\"string\"",
                fieldTypes(AvroSchemas.acctData(cols, false, false, OutputFormat.Encodings.NONE)));
        String encoded = fieldTypes(AvroSchemas.acctData(cols, false, false, ALL));
        for (String f : List.of("label:{\"type\":\"map\",\"values\":\"string\"}",
                "tcp_flags:{\"type\":\"array\",\"items\":\"string\"}",
                "tunnel_tcp_flags:{\"type\":\"array\",\"items\":\"string\"}",
                "mpls_label_stack:{\"type\":\"array\",\"items\":\"string\"}", "fwd_status:\"string\"")) {
            assertTrue(encoded.contains(f), f + " in " + encoded);
        }
    }

    @Test
    void customPrimitivesHistoryAndStitching() {
        List<Column> cols = new ArrayList<>(columns("src_host, timestamp_start"));
        cols.addAll(List.of(Column.TIMESTAMP_MIN, Column.TIMESTAMP_MAX)); // what nfacctd_stitching adds
        Schema s = AvroSchemas.acctData(cols, true, true, OutputFormat.Encodings.NONE);
        assertEquals("ip_src:\"string\" timestamp_start:\"string\" timestamp_min:[\"null\",\"string\"] "
                + "timestamp_max:[\"null\",\"string\"] custom_primitives:{\"type\":\"map\",\"values\":\"string\"} "
                + "stamp_inserted:[\"null\",\"string\"] stamp_updated:[\"null\",\"string\"] "
                + "packets:[\"null\",\"long\"] flows:[\"null\",\"long\"] bytes:[\"null\",\"long\"] writer_id:\"string\"",
                fieldTypes(s));
        // without custom primitives nor history the fields are absent, as in pmacct
        assertFalse(AvroSchemas.acctData(cols, false, false, ALL).toString().contains("stamp_inserted"));
    }

    @Test
    void markers() {
        assertEquals("{\"type\":\"record\",\"name\":\"acct_init\",\"fields\":[{\"name\":\"event_type\",\"type\":"
                + "\"string\"},{\"name\":\"writer_id\",\"type\":\"string\"}]}", AvroSchemas.acctInit().toString());
        assertEquals("event_type:\"string\" writer_id:\"string\" purged_entries:\"long\" total_entries:\"long\" "
                + "duration:\"int\"", fieldTypes(AvroSchemas.acctClose()));
    }

    /** avro_schema_file: three files named as pmacct names them, each the schema's JSON, directories made. */
    @Test
    void schemaFilesAsPmacctWritesThem(@TempDir Path dir) throws Exception {
        Schema data = AvroSchemas.acctData(columns("src_host, dst_host"), false, false, ALL);
        Path base = dir.resolve("avsc/nfacctd.avsc");
        List<Path> files = AvroSchemas.writeFiles(base, data, AvroSchemas.acctInit(), AvroSchemas.acctClose());
        assertEquals(List.of(dir.resolve("avsc/nfacctd.avsc-acct_data"), dir.resolve("avsc/nfacctd.avsc-acct_init"),
                dir.resolve("avsc/nfacctd.avsc-acct_close")), files);
        assertEquals(data.toString(), Files.readString(files.get(0)));
        assertEquals(data, new Schema.Parser().parse(files.get(0).toFile()));
        assertEquals(AvroSchemas.acctClose(), new Schema.Parser().parse(files.get(2).toFile()));
        try (var listing = Files.list(base.getParent())) {
            assertEquals(3, listing.count(), "no temporary file left behind");
        }
        // written again (a restart): replaced
        Schema other = AvroSchemas.acctData(columns("src_port"), false, false, ALL);
        AvroSchemas.writeFiles(base, other, AvroSchemas.acctInit(), AvroSchemas.acctClose());
        assertEquals(other.toString(), Files.readString(files.get(0)));
        Files.writeString(dir.resolve("file"), "x");
        assertThrows(Exception.class, () -> AvroSchemas.writeFiles(dir.resolve("file/below"), data,
                AvroSchemas.acctInit(), AvroSchemas.acctClose()));
    }

    /** amqp_avro_schema_routing_key's message: the schema as a JSON string inside pmacct's purge_schema event. */
    @Test
    void purgeSchemaMessage() throws Exception {
        Schema data = AvroSchemas.acctData(columns("src_host"), false, false, ALL);
        Map<String, Object> m = Decoded.jsonLine(AvroSchemas.purgeSchemaMessage(data, "foo"));
        assertEquals("purge_schema", m.get("event_type"));
        assertEquals("foo/0", m.get("writer_id"));
        assertEquals(data, new Schema.Parser().parse((String) m.get("schema")));
    }
}
