package jpmacct.plugins.tee;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * An unconnected UDP socket driven through libc: sendto(2) with MSG_DONTWAIT straight from one native buffer the
 * datagram is copied into once, whatever the number of receivers (DatagramChannel copies it again per send).
 */
final class NativeUdp implements AutoCloseable {
    /** sendto without errno: a refused send is counted, not explained, so it costs no exception. */
    private static final class Fast {
        static {
            Native.register("c");
        }

        static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen);
    }

    private final int fd;

    private NativeUdp(int fd) {
        this.fd = fd;
    }

    /** Loads libc through JNA; false where it cannot (then the JDK's channels are used). */
    static boolean available() {
        try {
            LibC.close(-1);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    static NativeUdp open(boolean v4, InetAddress local, int port, int sendBuffer) throws IOException {
        int fd;
        try {
            fd = LibC.socket(v4 ? LibC.AF_INET : LibC.AF_INET6, LibC.SOCK_DGRAM, 0);
        } catch (LastErrorException e) {
            throw new IOException(LibC.strerror(e.getErrorCode()));
        }
        NativeUdp s = new NativeUdp(fd);
        try {
            LibC.sendBuffer(fd, sendBuffer);
            if (local != null || port != 0) {
                InetAddress any = InetAddress.getByName(v4 ? "0.0.0.0" : "::");
                Memory a = sockaddr(new InetSocketAddress(local != null ? local : any, port));
                LibC.bind(fd, a, (int) a.size());
            }
        } catch (LastErrorException e) {
            s.close();
            throw new IOException(LibC.strerror(e.getErrorCode()));
        }
        return s;
    }

    /** sockaddr_in or sockaddr_in6 of an address, built once per receiver. */
    static Memory sockaddr(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        boolean v4 = a.getAddress() instanceof Inet4Address;
        Memory m = new Memory(v4 ? 16 : 28);
        m.clear();
        m.setShort(0, (short) (v4 ? LibC.AF_INET : LibC.AF_INET6));
        m.setByte(2, (byte) (a.getPort() >>> 8));
        m.setByte(3, (byte) a.getPort());
        m.write(v4 ? 4 : 8, ip, 0, ip.length);
        return m;
    }

    /** True when the kernel took the datagram. */
    boolean send(Memory datagram, int length, Memory to) {
        return Fast.sendto(fd, datagram, length, LibC.MSG_DONTWAIT, to, (int) to.size()) == length;
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
