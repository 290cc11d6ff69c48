package jpmacct.plugins.avro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.avro.Schema;

import jpmacct.core.output.OutputFormat;
import jpmacct.core.primitive.Column;

/**
 * pmacct's Avro schemas for the message-broker plugins ({@code plugin_cmn_avro.c}): {@code acct_data}, one record per
 * aggregate, and the purge markers {@code acct_init} and {@code acct_close}.
 *
 * <p>acct_data's fields are the plugin's columns under their JSON names, in pmacct's Avro order (which is not the
 * JSON order), then {@code custom_primitives} (a map of strings), {@code stamp_inserted} and {@code stamp_updated}
 * (with history), {@code packets}, {@code flows}, {@code bytes} and {@code writer_id}. Types follow pmacct: numbers
 * are {@code long} (flow labels {@code int}), everything printed as text is {@code string}, pmacct 1.8's encodings
 * make arrays of strings ({@code tcpflags_encode_as_array}, {@code mpls_label_stack_encode_as_array}, the SRv6
 * segment list) or a map of strings ({@code pre_tag_label_encode_as_map}); the counters, the stamps and
 * {@code nfacctd_stitching}'s {@code timestamp_min}/{@code timestamp_max} are unions with null.
 */
public final class AvroSchemas {
    private AvroSchemas() {
    }

    public static final String DATA = "acct_data";
    public static final String INIT = "acct_init";
    public static final String CLOSE = "acct_close";

    /** pmacct's order of acct_data's fields ({@code p_avro_schema_build_acct_data}), for the columns there are. */
    private static final List<Column> ORDER = List.of(
            Column.TAG, Column.TAG2, Column.LABEL, Column.CLASS,
            Column.SRC_MAC, Column.DST_MAC, Column.VLAN, Column.IN_VLAN, Column.OUT_VLAN, Column.IN_CVLAN,
            Column.OUT_CVLAN, Column.COS, Column.ETYPE,
            Column.SRC_AS, Column.DST_AS, Column.PEER_SRC_IP, Column.PEER_DST_IP,
            Column.IN_IFACE, Column.OUT_IFACE, Column.MPLS_VPN_RD, Column.MPLS_PW_ID,
            Column.SRC_IP, Column.SRC_NET, Column.DST_IP, Column.DST_NET, Column.SRC_MASK, Column.DST_MASK,
            Column.SRC_PORT, Column.DST_PORT,
            Column.TCP_FLAGS, Column.FWD_STATUS, Column.MPLS_LABEL_STACK, Column.SRV6_SEG_IPV6_LIST,
            Column.VRF_NAME, Column.INGRESS_VRF_NAME, Column.EGRESS_VRF_NAME, Column.IN_IFACE_NAME, Column.OUT_IFACE_NAME,
            Column.PROTOCOL, Column.TOS, Column.FLOW_LABEL, Column.SAMPLING_RATE, Column.SAMPLING_DIRECTION,
            Column.POST_NAT_SRC_IP, Column.POST_NAT_DST_IP, Column.POST_NAT_SRC_PORT, Column.POST_NAT_DST_PORT,
            Column.NAT_EVENT, Column.FW_EVENT,
            // mpls_stack_depth: pmacct 1.7.7's, gone from 1.8 (whose Avro schema is this order's source)
            Column.MPLS_LABEL_TOP, Column.MPLS_LABEL_BOTTOM, Column.MPLS_STACK_DEPTH,
            Column.PATH_DELAY_AVG_USEC, Column.PATH_DELAY_MIN_USEC, Column.PATH_DELAY_MAX_USEC,
            Column.TUNNEL_SRC_MAC, Column.TUNNEL_DST_MAC, Column.TUNNEL_SRC_IP, Column.TUNNEL_DST_IP,
            Column.TUNNEL_PROTOCOL, Column.TUNNEL_TOS, Column.TUNNEL_FLOW_LABEL, Column.TUNNEL_SRC_PORT,
            Column.TUNNEL_DST_PORT, Column.TUNNEL_TCP_FLAGS, Column.VXLAN, Column.NVGRE,
            Column.TIMESTAMP_START, Column.TIMESTAMP_END, Column.TIMESTAMP_ARRIVAL, Column.TIMESTAMP_MIN,
            Column.TIMESTAMP_MAX, Column.EXPORT_PROTO_SEQNO, Column.EXPORT_PROTO_VERSION, Column.EXPORT_PROTO_SYSID,
            Column.TIMESTAMP_EXPORT);

    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema STRINGS = Schema.createArray(STRING);
    private static final Schema STRING_MAP = Schema.createMap(STRING);
    private static final Schema OPTIONAL_LONG = Schema.createUnion(Schema.create(Schema.Type.NULL), LONG);
    private static final Schema OPTIONAL_STRING = Schema.createUnion(Schema.create(Schema.Type.NULL), STRING);

