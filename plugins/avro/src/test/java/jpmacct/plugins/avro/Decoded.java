package jpmacct.plugins.avro;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a consumer gets from our messages, read with Avro's own reader, as plain Java values. */
public final class Decoded {
    private Decoded() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One binary datum read with GenericDatumReader; every byte must belong to it. */
    public static GenericRecord binary(Schema schema, byte[] b, int off, int len) throws IOException {
        BinaryDecoder d = DecoderFactory.get().binaryDecoder(b, off, len, null);
        GenericRecord r = new GenericDatumReader<GenericRecord>(schema).read(null, d);
        assertTrue(d.isEnd(), "bytes left after the record");
        return r;
    }

    public static GenericRecord binary(Schema schema, byte[] b) throws IOException {
        return binary(schema, b, 0, b.length);
    }

    /** Records one after the other in one message (multi_values). */
    public static List<GenericRecord> binaryAll(Schema schema, byte[] b) throws IOException {
        BinaryDecoder d = DecoderFactory.get().binaryDecoder(b, null);
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);
        List<GenericRecord> out = new ArrayList<>();
        while (!d.isEnd()) {
            out.add(reader.read(null, d));
        }
        return out;
    }

    /** One record in Avro's JSON encoding, read with Avro's JsonDecoder. */
    public static GenericRecord json(Schema schema, String text) throws IOException {
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().jsonDecoder(schema, text));
    }

    /**
     * A record as plain values, as pmacct's test framework sees one (its consumer hands json.dumps a dict): fields in
     * order, unions as their value, strings as String, arrays as lists, maps as (sorted) maps.
     */
    public static Map<String, Object> plain(GenericRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : r.getSchema().getFields()) {
            out.put(f.name(), plainValue(r.get(f.pos())));
        }
        return out;
    }

    /** Strings as String, whole numbers as Long, arrays as lists, maps as sorted maps: Avro's and Jackson's alike. */
    private static Object plainValue(Object v) {
        if (v instanceof CharSequence) {
            return v.toString();
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Collection<?> c) {
            List<Object> l = new ArrayList<>();
            c.forEach(x -> l.add(plainValue(x)));
            return l;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> o = new TreeMap<>();
            m.forEach((k, x) -> o.put(k.toString(), plainValue(x)));
            return o;
        }
        return v;
    }

    /** A JSON object (one line of output) as plain values, numbers as Long, objects as sorted maps below the top. */
    public static Map<String, Object> jsonLine(String line) throws IOException {
        Map<String, Object> m = JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, plainValue(v)));
        return out;
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
