package jpmacct.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import jpmacct.core.config.ConfigException;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.record.Addr;

class CollectorPartsTest {

    @Test
    void kernelDropsAndUnreadBytesAreSummedForTheBoundAddressAndPort() throws Exception {
        List<String> lines = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  1: 0100007F:0834 00000000:0000 07 00000000:000001C0 00:00000000 00000000     0        0 1 2 0000000000000000 17",
                "  2: 0100007F:0834 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 3",
                "  3: 0100007F:0835 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 99",
                "  4: 0200007F:0834 00000000:0000 07 00000000:00000200 00:00000000 00000000     0        0 1 2 0000000000000000 5",
                "  5: 0000000000000000FFFF00000100007F:0834 00000000000000000000000000000000:0000 07 00000000:00000010 "
                        + "00:00000000 00000000     0        0 1 2 0000000000000000 100");
        List<String> loopback = KernelUdpSockets.procForms(InetAddress.getByName("127.0.0.1"));
        assertEquals(List.of("0100007F", "0000000000000000FFFF00000100007F"), loopback, "the udp and the udp6 form");
        assertEquals(120, KernelUdpSockets.dropsFor(lines, loopback, 2100), "another address of the same port is not ours");
        assertEquals(125, KernelUdpSockets.dropsFor(lines, List.of(), 2100));
        assertEquals(0x1d0, KernelUdpSockets.sumFor(lines, loopback, 2100, KernelUdpSockets::receiveQueue));
        assertEquals(List.of("00000000000000000000000001000000"), KernelUdpSockets.procForms(InetAddress.getByName("::1")));
        assertEquals(3, KernelUdpSockets.procForms(InetAddress.getByName("0.0.0.0")).size());
        assertEquals(-1, new KernelUdpSockets(loopback, 2100, List.of(Path.of("/nonexistent/udp"))).read());
        assertEquals(-1, new KernelUdpSockets(loopback, 2100, List.of(Path.of("/nonexistent/udp"))).unread());
    }

    @Test
    void samplingMapFirstMatchWins(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sampling.map");
        Files.writeString(f, "! comment\nid=1024 ip=192.168.1.1\nid=2048 ip=192.168.2.0/24 in=5\nid=4096 ip=192.168.2.0/24 "
                + "out=-3\nid=10 ip=2001:db8::/32\n");
        SamplingMap m = SamplingMap.load(f);
        assertEquals(4, m.size());
        Addr.Parsed a = Addr.parse("192.168.1.1");
        assertEquals(1024, m.rate(a.family(), a.hi(), a.lo(), 0, 0));
        Addr.Parsed b = Addr.parse("192.168.2.7");
        assertEquals(2048, m.rate(b.family(), b.hi(), b.lo(), 5, 1));
        assertEquals(4096, m.rate(b.family(), b.hi(), b.lo(), 6, 1), "out=-3: any output but 3");
        assertEquals(0, m.rate(b.family(), b.hi(), b.lo(), 6, 3));
        Addr.Parsed c = Addr.parse("2001:db8:1::1");
        assertEquals(10, m.rate(c.family(), c.hi(), c.lo(), 0, 0));
        Files.writeString(f, "id=x ip=192.168.1.1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SamplingMap.load(f));
        assertTrue(e.getMessage().contains("sampling.map:1"), e.getMessage());
        Files.writeString(f, "id=5 ip=192.168.1.1 vlan=3\n");
        assertTrue(assertThrows(ConfigException.class, () -> SamplingMap.load(f)).getMessage().contains("unknown key 'vlan'"));
    }

    /** Ethernet, 802.1Q, IPv4, UDP, payload "abc". */
    private static ByteBuffer frame() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(new byte[12]).putShort((short) 0x8100).putShort((short) 7).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 31).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {10, 0, 0, 9}).put(new byte[] {10, 0, 0, 1});
        b.putShort((short) 5000).putShort((short) 2100).putShort((short) 11).putShort((short) 0).put("abc".getBytes());
        b.flip();
        return b;
    }

    @Test
    void savefileFramesGiveTheirUdpPayloadAndSource() throws Exception {
        List<String> got = new ArrayList<>();
        SavefileDatagrams d = new SavefileDatagrams((datagram, length, sender, arrivalMicros) ->
                got.add(sender.getHostAddress() + " " + new String(datagram, 0, length)));
        ByteBuffer f = frame();
        d.onPacket(f, 0, f.limit(), f.limit(), 0, LinkTypes.ETHERNET, 0);
        d.onPacket(f, 0, f.limit() - 2, f.limit(), 0, LinkTypes.ETHERNET, 0); // cut by the snaplen
        ByteBuffer frag = frame();
        frag.putShort(18 + 6, (short) 0x2000); // more fragments
        d.onPacket(frag, 0, frag.limit(), frag.limit(), 0, LinkTypes.ETHERNET, 0);
        d.onPacket(f, 0, f.limit(), f.limit(), 0, 147, 0); // a link type without IP
        assertEquals(List.of("10.0.0.9 abc"), got);
        assertEquals(1, d.datagrams());
        assertEquals(3, d.skipped());
    }
}
