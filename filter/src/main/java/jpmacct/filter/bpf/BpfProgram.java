package jpmacct.filter.bpf;

import java.nio.ByteBuffer;

/**
 * A classic BPF program (as compiled by libpcap) run in Java over a frame in place, so filtering a savefile costs
 * no native call and no copy per packet. Semantics of the Linux/BSD interpreter: out-of-bounds loads reject the
 * packet; division by zero rejects; scratch memory of 16 words.
 */
public final class BpfProgram {
    // instruction classes
    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int ALU = 0x04;
    private static final int JMP = 0x05;
    private static final int RET = 0x06;
    private static final int MISC = 0x07;
    // sizes
    private static final int W = 0x00;
    private static final int H = 0x08;
    private static final int B = 0x10;
    // modes
    private static final int IMM = 0x00;
    private static final int ABS = 0x20;
    private static final int IND = 0x40;
    private static final int MEM = 0x60;
    private static final int LEN = 0x80;
    private static final int MSH = 0xA0;
    // alu/jmp ops
    private static final int ADD = 0x00;
    private static final int SUB = 0x10;
    private static final int MUL = 0x20;
    private static final int DIV = 0x30;
    private static final int OR = 0x40;
    private static final int AND = 0x50;
    private static final int LSH = 0x60;
    private static final int RSH = 0x70;
    private static final int NEG = 0x80;
    private static final int MOD = 0x90;
    private static final int XOR = 0xA0;
    private static final int JA = 0x00;
    private static final int JEQ = 0x10;
    private static final int JGT = 0x20;
    private static final int JGE = 0x30;
    private static final int JSET = 0x40;
    // sources
    private static final int K = 0x00;
    private static final int X = 0x08;
    private static final int A = 0x10;
    private static final int TAX = 0x00;

    private final String expression;
    private final short[] code;
    private final byte[] jt;
    private final byte[] jf;
    private final int[] k;
    private final int[] mem = new int[16];

    /**
     * @param insns the raw program, 8 bytes per instruction in host order as libpcap stores it
     */
    public BpfProgram(String expression, short[] code, byte[] jt, byte[] jf, int[] k) {
        this.expression = expression;
        this.code = code;
        this.jt = jt;
        this.jf = jf;
        this.k = k;
        validate();
    }

    /** The same program with its own scratch memory, for another thread. */
    public BpfProgram copy() {
        return new BpfProgram(expression, code, jt, jf, k);
    }

    public String expression() {
        return expression;
    }

    public int length() {
        return code.length;
    }

    /** Rejects programs the kernel would reject: jumps out of range, no final return. */
    private void validate() {
        int n = code.length;
        if (n == 0) {
            throw new IllegalArgumentException("empty BPF program");
        }
        for (int pc = 0; pc < n; pc++) {
            int c = code[pc] & 0xFFFF;
            if ((c & 0x07) == JMP) {
                long target = (c & 0xF0) == JA ? (long) pc + 1 + (k[pc] & 0xFFFFFFFFL) : -1;
                int t1 = pc + 1 + (jt[pc] & 0xFF);
                int t2 = pc + 1 + (jf[pc] & 0xFF);
                if ((c & 0xF0) == JA ? target >= n : (t1 >= n || t2 >= n)) {
                    throw new IllegalArgumentException("BPF jump out of range at " + pc);
                }
            }
        }
        if ((code[n - 1] & 0x07) != RET) {
            throw new IllegalArgumentException("BPF program does not end with a return");
        }
    }

