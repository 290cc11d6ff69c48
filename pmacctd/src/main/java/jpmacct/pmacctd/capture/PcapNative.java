package jpmacct.pmacctd.capture;

import jpmacct.filter.bpf.PcapLibrary;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libpcap and libc calls of live capture, bound with JNA direct mapping (no reflection, no per-call objects):
 * opening a handle, its filter and counters, the per-packet read, and the device list.
 */
final class PcapNative {
    static {
        Native.register(NativeLibrary.getInstance(PcapLibrary.ensureLoaded()));
    }

    /** PCAP_ERRBUF_SIZE */
    static final int ERRBUF_SIZE = 256;
    /** pcap_direction_t: PCAP_D_IN, PCAP_D_OUT */
    static final int D_IN = 1;
    static final int D_OUT = 2;
    /** The netmask for filters when none is known (only "ip broadcast" needs one). */
    static final int NETMASK_UNKNOWN = 0xffffffff;
    /** pcap_if_t.flags */
    static final int IF_LOOPBACK = 0x1;
    static final int IF_UP = 0x2;

    private PcapNative() {
    }

    static native Pointer pcap_create(String source, byte[] errbuf);

    static native int pcap_set_snaplen(Pointer p, int snaplen);

    static native int pcap_set_promisc(Pointer p, int promisc);

    static native int pcap_set_timeout(Pointer p, int millis);

    static native int pcap_set_buffer_size(Pointer p, int bytes);

    static native int pcap_activate(Pointer p);

    static native int pcap_setdirection(Pointer p, int direction);

    static native int pcap_datalink(Pointer p);

    /** {@code program} is a struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }. */
    static native int pcap_compile(Pointer p, Pointer program, String expression, int optimize, int netmask);

    static native int pcap_setfilter(Pointer p, Pointer program);

    static native void pcap_freecode(Pointer program);

    /** {@code stats} is a struct pcap_stat { u_int ps_recv, ps_drop, ps_ifdrop; }. */
    static native int pcap_stats(Pointer p, Pointer stats);

    static native void pcap_close(Pointer p);

    /**
     * int pcap_next_ex(pcap_t *, struct pcap_pkthdr **, const u_char **). The out-pointers are native memory
     * (Java arrays would be copied through malloc on every call).
     */
    static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

    static native int pcap_setnonblock(Pointer p, int nonblock, byte[] errbuf);

    static native int pcap_get_selectable_fd(Pointer p);

    static native Pointer pcap_geterr(Pointer p);

    /** {@code alldevs} receives a pcap_if_t list, released with {@link #pcap_freealldevs}. */
    static native int pcap_findalldevs(Pointer alldevs, byte[] errbuf);

    static native void pcap_freealldevs(Pointer alldevs);

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
