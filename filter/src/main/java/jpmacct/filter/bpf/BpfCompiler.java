package jpmacct.filter.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import jpmacct.core.decode.packet.LinkTypes;

/**
 * Compiles a tcpdump filter with libpcap, exactly as tcpdump reading a savefile would (netmask 0, optimized), and
 * copies the resulting instructions into a {@link BpfProgram} that runs in Java.
 */
public final class BpfCompiler {
    private static volatile boolean registered;

    private BpfCompiler() {
    }

    /** libpcap's compiler, called directly: pcap4j's wrapper drops libpcap's error message. */
    private static final class Libpcap {
        static native Pointer pcap_open_dead(int linktype, int snaplen);

        static native int pcap_compile(Pointer p, Pointer program, String expression, int optimize, int netmask);

        static native Pointer pcap_geterr(Pointer p);

        static native void pcap_freecode(Pointer program);

        static native void pcap_close(Pointer p);
    }

    /**
     * @param linkType pcap link type of the frames the filter will see
     * @throws IllegalArgumentException with libpcap's message when the expression does not compile
     */
    public static synchronized BpfProgram compile(String expression, int linkType, int snaplen) {
        if (!registered) {
            Native.register(Libpcap.class, NativeLibrary.getInstance(PcapLibrary.ensureLoaded()));
            registered = true;
        }
        Pointer pcap = Libpcap.pcap_open_dead(dlt(linkType), snaplen);
        if (pcap == null) {
            throw new IllegalArgumentException("libpcap cannot compile filters for link type " + linkType);
        }
        // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
        Memory prog = new Memory(2L * Native.POINTER_SIZE);
        prog.clear();
        try {
            if (Libpcap.pcap_compile(pcap, prog, expression, 1, 0) != 0) {
                throw new IllegalArgumentException(Libpcap.pcap_geterr(pcap).getString(0));
            }
            try {
                int len = prog.getInt(0);
                Pointer insns = prog.getPointer(Native.POINTER_SIZE);
                short[] code = new short[len];
                byte[] jt = new byte[len];
                byte[] jf = new byte[len];
                int[] k = new int[len];
                for (int i = 0; i < len; i++) {
                    long base = i * 8L;
                    code[i] = insns.getShort(base);
                    jt[i] = insns.getByte(base + 2);
                    jf[i] = insns.getByte(base + 3);
                    k[i] = insns.getInt(base + 4);
                }
                return new BpfProgram(expression, code, jt, jf, k);
            } finally {
                Libpcap.pcap_freecode(prog);
            }
        } finally {
            Libpcap.pcap_close(pcap);
        }
    }

    /** pcap files store LINKTYPE_ values; libpcap compiles for DLT_ values (they differ only for raw IP). */
    static int dlt(int linkType) {
        return linkType == LinkTypes.RAW ? LinkTypes.RAW_DLT_LINUX : linkType;
    }
}
