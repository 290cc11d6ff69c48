package jpmacct.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/** pmacct 1.8's primitives from record to key to printed row, and its JSON encodings. */
class Pmacct18PrimitivesTest {

    private static final Timestamps EPOCH = new Timestamps(true, false, ZoneOffset.UTC);

    /** Aggregates the records on {@code aggregate} and prints the rows in the given style (rows sorted). */
    private static List<String> print(String aggregate, OutputFormat.Style style, OutputFormat.Encodings enc,
                                      FlowRecord... records) {
        return new PrintedTable(Aggregate.TYPE.parse(aggregate)).add(records)
                .rows(style, new OutputFormat.Options(false, ",", EPOCH, false).withEncodings(enc));
    }

    private static FlowRecord record() {
        FlowRecord r = new FlowRecord();
        r.clear();
        r.packets = 1;
        r.bytes = 100;
        r.flows = 1;
        return r;
    }

    private static FlowRecord stack(int... labels) {
        FlowRecord r = record();
        for (int l : labels) {
            r.mplsLabels[r.mplsLabelCount++] = l;
        }
        return r;
    }

    private static final OutputFormat.Encodings ALL = new OutputFormat.Encodings(true, true, true, true);

    @Test
    void labelStacksAreKeysAndPrintAsPmacctDoes() {
        FlowRecord a = stack(69, 24305);
        FlowRecord b = stack(69, 24305);
        FlowRecord c = stack(0, 1, 2, 3, 4, 5, 6, 7, 8, 1048575);
        FlowRecord none = stack();
        assertEquals(List.of("{\"event_type\": \"purge\", \"mpls_label_stack\": \"\", \"packets\": 1, \"bytes\": 100}",
                        "{\"event_type\": \"purge\", \"mpls_label_stack\": \"0_1_2_3_4_5_6_7_8_1048575\", \"packets\": 1, "
                                + "\"bytes\": 100}",
                        "{\"event_type\": \"purge\", \"mpls_label_stack\": \"69_24305\", \"packets\": 2, \"bytes\": 200}"),
                print("mpls_label_stack", OutputFormat.Style.JSON, OutputFormat.Encodings.NONE, a, b, c, none));
        assertEquals(List.of("{\"event_type\": \"purge\", \"mpls_label_stack\": [\"0-0\", \"1-1\", \"2-2\", \"3-3\", "
                                + "\"4-4\", \"5-5\", \"6-6\", \"7-7\", \"8-8\", \"9-1048575\"], \"packets\": 1, \"bytes\": 100}",
                        "{\"event_type\": \"purge\", \"mpls_label_stack\": [\"0-69\", \"1-24305\"], \"packets\": 2, "
                                + "\"bytes\": 200}",
                        "{\"event_type\": \"purge\", \"mpls_label_stack\": [], \"packets\": 1, \"bytes\": 100}"),
                print("mpls_label_stack", OutputFormat.Style.JSON, ALL, a, b, c, none));
        assertEquals(List.of("MPLS_LABEL_STACK,PACKETS,BYTES", "69_24305,2,200"),
                print("mpls_label_stack", OutputFormat.Style.CSV, ALL, a, b));
        // a stack that only shares a prefix is another key: header and three rows
        assertEquals(4, print("mpls_label_stack", OutputFormat.Style.CSV, ALL, a, stack(69), stack(69, 24305, 3)).size());
    }

    @Test
    void tcpFlagsAsNamesInPmacctsOrder() {
        FlowRecord syn = record();
        syn.tcpFlags = 0x02;
        FlowRecord ack = record();
        ack.tcpFlags = 0x10 | 0x01;
        FlowRecord ece = record();
        ece.tcpFlags = 0x40 | 0x02;
        FlowRecord[] all = {syn, ack};
        assertEquals(List.of("{\"event_type\": \"purge\", \"tcp_flags\": [\"ACK\", \"SYN\", \"FIN\"], \"packets\": 2, "
                + "\"bytes\": 200}"), print("tcpflags", OutputFormat.Style.JSON, ALL, all));
        assertEquals(List.of("{\"event_type\": \"purge\", \"tcp_flags\": \"19\", \"packets\": 2, \"bytes\": 200}"),
                print("tcpflags", OutputFormat.Style.JSON, OutputFormat.Encodings.NONE, all));
        assertEquals(List.of("{\"event_type\": \"purge\", \"tcp_flags\": [], \"packets\": 1, \"bytes\": 100}"),
                print("tcpflags", OutputFormat.Style.JSON, ALL, ece), "pmacct names six flags, no more");
        assertEquals(List.of("{\"event_type\": \"purge\", \"tcp_flags\": [], \"packets\": 1, \"bytes\": 100}"),
                print("tcpflags", OutputFormat.Style.JSON, ALL, record()));
    }