    /** The columns in pmacct's Avro order. */
    static List<Column> avroOrder(Collection<Column> columns) {
        List<Column> out = new ArrayList<>();
        for (Column c : ORDER) {
            if (columns.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every column has a place in {@link #ORDER} (checked by the tests when a column is added to the core). */
    static List<Column> order() {
        return ORDER;
    }

    /** The Avro type of a column's field, as pmacct declares it, under the plugin's pmacct 1.8 encodings. */
    static Schema type(Column c, OutputFormat.Encodings enc) {
        switch (c) {
            case LABEL:
                return enc.labelMap() ? STRING_MAP : STRING;
            case TCP_FLAGS:
                return enc.tcpFlagsArray() ? STRINGS : LONG;
            case TUNNEL_TCP_FLAGS: // pmacct declares it a string where tcp_flags is a long
                return enc.tcpFlagsArray() ? STRINGS : STRING;
            case FWD_STATUS:
                return STRING;
            case MPLS_LABEL_STACK:
                return enc.labelStackArray() ? STRINGS : STRING;
            case SRV6_SEG_IPV6_LIST:
                return STRINGS;
            case FLOW_LABEL:
            case TUNNEL_FLOW_LABEL:
                return INT;
            case TIMESTAMP_MIN:
            case TIMESTAMP_MAX:
                return OPTIONAL_STRING;
            default:
                return c.kind() == Column.Kind.U64 || c.kind() == Column.Kind.UINT ? LONG : STRING;
        }
    }

    /**
     * The acct_data schema of a plugin.
     *
     * @param columns          the plugin's columns (any order), as its JSON output has them
     * @param customPrimitives whether the plugin aggregates custom primitives ({@code custom_primitives} map)
     * @param history          whether rows carry a history bin ({@code stamp_inserted}, {@code stamp_updated})
     * @param enc              the plugin's pmacct 1.8 encodings
     */
    public static Schema acctData(Collection<Column> columns, boolean customPrimitives, boolean history,
                                  OutputFormat.Encodings enc) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Column c : avroOrder(columns)) {
            fields.add(new Schema.Field(c.jsonKey(), type(c, enc)));
            if (c == Column.MPLS_VPN_RD) {
                fields.add(new Schema.Field("mpls_vpn_rd_origin", STRING));
            }
        }
        if (customPrimitives) {
            fields.add(new Schema.Field("custom_primitives", STRING_MAP));
        }
        if (history) {
            fields.add(new Schema.Field("stamp_inserted", OPTIONAL_STRING));
            fields.add(new Schema.Field("stamp_updated", OPTIONAL_STRING));
        }
        fields.add(new Schema.Field("packets", OPTIONAL_LONG));
        fields.add(new Schema.Field("flows", OPTIONAL_LONG));
        fields.add(new Schema.Field("bytes", OPTIONAL_LONG));
        fields.add(new Schema.Field("writer_id", STRING));
        return Schema.createRecord(DATA, null, null, false, fields);
    }

    /** The purge_init marker: event_type, writer_id. */
    public static Schema acctInit() {
        return Schema.createRecord(INIT, null, null, false, List.of(new Schema.Field("event_type", STRING),
                new Schema.Field("writer_id", STRING)));
    }

    /** The purge_close marker: event_type, writer_id, purged_entries, total_entries, duration. */
    public static Schema acctClose() {
        return Schema.createRecord(CLOSE, null, null, false, List.of(new Schema.Field("event_type", STRING),
                new Schema.Field("writer_id", STRING), new Schema.Field("purged_entries", LONG),
                new Schema.Field("total_entries", LONG), new Schema.Field("duration", INT)));
    }

    /**
     * {@code avro_schema_file}: each schema as JSON (one line, no newline after, as libavro writes it) to the file
     * named by the key plus {@code -acct_data}, {@code -acct_init}, {@code -acct_close}; pmacct writes them once,
     * when the plugin starts. Each file is written under a temporary name and renamed into place, so a reader
     * watching the directory never sees half a schema.
     *
     * @return the three files written
     */
    public static List<Path> writeFiles(Path base, Schema data, Schema init, Schema close) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Schema s : List.of(data, init, close)) {
            Path file = base.resolveSibling(base.getFileName() + "-" + s.getName());
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, s.toString(), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            written.add(file);
        }
        return written;
    }

    /**
     * The message the amqp plugin publishes on {@code amqp_avro_schema_routing_key} every
     * {@code amqp_avro_schema_refresh_time}: {@code {"event_type": "purge_schema", "writer_id": "<name>/0",
     * "schema": "<the schema's JSON>"}}, as pmacct's compose_avro_purge_schema.
     */
    public static String purgeSchemaMessage(Schema schema, String pluginName) {
        Bytes out = new Bytes(256);
        Sink json = new Sink.Json(out);
        json.beginRecord();
        json.field("event_type");
        json.string("purge_schema");
        json.field("writer_id");
        json.string(pluginName + "/0");
        json.field("schema");
        json.string(schema.toString());
        json.endRecord();
        return new String(out.array(), 0, out.length(), StandardCharsets.US_ASCII);
    }
}
