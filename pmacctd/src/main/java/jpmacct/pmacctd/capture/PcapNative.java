package jpmacct.pmacctd.capture;

import jpmacct.filter.bpf.PcapLibrary;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The few libpcap and libc calls on the per-packet path, bound with JNA direct mapping (no reflection, no per-call
 * objects). pcap4j opens the handle and compiles the filter; reading goes through here.
 */
final class PcapNative {
    static {
        Native.register(NativeLibrary.getInstance(PcapLibrary.ensureLoaded()));
    }

    private PcapNative() {
    }

    /**
     * int pcap_next_ex(pcap_t *, struct pcap_pkthdr **, const u_char **). The out-pointers are native memory
     * (Java arrays would be copied through malloc on every call).
     */
    static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

    static native int pcap_setnonblock(Pointer p, int nonblock, byte[] errbuf);

    static native int pcap_get_selectable_fd(Pointer p);

    static native Pointer pcap_geterr(Pointer p);

    /** libc poll(2) over pcap's selectable descriptors. */
    static final class LibC {
        static {
            Native.register(NativeLibrary.getInstance("c"));
        }

        private LibC() {
        }

        /** struct pollfd[]: {fd, events | revents << 16} pairs (little-endian layout). */
        static native int poll(int[] fds, long nfds, int timeout);
    }
}