    @Test
    void tunnelTcpFlagsAreOredApartFromTheOuterOnes() {
        FlowRecord a = record();
        a.tcpFlags = 0x02;
        a.tunnelTcpFlags = 0x10;
        FlowRecord b = record();
        b.tunnelTcpFlags = 0x01;
        assertEquals(List.of("TCP_FLAGS,TUNNEL_TCP_FLAGS,PACKETS,BYTES", "2,17,2,200"),
                print("tcpflags, tunnel_tcpflags", OutputFormat.Style.CSV, ALL, a, b));
        assertEquals(List.of("{\"event_type\": \"purge\", \"tcp_flags\": [\"SYN\"], \"tunnel_tcp_flags\": [\"ACK\", "
                + "\"FIN\"], \"packets\": 2, \"bytes\": 200}"), print("tcpflags, tunnel_tcpflags",
                OutputFormat.Style.JSON, ALL, a, b));
    }

    @Test
    void forwardingStatusNumberOrRfc7270Name() {
        int[] values = {0, 64, 66, 100, 141, 195, 200};
        String[] names = {"UNKNOWN Unclassified", "FORWARDED Unknown", "FORWARDED Not Fragmented",
            "FORWARDED Unclassified", "DROPPED For us", "CONSUMED For us", "CONSUMED Unclassified"};
        for (int i = 0; i < values.length; i++) {
            FlowRecord r = record();
            r.pmacct18 = true;
            r.fwdStatus = values[i];
            assertEquals(List.of("{\"event_type\": \"purge\", \"fwd_status\": \"" + names[i]
                    + "\", \"packets\": 1, \"bytes\": 100}"), print("fwd_status", OutputFormat.Style.JSON, ALL, r));
            assertEquals(List.of("{\"event_type\": \"purge\", \"fwd_status\": \"" + values[i]
                    + "\", \"packets\": 1, \"bytes\": 100}"),
                    print("fwd_status", OutputFormat.Style.JSON, OutputFormat.Encodings.NONE, r));
        }
    }

    @Test
    void labelsAsMaps() {
        FlowRecord r = record();
        r.label = "nkey%NODE_ID,pkey%PLATFORM_ID";
        FlowRecord plain = record();
        plain.label = "default";
        FlowRecord none = record();
        // a label without key%value pairs (or none) is an empty object, as pmacct 1.8's
        assertEquals(List.of("{\"event_type\": \"purge\", \"label\": {\"nkey\": \"NODE_ID\", \"pkey\": \"PLATFORM_ID\"}, "
                        + "\"packets\": 1, \"bytes\": 100}",
                "{\"event_type\": \"purge\", \"label\": {}, \"packets\": 1, \"bytes\": 100}",
                "{\"event_type\": \"purge\", \"label\": {}, \"packets\": 1, \"bytes\": 100}"),
                print("label", OutputFormat.Style.JSON, ALL, r, plain, none));
    }

