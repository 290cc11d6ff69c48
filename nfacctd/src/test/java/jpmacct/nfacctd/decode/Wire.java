package jpmacct.nfacctd.decode;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds NetFlow and IPFIX datagrams byte by byte for the decoder tests. */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Wire u8(int v) {
        out.write(v);
        return this;
    }

    Wire u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    Wire u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    Wire u64(long v) {
        return u32(v >>> 32).u32(v);
    }

    Wire ip(String address) {
        try {
            out.writeBytes(InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    Wire bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Wire zeros(int n) {
        return bytes(new byte[n]);
    }

    int size() {
        return out.size();
    }

    byte[] array() {
        return out.toByteArray();
    }

    /** A set: id, length (4 + body), body. */
    static byte[] set(int id, byte[] body) {
        return new Wire().u16(id).u16(body.length + 4).bytes(body).array();
    }

    /** A template record: id, count, then (type, length) pairs; enterprise fields as (type | 0x8000, length, pen). */
    static byte[] template(int id, int... typeLength) {
        Wire w = new Wire().u16(id).u16(typeLength.length / 2);
        for (int i = 0; i < typeLength.length; i += 2) {
            w.u16(typeLength[i]).u16(typeLength[i + 1]);
        }
        return w.array();
    }

    /** NetFlow v9 message: header (count = sets) and the sets. */
    static byte[] v9(long uptime, long unixSecs, long sequence, long sourceId, byte[]... sets) {
        Wire w = new Wire().u16(9).u16(sets.length).u32(uptime).u32(unixSecs).u32(sequence).u32(sourceId);
        for (byte[] s : sets) {
            w.bytes(s);
        }
        return w.array();
    }

    /** IPFIX message with its length filled in. */
    static byte[] ipfix(long exportSecs, long sequence, long domain, byte[]... sets) {
        int len = 16;
        for (byte[] s : sets) {
            len += s.length;
        }
        Wire w = new Wire().u16(10).u16(len).u32(exportSecs).u32(sequence).u32(domain);
        for (byte[] s : sets) {
            w.bytes(s);
        }
        return w.array();
    }

    static byte[] concat(byte[]... parts) {
        Wire w = new Wire();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.array();
    }
}
