package jpmacct.core.primitive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static jpmacct.core.record.RecordBuilder.bytes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.PrintedTable;
import jpmacct.core.record.Allocations;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/**
 * aggregate_primitives as pmacct 1.8 takes them (up to 63, fixed lengths up to 65534 bytes, {@code len=vlen} for
 * str and raw) and their values from records to output: two key words for short values, interned bytes for the
 * rest, printed per semantics as pmacct's custom_primitive_value_print does.
 */
class CustomPrimitivesTest {
    private static final OutputFormat.Options DEFAULTS = OutputFormat.Options.defaults();

    /** The custom primitives map of pmacct's upstream test 900 (the longest upstream one). */
    static final List<String> UPSTREAM_900 = List.of(
            "name=vrf_id_ingress field_type=234 len=4 semantics=u_int",
            "name=vrf_id_egress field_type=235 len=4 semantics=u_int",
            "name=vrf_name field_type=236 len=32 semantics=str",
            "name=mpls_tl_ipv4_address field_type=47 len=4 semantics=ip",
            "name=mpls_tl_prefix_length field_type=91 len=1 semantics=u_int",
            "name=mpls_tl_type field_type=46 len=1 semantics=u_int",
            "name=srhFlagsIPv6 field_type=0:500 len=1 semantics=u_int",
            "name=srhTagIPv6 field_type=0:501 len=2 semantics=u_int",
            "name=srhSegmentIPv6 field_type=0:502 len=16 semantics=ip",
            "name=srhActiveSegmentIPv6 field_type=0:503 len=16 semantics=ip",
            "name=srhSegmentIPv6BasicList field_type=0:504 len=vlen semantics=raw",
            "name=srhSegmentIPv6ListSection field_type=0:505 len=vlen semantics=raw",
            "name=srhSegmentIPv6sLeft field_type=0:506 len=1 semantics=u_int",
            "name=srhSectionIPv6 field_type=0:507 len=vlen semantics=raw",
            "name=srhActiveSegmentIPv6Type field_type=0:508 len=1 semantics=u_int",
            "name=srhSegmentLocatorLength field_type=0:509 len=1 semantics=u_int",
            "name=srhSegmentEndpointBehavior field_type=0:510 len=2 semantics=u_int",
            "name=PathDelayMeanDeltaMicroseconds field_type=0:600 len=4 semantics=u_int",
            "name=PathDelayMinDeltaMicroseconds field_type=0:601 len=4 semantics=u_int",
            "name=PathDelayMaxDeltaMicroseconds field_type=0:602 len=4 semantics=u_int",
            "name=PathDelaySumDeltaMicroseconds field_type=0:603 len=8 semantics=u_int");

    static CustomPrimitives load(Path dir, List<String> lines) throws Exception {
        Path f = dir.resolve("primitives.map");
        Files.write(f, lines);
        return CustomPrimitives.load(f);
    }

    private static String line(int i) {
        return "name=p" + i + " field_type=9:" + (1000 + i) + " len=4 semantics=u_int";
    }

    @Test
    void upstreamMapsLoadWithVariableLengthsAndEnterpriseElements(@TempDir Path dir) throws Exception {
        CustomPrimitives c = load(dir, UPSTREAM_900);
        assertEquals(21, c.all().size());
        CustomPrimitive list = c.byName("srhsegmentipv6basiclist");
        assertTrue(list.variable());
        assertEquals(CustomPrimitive.Semantics.RAW, list.semantics());
        assertEquals(504, list.type());
        assertEquals(32, c.byName("vrf_name").length());
        assertTrue(!c.byName("vrf_name").inWords(), "longer than two words: interned");
        assertTrue(c.byName("srhsegmentipv6").inWords());
        assertEquals(10, list.slot());
    }

