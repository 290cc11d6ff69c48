package jpmacct.plugins.tee;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The socket calls of libc the tee makes (JNA direct mapping: no allocation per call). */
final class LibC {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int IPPROTO_RAW = 255;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int MSG_DONTWAIT = 0x40;

    static {
        Native.register("c");
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, Pointer addr, int len) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    /** Throws with errno (the raw path reports why); used where a failure is rare. */
    static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen)
            throws LastErrorException;

    static native int close(int fd);

    static native String strerror(int errno);

    /** SO_SNDBUF, when asked for. */
    static void sendBuffer(int fd, int bytes) throws LastErrorException {
        if (bytes > 0) {
            com.sun.jna.Memory v = new com.sun.jna.Memory(4);
            v.setInt(0, bytes);
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, v, 4);
        }
    }
}
