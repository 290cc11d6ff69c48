package jpmacct.sfacctd.decode;

import static jpmacct.sfacctd.decode.SflowWire.ethernetIpv4;
import static jpmacct.sfacctd.decode.SflowWire.flowSample;
import static jpmacct.sfacctd.decode.SflowWire.header;
import static jpmacct.sfacctd.decode.SflowWire.record;
import static jpmacct.sfacctd.decode.SflowWire.v5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * What pmacct 1.8's SF_* handlers take from a flow sample: in_vlan, out_vlan, in_cvlan, flow_label, vxlan, the
 * tunnel_* fields of VXLAN and IP-in-IP packets, sampling_direction, the MPLS label stack and mpls_pw_id.
 */
class SflowPmacct18Test {
    private static final int[] AGENT = {10, 0, 0, 1};
    private static final int[] SRC = {192, 168, 1, 5};
    private static final int[] DST = {203, 0, 113, 9};

    private static FlowRecord decode(byte[]... records) throws Exception {
        SflowDecoderTest.Harness h = new SflowDecoderTest.Harness();
        h.feed(v5(AGENT, 0, 1, 1).part(1, flowSample(100, 3, 7, records)).build());
        assertEquals(1, h.records.size());
        return h.records.get(0);
    }

    private static byte[] frame(ByteBuffer b) {
        return Arrays.copyOf(b.array(), b.position());
    }

    private static ByteBuffer ipv4(ByteBuffer b, int proto, int[] src, int[] dst, int tos) {
        b.put((byte) 0x45).put((byte) tos).putShort((short) 60).putInt(0).put((byte) 64).put((byte) proto)
                .putShort((short) 0);
        for (int x : src) {
            b.put((byte) x);
        }
        for (int x : dst) {
            b.put((byte) x);
        }
        return b;
    }

    private static ByteBuffer udp(ByteBuffer b, int sport, int dport) {
        return b.putShort((short) sport).putShort((short) dport).putShort((short) 40).putShort((short) 0);
    }

    @Test
    void inAndOutVlansFromTheSwitchRecordElseTheHeadersTag() throws Exception {
        byte[] tagged = header(1, 1518, ethernetIpv4(42, 6, SRC, DST, 443, 51000, 1500, 128));
        FlowRecord r = decode(tagged, record(1001, new SflowWire().u32(10).u32(0).u32(20).u32(0)));
        assertEquals(10, r.inVlan);
        assertEquals(20, r.outVlan);
        assertEquals(10, r.vlan);
        r = decode(tagged);
        assertEquals(42, r.inVlan, "the header's tag when no switch record says more");
        assertEquals(0, r.outVlan);
        r = decode(tagged, record(1001, new SflowWire().u32(0).u32(0).u32(20).u32(0)));
        assertEquals(0, r.inVlan);
        assertEquals(20, r.outVlan);
        assertEquals(20, r.vlan);
    }

