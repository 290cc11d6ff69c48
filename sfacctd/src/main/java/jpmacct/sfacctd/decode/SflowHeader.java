package jpmacct.sfacctd.decode;

import java.nio.ByteBuffer;

import jpmacct.core.decode.Fault;
import jpmacct.core.record.Addr;

/**
 * The header of an sFlow datagram, read into a reused holder: by the receiving thread to find the agent, by the
 * version decoders for the sequence and where the samples start.
 *
 * <pre>
 * version | agent address (type, 4 or 16 bytes) | sub-agent id (v5 only) | sequence | uptime | sample count
 * </pre>
 */
final class SflowHeader {
    int version;
    final Address agent = new Address();
    long subAgentId;
    long sequence;
    /** The offset of the sample count. */
    int samplesAt;
    /** The datagram's array, wrapped again only when the array changes (the receiving thread reuses one). */
    ByteBuffer b;
    /** The offset after the datagram. */
    int end;
    private byte[] wrappedArray;

    /**
     * Reads the header of the datagram at [off, off + len) of {@code bytes}; the offset of the sample count, or -1
     * (the fault noted).
     */
    int read(byte[] bytes, int off, int len, Fault fault) {
        if (bytes != wrappedArray) {
            wrappedArray = bytes;
            b = ByteBuffer.wrap(bytes);
        }
        end = off + len;
        try {
            return readFields(off, fault);
        } catch (IndexOutOfBoundsException e) { // the datagram said to be longer than its array
            return SflowFault.HEADER_PAST_DATAGRAM.note(fault);
        }
    }

    private int readFields(int off, Fault fault) {
        if (end - off < 8) {
            return SflowFault.SHORTER_THAN_HEADER.note(fault);
        }
        version = b.getInt(off);
        if (version != 2 && version != 4 && version != 5) {
            return SflowFault.VERSION.note(fault, version & 0xFFFFFFFFL);
        }
        int p = agent.read(b, off + 4, end, fault);
        if (p < 0) {
            return -1;
        }
        if (end - p < (version == 5 ? 16 : 12)) {
            return SflowFault.HEADER_CUT.note(fault, end - off);
        }
        subAgentId = 0;
        if (version == 5) {
            subAgentId = Xdr.u32(b, p);
            p += 4;
        }
        sequence = Xdr.u32(b, p);
        if (agent.family == Addr.NONE) {
            return SflowFault.AGENT_TYPE_UNKNOWN.note(fault);
        }
        samplesAt = p + 8; // after the sequence and the uptime
        return samplesAt;
    }
}
