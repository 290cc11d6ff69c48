package jpmacct.plugins.avro;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.output.ForwardingStatus;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.Row;
import jpmacct.core.output.Timestamps;
import jpmacct.core.primitive.Column;
import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * One plugin's acct_data records ({@link AvroSchemas#acctData}) from its aggregated rows, in Avro's binary encoding
 * ({@code kafka_output: avro}) or its JSON encoding ({@code avro_json}). Every value is the text the plugin's JSON
 * output prints for the row (the core's {@link OutputFormat#appendValue}: addresses, timestamps under the
 * timestamps_* keys, protocol names, route distinguishers, custom primitives), read back as a number where the
 * schema says long or int.
 *
 * <p>Made once per plugin and used by one thread at a time: the record is written into a buffer the encoder keeps
 * and grows, with scratch text reused, so encoding allocates nothing of its own; {@link #binary} and {@link #json}
 * return a copy (a message handed to a client library must own its bytes).
 */
public final class AvroRecordEncoder {
    /** pmacct's TCP flag names, most significant first, for tcpflags_encode_as_array. */
    private static final String[] TCP_FLAG_NAMES = {"URG", "ACK", "PSH", "RST", "SYN", "FIN"};
    /** Parsed label maps kept at most; the cache starts afresh beyond (labels are few in practice). */
    private static final int LABEL_CACHE_LIMIT = 4096;

    private final Schema schema;
    private final Column[] columns;
    private final Schema.Type[] types;
    private final List<CustomPrimitive> custom;
    private final boolean flows;
    private final boolean history;
    private final boolean fwdStatusNames;
    private final OutputFormat format;
    private final Timestamps timestamps;
    private final String writerId;

    private final Bytes out = new Bytes(1024);
    private final Sink binary = new Sink.Binary(out);
    private final Sink json = new Sink.Json(out);
    private final StringBuilder text = new StringBuilder(128);
    private final StringBuilder item = new StringBuilder(64);
    /** A label's key%value pairs, by the label (the aggregation's interned string), keys then values. */
    private final Map<String, String[]> labelMaps = new HashMap<>();

    /**
     * @param columns  the plugin's columns ({@code PluginAggregation.columns()}: the aggregate's and stitching's)
     * @param custom   the plugin's custom primitives, in the order its rows hold them
     * @param flows    whether {@code flows} is aggregated (else the field is null, as pmacct)
     * @param options  the plugin's output options (timestamps, history, protocol numbers, pmacct 1.8 encodings);
     *                 the separator is not used
     * @param writerId the {@code writer_id} of every record: {@code writer_id_string} expanded
     */
    public AvroRecordEncoder(List<Column> columns, List<CustomPrimitive> custom, boolean flows,
                             OutputFormat.Options options, String writerId) {
        OutputFormat.Encodings enc = options.encodings();
        List<Column> ordered = AvroSchemas.avroOrder(columns);
        if (ordered.size() != columns.size()) {
            List<Column> missing = new ArrayList<>(columns);
            missing.removeAll(ordered);
            throw new IllegalArgumentException("columns without a place in the Avro schema: " + missing);
        }
        this.columns = ordered.toArray(new Column[0]);
        this.types = new Schema.Type[this.columns.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = AvroSchemas.type(this.columns[i], enc).getType();
        }
        this.custom = List.copyOf(custom);
        this.flows = flows;
        this.history = options.history();
        this.fwdStatusNames = enc.fwdStatusString();
        this.timestamps = options.timestamps();
        this.format = new OutputFormat(OutputFormat.Style.JSON, columns, custom, flows, options);
        this.writerId = writerId;
        this.schema = AvroSchemas.acctData(columns, !custom.isEmpty(), history, enc);
    }

    /** The acct_data schema these records are written with. */
    public Schema schema() {
        return schema;
    }

    /** Writes a row's binary datum into {@link #buffer()}; returns its length. */
    public int encodeBinary(Row row, long nowSeconds) {
        out.clear();
        write(binary, row, nowSeconds);
        return out.length();
    }

    /** Writes a row's JSON encoding (one line, ASCII, no newline) into {@link #buffer()}; returns its length. */
    public int encodeJson(Row row, long nowSeconds) {
        out.clear();
        write(json, row, nowSeconds);
        return out.length();
    }

    /** Writes a row in the given encoding into {@link #buffer()}; returns its length. */
    public int encode(AvroFormat format, Row row, long nowSeconds) {
        return format == AvroFormat.JSON ? encodeJson(row, nowSeconds) : encodeBinary(row, nowSeconds);
    }

    /** The last record written, from 0 to the length the call returned; overwritten by the next call. */
    public byte[] buffer() {
        return out.array();
    }

    /**
     * The binary datum of a row (no container, no header: what pmacct sends per record).
     *
     * @param nowSeconds the purge time: {@code stamp_updated}
     */
    public byte[] binary(Row row, long nowSeconds) {
        encodeBinary(row, nowSeconds);
        return out.copy();
    }

    /** The JSON encoding of a row ({@code avro_json}): one line, as libavro writes it. */
    public String json(Row row, long nowSeconds) {
        encodeJson(row, nowSeconds);
        return new String(out.array(), 0, out.length(), StandardCharsets.US_ASCII);
    }

    private void write(Sink s, Row row, long now) {
        s.beginRecord();
        for (int i = 0; i < columns.length; i++) {
            Column c = columns[i];
            s.field(c.jsonKey());
            switch (types[i]) {
                case LONG:
                case INT:
                    s.longValue(number(row, c));
                    break;
                case ARRAY:
                    array(s, row, c);
                    break;
                case MAP:
                    labelMap(s, row.label());
                    break;
                case UNION: // timestamp_min, timestamp_max
                    s.stringBranch(text(row, c));
                    break;
                default:
                    if (c == Column.FWD_STATUS && fwdStatusNames) {
                        s.string(ForwardingStatus.name((int) number(row, c)));
                    } else {
                        s.string(text(row, c));
                    }
                    break;
            }
            if (c == Column.MPLS_VPN_RD) {
                s.field("mpls_vpn_rd_origin");
                s.string(FlowRecord.rdOriginName((int) row.field(KeyField.MPLS_VPN_RD_ORIGIN)));
            }
        }
        if (!custom.isEmpty()) {
            s.field("custom_primitives");
            s.beginMap(custom.size());
            for (int k = 0; k < custom.size(); k++) {
                CustomPrimitive cp = custom.get(k);
                s.key(cp.name());
                text.setLength(0);
                if (cp.inWords()) {
                    cp.appendValue(text, row.customWord(k, 0), row.customWord(k, 1));
                } else {
                    cp.appendValue(text, row.customValue(k));
                }
                s.string(text);
            }
            s.endMap(custom.size());
        }
        if (history) {
            long bin = row.binStart();
            s.field("stamp_inserted");
            if (bin != 0) {
                s.stringBranch(stamp(bin));
                s.field("stamp_updated");
                s.stringBranch(stamp(now));
            } else {
                s.nullBranch();
                s.field("stamp_updated");
                s.nullBranch();
            }
        }
        s.field("packets");
        s.longBranch(row.packets());
        s.field("flows");
        if (flows) {
            s.longBranch(row.flows());
        } else {
            s.nullBranch();
        }
        s.field("bytes");
        s.longBranch(row.bytes());
        s.field("writer_id");
        s.string(writerId);
        s.endRecord();
    }

    /** The column's text as the JSON output prints it, in the scratch buffer. */
    private StringBuilder text(Row row, Column c) {
        text.setLength(0);
        format.appendValue(text, row, c, false);
        return text;
    }

    /**
     * A numeric column's value: its printed text read back. Tags (unsigned, printed through a String) are taken from
     * their key word instead, the same 64 bits: above 2^63-1 they arrive negative, as from pmacct's Avro.
     */
    private long number(Row row, Column c) {
        if (c == Column.TAG) {
            return row.field(KeyField.TAG);
        }
        if (c == Column.TAG2) {
            return row.field(KeyField.TAG2);
        }
        StringBuilder t = text(row, c);
        return Long.parseLong(t, 0, t.length(), 10);
    }

    private StringBuilder stamp(long seconds) {
        text.setLength(0);
        timestamps.append(text, seconds * 1_000_000L, false);
        return text;
    }

    private void array(Sink s, Row row, Column c) {
        switch (c) {
            case TCP_FLAGS:
            case TUNNEL_TCP_FLAGS: {
                int flags = (int) number(row, c);
                // as pmacct: only the six classic flags are named, and a flag beyond them names none
                int n = flags > 0 && flags < 64 ? Integer.bitCount(flags) : 0;
                s.beginArray(n);
                for (int i = 0; i < TCP_FLAG_NAMES.length && n > 0; i++) {
                    if ((flags & (0x20 >>> i)) != 0) {
                        s.item(TCP_FLAG_NAMES[i]);
                    }
                }
                s.endArray(n);
                break;
            }
            case MPLS_LABEL_STACK: {
                StringBuilder labels = text(row, c); // "l0_l1_..." as the plain JSON prints it
                int n = 0;
                for (int i = 0; i < labels.length(); i++) {
                    if (i == 0 || labels.charAt(i) == '_') {
                        n++;
                    }
                }
                s.beginArray(n);
                int start = 0;
                for (int i = 0; i < n; i++) {
                    int end = labels.indexOf("_", start);
                    if (end < 0) {
                        end = labels.length();
                    }
                    item.setLength(0);
                    item.append(i).append('-').append(labels, start, end);
                    s.item(item);
                    start = end + 1;
                }
                s.endArray(n);
                break;
            }
            default: { // SRV6_SEG_IPV6_LIST: "index-address"
                byte[] segments = row.srv6Segments();
                int n = segments == null ? 0 : segments.length / 16;
                s.beginArray(n);
                for (int i = 0; i < n; i++) {
                    item.setLength(0);
                    item.append(i).append('-');
                    Addr.append(item, Addr.V6, Addr.word(segments, 16 * i), Addr.word(segments, 16 * i + 8));
                    s.item(item);
                }
                s.endArray(n);
                break;
            }
        }
    }

    /** A pre_tag_map label as a map: pmacct 1.8's "k1%v1,k2%v2" pairs; a key given twice keeps its last value. */
    private void labelMap(Sink s, String label) {
        String[] pairs = labelMaps.get(label);
        if (pairs == null) {
            if (labelMaps.size() >= LABEL_CACHE_LIMIT) {
                labelMaps.clear();
            }
            pairs = parseLabel(label);
            labelMaps.put(label, pairs);
        }
        int n = pairs.length / 2;
        s.beginMap(n);
        for (int i = 0; i < n; i++) {
            s.key(pairs[2 * i]);
            s.string(pairs[2 * i + 1]);
        }
        s.endMap(n);
    }

    /**
     * Splits a label as pmacct 1.8 does: on ',' and '%' alike, empty words skipped, words paired in order, an unpaired
     * last word dropped. A repeated key stays where it first came with its last value (a map has each key once).
     */
    static String[] parseLabel(String label) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String key = null;
        for (String w : label.replace('%', ',').split(",")) {
            if (w.isEmpty()) {
                continue;
            }
            if (key == null) {
                key = w;
                continue;
            }
            int at = keys.indexOf(key);
            if (at >= 0) {
                values.set(at, w);
            } else {
                keys.add(key);
                values.add(w);
            }
            key = null;
        }
        String[] pairs = new String[2 * keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            pairs[2 * i] = keys.get(i);
            pairs[2 * i + 1] = values.get(i);
        }
        return pairs;
    }
}
