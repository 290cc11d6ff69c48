package jpmacct.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/** Each pre_tag_map key, the rule order and the flow keys (jeq, stack, labels), and every refusal. */
class PreTagMapTest {
    @TempDir
    Path dir;

    private PreTagMap map(RecordSource source, String... lines) throws Exception {
        Path f = Files.writeString(dir.resolve("pretag.map"), String.join("\n", lines) + "\n");
        return PreTagMap.load(f, source);
    }

    /** A flow from exporter 192.0.2.1: 192.168.1.10:40000 -> 203.0.113.5:443 tcp, in 100, out 200. */
    static FlowRecord flow() {
        FlowRecord r = new FlowRecord();
        r.clear();
        r.peerSrcFamily = Addr.V4;
        r.peerSrcLo = v4("192.0.2.1");
        r.srcFamily = Addr.V4;
        r.srcLo = v4("192.168.1.10");
        r.dstFamily = Addr.V4;
        r.dstLo = v4("203.0.113.5");
        r.srcPort = 40000;
        r.dstPort = 443;
        r.proto = 6;
        r.inIface = 100;
        r.outIface = 200;
        r.packets = 1;
        r.bytes = 100;
        return r;
    }

    static long v4(String a) {
        return Addr.parse(a).lo();
    }

    private static FlowRecord tagged(PreTagMap m, FlowRecord r) {
        RecordFilter.Subject s = new RecordFilter.Subject();
        s.set(r, null, 0, 0, 0, 0);
        m.apply(r, s, m.filtersCopy());
        return r;
    }

    private long tagOf(String rule, FlowRecord r) throws Exception {
        return tagged(map(RecordSource.NETFLOW, rule), r).tag;
    }

    @Test
    void everyMatchKeyOnAFlow() throws Exception {
        assertEquals(1, tagOf("set_tag=1 ip=192.0.2.1", flow()));
        assertEquals(1, tagOf("set_tag=1 ip=192.0.2.0/24", flow()));
        assertEquals(0, tagOf("set_tag=1 ip=192.0.2.2", flow()));
        assertEquals(1, tagOf("set_tag=1 in=100", flow()));
        assertEquals(0, tagOf("set_tag=1 in=200", flow()));
        assertEquals(1, tagOf("set_tag=1 out=200", flow()));
        assertEquals(1, tagOf("set_tag=1 filter='tcp and port 443'", flow()));
        assertEquals(0, tagOf("set_tag=1 filter='udp'", flow()));
        assertEquals(1, tagOf("set_tag=1 src_net=192.168.1.0/24", flow()));
        assertEquals(0, tagOf("set_tag=1 dst_net=192.168.1.0/24", flow()));
        assertEquals(1, tagOf("set_tag=1 dst_net=203.0.113.0/24", flow()));

        FlowRecord r = flow();
        r.engineType = 1;
        r.exportProtoSysid = 7;
        assertEquals(1, tagOf("set_tag=1 engine_type=1 engine_id=7", r));
        assertEquals(1, tagOf("set_tag=1 source_id=7", r));
        assertEquals(1, tagOf("set_tag=1 agent_id=7", r));
        assertEquals(0, tagOf("set_tag=1 engine_type=0", r));

        r = flow();
        r.peerDstFamily = Addr.V4;
        r.peerDstLo = v4("10.0.0.254");
        assertEquals(1, tagOf("set_tag=1 nexthop=10.0.0.254", r));
        assertEquals(1, tagOf("set_tag=1 bgp_nexthop=10.0.0.0/24", r));
        assertEquals(0, tagOf("set_tag=1 nexthop=10.0.0.1", r));

        r = flow();
        r.vlan = 100;
        r.srcMac = Addr.parseMac("02:00:00:00:00:01");
        r.dstMac = Addr.parseMac("02:00:00:00:00:02");
        assertEquals(1, tagOf("set_tag=1 vlan=100", r));
        assertEquals(0, tagOf("set_tag=1 vlan=101", r));
        assertEquals(1, tagOf("set_tag=1 src_mac=02:00:00:00:00:01 dst_mac=02:00:00:00:00:02", r));
        assertEquals(0, tagOf("set_tag=1 dst_mac=02:00:00:00:00:01", r));
        assertEquals(1, tagOf("set_tag=1 filter='vlan 100 and ether src 02:00:00:00:00:01'", r));

        r = flow();
        r.direction = FlowRecord.DIRECTION_EGRESS;
        assertEquals(1, tagOf("set_tag=1 direction=1", r));
        assertEquals(0, tagOf("set_tag=1 direction=0", r));
    }

    @Test
    void sampleTypeDependsOnTheSource() throws Exception {
        assertEquals(1, tagOf("set_tag=1 sample_type=flow", flow()));
        assertEquals(1, tagOf("set_tag=1 sample_type=flow-ipv4", flow()));
        assertEquals(0, tagOf("set_tag=1 sample_type=flow-ipv6", flow()));
        assertEquals(0, tagOf("set_tag=1 sample_type=option", flow()));
        FlowRecord sample = flow();
        sample.sampleType = 3; // enterprise 0, format 3: an expanded flow sample
        assertEquals(1, tagged(map(RecordSource.SFLOW, "set_tag=1 sample_type=0:3"), sample).tag);
        assertEquals(0, tagged(map(RecordSource.SFLOW, "set_tag=1 sample_type=0:1"), sample).tag);
        ConfigException e = assertThrows(ConfigException.class, () -> map(RecordSource.SFLOW, "set_tag=1 sample_type=flow"));
        assertTrue(e.getMessage().contains("enterprise:format"), e.getMessage());
    }