    /** The values pmacct 1.8 prints for absent NAT data (its test 100): "" and 0. */
    @Test
    void natColumnsEmptyAndSet() {
        FlowRecord empty = record();
        FlowRecord nat = record();
        nat.postNatSrcFamily = Addr.V4;
        nat.postNatSrcLo = 0x0A000001L;
        nat.postNatDstFamily = Addr.V6;
        nat.postNatDstHi = 0x20010DB800000000L;
        nat.postNatDstLo = 1;
        nat.postNatSrcPort = 1024;
        nat.postNatDstPort = 443;
        nat.pmacct18 = true;
        nat.natEvent = 1;
        nat.fwEvent = 2;
        String agg = "post_nat_src_host, post_nat_dst_host, post_nat_src_port, post_nat_dst_port, nat_event, fw_event";
        assertEquals(List.of(
                "{\"event_type\": \"purge\", \"post_nat_ip_src\": \"\", \"post_nat_ip_dst\": \"\", \"post_nat_port_src\": 0, "
                        + "\"post_nat_port_dst\": 0, \"nat_event\": 0, \"fw_event\": 0, \"packets\": 1, \"bytes\": 100}",
                "{\"event_type\": \"purge\", \"post_nat_ip_src\": \"10.0.0.1\", \"post_nat_ip_dst\": \"2001:db8::1\", "
                        + "\"post_nat_port_src\": 1024, \"post_nat_port_dst\": 443, \"nat_event\": 1, \"fw_event\": 2, "
                        + "\"packets\": 1, \"bytes\": 100}"),
                print(agg, OutputFormat.Style.JSON, ALL, empty, nat));
        List<String> formatted = print(agg, OutputFormat.Style.FORMATTED, ALL, empty, nat);
        assertEquals(String.format("%-47s%-47s%-19s%-19s%-10s%-9s%-22s%s", "POST_NAT_SRC_IP", "POST_NAT_DST_IP",
                "POST_NAT_SRC_PORT", "POST_NAT_DST_PORT", "NAT_EVENT", "FW_EVENT", "PACKETS", "BYTES"), formatted.get(0));
        assertTrue(formatted.contains(String.format("%-47s%-47s%-19s%-19s%-10s%-9s%-22s%s", "10.0.0.1", "2001:db8::1",
                "1024", "443", "1", "2", "1", "100")), formatted.toString());
        assertTrue(formatted.contains(String.format("%-47s%-47s%-19s%-19s%-10s%-9s%-22s%s", "::", "::", "0", "0", "0",
                "0", "1", "100")), formatted.toString());
    }

    @Test
    void vlansFlowLabelAndTunnelColumns() {
        FlowRecord r = record();
        r.vlan = 5;
        r.inVlan = 10;
        r.outVlan = 20;
        r.inCvlan = 30;
        r.outCvlan = 40;
        r.pmacct18 = true;
        r.flowLabel = 0xABCDE;
        r.tunnelSrcMac = 0x001122334455L;
        r.tunnelSrcFamily = Addr.V4;
        r.tunnelSrcLo = 0xC0A80001L;
        r.tunnelProto = 6;
        r.tunnelTos = 8;
        r.tunnelSrcPort = 80;
        r.tunnelFlowLabel = 7;
        r.vxlan = 4242;
        String agg = "vlan, in_vlan, out_vlan, in_cvlan, out_cvlan, flow_label, tunnel_src_mac, tunnel_src_host, "
                + "tunnel_proto, tunnel_tos, tunnel_src_port, tunnel_flow_label, vxlan";
        assertEquals(List.of("{\"event_type\": \"purge\", \"vlan\": 5, \"vlan_in\": 10, \"vlan_out\": 20, \"cvlan_in\": 30, "
                + "\"cvlan_out\": 40, \"flow_label\": 703710, \"tunnel_mac_src\": \"00:11:22:33:44:55\", "
                + "\"tunnel_ip_src\": \"192.168.0.1\", \"tunnel_ip_proto\": \"tcp\", \"tunnel_tos\": 8, "
                + "\"tunnel_flow_label\": 7, \"tunnel_port_src\": 80, \"vxlan\": 4242, \"packets\": 1, \"bytes\": 100}"),
                print(agg, OutputFormat.Style.JSON, ALL, r));
        assertEquals(List.of("VLAN,IN_VLAN,OUT_VLAN,IN_CVLAN,OUT_CVLAN,FLOW_LABEL,TUNNEL_SRC_MAC,TUNNEL_SRC_IP,"
                        + "TUNNEL_PROTOCOL,TUNNEL_TOS,TUNNEL_FLOW_LABEL,TUNNEL_SRC_PORT,VXLAN,PACKETS,BYTES",
                "5,10,20,30,40,703710,00:11:22:33:44:55,192.168.0.1,tcp,8,7,80,4242,1,100"),
                print(agg, OutputFormat.Style.CSV, ALL, r));
        List<String> formatted = print("in_vlan, out_vlan, vxlan", OutputFormat.Style.FORMATTED, ALL, r);
        assertEquals(String.format("%-9s%-10s%-10s%-22s%s", "IN_VLAN", "OUT_VLAN", "VXLAN", "PACKETS", "BYTES"),
                formatted.get(0));
        assertEquals(String.format("%-9s%-10s%-10s%-22s%s", "10", "20", "4242", "1", "100"), formatted.get(1));
    }