    @Test
    void customerVlanOfAQinQFrame() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.put(new byte[12]).putShort((short) 0x88A8).putShort((short) 100).putShort((short) 0x8100)
                .putShort((short) ((3 << 13) | 200)).putShort((short) 0x0800);
        udp(ipv4(b, 17, SRC, DST, 0), 53, 5353);
        FlowRecord r = decode(header(1, 100, frame(b)));
        assertEquals(100, r.vlan);
        assertEquals(100, r.inVlan);
        assertEquals(200, r.inCvlan);
        assertEquals(53, r.srcPort);
    }

    @Test
    void flowLabelOfAnIpv6Header() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.put(new byte[12]).putShort((short) 0x86DD);
        b.putInt((6 << 28) | (0x10 << 20) | 0xABCDE).putShort((short) 8).put((byte) 17).put((byte) 64);
        b.putLong(0x20010db800000000L).putLong(1).putLong(0x20010db800000000L).putLong(2);
        udp(b, 1, 2);
        FlowRecord r = decode(header(1, 100, frame(b)));
        assertEquals(0xABCDE, r.flowLabel);
        assertEquals(0x10, r.tos);
        ByteBuffer v4 = ByteBuffer.allocate(128);
        v4.put(new byte[12]).putShort((short) 0x0800);
        udp(ipv4(v4, 17, SRC, DST, 0), 53, 5353);
        SflowDecoderTest.Harness h = new SflowDecoderTest.Harness();
        h.feed(v5(AGENT, 0, 1, 2).part(1, flowSample(100, 3, 7, header(1, 100, frame(b))))
                .part(1, flowSample(100, 3, 7, header(1, 100, frame(v4)))).build());
        assertEquals(0xABCDE, h.records.get(0).flowLabel);
        assertEquals(0, h.records.get(1).flowLabel, "the next sample in the same slot has none");
    }

    @Test
    void vxlanAndItsInnerFrameAsTunnel() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(160);
        b.put(new byte[12]).putShort((short) 0x0800);
        udp(ipv4(b, 17, SRC, DST, 0), 40000, 4789);
        b.putInt(0x08000000).putInt(0x00ABCD00);
        b.put(new byte[] {0, 0, 0, 0, 0, 2}).put(new byte[] {0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        ipv4(b, 6, new int[] {10, 1, 1, 1}, new int[] {10, 2, 2, 2}, 0x28);
        b.putShort((short) 1234).putShort((short) 80).putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x02);
        b.putShort((short) 0).putInt(0);
        FlowRecord r = decode(header(1, 200, frame(b)));
        assertEquals(0xABCD, r.vxlan);
        assertEquals(1, r.tunnelSrcMac);
        assertEquals(2, r.tunnelDstMac);
        assertEquals("10.1.1.1", Addr.toString(r.tunnelSrcFamily, r.tunnelSrcHi, r.tunnelSrcLo));
        assertEquals(6, r.tunnelProto);
        assertEquals(0x28, r.tunnelTos);
        assertEquals(80, r.tunnelDstPort);
        assertEquals(0x02, r.tunnelTcpFlags);
        assertEquals(4789, r.dstPort, "the outer header stays the flow's");
    }

    @Test
    void ipInIpInnerHeaderAsTunnel() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.put(new byte[12]).putShort((short) 0x0800);
        ipv4(b, 4, SRC, DST, 0);
        udp(ipv4(b, 17, new int[] {10, 1, 1, 1}, new int[] {10, 2, 2, 2}, 8), 500, 4500);
        FlowRecord r = decode(header(1, 100, frame(b)));
        assertEquals(4, r.proto);
        assertEquals(0, r.srcPort);
        assertEquals("10.2.2.2", Addr.toString(r.tunnelDstFamily, r.tunnelDstHi, r.tunnelDstLo));
        assertEquals(17, r.tunnelProto);
        assertEquals(500, r.tunnelSrcPort);
        assertEquals(8, r.tunnelTos);
    }

    @Test
    void samplingDirectionFromTheDataSourceIndex() throws Exception {
        byte[] h = header(1, 1518, ethernetIpv4(0, 6, SRC, DST, 443, 51000, 1500, 128));
        assertEquals(FlowRecord.DIRECTION_INGRESS, decode(h).direction, "source index 3 is the input interface");
        SflowDecoderTest.Harness harness = new SflowDecoderTest.Harness();
        SflowWire egress = new SflowWire().u32(1).u32(7).u32(100).u32(1000).u32(0).u32(3).u32(7).u32(1).bytes(h);
        SflowWire other = new SflowWire().u32(2).u32(9).u32(100).u32(1000).u32(0).u32(3).u32(7).u32(1).bytes(h);
        SflowWire expanded = new SflowWire().u32(3).u32(0).u32(7).u32(100).u32(1000).u32(0).u32(0).u32(3).u32(0).u32(7)
                .u32(1).bytes(h);
        harness.feed(v5(AGENT, 0, 1, 3).part(1, egress).part(1, other).part(3, expanded).build());
        assertEquals(FlowRecord.DIRECTION_EGRESS, harness.records.get(0).direction);
        assertEquals(FlowRecord.DIRECTION_UNKNOWN, harness.records.get(1).direction);
        assertEquals(FlowRecord.DIRECTION_EGRESS, harness.records.get(2).direction, "expanded: its own index word");
    }

    private static int[] stack(FlowRecord r) {
        return Arrays.copyOf(r.mplsLabels, r.mplsLabelCount);
    }

    @Test
    void labelStackOfTheHeaderOrOfTheExtendedMplsRecord() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.put(new byte[12]).putShort((short) 0x8847).putInt(100 << 12).putInt(200 << 12).putInt((300 << 12) | 0x100);
        udp(ipv4(b, 17, SRC, DST, 0), 1, 2);
        byte[] labelled = header(1, 100, frame(b));
        FlowRecord r = decode(labelled);
        assertArrayEquals(new int[] {100, 200, 300}, stack(r));
        assertEquals(100, r.mplsLabelTop);
        assertEquals(300, r.mplsLabelBottom);
        assertEquals(3, r.mplsStackDepth);
        assertEquals(1, r.srcPort);
        byte[] mpls = record(1006, new SflowWire().ipv4(10, 0, 0, 9).u32(2).u32(16 << 12).u32((17 << 12) | 0x100)
                .u32(1).u32(99 << 12));
        r = decode(labelled, mpls);
        assertArrayEquals(new int[] {16, 17}, stack(r), "the later record's stack, as pmacct");
        assertEquals(17, r.mplsLabelBottom);
        r = decode(mpls, header(1, 1518, ethernetIpv4(0, 6, SRC, DST, 443, 51000, 1500, 128)));
        assertArrayEquals(new int[] {16, 17}, stack(r), "a header without labels keeps the record's");
    }

    @Test
    void pseudowireIdOfTheExtendedMplsVcRecord() throws Exception {
        byte[] vc = record(1009, new SflowWire().u32(5).bytes("vc-42".getBytes()).u32(4_000_000_001L).u32(0));
        FlowRecord r = decode(vc, header(1, 1518, ethernetIpv4(0, 6, SRC, DST, 443, 51000, 1500, 128)));
        assertEquals(4_000_000_001L, r.mplsPwId, "kept through the header's decoding");
    }
}
