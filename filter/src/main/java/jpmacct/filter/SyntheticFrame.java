package jpmacct.filter;

import java.nio.ByteBuffer;

import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * An Ethernet frame standing for a flow record, so that libpcap filters written for packets apply to NetFlow
 * and sFlow records (pmacct does the same): MAC addresses, an 802.1Q tag when the record has a VLAN, IPv4 or IPv6
 * with ToS and protocol, then TCP (ports, flags), UDP (ports) or ICMP (type and code, which NetFlow keeps in the
 * destination port). Lengths are the headers' own: filters on packet sizes do not apply to flows.
 */
final class SyntheticFrame {
    static final int SIZE = 14 + 4 + 40 + 20;
    private final ByteBuffer buf = ByteBuffer.allocate(SIZE);
    private int length;

    ByteBuffer buffer() {
        return buf;
    }

    int length() {
        return length;
    }

    /** Writes the frame for a record; returns its length. */
    int build(FlowRecord r) {
        ByteBuffer b = buf;
        int p = 0;
        putMac(b, p, r.dstMac);
        putMac(b, p + 6, r.srcMac);
        p = 12;
        if (r.vlan != 0) {
            b.putShort(p, (short) 0x8100);
            b.putShort(p + 2, (short) ((r.cos & 7) << 13 | (r.vlan & 0xFFF)));
            p += 4;
        }
        int l4len = r.proto == 6 ? 20 : r.proto == 17 || r.proto == 1 || r.proto == 58 ? 8 : 0;
        if (r.srcFamily == Addr.V6 || r.dstFamily == Addr.V6) {
            b.putShort(p, (short) 0x86DD);
            p += 2;
            b.putInt(p, 6 << 28 | (r.tos & 0xFF) << 20);
            b.putShort(p + 4, (short) l4len);
            b.put(p + 6, (byte) r.proto);
            b.put(p + 7, (byte) 64);
            b.putLong(p + 8, r.srcHi);
            b.putLong(p + 16, r.srcLo);
            b.putLong(p + 24, r.dstHi);
            b.putLong(p + 32, r.dstLo);
            p += 40;
        } else if (r.srcFamily == Addr.V4 || r.dstFamily == Addr.V4) {
            b.putShort(p, (short) 0x0800);
            p += 2;
            b.put(p, (byte) 0x45);
            b.put(p + 1, (byte) r.tos);
            b.putShort(p + 2, (short) (20 + l4len));
            b.putInt(p + 4, 0); // id, flags, fragment offset: never a fragment
            b.put(p + 8, (byte) 64);
            b.put(p + 9, (byte) r.proto);
            b.putShort(p + 10, (short) 0);
            b.putInt(p + 12, (int) r.srcLo);
            b.putInt(p + 16, (int) r.dstLo);
            p += 20;
        } else {
            b.putShort(p, (short) 0);
            length = p + 2;
            return length;
        }
        if (r.proto == 6) {
            b.putShort(p, (short) r.srcPort);
            b.putShort(p + 2, (short) r.dstPort);
            b.putLong(p + 4, 0); // sequence and acknowledgement numbers
            b.put(p + 12, (byte) 0x50);
            b.put(p + 13, (byte) r.tcpFlags);
            b.putShort(p + 14, (short) 0xFFFF);
            b.putInt(p + 16, 0);
        } else if (r.proto == 17) {
            b.putShort(p, (short) r.srcPort);
            b.putShort(p + 2, (short) r.dstPort);
            b.putShort(p + 4, (short) 8);
            b.putShort(p + 6, (short) 0);
        } else if (r.proto == 1 || r.proto == 58) {
            b.put(p, (byte) (r.dstPort >>> 8));
            b.put(p + 1, (byte) r.dstPort);
            b.putShort(p + 2, (short) 0);
            b.putInt(p + 4, 0);
        }
        length = p + l4len;
        return length;
    }

    private static void putMac(ByteBuffer b, int p, long mac) {
        b.putShort(p, (short) (mac >>> 32));
        b.putInt(p + 2, (int) mac);
    }
}