    /** Print order (pmacct 1.8's print plugin) and JSON order (its JSON encoder) differ for these columns. */
    @Test
    void timestampExportAndFwdStatusPlaces() {
        FlowRecord r = record();
        r.timeExportMicros = 1_677_577_621_000_000L;
        r.timeArrivalMicros = 1_677_577_622_500_000L;
        r.exportProtoSysid = 7;
        r.pmacct18 = true;
        r.fwdStatus = 64;
        r.tcpFlags = 2;
        r.proto = 17;
        String agg = "timestamp_export, timestamp_arrival, export_proto_sysid, fwd_status, tcpflags, proto";
        assertEquals(List.of("{\"event_type\": \"purge\", \"tcp_flags\": [\"SYN\"], \"fwd_status\": \"FORWARDED Unknown\", "
                + "\"ip_proto\": \"udp\", \"timestamp_arrival\": \"1677577622.500000\", \"export_proto_sysid\": 7, "
                + "\"timestamp_export\": \"1677577621.000000\", \"packets\": 1, \"bytes\": 100}"),
                print(agg, OutputFormat.Style.JSON, ALL, r));
        assertEquals(List.of("TCP_FLAGS,PROTOCOL,FWD_STATUS,TIMESTAMP_ARRIVAL,TIMESTAMP_EXPORT,EXPORT_PROTO_SYSID,"
                        + "PACKETS,BYTES", "2,udp,64,1677577622.500000,1677577621.000000,7,1,100"),
                print(agg, OutputFormat.Style.CSV, ALL, r));
    }

    @Test
    void routeDistinguisherOriginBesideTheRouteDistinguisher() {
        FlowRecord r = record();
        r.mplsVpnRd = (2L << 48) | (65000L << 16) | 1;
        r.pmacct18 = true;
        r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_MAP;
        FlowRecord unknown = record();
        assertEquals(List.of("{\"event_type\": \"purge\", \"mpls_vpn_rd\": \"0:0:0\", \"mpls_vpn_rd_origin\": \"unknown\", "
                        + "\"packets\": 1, \"bytes\": 100}",
                "{\"event_type\": \"purge\", \"mpls_vpn_rd\": \"2:65000:1\", \"mpls_vpn_rd_origin\": \"map\", "
                        + "\"packets\": 1, \"bytes\": 100}"),
                print("mpls_vpn_rd", OutputFormat.Style.JSON, ALL, r, unknown));
        assertEquals(List.of("{\"event_type\": \"purge\", \"mpls_vpn_rd\": \"2:65000:1\", \"mpls_vpn_rd_origin\": \"map\", "
                        + "\"packets\": 1, \"bytes\": 100}"),
                print("mpls_vpn_rd", OutputFormat.Style.JSON, OutputFormat.Encodings.NONE, r), "whatever the encodings");
        FlowRecord flow = record();
        flow.mplsVpnRd = r.mplsVpnRd;
        flow.pmacct18 = true;
        flow.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_FLOW;
        assertEquals(3, print("mpls_vpn_rd", OutputFormat.Style.JSON, ALL, r, flow, unknown).size(),
                "the origin is part of the key");
    }

    @Test
    void namesOfPrimitivesStillMissingAreRefusedAsNotSupported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aggregate.TYPE.parse("src_host, class_frame"));
        assertEquals("primitive 'class_frame' is not supported yet", e.getMessage());
        for (String bgp : new String[] {"src_roa", "dst_roa"}) {
            assertThrows(IllegalArgumentException.class, () -> Aggregate.TYPE.parse(bgp), bgp);
        }
        assertEquals(Primitive.FWD_STATUS, Primitive.byName("fwd_status"));
    }
}
