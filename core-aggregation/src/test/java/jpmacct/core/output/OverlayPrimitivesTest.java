package jpmacct.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Column;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.Allocations;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/**
 * pmacct 1.8's SRv6 segment list, path delays, sampling direction, NVGRE and pseudowire id from record to key to
 * printed row: names, JSON encodings and places, formatted widths, what formatted and CSV output leave out.
 */
class OverlayPrimitivesTest {
    private static final Timestamps EPOCH = new Timestamps(true, false, ZoneOffset.UTC);
    private static final OutputFormat.Encodings ALL = new OutputFormat.Encodings(true, true, true, true);

    private static List<String> print(String aggregate, OutputFormat.Style style, FlowRecord... records) {
        return new PrintedTable(Aggregate.TYPE.parse(aggregate)).add(records).rows(style, OPTIONS);
    }

    private static final OutputFormat.Options OPTIONS =
            new OutputFormat.Options(false, ",", EPOCH, false).withEncodings(ALL);

    private static FlowRecord record() {
        return RecordBuilder.flow().bytes(100).build();
    }

    private static FlowRecord segments(String... addresses) {
        return RecordBuilder.flow().srv6Segments(addresses).bytes(100).build();
    }

    @Test
    void srv6SegmentListsAreKeysWrittenAsJsonArrays() {
        FlowRecord a = segments("fc00:0:1::", "fc00:0:2:e000::");
        FlowRecord same = segments("fc00:0:1::", "fc00:0:2:e000::");
        FlowRecord one = segments("fc00:0:1::");
        FlowRecord none = segments();
        assertEquals(List.of(
                "{\"event_type\": \"purge\", \"srv6_seg_ipv6_list\": [\"0-fc00:0:1::\", \"1-fc00:0:2:e000::\"], "
                        + "\"packets\": 2, \"bytes\": 200}",
                "{\"event_type\": \"purge\", \"srv6_seg_ipv6_list\": [\"0-fc00:0:1::\"], \"packets\": 1, \"bytes\": 100}",
                "{\"event_type\": \"purge\", \"srv6_seg_ipv6_list\": [], \"packets\": 1, \"bytes\": 100}"),
                print("srv6_seg_ipv6_list", OutputFormat.Style.JSON, a, same, one, none));
    }

    /** pmacct's print plugin writes the list in JSON only: CSV leaves it out, formatted output exits on it. */
    @Test
    void formattedAndCsvLeaveTheListOut() {
        FlowRecord r = segments("fc00::1");
        r.proto = 17;
        assertEquals(List.of("PROTOCOL,PACKETS,BYTES", "udp,1,100"),
                print("proto, srv6_seg_ipv6_list", OutputFormat.Style.CSV, r));
        assertEquals(List.of(String.format("%-12s%-22s%s", "PROTOCOL", "PACKETS", "BYTES"),
                String.format("%-12s%-22s%s", "udp", "1", "100")),
                print("proto, srv6_seg_ipv6_list", OutputFormat.Style.FORMATTED, r));
        assertTrue(Column.SRV6_SEG_IPV6_LIST.jsonOnly());
    }

    @Test
    void aggregatingKnownSegmentListsAllocatesNothing() throws Exception {
        PrintedTable p = new PrintedTable(Aggregate.TYPE.parse("src_host, srv6_seg_ipv6_list"));
        FlowRecord[] records = new FlowRecord[32];
        for (int i = 0; i < records.length; i++) {
            records[i] = segments("fc00:0:" + (i % 8) + "::", "fc00:0:ffff:e000::", "2001:db8::" + (i % 4));
            records[i].srcV4(0x0A000000 | i);
        }
        int rounds = 20_000;
        long allocated = Allocations.of(20_000, rounds, round -> {
            for (FlowRecord r : records) {
                p.add(r);
            }
        });
        assertTrue(allocated < rounds, "allocated " + allocated + " bytes for " + rounds * records.length + " records");
        assertEquals(32, p.table.size());
        assertEquals(8, p.layout.srv6Lists().size(), "lists interned once");
    }