    @Test
    void sixtyThreeAtMostAsInPmacct(@TempDir Path dir) throws Exception {
        List<String> lines = IntStream.range(0, 63).mapToObj(CustomPrimitivesTest::line).collect(Collectors.toList());
        assertEquals(63, load(dir, lines).all().size());
        lines.add(line(63));
        ConfigException e = assertThrows(ConfigException.class, () -> load(dir, lines));
        assertTrue(e.getMessage().contains("more than 63 custom primitives"), e.getMessage());
    }

    @Test
    void lengthsAndVariableLengthAsPmacctAllows(@TempDir Path dir) throws Exception {
        assertEquals(65534, load(dir, List.of("name=big field_type=99 len=65534 semantics=str")).all().get(0).length());
        for (String bad : List.of("name=x field_type=99 len=65535 semantics=str",
                "name=x field_type=99 len=0 semantics=raw",
                "name=x field_type=99 len=vlen semantics=u_int",
                "name=x field_type=99 len=vlen semantics=ip",
                "name=x field_type=99 len=16 semantics=u_int",
                "name=x field_type=99 len=4 semantics=u_int colour=red",
                "name=x packet_ptr=l4:17+8 len=4 semantics=u_int")) {
            assertThrows(ConfigException.class, () -> load(dir, List.of(bad)), bad);
        }
    }

    @Test
    void primitivesOnTheSameElementReadItsSuccessiveOccurrences(@TempDir Path dir) throws Exception {
        CustomPrimitives c = load(dir, List.of("name=first field_type=9:700 len=4 semantics=u_int",
                "name=other field_type=701 len=4 semantics=u_int",
                "name=second field_type=9:700 len=4 semantics=hex"));
        assertEquals(0, c.byName("first").repeat());
        assertEquals(1, c.byName("second").repeat());
        assertEquals(0, c.byName("other").repeat());
    }

