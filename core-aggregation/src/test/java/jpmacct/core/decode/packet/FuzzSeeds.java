package jpmacct.core.decode.packet;

import static jpmacct.core.decode.packet.Pkt.ACK;
import static jpmacct.core.decode.packet.Pkt.FIN;
import static jpmacct.core.decode.packet.Pkt.ICMP;
import static jpmacct.core.decode.packet.Pkt.PSH;
import static jpmacct.core.decode.packet.Pkt.SYN;
import static jpmacct.core.decode.packet.Pkt.TCP;
import static jpmacct.core.decode.packet.Pkt.UDP;
import static jpmacct.core.decode.packet.Pkt.ah;
import static jpmacct.core.decode.packet.Pkt.cat;
import static jpmacct.core.decode.packet.Pkt.eth;
import static jpmacct.core.decode.packet.Pkt.ext;
import static jpmacct.core.decode.packet.Pkt.fill;
import static jpmacct.core.decode.packet.Pkt.frag6;
import static jpmacct.core.decode.packet.Pkt.icmp;
import static jpmacct.core.decode.packet.Pkt.ip4;
import static jpmacct.core.decode.packet.Pkt.ip6;
import static jpmacct.core.decode.packet.Pkt.loopback;
import static jpmacct.core.decode.packet.Pkt.mpls;
import static jpmacct.core.decode.packet.Pkt.pppoe;
import static jpmacct.core.decode.packet.Pkt.sll;
import static jpmacct.core.decode.packet.Pkt.sll2;
import static jpmacct.core.decode.packet.Pkt.tag;
import static jpmacct.core.decode.packet.Pkt.tcp;
import static jpmacct.core.decode.packet.Pkt.tcpConversation;
import static jpmacct.core.decode.packet.Pkt.udp;
import static jpmacct.core.decode.packet.Pkt.udp4;
import static jpmacct.core.decode.packet.Pkt.udp6;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed inputs of {@link PacketDecoderFuzzTest} (its input format is described there). Not a test; run
 * from core-aggregation after {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes jpmacct.core.decode.packet.FuzzSeeds \
 *     src/test/resources/jpmacct/core/decode/packet/PacketDecoderFuzzTestInputs/decodeArbitraryFrames
 * </pre>
 */
final class FuzzSeeds {
    // link selectors: indexes into PacketDecoderFuzzTest.LINKS, or link types above them
    private static final int ETH = 0;
    private static final int SLL = 1;
    private static final int SLL2 = 2;
    private static final int RAW = 3;
    private static final int NULL = 4;
    private static final int LOOP = 5;
    /** Flags bit: expire the fragment table after this frame. */
    private static final int EXPIRE = 0x10;
    /** Flags bit: the wire field is the wire length itself. */
    private static final int WIRE_ABSOLUTE = 0x20;

    private FuzzSeeds() {
    }

    /** One frame record, captured whole, with {@code wire} extra bytes on the wire. */
    private static byte[] frame(int link, int flags, int wire, int step, byte[] bytes) {
        return Pkt.w().u8(link).u8(flags).u16(wire).u8(step).u16(bytes.length).bytes(bytes).build();
    }

    private static byte[] frame(int link, byte[] bytes) {
        return frame(link, 3, 0, 1, bytes);
    }

    /** The first {@code caplen} bytes of a frame, the rest counted as on the wire. */
    private static byte[] cut(int link, byte[] bytes, int caplen) {
        return frame(link, 5, bytes.length - caplen, 1, Arrays.copyOf(bytes, caplen));
    }

    private static byte[] frag4(int id, int offset, boolean more, byte[] payload) {
        return eth(0x0800, ip4(UDP, payload).id(id).fragment(offset, more).bytes());
    }

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("ethernet-ipv4-tcp", frame(ETH, tcpConversation(true, SYN, 1)));
        s.put("ethernet-ipv4-icmp-options", frame(ETH, eth(0x0800,
                ip4(ICMP, icmp(8, 0), fill(8, 0)).options(new byte[] {1, 1, 1, 0}).bytes())));
        s.put("vlan-stacks", cat(
                frame(ETH, eth(0x8100, tag(5, 100, 0x0800), udp4().bytes())),
                frame(ETH, eth(0x88A8, tag(3, 200, 0x8100), tag(1, 10, 0x86DD), udp6().bytes())),
                frame(ETH, eth(0x9100, tag(4, 4095, 0x8100), tag(0, 1, 0x0800), udp4().bytes()))));
        s.put("mpls", cat(
                frame(ETH, eth(0x8847, mpls(1000, false), mpls(2000, true), udp4().bytes())),
                frame(ETH, eth(0x8847, mpls(2, true), udp6().bytes())),
                frame(ETH, eth(0x8848, mpls(0, true), udp4().bytes()))));
        s.put("pppoe", cat(
                frame(ETH, eth(0x8864, pppoe(0x0021, 40), udp4().bytes())),
                frame(ETH, eth(0x8100, tag(1, 7, 0x8864), pppoe(0x0057, 60), udp6().bytes()))));
        s.put("linux-cooked", cat(
                frame(SLL, cat(sll(6, Pkt.MAC_A, 0x0800), udp4().bytes())),
                frame(SLL2, cat(sll2(0x86DD, 6, Pkt.MAC_A), udp6().bytes()))));
        s.put("raw-and-loopback", cat(
                frame(RAW, udp4().bytes()), frame(LinkTypes.RAW_DLT_LINUX, udp6().bytes()), frame(LinkTypes.RAW_DLT_BSD, udp4().bytes()),
                frame(LinkTypes.IPV4, udp4().bytes()), frame(LinkTypes.IPV6, udp6().bytes()),
                frame(NULL, cat(loopback(30, true), udp6().bytes())), frame(LOOP, cat(loopback(2, false), udp4().bytes()))));
        s.put("ipv6-extension-headers", frame(ETH, eth(0x86DD,
                ip6(0, ext(60, 0), ext(43, 1), ext(51, 0), ah(TCP), tcp(1111, 2222, SYN, 3)).bytes())));
        s.put("ipv6-jumbo", frame(ETH, eth(0x86DD, ip6(0, new byte[] {UDP, 0, (byte) 0xC2, 4, 0, 1, 0, 0},
                udp(1, 2, 0)).payloadLen(0).bytes())));
        s.put("ipv4-fragments-out-of-order", cat(
                frame(ETH, frag4(7, 48, false, fill(20, 0x44))),
                frame(ETH, frag4(7, 24, true, fill(24, 0x33))),
                frame(ETH, frag4(7, 0, true, cat(udp(5000, 53, 60), fill(16, 0)))),
                frame(ETH, frag4(7, 48, false, fill(20, 0x44))),
                frame(ETH, frag4(8, 24, true, fill(24, 0x55))),
                frame(ETH, EXPIRE, 0, 200, frag4(9, 0, true, cat(udp(6000, 53, 60), fill(16, 0))))));
        s.put("ipv6-fragments-out-of-order", cat(
                frame(ETH, eth(0x86DD, ip6(44, frag6(UDP, 24, false, 0x12345678), fill(16, 0x33)).bytes())),
                frame(ETH, eth(0x86DD, ip6(44, frag6(UDP, 0, true, 0x12345678), udp(7000, 8000, 40), fill(16, 0))
                        .bytes())),
                frame(ETH, eth(0x86DD, ip6(44, frag6(UDP, 0, false, 1), udp(7000, 8000, 0)).bytes()))));
        byte[] orphans = new byte[0];
        for (int id = 0; id < 10; id++) {
            orphans = cat(orphans, frame(ETH, frag4(100 + id, 8, false, fill(8, id))));
        }
        s.put("pending-pool-exhausted", orphans);
        s.put("tcp-handshake-and-fin", cat(
                frame(ETH, tcpConversation(true, SYN, 1000)), frame(ETH, tcpConversation(false, SYN | ACK, 7000)),
                frame(ETH, tcpConversation(true, ACK, 1001)), frame(ETH, 3, 0, 255, tcpConversation(true, PSH | ACK, 1001)),
                frame(ETH, tcpConversation(true, FIN | ACK, 1010)), frame(ETH, 3, 0, 255, tcpConversation(false, ACK, 7001))));
        byte[] vlanTcp = eth(0x8100, tag(5, 100, 0x0800), ip4(TCP, tcp(1, 2, SYN, 1), fill(10, 0)).bytes());
        byte[] cuts = new byte[0];
        for (int caplen : new int[] {0, 13, 14, 17, 18, 37, 38, 41, 42, 51, 52}) {
            cuts = cat(cuts, cut(ETH, vlanTcp, caplen));
        }
        s.put("cut-at-every-layer", cuts);
        s.put("ipv6-extension-header-cut", cut(ETH, eth(0x86DD, ip6(60, ext(TCP, 3), tcp(1, 2, ACK, 1)).bytes()),
                14 + 40 + 8));
        s.put("wire-length-below-capture", cat(
                frame(ETH, WIRE_ABSOLUTE, 0, 1, eth(0x0800, udp4().bytes())),
                frame(RAW, WIRE_ABSOLUTE, 0xFFF0, 1, udp6().bytes())));
        s.put("forged-ip-lengths", cat(
                frame(ETH, eth(0x0800, ip4(UDP, udp(1, 2, 0)).totalLen(65535).bytes())),
                frame(ETH, eth(0x0800, ip4(UDP, udp(1, 2, 0)).totalLen(3).bytes())),
                frame(ETH, eth(0x86DD, ip6(UDP, udp(1, 2, 0)).payloadLen(65535).bytes()))));
        s.put("not-ip-malformed-unsupported", cat(
                frame(ETH, eth(0x0806, fill(28, 0))),
                frame(ETH, eth(0x0800, ip4(UDP, udp(1, 2, 0)).ihl(3).bytes())),
                frame(ETH, eth(0x86DD, ip6(UDP, udp(1, 2, 0)).version(4).bytes())),
                frame(127, eth(0x0800, udp4().bytes())),
                frame(LOOP, cat(loopback(2, true), udp4().bytes()))));
        return s;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