    @Test
    void negatedValuesMatchEverythingElse() throws Exception {
        assertEquals(0, tagOf("set_tag=1 in=-100", flow()));
        assertEquals(1, tagOf("set_tag=1 in=-2", flow()));
        assertEquals(1, tagOf("set_tag=1 src_net=-10.0.0.0/8", flow()));
        assertEquals(0, tagOf("set_tag=1 vlan=-0", flow()));
        ConfigException e = assertThrows(ConfigException.class, () -> map(RecordSource.NETFLOW, "set_tag=1 ip=-192.0.2.1"));
        assertTrue(e.getMessage().contains("pretag.map:1"), e.getMessage());
    }

    @Test
    void theFirstMatchWinsAndEveryRunStartsUntagged() throws Exception {
        PreTagMap m = map(RecordSource.NETFLOW, "! comment", "set_tag=10 ip=192.0.2.1 in=200",
                "set_tag=20 filter='tcp and port 443'", "set_tag=30 ip=192.0.2.1", "set_tag2=7 vlan=100",
                "set_label=customer-a src_mac=02:00:00:00:00:01");
        assertEquals(20, tagged(m, flow()).tag);
        FlowRecord r = flow();
        r.inIface = 200;
        assertEquals(10, tagged(m, r).tag);
        r = flow();
        r.dstPort = 80;
        assertEquals(30, tagged(m, r).tag);
        r = flow();
        r.peerSrcLo = v4("192.0.2.9");
        r.dstPort = 80;
        r.vlan = 100;
        r.tag = 99; // left from somewhere else: the map decides
        r.label = "stale";
        tagged(m, r);
        assertEquals(0, r.tag);
        assertEquals(7, r.tag2);
        assertNull(r.label);
    }

    @Test
    void jeqStackAndJoinedLabels() throws Exception {
        PreTagMap m = map(RecordSource.NETFLOW,
                "set_tag=11000 ip=192.0.2.1 in=1 jeq=eval_out",
                "set_tag=12000 ip=192.0.2.1 in=100 jeq=eval_out",
                "set_tag=99 ip=192.0.2.1",
                "set_tag=100 ip=192.0.2.1 out=1 label=eval_out stack=sum",
                "set_tag=200 ip=192.0.2.1 out=200 stack=sum");
        assertEquals(12200, tagged(m, flow()).tag, "in 100 then out 200, summed");
        FlowRecord r = flow();
        r.outIface = 5; // no out rule matches after the jump: the in tag stays
        assertEquals(12000, tagged(m, r).tag);

        PreTagMap labels = map(RecordSource.NETFLOW, "set_label=blabla ip=0.0.0.0/0 label=blabla jeq=blabla2",
                "set_label=blabla2 ip=0.0.0.0/0 label=blabla2");
        FlowRecord a = tagged(labels, flow());
        assertEquals("blabla,blabla2", a.label);
        assertTrue(a.label == tagged(labels, flow()).label, "the joined label is built once");

        PreTagMap next = map(RecordSource.NETFLOW, "set_tag=1 in=100 jeq=next", "set_tag2=2 out=200");
        FlowRecord n = tagged(next, flow());
        assertEquals(1, n.tag);
        assertEquals(2, n.tag2);

        PreTagMap or = map(RecordSource.NETFLOW, "set_tag=1 in=100 jeq=more", "set_tag=4 label=more stack=or");
        assertEquals(5, tagged(or, flow()).tag);
    }

    @Test
    void autoIncreasingTagsCountUp() throws Exception {
        PreTagMap m = map(RecordSource.NETFLOW, "set_tag=5++ ip=0.0.0.0/0");
        assertEquals(5, tagged(m, flow()).tag);
        assertEquals(6, tagged(m, flow()).tag);
        assertEquals(7, tagged(m, flow()).tag);
    }

    @Test
    void pmacctdRefusesExporterKeysButTakesItsOwn() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> map(RecordSource.PACKETS, "set_tag=1", "set_tag=10 ip=192.0.2.1"));
        assertTrue(e.getMessage().startsWith(dir.resolve("pretag.map") + ":2: ip is about an exporter"), e.getMessage());
        PreTagMap m = map(RecordSource.PACKETS, "set_tag=1 filter='tcp' direction=0", "set_tag=2 filter='tcp'");
        FlowRecord r = flow();
        r.direction = FlowRecord.DIRECTION_INGRESS;
        assertEquals(1, tagged(m, r).tag);
    }

    @Test
    void badLinesNameFileAndLine() throws Exception {
        String[][] cases = {
            {"set_tag=1 colour=red", ":2: unknown key 'colour'"},
            {"set_tag=0 in=1", ":2: set_tag=0: expected a tag"},
            {"in=1", ":2: a rule needs set_tag"},
            {"set_tag=1 filter='tcp prot 80'", ":2: filter='tcp prot 80': at position 1 ('tcp prot 80'): "},
            {"set_tag=1 jeq=nowhere", ":2: jeq=nowhere names no rule below it"},
            {"set_tag=1 label=next", ":2: label=next is reserved"},
            {"set_tag=1 return=true", ":2: return=true"},
            {"set_tag=1 stack=max", ":2: stack=max"},
            {"set_tag=1 src_mac=02:00:00", ":2: '02:00:00' is not a MAC address"},
            {"set_tag=1 in=eth0", ":2: in=eth0: expected a number"},
            {"set_tag=1 filter='tcp", ":2: unclosed quote"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> map(RecordSource.NETFLOW, "set_tag=5 in=1", c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(dir.resolve("pretag.map").toString()), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
