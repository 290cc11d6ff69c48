package jpmacct.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * NetFlow v9 export built in a test, as datagrams to send or as a pcap savefile of them (Ethernet, IPv4, UDP from the
 * exporter's address to 127.0.0.1), for flows whose every field the test chooses.
 */
final class FlowExport {
    /** One flow; addresses as text, MACs as 48-bit numbers (0: absent). */
    record Flow(String src, String dst, int srcPort, int dstPort, int proto, long bytes, long packets, int in, int out,
                int vlan, long srcMac, long dstMac) {
    }

    static final int TEMPLATE_ID = 256;
    /** (type, length) pairs of the template every datagram carries. */
    private static final int[] FIELDS = {8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 1, 4, 2, 4, 10, 2, 14, 2, 58, 2, 56, 6, 80, 6,
        22, 4, 21, 4};
    static final long UNIX_SECS = 1_700_000_000L;
    private static final long UPTIME_MS = 1_000_000L;

    private FlowExport() {
    }

    /** A v9 datagram with the template and one data set of the flows. */
    static byte[] v9(long sequence, long sourceId, List<Flow> flows) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        b.putShort((short) 9).putShort((short) 2).putInt((int) UPTIME_MS).putInt((int) UNIX_SECS)
                .putInt((int) sequence).putInt((int) sourceId);
        b.putShort((short) 0).putShort((short) (4 + 4 + FIELDS.length * 2)).putShort((short) TEMPLATE_ID)
                .putShort((short) (FIELDS.length / 2));
        for (int f : FIELDS) {
            b.putShort((short) f);
        }
        int setStart = b.position();
        b.putShort((short) TEMPLATE_ID).putShort((short) 0);
        for (Flow f : flows) {
            b.put(addr(f.src)).put(addr(f.dst)).putShort((short) f.srcPort).putShort((short) f.dstPort)
                    .put((byte) f.proto).putInt((int) f.bytes).putInt((int) f.packets).putShort((short) f.in)
                    .putShort((short) f.out).putShort((short) f.vlan);
            mac(b, f.srcMac);
            mac(b, f.dstMac);
            b.putInt((int) (UPTIME_MS - 1000)).putInt((int) (UPTIME_MS - 500));
        }
        while ((b.position() - setStart) % 4 != 0) {
            b.put((byte) 0);
        }
        b.putShort(setStart + 2, (short) (b.position() - setStart));
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** A pcap savefile of datagrams, each {@code [exporter address, payload]}, sent to 127.0.0.1:2100. */
    static void savefile(Path file, List<Object[]> datagrams) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        int i = 0;
        for (Object[] d : datagrams) {
            byte[] payload = (byte[]) d[1];
            ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + payload.length);
            f.put(new byte[] {2, 0, 0, 0, 0, (byte) 0xfe, 2, 0, 0, 0, 0, (byte) 0xfd}).putShort((short) 0x0800);
            f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length)).putInt(0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0).put(addr((String) d[0])).put(addr("127.0.0.1"));
            f.putShort((short) 50000).putShort((short) 2100).putShort((short) (8 + payload.length)).putShort((short) 0);
            f.put(payload);
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt((int) UNIX_SECS).putInt(i++ * 1000).putInt(f.capacity()).putInt(f.capacity());
            out.writeBytes(r.array());
            out.writeBytes(f.array());
        }
        Files.write(file, out.toByteArray());
    }

    static long mac(String text) {
        return Long.parseLong(text.replace(":", ""), 16);
    }

    private static void mac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static byte[] addr(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(a, e);
        }
    }
}
