package jpmacct.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.net.Reloadable;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordBuilder;

/** flow_to_rd_map as pmacct documents it (examples/flow_to_rd.map.example, CONFIG-KEYS). */
class FlowToRdMapTest {
    private static FlowToRdMap load(Path dir, boolean netflow, String... lines) throws Exception {
        Path f = dir.resolve("f2rd.map");
        Files.write(f, List.of(lines));
        return FlowToRdMap.load(f, netflow);
    }

    @Test
    void routeDistinguishersOfTheThreeTypesAsTheyGoOnTheWire() {
        assertEquals(0x0000FFE800000001L, FlowToRdMap.parseRd("0:65512:1"));
        assertEquals(0x0001C0A801010001L, FlowToRdMap.parseRd("1:192.168.1.1:1"));
        assertEquals(0x0002FA56EA000001L, FlowToRdMap.parseRd("2:4200000000:1"));
        assertEquals(0, FlowToRdMap.parseRd("0:0:0"));
        for (String bad : List.of("0:65536:1", "1:::1", "2:1:65536", "3:1:1", "0:1", "vrfid:5")) {
            assertThrows(IllegalArgumentException.class, () -> FlowToRdMap.parseRd(bad), bad);
        }
    }

    @Test
    void firstMatchWinsOnExporterInterfacesNextHopVpnIdAndBottomLabel(@TempDir Path dir) throws Exception {
        FlowToRdMap m = load(dir, true,
                "! comment",
                "id=0:65512:1\tip=192.168.1.1\tin=100",
                "id=0:65512:2 ip=192.168.1.1 out=-7 bgp_nexthop=10.0.0.9",
                "id=0:65512:3 ip=192.168.1.1 mpls_vpn_id=1610612741",
                "id=0:65512:4 ip=192.168.1.1 mpls_label_bottom=16033",
                "id=0:0:0 ip=192.168.1.0/24");
        RecordBuilder exporter = RecordBuilder.flow().peerSrc("192.168.1.1");
        assertEquals(0, m.match(exporter.ifaces(100, 7).build(), 0, 0));
        FlowRecord viaNextHop = exporter.ifaces(1, 8).build();
        viaNextHop.peerDstFamily = 4;
        viaNextHop.peerDstLo = 0x0A000009L;
        assertEquals(1, m.match(viaNextHop, 0, 0));
        viaNextHop.outIface = 7;
        assertEquals(4, m.match(viaNextHop, 0, 0), "out=-7: every output but 7");
        assertEquals(2, m.match(exporter.ifaces(1, 2).build(), 0, 1610612741L), "the ingress VRF id");
        assertEquals(2, m.match(exporter.build(), 5, 1610612741L), "or the egress one");
        FlowRecord labelled = exporter.build();
        labelled.mplsLabelBottom = 16033;
        assertEquals(3, m.match(labelled, 0, 0));
        assertEquals(4, m.match(RecordBuilder.flow().peerSrc("192.168.1.77").build(), 0, 0));
        assertEquals(-1, m.match(RecordBuilder.flow().peerSrc("10.1.1.1").build(), 0, 0));
        FlowRecord r = exporter.ifaces(100, 7).build();
        assertTrue(m.apply(r, 0, 0));
        assertEquals(FlowToRdMap.parseRd("0:65512:1"), r.mplsVpnRd);
        assertEquals(FlowRecord.RD_ORIGIN_MAP, r.mplsVpnRdOrigin);
        r.clear();
        assertEquals(FlowRecord.RD_ORIGIN_UNKNOWN, r.mplsVpnRdOrigin, "the origin goes with the record it was set on");
    }

    @Test
    void whatPmacctWouldSkipWithAWarningIsRefused(@TempDir Path dir) {
        for (String bad : List.of("id=0:1:1", "ip=10.0.0.1", "id=0:1:1 ip=10.0.0.1 vlan=5", "id=5 ip=10.0.0.1",
                "id=0:1:1 ip=10.0.0.1 in=x", "id=0:1:1 ip=10.0.0.1 mpls_vpn_id=0")) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(dir, true, bad), bad);
            assertTrue(e.getMessage().contains("f2rd.map:1"), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(dir, false, "id=0:1:1 ip=10.0.0.1 mpls_vpn_id=5"));
        assertTrue(e.getMessage().contains("nfacctd only"), e.getMessage());
    }

    @Test
    void reloadedWholeAndKeptWhenTheNewFileIsBad(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f2rd.map");
        Files.write(f, List.of("id=0:65000:203 ip=10.0.0.1 in=203"));
        Reloadable<FlowToRdMap> map = new MapRegistry().map("flow_to_rd_map", f, p -> FlowToRdMap.load(p, true),
                FlowToRdMap::size);
        FlowRecord r = RecordBuilder.flow().peerSrc("10.0.0.1").ifaces(203, 0).build();
        assertEquals(FlowToRdMap.parseRd("0:65000:203"), map.get().rd(map.get().match(r, 0, 0)));
        Files.write(f, List.of("id=1:10.10.0.33:203 ip=10.0.0.1 in=203", "id=2:65000:1 ip=10.0.0.2"));
        assertTrue(map.reload());
        assertEquals(2, map.get().size());
        assertEquals(FlowToRdMap.parseRd("1:10.10.0.33:203"), map.get().rd(map.get().match(r, 0, 0)));
        Files.write(f, List.of("id=9:9:9 ip=10.0.0.1"));
        map.reload();
        assertEquals(2, map.get().size(), "the bad file is refused, the map in use stays");
    }
}
