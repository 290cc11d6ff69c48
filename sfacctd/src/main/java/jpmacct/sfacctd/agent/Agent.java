package jpmacct.sfacctd.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One sFlow agent, known by the agent address inside its datagrams (pmacct's peer_src_ip) and its sub-agent id:
 * health counters, the next datagram sequence number, the interface counters it reported. Callers hold the
 * agent's monitor while decoding one of its datagrams.
 */
public final class Agent {
    /** More interfaces than this per agent are counted but not kept (a bogus agent must not eat the heap). */
    static final int MAX_INTERFACES = 4096;
    /** A sequence jump larger than this is an agent restart or reordering, not loss. */
    private static final long MAX_GAP = 100_000;

    public final int family;
    public final long hi;
    public final long lo;
    public final long subAgentId;
    public final String name;
    /** How log lines name the agent: {@code sFlow agent <name>}; for a datagram without a usable agent address,
     *  counted against its sender: {@code sFlow from <sender>}. Built once, so a fault line costs no formatting. */
    public final String logName;
    public final String logNameAsSender;
    public final AgentCounters counters;
    private final TreeMap<Long, InterfaceCounters> interfaces = new TreeMap<>();
    private long nextSequence = -1;

    Agent(int family, long hi, long lo, long subAgentId, String name, AgentCounters counters) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
        this.subAgentId = subAgentId;
        this.name = name;
        this.logName = "sFlow agent " + name;
        this.logNameAsSender = "sFlow from " + name;
        this.counters = counters;
    }

    /**
     * Counts the datagrams missing before this one and returns how many; a restart (sequence 1, or a jump back)
     * starts over.
     */
    public long sequence(long seq) {
        long missing = 0;
        if (nextSequence >= 0 && seq > nextSequence && seq - nextSequence < MAX_GAP) {
            missing = seq - nextSequence;
            counters.common.sequenceLost.add(missing);
        }
        nextSequence = (seq + 1) & 0xFFFFFFFFL;
        return missing;
    }

    /** The counters of this interface, or null when the agent already reported too many. */
    public InterfaceCounters iface(long ifIndex) {
        InterfaceCounters c = interfaces.get(ifIndex);
        if (c == null && interfaces.size() < MAX_INTERFACES) {
            c = new InterfaceCounters(ifIndex);
            interfaces.put(ifIndex, c);
        }
        return c;
    }

    /** A copy of the interface counters, by ifIndex (read under the agent's monitor). */
    public synchronized List<InterfaceCounters> interfaces() {
        return new ArrayList<>(interfaces.values());
    }
}
