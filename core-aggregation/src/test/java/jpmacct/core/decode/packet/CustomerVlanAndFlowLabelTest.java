package jpmacct.core.decode.packet;

import static jpmacct.core.decode.packet.Pkt.UDP;
import static jpmacct.core.decode.packet.Pkt.eth;
import static jpmacct.core.decode.packet.Pkt.ip4;
import static jpmacct.core.decode.packet.Pkt.mpls;
import static jpmacct.core.decode.packet.Pkt.tag;
import static jpmacct.core.decode.packet.Pkt.udp;
import static jpmacct.core.decode.packet.Pkt.udp4;
import static jpmacct.core.decode.packet.Pkt.udp6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Verdict;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * pmacct 1.8's in_cvlan (the second tag of a QinQ frame) and flow_label (the IPv6 header's) as the packet decoder
 * gives them to pmacctd and sfacctd; the label stack and IP-in-IP only for sfacctd's sampled headers.
 */
class CustomerVlanAndFlowLabelTest {
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86DD;

    private final Decoding d = new Decoding(null, null);
    private final FlowRecord r = d.r;

    @Test
    void theSecondTagIsTheCustomerVlan() {
        byte[] frame = eth(0x88A8, tag(1, 100, 0x8100), tag(3, 200, IPV4), udp4().bytes());
        assertEquals(Verdict.OK, d.decode(LinkTypes.ETHERNET, frame));
        assertEquals(100, r.vlan);
        assertEquals(1, r.cos);
        assertEquals(200, r.inCvlan);
        d.decode(LinkTypes.ETHERNET, eth(0x8100, tag(0, 7, IPV4), udp4().bytes()));
        assertEquals(7, r.vlan);
        assertEquals(0, r.inCvlan);
        assertFalse(r.extended);
    }

    @Test
    void flowLabelOfIpv6() {
        d.decode(LinkTypes.ETHERNET, eth(IPV6, udp6().bytes()));
        assertEquals(0xABCDE, r.flowLabel);
        assertTrue(r.pmacct18, "a written flow label sets the flag that clears it");
        d.decode(LinkTypes.ETHERNET, eth(IPV4, udp4().bytes()));
        assertEquals(0, r.flowLabel, "the slot's reused: the IPv6 packet's label is gone");
        assertFalse(r.pmacct18);
    }

    /** The decoder writes into a slot as it is (pmacctd's): what another writer flagged there reads zero. */
    @Test
    void flaggedFieldsOfTheSlotsEarlierRecordAreGone() {
        r.pmacct18 = true;
        r.fwdStatus = 64;
        r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_MAP;
        d.decode(LinkTypes.ETHERNET, eth(IPV4, udp4().bytes()));
        assertEquals(0, r.fwdStatus);
        assertEquals(FlowRecord.RD_ORIGIN_UNKNOWN, r.mplsVpnRdOrigin);
    }

    @Test
    void labelsAndIpInIpOnlyForSampledHeaders() {
        byte[] labelled = eth(0x8847, mpls(100, false), mpls(200, true), udp4().bytes());
        byte[] ipInIp = eth(IPV4, ip4(4, ip4(UDP, udp(500, 4500, 0)).src("10.1.1.1").bytes()).bytes());
        d.decode(LinkTypes.ETHERNET, labelled);
        assertEquals(0, r.mplsLabelCount, "pmacctd: no label stack");
        d.decode(LinkTypes.ETHERNET, ipInIp);
        assertEquals(Addr.NONE, r.tunnelSrcFamily, "pmacctd: no IP-in-IP tunnel");
        FlowRecord s = new FlowRecord();
        PacketDecoder sampled = new PacketDecoder(null, null, new DecodeStats(), true);
        sampled.decode(Decoding.place(labelled, labelled.length), Decoding.PREFIX, labelled.length, labelled.length,
                LinkTypes.ETHERNET, Decoding.TS, s);
        assertEquals(2, s.mplsLabelCount);
        assertEquals(100, s.mplsLabelTop);
        assertEquals(200, s.mplsLabelBottom);
        assertEquals(2, s.mplsStackDepth);
        sampled.decode(Decoding.place(ipInIp, ipInIp.length), Decoding.PREFIX, ipInIp.length, ipInIp.length,
                LinkTypes.ETHERNET, Decoding.TS, s);
        assertEquals(4, s.proto);
        assertEquals("10.1.1.1", Addr.toString(s.tunnelSrcFamily, s.tunnelSrcHi, s.tunnelSrcLo));
        assertEquals(UDP, s.tunnelProto);
        assertEquals(4500, s.tunnelDstPort);
    }
}
