package jpmacct.sfacctd.decode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds sFlow datagrams (XDR: big-endian 32-bit words, opaque data padded to 4) for tests. */
final class SflowWire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    SflowWire u32(long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
        return this;
    }

    SflowWire u64(long v) {
        return u32(v >>> 32).u32(v);
    }

    SflowWire bytes(byte[] b) {
        out.write(b, 0, b.length);
        for (int i = b.length; i % 4 != 0; i++) {
            out.write(0);
        }
        return this;
    }

    SflowWire ipv4(int a, int b, int c, int d) {
        return u32(1).bytes(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    /** A tagged, length-prefixed part (a v5 sample or record) built by {@code body}. */
    SflowWire part(int format, SflowWire body) {
        byte[] b = body.build();
        return u32(format).u32(b.length).bytes(b);
    }

    byte[] build() {
        return out.toByteArray();
    }

    /** v5 datagram header for agent a.b.c.d. */
    static SflowWire v5(int[] agent, long subAgent, long sequence, long samples) {
        return new SflowWire().u32(5).ipv4(agent[0], agent[1], agent[2], agent[3]).u32(subAgent).u32(sequence)
                .u32(123456).u32(samples);
    }

    /** A compact flow sample body with the given records already built. */
    static SflowWire flowSample(long rate, long input, long output, byte[]... records) {
        SflowWire w = new SflowWire().u32(1).u32(3).u32(rate).u32(rate * 10).u32(0).u32(input).u32(output)
                .u32(records.length);
        for (byte[] r : records) {
            w.bytes(r);
        }
        return w;
    }

    /** A raw header record (format 1) around a frame. */
    static byte[] header(int protocol, int frameLength, byte[] frame) {
        return new SflowWire().part(1, new SflowWire().u32(protocol).u32(frameLength).u32(4).u32(frame.length)
                .bytes(frame)).build();
    }

    static byte[] record(int format, SflowWire body) {
        return new SflowWire().part(format, body).build();
    }

    /** Ethernet (with an optional 802.1Q tag), IPv4, TCP or UDP; frames are cut at {@code caplen}. */
    static byte[] ethernetIpv4(int vlan, int proto, int[] src, int[] dst, int sport, int dport, int ipLength, int caplen) {
        ByteBuffer b = ByteBuffer.allocate(64 + 40);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1});
        if (vlan > 0) {
            b.putShort((short) 0x8100).putShort((short) ((5 << 13) | vlan));
        }
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0x10).putShort((short) ipLength).putInt(0).put((byte) 64).put((byte) proto)
                .putShort((short) 0);
        for (int x : src) {
            b.put((byte) x);
        }
        for (int x : dst) {
            b.put((byte) x);
        }
        b.putShort((short) sport).putShort((short) dport).putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x12);
        byte[] all = new byte[b.position()];
        b.flip();
        b.get(all);
        return Arrays.copyOf(all, Math.min(caplen, all.length));
    }
}
