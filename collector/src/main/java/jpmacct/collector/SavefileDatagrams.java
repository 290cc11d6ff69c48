package jpmacct.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jpmacct.core.capture.PacketHandler;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.plugin.DatagramConsumer;

/**
 * Reads export datagrams out of captured frames (pcap_savefile in nfacctd and sfacctd): finds the UDP payload
 * behind the link, VLAN tags, IPv4 or IPv6 headers and hands it on with the IP source as the exporter, as if it
 * had arrived on the socket. Frames that carry no complete UDP datagram (other protocols, IP fragments, cut
 * captures) are counted and skipped.
 */
public final class SavefileDatagrams implements PacketHandler {
    private final DatagramHandler handler;
    private final Map<Integer, InetAddress> v4Senders = new HashMap<>();
    /** Each datagram is copied here for the handler, as the UDP receiver does. */
    private final byte[] copy = new byte[65536];
    private long datagrams;
    private long skipped;
    private DatagramConsumer[] consumers = new DatagramConsumer[0];
    private final FrameBytes bytes = new FrameBytes();
    private boolean decode = true;

    public SavefileDatagrams(DatagramHandler handler) {
        this.handler = handler;
    }

    /** Plugins that get every datagram unchanged (tee), waiting for room: a file is read without loss. */
    public SavefileDatagrams datagramsTo(List<DatagramConsumer> list, boolean decode) {
        consumers = list.toArray(new DatagramConsumer[0]);
        this.decode = decode;
        return this;
    }

    /** The payload inside the reader's buffer, copied out on request. */
    private static final class FrameBytes implements DatagramConsumer.DatagramBytes {
        ByteBuffer buf;
        int offset;

        @Override
        public void copyTo(byte[] dst, int length) {
            buf.get(offset, dst, 0, length);
        }
    }

    /** UDP datagrams handed on. */
    public long datagrams() {
        return datagrams;
    }

    /** Frames without a complete UDP datagram. */
    public long skipped() {
        return skipped;
    }

    @Override
    public void onPacket(ByteBuffer buf, int offset, int caplen, int wireLen, long tsMicros, int linkType, int ifIndex)
            throws InterruptedException {
        int end = offset + caplen;
        int l3 = networkOffset(buf, offset, end, linkType);
        if (l3 < 0 || l3 >= end) {
            skipped++;
            return;
        }
        int version = (buf.get(l3) & 0xF0) >>> 4;
        int udp;
        InetAddress sender;
        if (version == 4) {
            int ihl = (buf.get(l3) & 0x0F) * 4;
            if (ihl < 20 || l3 + ihl + 8 > end || (buf.get(l3 + 9) & 0xFF) != 17
                    || (buf.getShort(l3 + 6) & 0x3FFF) != 0) { // not UDP, or a fragment
                skipped++;
                return;
            }
            int ipEnd = Math.min(end, l3 + (buf.getShort(l3 + 2) & 0xFFFF));
            udp = l3 + ihl;
            end = ipEnd;
            sender = v4(buf.getInt(l3 + 12));
        } else if (version == 6) {
            if (l3 + 40 + 8 > end) {
                skipped++;
                return;
            }
            int next = buf.get(l3 + 6) & 0xFF;
            int pos = l3 + 40;
            while (next == 0 || next == 43 || next == 60) { // hop-by-hop, routing, destination options
                if (pos + 8 > end) {
                    skipped++;
                    return;
                }
                next = buf.get(pos) & 0xFF;
                pos += ((buf.get(pos + 1) & 0xFF) + 1) * 8;
            }
            if (next != 17 || pos + 8 > end) {
                skipped++;
                return;
            }
            end = Math.min(end, l3 + 40 + (buf.getShort(l3 + 4) & 0xFFFF));
            udp = pos;
            byte[] a = new byte[16];
            for (int i = 0; i < 16; i++) {
                a[i] = buf.get(l3 + 8 + i);
            }
            try {
                sender = InetAddress.getByAddress(a);
            } catch (UnknownHostException e) {
                skipped++;
                return;
            }
        } else {
            skipped++;
            return;
        }
        int udpLen = buf.getShort(udp + 4) & 0xFFFF;
        int payload = udp + 8;
        int payloadEnd = Math.min(end, udp + udpLen);
        if (udpLen < 8 || payloadEnd < payload || udp + udpLen > end) {
            skipped++; // cut by the capture's snaplen: a partial datagram would decode as malformed
            return;
        }
        datagrams++;
        if (consumers.length > 0) {
            bytes.buf = buf;
            bytes.offset = payload;
            int port = buf.getShort(udp) & 0xFFFF;
            for (DatagramConsumer c : consumers) {
                c.put(bytes, payloadEnd - payload, sender, port);
            }
            bytes.buf = null;
        }
        if (!decode) {
            return;
        }
        int length = payloadEnd - payload;
        buf.get(payload, copy, 0, length);
        handler.onDatagram(copy, length, sender, tsMicros);
    }

    /** Offset of the IP header, or -1 when the link carries no IP (also for tests that pick frames themselves). */
    public static int networkOffset(ByteBuffer buf, int offset, int end, int linkType) {
        switch (linkType) {
            case LinkTypes.ETHERNET: {
                int pos = offset + 12;
                while (pos + 2 <= end) {
                    int type = buf.getShort(pos) & 0xFFFF;
                    if (type == 0x8100 || type == 0x88A8 || type == 0x9100) {
                        pos += 4;
                        continue;
                    }
                    return type == 0x0800 || type == 0x86DD ? pos + 2 : -1;
                }
                return -1;
            }
            case LinkTypes.LINUX_SLL:
                return offset + 16;
            case LinkTypes.LINUX_SLL2:
                return offset + 20;
            case LinkTypes.NULL:
            case LinkTypes.LOOP:
                return offset + 4;
            case LinkTypes.RAW:
            case LinkTypes.RAW_DLT_LINUX:
            case LinkTypes.RAW_DLT_BSD:
            case LinkTypes.IPV4:
            case LinkTypes.IPV6:
                return offset;
            default:
                return -1;
        }
    }

    private InetAddress v4(int addr) {
        InetAddress a = v4Senders.get(addr);
        if (a == null) {
            if (v4Senders.size() > 4096) {
                v4Senders.clear();
            }
            byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
            try {
                a = InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // four bytes are always an address
            }
            v4Senders.put(addr, a);
        }
        return a;
    }
}
