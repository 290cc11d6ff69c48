package jpmacct.core.decode.packet;

import static jpmacct.core.decode.packet.Pkt.MAC_A;
import static jpmacct.core.decode.packet.Pkt.MAC_B;
import static jpmacct.core.decode.packet.Pkt.SYN;
import static jpmacct.core.decode.packet.Pkt.TCP;
import static jpmacct.core.decode.packet.Pkt.UDP;
import static jpmacct.core.decode.packet.Pkt.cat;
import static jpmacct.core.decode.packet.Pkt.eth;
import static jpmacct.core.decode.packet.Pkt.ip4;
import static jpmacct.core.decode.packet.Pkt.ip6;
import static jpmacct.core.decode.packet.Pkt.tcp;
import static jpmacct.core.decode.packet.Pkt.udp;
import static jpmacct.core.decode.packet.Pkt.w;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.Verdict;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/** pmacctd's tunnel_* primitives and vxlan: the inner frame of a VXLAN packet (UDP port 4789). */
class VxlanTest {
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86DD;

    private final Decoding d = new Decoding(null, null);
    private final FlowRecord r = d.r;

    private static byte[] vxlan(int vni, byte[] inner) {
        byte[] header = w().u32(0x08000000).u32(vni << 8).build();
        byte[] payload = cat(header, inner);
        return eth(IPV4, ip4(UDP, udp(40000, 4789, payload.length), payload).bytes());
    }

    @Test
    void innerIpv4TcpFrame() {
        byte[] inner = eth(IPV4, ip4(TCP, tcp(1234, 80, SYN, 1)).src("10.1.1.1").dst("10.2.2.2").tos(0x20).bytes());
        assertEquals(Verdict.OK, d.decode(LinkTypes.ETHERNET, vxlan(5001, inner)));
        assertEquals(UDP, r.proto);
        assertEquals(4789, r.dstPort);
        assertEquals(5001, r.vxlan);
        assertEquals(MAC_A, r.tunnelSrcMac);
        assertEquals(MAC_B, r.tunnelDstMac);
        assertEquals(Addr.V4, r.tunnelSrcFamily);
        assertEquals(0x0A010101L, r.tunnelSrcLo);
        assertEquals(0x0A020202L, r.tunnelDstLo);
        assertEquals(TCP, r.tunnelProto);
        assertEquals(0x20, r.tunnelTos);
        assertEquals(1234, r.tunnelSrcPort);
        assertEquals(80, r.tunnelDstPort);
        assertEquals(SYN, r.tunnelTcpFlags);
    }

    @Test
    void innerIpv6AndASlotReusedByAPlainPacket() {
        byte[] inner = eth(IPV6, ip6(UDP, udp(53, 5353, 0)).src("2001:db8::7").tos(0x28).bytes());
        d.decode(LinkTypes.ETHERNET, vxlan(42, inner));
        assertEquals(Addr.V6, r.tunnelSrcFamily);
        assertEquals(7, r.tunnelSrcLo);
        assertEquals(0x28, r.tunnelTos);
        assertEquals(UDP, r.tunnelProto);
        assertEquals(5353, r.tunnelDstPort);
        // the same slot then holds an ordinary packet: no tunnel fields left over
        d.decode(LinkTypes.ETHERNET, eth(IPV4, ip4(UDP, udp(1, 2, 0)).bytes()));
        assertFalse(r.extended);
        assertEquals(0, r.vxlan);
        assertEquals(Addr.NONE, r.tunnelSrcFamily);
        assertEquals(0, r.tunnelDstPort);
    }
}
