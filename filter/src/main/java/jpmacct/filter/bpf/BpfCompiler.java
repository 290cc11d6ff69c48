package jpmacct.filter.bpf;

import java.lang.reflect.Field;

import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

import jpmacct.core.decode.packet.LinkTypes;

/**
 * Compiles a tcpdump filter with libpcap (through pcap4j), exactly as tcpdump would, and copies the resulting
 * instructions into a {@link BpfProgram} that runs in Java.
 */
public final class BpfCompiler {
    private BpfCompiler() {
    }

    /**
     * @param linkType pcap link type of the frames the filter will see
     * @throws IllegalArgumentException with libpcap's message when the expression does not compile
     */
    public static BpfProgram compile(String expression, int linkType, int snaplen) {
        PcapLibrary.ensureLoaded();
        org.pcap4j.core.BpfProgram p;
        try {
            p = Pcaps.compileFilter(snaplen, DataLinkType.getInstance(dlt(linkType)), expression,
                    BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
        } catch (PcapNativeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            Field f = org.pcap4j.core.BpfProgram.class.getDeclaredField("program");
            f.setAccessible(true);
            // read struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; } from native memory: the Java
            // fields of pcap4j's mapping are not synced after pcap_compile
            Pointer prog = ((Structure) f.get(p)).getPointer();
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
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the compiled filter from pcap4j", e);
        } finally {
            p.free();
        }
    }

    /** pcap files store LINKTYPE_ values; libpcap compiles for DLT_ values (they differ only for raw IP). */
    static int dlt(int linkType) {
        return linkType == LinkTypes.RAW ? LinkTypes.RAW_DLT_LINUX : linkType;
    }
}
