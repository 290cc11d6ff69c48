package jpmacct.plugins.sfprobe;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Writes sFlow v5 datagrams (sflow.org "sFlow Version 5") into one reused buffer: the header is written when the
 * datagram is complete, samples go after it until the next one would not fit.
 *
 * <pre>
 * header: version 5 | agent address (type, 4 or 16 bytes) | sub-agent id | sequence | uptime ms | samples
 * flow sample 0:1:    sequence | source id (class 0, index) | rate | pool | drops | input | output | records
 *   raw header 0:1:   protocol | frame length | stripped | header length | header bytes (padded to 4)
 *   switch 0:1001:    source VLAN | source priority | destination VLAN | destination priority
 * counter sample 0:2: sequence | source id | records; generic interface counters 0:1 (88 bytes)
 * </pre>
 */
final class SflowExport {
    /** pmacct's sfprobe datagram size: fits an Ethernet MTU with room to spare. */
    static final int MAX_DATAGRAM = 1400;
    static final int PROTOCOL_ETHERNET = 1;
    static final int PROTOCOL_IPV4 = 11;
    static final int PROTOCOL_IPV6 = 12;

    private final ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
    private final byte[] agent;
    private final long subAgentId;
    private final int headerSize;
    private int samples;
    private long sequence;

    SflowExport(InetAddress agent, long subAgentId) {
        this.agent = agent.getAddress();
        this.subAgentId = subAgentId;
        this.headerSize = 4 + 4 + this.agent.length + 16;
        buf.position(headerSize);
    }

    boolean isEmpty() {
        return samples == 0;
    }

    /** Room for a flow sample with a header of {@code headerLength} bytes (and a switch record)? */
    boolean fitsFlowSample(int headerLength, boolean withSwitch) {
        return buf.remaining() >= flowSampleSize(headerLength, withSwitch);
    }

    static int flowSampleSize(int headerLength, boolean withSwitch) {
        return 8 + 32 + 8 + 16 + pad(headerLength) + (withSwitch ? 8 + 16 : 0);
    }

    /** Largest raw header that fits an empty datagram. */
    int maxHeaderBytes(boolean withSwitch) {
        return (MAX_DATAGRAM - headerSize - flowSampleSize(0, withSwitch)) & ~3;
    }

    void flowSample(long seq, long sourceIndex, long rate, long pool, long drops, long input, long output, int protocol,
                    long frameLength, long stripped, byte[] header, int offset, int length, int[] vlanCos,
                    boolean outbound) {
        boolean withSwitch = vlanCos != null;
        buf.putInt(1).putInt(flowSampleSize(length, withSwitch) - 8);
        buf.putInt((int) seq).putInt((int) (sourceIndex & 0xFFFFFF)).putInt((int) rate).putInt((int) pool)
                .putInt((int) drops).putInt((int) input).putInt((int) output).putInt(withSwitch ? 2 : 1);
        buf.putInt(1).putInt(16 + pad(length));
        buf.putInt(protocol).putInt((int) frameLength).putInt((int) stripped).putInt(length);
        buf.put(header, offset, length);
        for (int i = length; i % 4 != 0; i++) {
            buf.put((byte) 0);
        }
        if (withSwitch) {
            int vlan = vlanCos[0];
            int cos = vlanCos[1];
            buf.putInt(1001).putInt(16);
            buf.putInt(outbound ? 0 : vlan).putInt(outbound ? 0 : cos).putInt(outbound ? vlan : 0).putInt(outbound ? cos : 0);
        }
        samples++;
    }

    /** Room for a counter sample of n interfaces? */
    boolean fitsCounterSample(int interfaces) {
        return buf.remaining() >= 8 + 12 + interfaces * (8 + 88);
    }

    /** Largest number of interfaces one counter sample can carry in an empty datagram. */
    int maxInterfacesPerSample() {
        return (MAX_DATAGRAM - headerSize - 8 - 12) / (8 + 88);
    }

    void counterSample(long seq, long sourceIndex, InterfaceCounters[] interfaces, int from, int to, long ifSpeed) {
        int n = to - from;
        buf.putInt(2).putInt(12 + n * (8 + 88));
        buf.putInt((int) seq).putInt((int) (sourceIndex & 0xFFFFFF)).putInt(n);
        for (int i = from; i < to; i++) {
            InterfaceCounters c = interfaces[i];
            buf.putInt(1).putInt(88);
            // ethernetCsmacd, full duplex (as pmacct assumes), admin and oper status up
            buf.putInt((int) c.ifIndex).putInt(6).putLong(ifSpeed).putInt(1).putInt(3);
            buf.putLong(c.octets[0]).putInt((int) c.unicast[0]).putInt((int) c.multicast[0])
                    .putInt((int) c.broadcast[0]).putInt(0).putInt(0).putInt(0);
            buf.putLong(c.octets[1]).putInt((int) c.unicast[1]).putInt((int) c.multicast[1])
                    .putInt((int) c.broadcast[1]).putInt(0).putInt(0).putInt(0); // discards, errors, promiscuous
        }
        samples++;
    }

    /** Completes the datagram: the buffer to send, from 0 to its limit. Call {@link #reset()} once sent. */
    ByteBuffer finish(long uptimeMillis) {
        int end = buf.position();
        buf.position(0);
        buf.putInt(5).putInt(agent.length == 4 ? 1 : 2).put(agent);
        buf.putInt((int) subAgentId).putInt((int) ++sequence).putInt((int) uptimeMillis).putInt(samples);
        buf.position(0).limit(end);
        return buf;
    }

    void reset() {
        buf.clear();
        buf.position(headerSize);
        samples = 0;
    }

    private static int pad(int length) {
        return (length + 3) & ~3;
    }
}
