package jpmacct.core.decode.packet;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Hand-built frames for the decoder tests: big-endian header builders that return byte arrays, joined with
 * {@link #cat}. Every builder writes the fields the decoder reads and plausible values elsewhere.
 */
final class Pkt {
    static final long MAC_A = 0x0200_0000_00AAL;
    static final long MAC_B = 0x0200_0000_00BBL;

    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private Pkt() {
    }

    /** A growable big-endian writer. */
    static final class W {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        W u8(int v) {
            out.write(v);
            return this;
        }

        W u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        W u32(int v) {
            return u16(v >>> 16).u16(v);
        }

        W mac(long m) {
            return u16((int) (m >>> 32)).u32((int) m);
        }

        W bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        W zeros(int n) {
            return bytes(new byte[n]);
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    static W w() {
        return new W();
    }

    static byte[] cat(byte[]... parts) {
        W w = new W();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.build();
    }

    /** {@code n} bytes counting up from {@code first}, so that misplaced reads show. */
    static byte[] fill(int n, int first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    // ---- link layer ----

    static byte[] eth(int etype, byte[]... payload) {
        return cat(w().mac(MAC_B).mac(MAC_A).u16(etype).build(), cat(payload));
    }

    /** The body of an 802.1Q/802.1ad tag (TCI and the next ethertype); the TPID is the ethertype before it. */
    static byte[] tag(int pcp, int vid, int nextEtype) {
        return w().u16(pcp << 13 | vid).u16(nextEtype).build();
    }

    static byte[] mpls(int label, boolean bottom) {
        return w().u32(label << 12 | 5 << 9 | (bottom ? 1 << 8 : 0) | 64).build();
    }

    static byte[] pppoe(int pppProtocol, int payloadLen) {
        return w().u8(0x11).u8(0).u16(0x1234).u16(payloadLen + 2).u16(pppProtocol).build();
    }

    /** Linux cooked v1 header. */
    static byte[] sll(int addrLen, long mac, int protocol) {
        return w().u16(0).u16(1).u16(addrLen).mac(mac).u16(0).u16(protocol).build();
    }

    /** Linux cooked v2 header. */
    static byte[] sll2(int protocol, int addrLen, long mac) {
        return w().u16(protocol).u16(0).u32(3).u16(1).u8(4).u8(addrLen).mac(mac).u16(0).build();
    }

    /** BSD loopback family word. */
    static byte[] loopback(int family, boolean littleEndian) {
        return w().u32(littleEndian ? Integer.reverseBytes(family) : family).build();
    }

    // ---- transport ----

    static byte[] tcp(int srcPort, int dstPort, int flags, long seq) {
        return w().u16(srcPort).u16(dstPort).u32((int) seq).u32(0).u8(5 << 4).u8(flags).u16(65535).u16(0).u16(0)
                .build();
    }

    static byte[] udp(int srcPort, int dstPort, int payloadLen) {
        return w().u16(srcPort).u16(dstPort).u16(8 + payloadLen).u16(0).build();
    }

    static byte[] icmp(int type, int code) {
        return w().u8(type).u8(code).u16(0).u32(0x00010002).build();
    }

    /** What IPv4 and IPv6 headers share: addresses, version, TOS / traffic class. */
    abstract static class Ip<T extends Ip<T>> {
        String src;
        String dst;
        int version;
        int tos;

        Ip(String src, String dst, int version) {
            this.src = src;
            this.dst = dst;
            this.version = version;
        }

        abstract T self();

        abstract byte[] bytes();

        T src(String a) {
            src = a;
            return self();
        }

        T dst(String a) {
            dst = a;
            return self();
        }

        T version(int v) {
            version = v;
            return self();
        }

        /** TOS (IPv4) or traffic class (IPv6). */
        T tos(int v) {
            tos = v;
            return self();
        }
    }

    // ---- IPv4 ----

    static Ip4 ip4(int proto, byte[]... payload) {
        return new Ip4(proto, cat(payload));
    }

    static final class Ip4 extends Ip<Ip4> {
        private final int proto;
        private final byte[] payload;
        private int id = 0x4242;
        private int flagsFragment;
        private byte[] options = new byte[0];
        private int headerWords = -1;
        private int totalLen = -1;

        Ip4(int proto, byte[] payload) {
            super("192.0.2.1", "198.51.100.2", 4);
            this.proto = proto;
            this.payload = payload;
        }

        @Override
        Ip4 self() {
            return this;
        }

        Ip4 id(int v) {
            id = v;
            return this;
        }

        /** Fragment offset in bytes (a multiple of 8) and the more-fragments flag. */
        Ip4 fragment(int offsetBytes, boolean more) {
            flagsFragment = (more ? 0x2000 : 0) | (offsetBytes / 8);
            return this;
        }

        Ip4 dontFragment() {
            flagsFragment = 0x4000;
            return this;
        }

        Ip4 options(byte[] o) {
            options = o;
            return this;
        }

        /** Overrides the header length field (32-bit words). */
        Ip4 ihl(int words) {
            headerWords = words;
            return this;
        }

        /** Overrides the total length field. */
        Ip4 totalLen(int v) {
            totalLen = v;
            return this;
        }

        int length() {
            return 20 + options.length + payload.length;
        }

        @Override
        byte[] bytes() {
            int ihl = headerWords >= 0 ? headerWords : (20 + options.length) / 4;
            int len = totalLen >= 0 ? totalLen : length();
            return w().u8(version << 4 | ihl).u8(tos).u16(len).u16(id).u16(flagsFragment).u8(64).u8(proto).u16(0)
                    .bytes(addr(src)).bytes(addr(dst)).bytes(options).bytes(payload).build();
        }
    }

    // ---- IPv6 ----

    static Ip6 ip6(int nextHeader, byte[]... payload) {
        return new Ip6(nextHeader, cat(payload));
    }

    static final class Ip6 extends Ip<Ip6> {
        private final int nextHeader;
        private final byte[] payload;
        private int payloadLen = -1;

        Ip6(int nextHeader, byte[] payload) {
            super("2001:db8::1", "2001:db8:ffff::2", 6);
            this.nextHeader = nextHeader;
            this.payload = payload;
        }

        @Override
        Ip6 self() {
            return this;
        }

        /** Overrides the payload length field. */
        Ip6 payloadLen(int v) {
            payloadLen = v;
            return this;
        }

        int length() {
            return 40 + payload.length;
        }

        @Override
        byte[] bytes() {
            int plen = payloadLen >= 0 ? payloadLen : payload.length;
            return w().u32(version << 28 | tos << 20 | 0xABCDE).u16(plen).u8(nextHeader).u8(64)
                    .bytes(addr(src)).bytes(addr(dst)).bytes(payload).build();
        }
    }

    /** UDP 1000 -> 2000 with 12 payload bytes: 40 bytes of IPv4. */
    static Ip4 udp4() {
        return ip4(UDP, udp(1000, 2000, 12), fill(12, 0));
    }

    /** UDP 1000 -> 2000 with 12 payload bytes: 60 bytes of IPv6. */
    static Ip6 udp6() {
        return ip6(UDP, udp(1000, 2000, 12), fill(12, 0));
    }

    /** An Ethernet frame of the TCP connection from 192.0.2.1:40000 (the client) to 198.51.100.2:443. */
    static byte[] tcpConversation(boolean fromClient, int flags, long seq) {
        Ip4 ip = ip4(TCP, tcp(fromClient ? 40000 : 443, fromClient ? 443 : 40000, flags, seq), fill(10, 0));
        return eth(0x0800, (fromClient ? ip : ip.src("198.51.100.2").dst("192.0.2.1")).bytes());
    }

    /** Hop-by-hop, routing, destination options or mobility header: {@code (units + 1) * 8} bytes. */
    static byte[] ext(int nextHeader, int units) {
        return w().u8(nextHeader).u8(units).bytes(fill((units + 1) * 8 - 2, 0x60)).build();
    }

    /** Authentication header with a 12-byte ICV: 24 bytes, length field 4. */
    static byte[] ah(int nextHeader) {
        return w().u8(nextHeader).u8(4).u16(0).u32(0x1000).u32(1).bytes(fill(12, 0x70)).build();
    }

    static byte[] frag6(int nextHeader, int offsetBytes, boolean more, int id) {
        return w().u8(nextHeader).u8(0).u16(offsetBytes | (more ? 1 : 0)).u32(id).build();
    }
}
