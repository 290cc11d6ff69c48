package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.collector.FlowToRdMap;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.template.Fields;
import jpmacct.nfacctd.template.Template;

/**
 * Options data naming VRFs and interfaces, and the route distinguisher of flows, as pmacct 1.8 does it
 * (nfacctd.c NF_mpls_vpn_rd_from_*): flow_to_rd_map, then the record's RD element, then the RD options data gave
 * the flow's VRF, then "vrfid:N".
 */
class OptionsDataTest {
    private static final long UNIX = 1_700_000_000L;
    /** 2:4226809910:14, as Huawei's options data in pmacct's upstream test 106 says it. */
    private static final long RD_A4 = 0x0002FBF00036000EL;
    private static final long RD_OTHER = 0x0000FDE800000007L; // 0:65000:7

    private final Decoding h = new Decoding();
    private final Ipfix ipfix = new Ipfix(h.sets(), h);

    /** IPFIX options template 1514 as Huawei sends it: scope ingressVRFID, egressVRFID; VRFname(32), RD. */
    private static byte[] vrfOptionsTemplate() {
        return Wire.set(3, new Wire().u16(1514).u16(4).u16(2).u16(Fields.INGRESS_VRF).u16(4)
                .u16(Fields.EGRESS_VRF).u16(4).u16(Fields.VRF_NAME).u16(32).u16(Fields.MPLS_VPN_RD).u16(8).array());
    }