    @Test
    void pathDelaysInPrintAndJsonPlaces() {
        FlowRecord r = record();
        r.pathDelayAvgUsec = 150;
        r.pathDelayMinUsec = 90;
        r.pathDelayMaxUsec = 4_000_000_000L;
        r.proto = 6;
        r.exportProtoSysid = 3;
        String agg = "path_delay_avg_usec, path_delay_min_usec, path_delay_max_usec, proto, export_proto_sysid";
        assertEquals(List.of("{\"event_type\": \"purge\", \"path_delay_avg_usec\": 150, \"path_delay_min_usec\": 90, "
                + "\"path_delay_max_usec\": 4000000000, \"ip_proto\": \"tcp\", \"export_proto_sysid\": 3, "
                + "\"packets\": 1, \"bytes\": 100}"), print(agg, OutputFormat.Style.JSON, r));
        assertEquals(List.of("PROTOCOL,EXPORT_PROTO_SYSID,PATH_DELAY_AVG_USEC,PATH_DELAY_MIN_USEC,PATH_DELAY_MAX_USEC,"
                + "PACKETS,BYTES", "tcp,3,150,90,4000000000,1,100"), print(agg, OutputFormat.Style.CSV, r));
        String row = "%-12s%-20s%-21s%-21s%-21s%-22s%s";
        assertEquals(List.of(String.format(row, "PROTOCOL", "EXPORT_PROTO_SYSID", "PATH_DELAY_AVG_USEC",
                "PATH_DELAY_MIN_USEC", "PATH_DELAY_MAX_USEC", "PACKETS", "BYTES"),
                String.format(row, "tcp", "3", "150", "90", "4000000000", "1", "100")),
                print(agg, OutputFormat.Style.FORMATTED, r));
    }

    @Test
    void samplingDirectionIsALetter() {
        FlowRecord in = record();
        in.direction = FlowRecord.DIRECTION_INGRESS;
        in.samplingRate = 100;
        FlowRecord out = record();
        out.direction = FlowRecord.DIRECTION_EGRESS;
        out.samplingRate = 100;
        FlowRecord unknown = record();
        unknown.samplingRate = 100;
        assertEquals(List.of(
                "{\"event_type\": \"purge\", \"sampling_rate\": 100, \"sampling_direction\": \"e\", \"packets\": 1, "
                        + "\"bytes\": 100}",
                "{\"event_type\": \"purge\", \"sampling_rate\": 100, \"sampling_direction\": \"i\", \"packets\": 1, "
                        + "\"bytes\": 100}",
                "{\"event_type\": \"purge\", \"sampling_rate\": 100, \"sampling_direction\": \"u\", \"packets\": 1, "
                        + "\"bytes\": 100}"),
                print("sampling_rate, sampling_direction", OutputFormat.Style.JSON, in, out, unknown));
        // pmacct's title is 19 wide, its values 20
        assertEquals(List.of("SAMPLING_RATE SAMPLING_DIRECTION PACKETS               BYTES",
                "100           i                   1                     100"),
                print("sampling_rate, sampling_direction", OutputFormat.Style.FORMATTED, in));
    }

    @Test
    void nvgreAndPseudowireId() {
        FlowRecord r = record();
        r.nvgre = 0xABCDEF;
        r.vxlan = 7;
        r.mplsPwId = 4_000_000_001L;
        r.mplsVpnRd = (2L << 48) | (65000L << 16) | 1;
        String agg = "mpls_vpn_rd, mpls_pw_id, vxlan, nvgre";
        assertEquals(List.of("{\"event_type\": \"purge\", \"mpls_vpn_rd\": \"2:65000:1\", \"mpls_vpn_rd_origin\": "
                + "\"unknown\", \"mpls_pw_id\": 4000000001, \"vxlan\": 7, \"nvgre\": 11259375, \"packets\": 1, "
                + "\"bytes\": 100}"), print(agg, OutputFormat.Style.JSON, r));
        String row = "%-20s%-12s%-10s%-10s%-22s%s";
        assertEquals(List.of(String.format(row, "MPLS_VPN_RD", "MPLS_PW_ID", "VXLAN", "NVGRE", "PACKETS", "BYTES"),
                String.format(row, "2:65000:1", "4000000001", "7", "11259375", "1", "100")),
                print(agg, OutputFormat.Style.FORMATTED, r));
        assertEquals(List.of(Column.PEER_DST_IP, Column.MPLS_VPN_RD, Column.MPLS_PW_ID, Column.SRC_IP),
                Column.clientOrder(List.of(Column.SRC_IP, Column.MPLS_PW_ID, Column.MPLS_VPN_RD, Column.PEER_DST_IP)),
                "the pmacct client's order");
        assertTrue(Column.pmacct177().stream().noneMatch(c -> c == Column.MPLS_PW_ID || c == Column.NVGRE),
                "not among 1.7.7's columns");
        assertEquals(Primitive.NVGRE, Primitive.byName("nvgre"));
    }
}
