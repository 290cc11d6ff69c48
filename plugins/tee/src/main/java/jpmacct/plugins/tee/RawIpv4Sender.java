package jpmacct.plugins.tee;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * tee_transparent for IPv4: a raw socket (IPPROTO_RAW, so IP_HDRINCL) and the IPv4 and UDP headers built here,
 * carrying the exporter's address and port as the source. One packet buffer, reused for every datagram.
 */
final class RawIpv4Sender implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int HEADERS = 28;
    static final int MAX_PAYLOAD = 65535 - HEADERS;

    private static final class LibC {
        static {
            Native.register("c");
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen)
                throws LastErrorException;

        static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

        static native int close(int fd);

        static native String strerror(int errno);
    }

    private final int fd;
    private final Memory packet = new Memory(65535);
    private final Memory option = new Memory(4);
    private int ipId;

    private RawIpv4Sender(int fd) {
        this.fd = fd;
    }

    /** Opens the raw socket; the message says why it cannot (no CAP_NET_RAW: "Operation not permitted"). */
    static RawIpv4Sender open(int sendBuffer) throws IOException {
        try {
            RawIpv4Sender s = new RawIpv4Sender(LibC.socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
            if (sendBuffer > 0) {
                s.option.setInt(0, sendBuffer);
                LibC.setsockopt(s.fd, SOL_SOCKET, SO_SNDBUF, s.option, 4);
            }
            return s;
        } catch (LastErrorException e) {
            throw new IOException(LibC.strerror(e.getErrorCode()));
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("raw sockets need the C library through JNA: " + e.getMessage());
        }
    }

    /** A receiver's sockaddr_in, built once per receiver. */
    static Memory sockaddr(InetSocketAddress receiver) {
        Memory m = new Memory(16);
        m.clear();
        m.setShort(0, (short) AF_INET);
        m.setByte(2, (byte) (receiver.getPort() >>> 8));
        m.setByte(3, (byte) receiver.getPort());
        byte[] a = receiver.getAddress().getAddress();
        m.write(4, a, 0, 4);
        return m;
    }

    /**
     * Sends one datagram as if from {@code source}:{@code sourcePort}; returns the errno, 0 when sent.
     *
     * @param source the exporter's IPv4 address as an int (Inet4Address.hashCode is exactly that)
     */
    int send(byte[] data, int length, int source, int sourcePort, InetSocketAddress receiver, Memory to) {
        if (length > MAX_PAYLOAD) {
            return 90; // EMSGSIZE
        }
        int dst = ((Inet4Address) receiver.getAddress()).hashCode();
        int total = HEADERS + length;
        packet.setByte(0, (byte) 0x45);
        packet.setByte(1, (byte) 0);
        setShort(2, total);
        setShort(4, ipId++ & 0xFFFF);
        setShort(6, 0);
        packet.setByte(8, (byte) 64);
        packet.setByte(9, (byte) 17);
        setShort(10, 0);
        setInt(12, source);
        setInt(16, dst);
        setShort(10, ipChecksum(source, dst, total, (ipId - 1) & 0xFFFF));
        setShort(20, sourcePort);
        setShort(22, receiver.getPort());
        setShort(24, 8 + length);
        packet.write(HEADERS, data, 0, length);
        int sum = udpChecksum(source, dst, sourcePort, receiver.getPort(), data, length);
        setShort(26, sum);
        try {
            LibC.sendto(fd, packet, total, MSG_DONTWAIT, to, 16);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    private void setShort(int off, int v) {
        packet.setByte(off, (byte) (v >>> 8));
        packet.setByte(off + 1, (byte) v);
    }

    private void setInt(int off, int v) {
        setShort(off, v >>> 16);
        setShort(off + 2, v);
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    static int ipChecksum(int src, int dst, int total, int id) {
        long sum = 0x4500L + total + id + (64 << 8 | 17)
                + (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF);
        return fold(sum);
    }

    static int udpChecksum(int src, int dst, int sport, int dport, byte[] data, int length) {
        int udpLength = 8 + length;
        long sum = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 17 + udpLength
                + sport + dport + udpLength;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        if (i < length) {
            sum += (data[i] & 0xFF) << 8;
        }
        int c = fold(sum);
        return c == 0 ? 0xFFFF : c; // 0 would mean "no checksum"
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