    private static byte[] name(String s, int len) {
        byte[] b = new byte[len];
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, 0, t.length);
        return b;
    }

    private static byte[] vrfOptions(long in, long out, String name, long rd) {
        return Wire.set(1514, new Wire().u32(in).u32(out).bytes(name(name, 32)).u64(rd).array());
    }

    /** Data template 300: source, bytes, ingressVRFID, egressVRFID, flowDirection. */
    private static byte[] vrfFlowTemplate() {
        return Wire.set(2, Wire.template(300, Fields.SRC_V4, 4, Fields.OCTETS, 4, Fields.INGRESS_VRF, 4,
                Fields.EGRESS_VRF, 4, Fields.DIRECTION, 1));
    }

    private static byte[] vrfFlow(long in, long out, int direction) {
        return Wire.set(300, new Wire().ip("10.1.1.1").u32(100).u32(in).u32(out).u8(direction).array());
    }

    private FlowRecord last() {
        return h.records.get(h.records.size() - 1);
    }

    private static String rd(FlowRecord r) {
        return Long.toHexString(r.mplsVpnRd);
    }

    @Test
    void huaweisVrfTableNamesTheEgressVrfAndGivesItsRd() throws Exception {
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 7, vrfOptionsTemplate(), vrfOptions(1, 1, "A4", RD_A4),
                vrfFlowTemplate(), vrfFlow(0, 1, 1)));
        FlowRecord r = last();
        assertEquals(rd(r), Long.toHexString(RD_A4), "the egress VRF's RD from options data");
        assertEquals(FlowRecord.RD_ORIGIN_FLOW, r.mplsVpnRdOrigin);
        assertNull(r.ingressVrfName, "VRF 0 has no name");
        assertEquals("A4", r.egressVrfName);
        assertEquals("A4", r.vrfName, "no ingress VRF: vrf_name is the egress one's");
        assertEquals(1, h.exporter.counters().optionRecords.get());
    }

    @Test
    void theIngressSideUnlessTheDirectionSaysEgress() throws Exception {
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 7, vrfOptionsTemplate(), vrfOptions(5, 0, "red", RD_OTHER),
                vrfOptions(6, 6, "blue", RD_A4), vrfFlowTemplate(), vrfFlow(5, 6, 0)));
        assertEquals(Long.toHexString(RD_OTHER), rd(last()), "ingress");
        assertEquals("red", last().vrfName);
        assertEquals("blue", last().egressVrfName);
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 1, 7, vrfFlow(5, 6, 1)));
        assertEquals(Long.toHexString(RD_A4), rd(last()), "egress by the direction field");
        assertEquals("red", last().vrfName, "the name is the ingress VRF's whatever the direction");
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 2, 7, vrfFlow(9, 0, 0)));
        assertEquals(Long.toHexString(VpnFields.RD_TYPE_VRFID << 48 | 9), rd(last()),
                "a VRF options data does not know: vrfid:9");
        assertEquals(FlowRecord.RD_ORIGIN_FLOW, last().mplsVpnRdOrigin);
        assertNull(last().vrfName);
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 3, 7, vrfFlow(0, 0, 0)));
        assertEquals(0, last().mplsVpnRd);
        assertEquals(FlowRecord.RD_ORIGIN_UNKNOWN, last().mplsVpnRdOrigin, "no VRF, no RD");
    }

    @Test
    void anRdOfZeroDefersToTheOtherSide() throws Exception {
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 7, vrfOptionsTemplate(), vrfOptions(5, 0, "global", 0),
                vrfOptions(0, 6, "blue", RD_A4), vrfFlowTemplate(), vrfFlow(5, 6, 0)));
        assertEquals(Long.toHexString(RD_A4), rd(last()), "0:0:0 on the ingress side: the egress VRF's RD");
    }

    @Test
    void reassignedIdsReplaceWhatWasLearnt() throws Exception {
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 7, vrfOptionsTemplate(), vrfOptions(5, 0, "old", RD_OTHER),
                vrfFlowTemplate(), vrfFlow(5, 0, 0)));
        assertEquals("old", last().vrfName);
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 1, 7, vrfOptions(5, 0, "new", RD_A4), vrfFlow(5, 0, 0)));
        assertEquals("new", last().vrfName);
        assertEquals(Long.toHexString(RD_A4), rd(last()));
    }

    @Test
    void theRecordsOwnRdComesFirst() throws Exception {
        byte[] template = Wire.set(2, Wire.template(301, Fields.SRC_V4, 4, Fields.OCTETS, 4, Fields.INGRESS_VRF, 4,
                Fields.MPLS_VPN_RD, 8));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 7, vrfOptionsTemplate(), vrfOptions(5, 0, "red", RD_A4), template,
                Wire.set(301, new Wire().ip("10.1.1.1").u32(1).u32(5).u64(RD_OTHER).array())));
        assertEquals(Long.toHexString(RD_OTHER), rd(last()));
        assertEquals(FlowRecord.RD_ORIGIN_FLOW, last().mplsVpnRdOrigin);
        assertEquals("red", last().vrfName, "names by the VRF id all the same");
    }

    @Test
    void optionsDataOfOneDomainIsNotAnothers() throws Exception {
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 7, vrfOptionsTemplate(), vrfOptions(5, 0, "red", RD_A4)));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 8, vrfFlowTemplate(), vrfFlow(5, 0, 0)));
        assertNull(last().vrfName);
        assertEquals(Long.toHexString(VpnFields.RD_TYPE_VRFID << 48 | 5), rd(last()));
    }

    @Test
    void v9OptionsOfTheSystemScopeServeEveryDomain() throws Exception {
        NetflowV9 v9 = new NetflowV9(h.sets(), h);
        // options template 260: scope System (4 bytes); ingressVRFID, VRFname (16)
        byte[] options = Wire.set(1, new Wire().u16(260).u16(4).u16(8).u16(Fields.SCOPE_SYSTEM).u16(4)
                .u16(Fields.INGRESS_VRF).u16(4).u16(Fields.VRF_NAME).u16(16).array());
        h.feed(v9::decode, Wire.v9(100_000, UNIX, 0, 1, options,
                Wire.set(260, new Wire().u32(0).u32(5).bytes(name("mgmt", 16)).array())));
        h.feed(v9::decode, Wire.v9(100_000, UNIX, 0, 2, Wire.set(0, Wire.template(300, Fields.SRC_V4, 4,
                Fields.OCTETS, 4, Fields.INGRESS_VRF, 4)), Wire.set(300, new Wire().ip("10.1.1.1").u32(1).u32(5).array())));
        assertEquals("mgmt", last().ingressVrfName, "learnt in source id 1, used in source id 2");
        assertEquals("mgmt", last().vrfName);
    }

    /** Options template 1520: scope ingressInterface; interfaceName of variable length. */
    private static byte[] ifaceOptionsTemplate() {
        return Wire.set(3, new Wire().u16(1520).u16(2).u16(1).u16(Fields.IN_IFACE).u16(4)
                .u16(Fields.IFACE_NAME).u16(Template.VARIABLE).array());
    }

    private static byte[] iface(long ifIndex, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        return new Wire().u32(ifIndex).u8(n.length).bytes(n).array();
    }

    @Test
    void interfaceNamesByTheFlowsIfIndexes() throws Exception {
        byte[] template = Wire.set(2, Wire.template(302, Fields.SRC_V4, 4, Fields.OCTETS, 4, Fields.IN_IFACE, 4,
                Fields.OUT_IFACE, 4));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 0, 7, ifaceOptionsTemplate(),
                Wire.set(1520, Wire.concat(iface(167, "TenGigE0_0_0_16.121"), iface(3, "Bundle-Ether1"),
                        iface(4, "a-name-longer-than-pmacct-keeps-it")))));
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 1, 7, template, Wire.set(302, Wire.concat(
                new Wire().ip("10.1.1.1").u32(1).u32(167).u32(3).array(),
                new Wire().ip("10.1.1.1").u32(1).u32(4).u32(99).array()))));
        FlowRecord r = h.records.get(0);
        assertEquals("TenGigE0_0_0_16.121", r.inIfaceName);
        assertEquals("Bundle-Ether1", r.outIfaceName);
        assertEquals("a-name-longer-than-pmacct-keeps", last().inIfaceName, "31 bytes, as pmacct keeps");
        assertNull(last().outIfaceName);
    }

    /** Names more interfaces than an exporter's tables hold; returns how many. */
    static int overfill(Decoding h) throws Exception {
        Ipfix decoder = new Ipfix(h.sets(), h);
        int sent = 0;
        for (int d = 0; sent <= Exporter.MAX_OPTION_ENTRIES; d++) {
            byte[] records = new byte[0];
            for (int i = 0; i < 1000; i++, sent++) {
                records = Wire.concat(records, iface(sent, "if" + sent));
            }
            h.feed(decoder::decode, Wire.ipfix(UNIX, d, 7, ifaceOptionsTemplate(), Wire.set(1520, records)));
        }
        return sent;
    }

    @Test
    void theExportersTablesAreBounded() throws Exception {
        int sent = overfill(h);
        assertEquals(sent - Exporter.MAX_OPTION_ENTRIES, h.exporter.counters().optionEntriesRefused.get());
        assertTrue(h.noticed.contains(NetflowFault.OPTIONS_TABLE_FULL), h.noticed.toString());
        h.feed(ipfix::decode, Wire.ipfix(UNIX, 999, 7, Wire.set(1520, iface(5, "renamed"))));
        assertEquals(sent - Exporter.MAX_OPTION_ENTRIES, h.exporter.counters().optionEntriesRefused.get(),
                "a known id is renamed without taking room");
    }

    @Test
    void flowToRdMapComesFirst(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("f2rd.map");
        Files.write(map, List.of("id=0:65000:203 ip=192.0.2.1 in=203",
                "id=1:10.10.0.33:174 ip=192.0.2.1 mpls_vpn_id=1610612742",
                "id=2:65000:1 ip=192.0.2.99"));
        FlowToRdMap loaded = FlowToRdMap.load(map, true);
        Decoding withMap = new Decoding(new DecoderSettings(false, false, true, Fields.STANDARD, 1 << 20, 60_000,
                4096, null, 0, null, false, false, () -> loaded));
        Ipfix decoder = new Ipfix(withMap.sets(), withMap);
        byte[] template = Wire.set(2, Wire.template(303, Fields.SRC_V4, 4, Fields.OCTETS, 4, Fields.IN_IFACE, 4,
                Fields.INGRESS_VRF, 4, Fields.MPLS_VPN_RD, 8));
        withMap.feed(decoder::decode, Wire.ipfix(UNIX, 0, 7, template, Wire.set(303, Wire.concat(
                new Wire().ip("10.1.1.1").u32(1).u32(203).u32(1).u64(RD_A4).array(),
                new Wire().ip("10.1.1.1").u32(1).u32(5).u32(1610612742L).u64(RD_A4).array(),
                new Wire().ip("10.1.1.1").u32(1).u32(5).u32(7).u64(RD_A4).array()))));
        List<FlowRecord> r = withMap.records;
        assertEquals(Long.toHexString(FlowToRdMap.parseRd("0:65000:203")), rd(r.get(0)), "in=203");
        assertEquals(FlowRecord.RD_ORIGIN_MAP, r.get(0).mplsVpnRdOrigin);
        assertEquals(Long.toHexString(FlowToRdMap.parseRd("1:10.10.0.33:174")), rd(r.get(1)), "the flow's VRF id");
        assertEquals(Long.toHexString(RD_A4), rd(r.get(2)), "no rule: the record's own");
        assertEquals(FlowRecord.RD_ORIGIN_FLOW, r.get(2).mplsVpnRdOrigin);
    }
}