    /** True when the filter accepts the frame (returns a non-zero snapshot length). */
    public boolean matches(ByteBuffer buf, int off, int caplen, int wireLen) {
        int a = 0;
        int x = 0;
        int pc = 0;
        int n = code.length;
        while (pc < n) {
            int c = code[pc] & 0xFFFF;
            int kk = k[pc];
            switch (c & 0x07) {
                case LD:
                    switch (c & 0xE0) {
                        case IMM: a = kk; break;
                        case ABS: {
                            long v = load(buf, off, caplen, kk & 0xFFFFFFFFL, c & 0x18);
                            if (v < 0) {
                                return false;
                            }
                            a = (int) v;
                            break;
                        }
                        case IND: {
                            long v = load(buf, off, caplen, (x & 0xFFFFFFFFL) + (kk & 0xFFFFFFFFL), c & 0x18);
                            if (v < 0) {
                                return false;
                            }
                            a = (int) v;
                            break;
                        }
                        case MEM: a = mem[kk & 0x0F]; break;
                        case LEN: a = wireLen; break;
                        default: return false;
                    }
                    pc++;
                    break;
                case LDX:
                    switch (c & 0xE0) {
                        case IMM: x = kk; break;
                        case MEM: x = mem[kk & 0x0F]; break;
                        case LEN: x = wireLen; break;
                        case MSH: {
                            long at = kk & 0xFFFFFFFFL;
                            if (at >= caplen) {
                                return false;
                            }
                            x = (buf.get(off + (int) at) & 0x0F) << 2;
                            break;
                        }
                        default: return false;
                    }
                    pc++;
                    break;
                case ST:
                    mem[kk & 0x0F] = a;
                    pc++;
                    break;
                case STX:
                    mem[kk & 0x0F] = x;
                    pc++;
                    break;
                case ALU: {
                    int operand = (c & 0x08) == X ? x : kk;
                    switch (c & 0xF0) {
                        case ADD: a += operand; break;
                        case SUB: a -= operand; break;
                        case MUL: a *= operand; break;
                        case DIV:
                            if (operand == 0) {
                                return false;
                            }
                            a = Integer.divideUnsigned(a, operand);
                            break;
                        case MOD:
                            if (operand == 0) {
                                return false;
                            }
                            a = Integer.remainderUnsigned(a, operand);
                            break;
                        case OR: a |= operand; break;
                        case AND: a &= operand; break;
                        case XOR: a ^= operand; break;
                        case LSH: a = (operand & 0xFFFFFFFFL) >= 32 ? 0 : a << operand; break;
                        case RSH: a = (operand & 0xFFFFFFFFL) >= 32 ? 0 : a >>> operand; break;
                        case NEG: a = -a; break;
                        default: return false;
                    }
                    pc++;
                    break;
                }
                case JMP: {
                    int op = c & 0xF0;
                    if (op == JA) {
                        pc += 1 + kk;
                        break;
                    }
                    int operand = (c & 0x08) == X ? x : kk;
                    boolean taken;
                    switch (op) {
                        case JEQ: taken = a == operand; break;
                        case JGT: taken = Integer.compareUnsigned(a, operand) > 0; break;
                        case JGE: taken = Integer.compareUnsigned(a, operand) >= 0; break;
                        case JSET: taken = (a & operand) != 0; break;
                        default: return false;
                    }
                    pc += 1 + ((taken ? jt[pc] : jf[pc]) & 0xFF);
                    break;
                }
                case RET: {
                    int src = c & 0x18;
                    int v = src == A ? a : (src == X ? x : kk);
                    return v != 0;
                }
                case MISC:
                    if ((c & 0xF8) == TAX) {
                        x = a;
                    } else {
                        a = x;
                    }
                    pc++;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    /** Big-endian load of 4, 2 or 1 bytes at a frame offset; -1 when outside the captured bytes. */
    private static long load(ByteBuffer buf, int off, int caplen, long at, int size) {
        int width = size == W ? 4 : size == H ? 2 : 1;
        if (at + width > caplen) {
            return -1;
        }
        int p = off + (int) at;
        switch (width) {
            case 4: return buf.getInt(p) & 0xFFFFFFFFL;
            case 2: return buf.getShort(p) & 0xFFFF;
            default: return buf.get(p) & 0xFF;
        }
    }
}