    @Test
    void aPluginTakesEveryPrimitiveThatFitsPmacctsRoom(@TempDir Path dir) throws Exception {
        List<String> lines = IntStream.range(0, 63).mapToObj(CustomPrimitivesTest::line).collect(Collectors.toList());
        CustomPrimitives c = load(dir, lines);
        String all = c.all().stream().map(CustomPrimitive::name).collect(Collectors.joining(", "));
        assertEquals(63, Aggregate.TYPE.parse(all, c).custom().size());
        CustomPrimitives big = load(dir, List.of("name=a field_type=98 len=40000 semantics=str",
                "name=b field_type=99 len=30000 semantics=str", "name=c field_type=97 len=vlen semantics=str"));
        assertEquals(2, Aggregate.TYPE.parse("a, c", big).custom().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aggregate.TYPE.parse("a, b", big));
        assertTrue(e.getMessage().contains("'b' does not fit"), e.getMessage());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void everySemanticsPrintsAsPmacct(@TempDir Path dir) throws Exception {
        CustomPrimitives c = load(dir, List.of(
                "name=num field_type=1 len=4 semantics=u_int",
                "name=hx field_type=2 len=2 semantics=hex",
                "name=short field_type=3 len=8 semantics=str",
                "name=long field_type=4 len=32 semantics=str",
                "name=text field_type=5 len=vlen semantics=str",
                "name=v4 field_type=6 len=4 semantics=ip",
                "name=v6 field_type=7 len=16 semantics=ip",
                "name=mac field_type=8 len=6 semantics=mac",
                "name=two field_type=9 len=2 semantics=raw",
                "name=list field_type=10 len=vlen semantics=raw"));
        int n = c.all().size();
        PrintedTable p = new PrintedTable(Aggregate.TYPE.parse("proto, num, hx, short, long, text, v4, v6, mac, two, list",
                c));
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 1;
        byte[] longName = new byte[32];
        System.arraycopy(ascii("customer-vrf-with-a-long-name"), 0, longName, 0, 29);
        p.add(RecordBuilder.flow().proto("tcp").bytes(100)
                .custom(n, 0, bytes(0, 1, 0, 2)).custom(n, 1, bytes(0xbe, 0xef))
                .custom(n, 2, bytes('e', 't', 'h', '0', 0, 0, 0, 0)).custom(n, 3, longName)
                .custom(n, 4, ascii("a variable one")).custom(n, 5, bytes(192, 0, 2, 1)).custom(n, 6, v6)
                .custom(n, 7, bytes(0, 0x1b, 0x21, 0x3c, 0x4d, 0x5e))
                .custom(n, 8, bytes(0xab, 0xcd, 0xef)) // kept one beyond its 2 bytes: printed cut, with a dash
                .custom(n, 9, bytes(0xfe, 0x80, 0, 1)).build());
        p.add(RecordBuilder.flow().proto("udp").bytes(10).build()); // carries none of them
        assertEquals(List.of(
                "PROTOCOL,num,hx,short,long,text,v4,v6,mac,two,list,PACKETS,BYTES",
                "tcp,65538,beef,eth0,customer-vrf-with-a-long-name,a variable one,192.0.2.1,2001:db8::1,"
                        + "00:1b:21:3c:4d:5e,AB-CD-,FE-80-00-01,1,100",
                "udp,0,0,,,,0.0.0.0,::,00:00:00:00:00:00,,,1,10"), p.rows(OutputFormat.Style.CSV, DEFAULTS));
        List<String> json = p.rows(OutputFormat.Style.JSON, DEFAULTS);
        assertEquals("{\"event_type\": \"purge\", \"ip_proto\": \"tcp\", \"num\": \"65538\", \"hx\": \"beef\", "
                + "\"short\": \"eth0\", \"long\": \"customer-vrf-with-a-long-name\", \"text\": \"a variable one\", "
                + "\"v4\": \"192.0.2.1\", \"v6\": \"2001:db8::1\", \"mac\": \"00:1b:21:3c:4d:5e\", \"two\": \"AB-CD-\", "
                + "\"list\": \"FE-80-00-01\", \"packets\": 1, \"bytes\": 100}", json.get(0));
    }

    @Test
    void distinctValuesAreDistinctEntries(@TempDir Path dir) throws Exception {
        CustomPrimitives c = load(dir, List.of("name=text field_type=5 len=vlen semantics=str",
                "name=num field_type=1 len=4 semantics=u_int"));
        PrintedTable p = new PrintedTable(Aggregate.TYPE.parse("text, num", c));
        for (String s : List.of("red", "green", "red", "blue", "green", "red")) {
            p.add(RecordBuilder.flow().bytes(1).custom(2, 0, ascii(s)).custom(2, 1, bytes(0, 0, 0, 7))
                    .build());
        }
        assertEquals(List.of("text,num,PACKETS,BYTES", "blue,7,1,1", "green,7,2,2", "red,7,3,3"),
                p.rows(OutputFormat.Style.CSV, DEFAULTS));
        assertEquals(3, p.layout.customValues().size());
        assertNull(p.layout.customValues().value(0), "id 0 is the absent value");
    }

    @Test
    void aggregatingKnownValuesAllocatesNothing(@TempDir Path dir) throws Exception {
        CustomPrimitives c = load(dir, UPSTREAM_900);
        String all = c.all().stream().map(CustomPrimitive::name).collect(Collectors.joining(", "));
        PrintedTable p = new PrintedTable(Aggregate.TYPE.parse("src_host, " + all, c));
        int n = c.all().size();
        FlowRecord[] records = new FlowRecord[64];
        for (int i = 0; i < records.length; i++) {
            byte[] name = new byte[32];
            name[0] = (byte) ('a' + i % 8);
            records[i] = RecordBuilder.flow().src("10.0.0." + (i % 16)).bytes(1)
                    .custom(n, 0, bytes(0, 0, 0, i)).custom(n, 2, name)
                    .custom(n, 10, bytes(0x20, 0x01, i % 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)).build();
        }
        int rounds = 20_000;
        long allocated = Allocations.of(20_000, rounds, round -> {
            for (FlowRecord r : records) {
                p.add(r);
            }
        });
        assertTrue(allocated < rounds, "allocated " + allocated + " bytes for " + rounds * records.length + " records");
        assertEquals(64, p.table.size());
    }
}
