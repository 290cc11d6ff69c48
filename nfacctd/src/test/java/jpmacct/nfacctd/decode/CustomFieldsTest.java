package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.primitive.CustomPrimitives;
import jpmacct.core.record.Allocations;
import jpmacct.core.record.CountedRecords;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.FieldMapping;
import jpmacct.nfacctd.template.Fields;
import jpmacct.nfacctd.template.Template;

/**
 * Custom primitives read from data records the way pmacct 1.8 reads them: an IANA element below 384 from its last
 * occurrence, an enterprise (or higher) element from the occurrence of the primitive's rank, fixed lengths only
 * on an exact match, raw of any length, variable-length strings whole; any number of them.
 */
class CustomFieldsTest {
    private static final long UNIX = 1_700_000_000L;
    private static final String A = "192.0.2.1";

    private static CustomPrimitives primitives(Path dir) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "name=in_vrf field_type=234 len=4 semantics=u_int",
                "name=pen_a field_type=9:700 len=4 semantics=u_int",
                "name=pen_b field_type=9:700 len=4 semantics=hex",
                "name=name field_type=236 len=vlen semantics=str",
                "name=rawp field_type=500 len=2 semantics=raw",
                "name=prefix field_type=91 len=1 semantics=u_int"));
        for (int i = 0; i < 14; i++) {
            lines.add("name=filler" + i + " field_type=" + (1000 + i) + " len=4 semantics=u_int");
        }
        Path f = dir.resolve("primitives.map");
        Files.write(f, lines);
        return CustomPrimitives.load(f);
    }

    /** IPFIX template 300: source, bytes, 234 twice, 9:700 twice, 236 variable, 500 of 3 bytes, 91 of 2 bytes. */
    private static byte[] template() {
        return Wire.set(2, new Wire().u16(300).u16(9)
                .u16(Fields.SRC_V4).u16(4).u16(Fields.OCTETS).u16(4)
                .u16(Fields.INGRESS_VRF).u16(4).u16(Fields.INGRESS_VRF).u16(4)
                .u16(0x8000 | 700).u16(4).u32(9).u16(0x8000 | 700).u16(4).u32(9)
                .u16(236).u16(Template.VARIABLE).u16(500).u16(3).u16(91).u16(2).array());
    }

    private static byte[] record(String vrf, int firstVrf) {
        byte[] name = vrf.getBytes(StandardCharsets.US_ASCII);
        return new Wire().ip("10.1.1.1").u32(100).u32(firstVrf).u32(9).u32(0x11).u32(0x22)
                .u8(name.length).bytes(name).u8(0xAB).u8(0xCD).u8(0xEF).u16(24).array();
    }

    private static byte[] value(FlowRecord r, int slot) {
        int len = r.customLength(slot);
        return Arrays.copyOfRange(r.customBytes, r.customStart[slot], r.customStart[slot] + len);
    }

    @Test
    void valuesAsPmacctTakesThem(@TempDir Path dir) throws Exception {
        CustomPrimitives custom = primitives(dir);
        Harness h = new Harness(1 << 20, 60_000, FieldMapping.withCustom(custom));
        h.feed(A, Wire.ipfix(UNIX, 0, 0, template(), Wire.set(300, Wire.concat(record("blue-vrf", 7),
                record("a-much-longer-vrf-name-than-sixteen-bytes", 8)))));
        assertEquals(2, h.records.size());
        FlowRecord r = h.records.get(0);
        assertArrayEquals(new byte[] {0, 0, 0, 9}, value(r, custom.byName("in_vrf").slot()), "234's last occurrence");
        assertArrayEquals(new byte[] {0, 0, 0, 0x11}, value(r, custom.byName("pen_a").slot()), "9:700's first");
        assertArrayEquals(new byte[] {0, 0, 0, 0x22}, value(r, custom.byName("pen_b").slot()), "9:700's second");
        assertEquals("blue-vrf", new String(value(r, custom.byName("name").slot()), StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF}, value(r, custom.byName("rawp").slot()),
                "raw of any length: its 2 bytes and one beyond, to print the cut");
        assertEquals(0, r.customLength(custom.byName("prefix").slot()), "2 bytes where the map says 1: not taken");
        assertEquals(0, r.customLength(custom.byName("filler13").slot()));
        assertEquals(100, r.bytes);
        assertEquals("a-much-longer-vrf-name-than-sixteen-bytes",
                new String(value(h.records.get(1), custom.byName("name").slot()), StandardCharsets.US_ASCII));
    }

    @Test
    void aLongValueIsCutAtWhatARecordKeeps(@TempDir Path dir) throws Exception {
        CustomPrimitives custom = primitives(dir);
        Harness h = new Harness(1 << 20, 60_000, FieldMapping.withCustom(custom));
        byte[] text = new byte[2000];
        Arrays.fill(text, (byte) 'x');
        byte[] template = Wire.set(2, new Wire().u16(301).u16(2).u16(Fields.OCTETS).u16(4).u16(236)
                .u16(Template.VARIABLE).array());
        h.feed(A, Wire.ipfix(UNIX, 0, 0, template, Wire.set(301, new Wire().u32(1).u8(255).u16(2000).bytes(text)
                .array())));
        assertEquals(CustomPrimitive.MAX_KEPT, h.records.get(0).customLength(custom.byName("name").slot()));
    }

    @Test
    void decodingCustomValuesAllocatesNothingPerRecord(@TempDir Path dir) throws Exception {
        CustomPrimitives custom = primitives(dir);
        byte[] records = new byte[0];
        for (int i = 0; i < 20; i++) {
            records = Wire.concat(records, record("vrf-" + i, i));
        }
        byte[] datagram = Wire.ipfix(UNIX, 1, 0, template(), Wire.set(300, records));
        CountedRecords sink = new CountedRecords();
        DecoderSettings settings = new DecoderSettings(false, false, true, FieldMapping.withCustom(custom), 1 << 20,
                60_000, 4096, null, 0, null, false);
        NetflowDecoder d = new NetflowDecoder(new ExporterTable(new Metrics()), settings, sink);
        InetAddress sender = InetAddress.getByName(A);
        int rounds = 20_000;
        long allocated = Allocations.of(20_000, rounds, i -> d.onDatagram(datagram, datagram.length, sender, i));
        assertTrue(allocated < rounds, "allocated " + allocated + " bytes for " + rounds * 20 + " records");
        assertEquals(40_000L * 20, sink.records);
    }
}
