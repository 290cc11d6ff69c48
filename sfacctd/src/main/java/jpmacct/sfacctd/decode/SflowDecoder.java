package jpmacct.sfacctd.decode;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.collector.DatagramHandler;
import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.sfacctd.agent.Agent;
import jpmacct.sfacctd.agent.AgentTable;
import jpmacct.sfacctd.agent.CounterLog;
import jpmacct.sfacctd.agent.InterfaceCounters;

/**
 * One receiving thread's sFlow decoder (v2, v4, v5; sflow.org "sFlow Version 5", July 2004): reads the datagram
 * header, finds the agent by the address inside the datagram, and writes one record per flow sample into the
 * thread's batch. Counter samples update the agent's interface counters.
 *
 * <pre>
 * datagram: version | agent address (type, 4 or 16 bytes) | sub-agent id (v5) | sequence | uptime | samples | sample...
 * v5 sample: format (enterprise &lt;&lt; 12 | format) | length | body
 *   flow sample (0:1, expanded 0:3): sequence | source id | rate | pool | drops | input | output | records
 *   counter sample (0:2, expanded 0:4): sequence | source id | records
 * record: format | length | body     (every length is checked against what encloses it)
 * </pre>
 *
 * A fault is counted against the agent and logged at most once a minute per agent; it never throws. v5 samples
 * and records are framed by length: an unknown format is skipped, a bad sample is dropped alone and the next one
 * read. v2/v4 have no sample lengths, so a fault there ends the datagram (the samples before it are kept).
 */
public final class SflowDecoder implements DatagramHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SflowDecoder.class);
    static final RateLimitedLog MALFORMED_LOG = new RateLimitedLog(LOG, 60_000);
    static final RateLimitedLog SEQUENCE_LOG = new RateLimitedLog(LOG, 60_000);

    private static final int FLOW_SAMPLE = 1;
    private static final int COUNTER_SAMPLE = 2;
    private static final int FLOW_SAMPLE_EXPANDED = 3;
    private static final int COUNTER_SAMPLE_EXPANDED = 4;
    private static final int RECORD_HEADER = 1;
    private static final int RECORD_ETHERNET = 2;
    private static final int RECORD_IPV4 = 3;
    private static final int RECORD_IPV6 = 4;
    private static final int RECORD_SWITCH = 1001;
    private static final int RECORD_ROUTER = 1002;
    private static final int RECORD_GATEWAY = 1003;
    private static final int COUNTERS_GENERIC = 1;
    private static final int HEADER_ETHERNET = 1;
    private static final int HEADER_IPV4 = 11;
    private static final int HEADER_IPV6 = 12;
    /** v2/v4 packet data and extended data tags. */
    private static final int V4_DATA_HEADER = 1;
    private static final int V4_DATA_IPV4 = 2;
    private static final int V4_DATA_IPV6 = 3;
    private static final int V4_SWITCH = 1;
    private static final int V4_ROUTER = 2;
    private static final int V4_GATEWAY = 3;
    private static final int V4_USER = 4;
    private static final int V4_URL = 5;

    private final AgentTable.Lookup agents;
    private final SflowSettings settings;
    private final RecordSink out;
    /** The receiving thread's datagram array, wrapped once: the packet decoder reads headers in place. */
    private byte[] wrappedArray;
    private ByteBuffer b;
    private final PacketDecoder packets = new PacketDecoder(null, null, new DecodeStats());

    // the datagram being decoded
    private Agent agent;
    private int version;
    private long sequence;
    private long arrival;
    /** The first fault of the datagram, or null. */
    private String problem;
    /** What a helper found wrong, for its caller's message. */
    private String why;
    /** Samples accounted from the datagram, added to the agent's counter once. */
    private int accounted;
    /** A generic counters block's values, for sfacctd_counter_file. */
    private final long[] counterValues = new long[CounterLog.FIELDS.length];

    // an address read by address(): family, halves
    private int addrFamily;
    private long addrHi;
    private long addrLo;

    // what a flow sample's records said, applied once all are read
    private long frameLength;
    private long ethernetLength;
    private boolean notIp;
    private int srcVlan;
    private int srcPriority;
    private int dstVlan;
    private int dstPriority;
    private int srcMask;
    private int dstMask;
    private long srcAs;
    private long dstAs;
    private int nextHopFamily;
    private long nextHopHi;
    private long nextHopLo;
    private int bgpNextHopFamily;
    private long bgpNextHopHi;
    private long bgpNextHopLo;

    /** @param out where records go: the thread's batch writer, or any sink in tests */
    public SflowDecoder(AgentTable agents, SflowSettings settings, RecordSink out) {
        this.agents = agents.lookup();
        this.settings = settings;
        this.out = out;
    }

    @Override
    public void onDatagram(byte[] datagram, int length, InetAddress sender, long arrivalMicros)
            throws InterruptedException {
        if (datagram != wrappedArray) {
            wrappedArray = datagram;
            b = ByteBuffer.wrap(datagram);
        }
        int len = length;
        arrival = arrivalMicros;
        problem = null;
        agent = null;
        int pos;
        try {
            pos = header(len);
        } catch (IndexOutOfBoundsException e) {
            pos = -1;
            problem = "the header reaches past the datagram";
        }
        if (pos == -2) { // counted against the overflow entry
            MALFORMED_LOG.warn("agents", "sFlow from " + sender.getHostAddress() + ": " + problem);
            return;
        }
        if (pos < 0) {
            Agent a = bySender(sender);
            synchronized (a) {
                a.counters.common.datagrams.inc();
                a.counters.common.malformed.inc();
            }
            MALFORMED_LOG.warn(a.name, "sFlow from " + a.name + ": malformed datagram (" + length + " bytes): " + problem);
            return;
        }
        Agent a = agent;
        synchronized (a) {
            a.counters.common.datagrams.inc();
            long before = a.counters.common.sequenceLost.get();
            a.sequence(sequence);
            if (settings.sequenceWarnings() && a.counters.common.sequenceLost.get() > before) {
                SEQUENCE_LOG.warn(a.name, "sFlow agent " + a.name + ": datagrams missing before sequence " + sequence);
            }
            accounted = 0;
            try {
                samples(pos, len);
            } catch (IndexOutOfBoundsException e) {
                // backstop: every read is checked against the declared lengths first; a fuzzer finding lands here
                fault("a field reaches past the datagram");
            }
            a.counters.common.records.add(accounted);
            if (problem != null) {
                a.counters.common.malformed.inc();
            }
        }
        if (problem != null) {
            MALFORMED_LOG.warn(a.name, "sFlow agent " + a.name + ": malformed datagram (" + length + " bytes, sequence "
                    + sequence + "): " + problem);
        }
    }

    /**
     * Reads the datagram header and finds the agent; the offset of the first sample, or -1 (problem set), or -2
     * when the agent table is full (already counted).
     */
    private int header(int len) {
        if (len < 8) {
            problem = "shorter than any sFlow header";
            return -1;
        }
        version = b.getInt(0);
        if (version != 2 && version != 4 && version != 5) {
            problem = "version " + (version & 0xFFFFFFFFL) + " is not sFlow v2, v4 or v5";
            return -1;
        }
        int pos = address(4, len);
        if (pos < 0) {
            problem = why;
            return -1;
        }
        int fixed = version == 5 ? 16 : 12;
        if (len - pos < fixed) {
            problem = "header cut short (" + len + " bytes)";
            return -1;
        }
        long subAgent = 0;
        if (version == 5) {
            subAgent = u32(pos);
            pos += 4;
        }
        sequence = u32(pos);
        if (addrFamily == Addr.NONE) {
            problem = "the agent address has type 0 (unknown)";
            return -1;
        }
        agent = agents.get(addrFamily, addrHi, addrLo, subAgent);
        if (agent.family == Addr.NONE) {
            problem = "agent " + Addr.toString(addrFamily, addrHi, addrLo) + " is one too many (at most "
                    + AgentTable.MAX_AGENTS + " agents are kept)";
            Agent full = agent;
            agent = null;
            synchronized (full) {
                full.counters.common.datagrams.inc();
                full.counters.common.malformed.inc();
            }
            return -2;
        }
        return pos + 8; // sequence, uptime; the sample count is read by samples()
    }

    private Agent bySender(InetAddress sender) {
        byte[] a = sender.getAddress();
        if (sender instanceof Inet4Address) {
            return agents.get(Addr.V4, 0, ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8)
                    | (a[3] & 0xFFL), 0);
        }
        ByteBuffer w = ByteBuffer.wrap(a);
        return agents.get(Addr.V6, w.getLong(0), w.getLong(8), 0);
    }

    private void samples(int pos, int end) throws InterruptedException {
        long count = u32(pos);
        pos += 4;
        for (long i = 0; i < count; i++) {
            if (pos >= end) {
                fault("it declares " + count + " samples but carries " + i);
                return;
            }
            pos = version == 5 ? v5Sample(pos, end, i, count) : v4Sample(pos, end, i, count);
            if (pos < 0) {
                return;
            }
        }
    }

    private int v5Sample(int pos, int end, long i, long count) throws InterruptedException {
        if (end - pos < 8) {
            fault("sample " + (i + 1) + " of " + count + ": its header is cut short");
            return -1;
        }
        int format = b.getInt(pos);
        long length = u32(pos + 4);
        pos += 8;
        if (length > end - pos) {
            fault("sample " + (i + 1) + " of " + count + ": length " + length + " reaches past the datagram ("
                    + (end - pos) + " bytes left)");
            return -1;
        }
        int sampleEnd = pos + (int) length;
        String bad = null;
        switch (format) {
            case FLOW_SAMPLE:
            case FLOW_SAMPLE_EXPANDED:
                bad = flowSample(pos, sampleEnd, format == FLOW_SAMPLE_EXPANDED);
                break;
            case COUNTER_SAMPLE:
            case COUNTER_SAMPLE_EXPANDED:
                bad = counterSample(pos, sampleEnd, format == COUNTER_SAMPLE_EXPANDED);
                break;
            default:
                agent.counters.skippedUnknown.inc();
                break;
        }
        if (bad != null) {
            agent.counters.samplesMalformed.inc();
            fault("sample " + (i + 1) + " of " + count + " (format " + tag(format) + "): " + bad);
        }
        return sampleEnd;
    }

    /** v5 flow sample; null when accounted (or skipped as not IP), else what is wrong with it. */
    private String flowSample(int pos, int end, boolean expanded) throws InterruptedException {
        int fixed = expanded ? 44 : 32;
        if (end - pos < fixed) {
            return "shorter (" + (end - pos) + " bytes) than a flow sample";
        }
        int p = pos + (expanded ? 12 : 8); // sequence, source id (type, index)
        long rate = u32(p);
        long input = expanded ? u32(p + 16) : u32(p + 12);
        long output = expanded ? u32(p + 24) : u32(p + 16);
        long records = u32(pos + fixed - 4);
        FlowRecord r = beginSample();
        r.sampleType = expanded ? FLOW_SAMPLE_EXPANDED : FLOW_SAMPLE; // enterprise 0 (pre_tag_map sample_type)
        p = pos + fixed;
        for (long j = 0; j < records; j++) {
            if (end - p < 8) {
                return "record " + (j + 1) + " of " + records + " is cut short";
            }
            int format = b.getInt(p);
            long length = u32(p + 4);
            p += 8;
            if (length > end - p) {
                return "record " + (j + 1) + " of " + records + " (format " + tag(format) + "): length " + length
                        + " reaches past the sample (" + (end - p) + " bytes left)";
            }
            String bad = flowRecord(format, p, p + (int) length, r);
            if (bad != null) {
                return "record " + (j + 1) + " (format " + tag(format) + "): " + bad;
            }
            p += (int) length;
        }
        finishSample(r, rate, input, output);
        return null;
    }

    private String flowRecord(int format, int p, int end, FlowRecord r) {
        int len = end - p;
        switch (format) {
            case RECORD_HEADER: {
                if (len < 16) {
                    return "a sampled header record of " + len + " bytes";
                }
                long headerLength = u32(p + 12);
                if (headerLength > len - 16) {
                    return "header length " + headerLength + " is larger than its record (" + (len - 16) + " bytes)";
                }
                sampledHeader(b.getInt(p), u32(p + 4), u32(p + 8), p + 16, (int) headerLength, r);
                return null;
            }
            case RECORD_ETHERNET:
                if (len < 24) {
                    return "a sampled Ethernet record of " + len + " bytes";
                }
                ethernetLength = u32(p);
                r.srcMac = mac(p + 4);
                r.dstMac = mac(p + 12);
                r.etype = b.getInt(p + 20) & 0xFFFF;
                return null;
            case RECORD_IPV4:
                if (len < 32) {
                    return "a sampled IPv4 record of " + len + " bytes";
                }
                r.srcV4(b.getInt(p + 8));
                r.dstV4(b.getInt(p + 12));
                sampledIp(r, p, 0x0800, p + 16, p + 20, p + 24, p + 28);
                return null;
            case RECORD_IPV6:
                if (len < 56) {
                    return "a sampled IPv6 record of " + len + " bytes";
                }
                r.srcV6(b.getLong(p + 8), b.getLong(p + 16));
                r.dstV6(b.getLong(p + 24), b.getLong(p + 32));
                sampledIp(r, p, 0x86DD, p + 40, p + 44, p + 48, p + 52);
                return null;
            case RECORD_SWITCH:
                if (len < 16) {
                    return "an extended switch record of " + len + " bytes";
                }
                switchData(p);
                return null;
            case RECORD_ROUTER:
                return router(p, end);
            case RECORD_GATEWAY: {
                int q = address(p, end);
                if (q < 0) {
                    return problemTaken();
                }
                bgpNextHopFamily = addrFamily;
                bgpNextHopHi = addrHi;
                bgpNextHopLo = addrLo;
                return gateway(q, end, true) < 0 ? problemTaken() : null;
            }
            default:
                agent.counters.skippedUnknown.inc();
                return null;
        }
    }

    /** Sampled IPv4/IPv6 record fields after the addresses: protocol at p+4, then ports, flags, ToS. */
    private void sampledIp(FlowRecord r, int p, int etype, int srcPort, int dstPort, int flags, int tos) {
        frameLength = u32(p);
        int proto = b.getInt(p + 4) & 0xFF;
        r.proto = proto;
        r.etype = etype;
        boolean l4 = proto == 6 || proto == 17;
        r.srcPort = l4 ? b.getInt(srcPort) & 0xFFFF : 0;
        r.dstPort = l4 ? b.getInt(dstPort) & 0xFFFF : 0;
        r.tcpFlags = proto == 6 ? b.getInt(flags) & 0xFF : 0;
        r.tos = b.getInt(tos) & 0xFF;
        notIp = false;
    }

    /** A sampled packet header, decoded as pmacctd decodes a captured frame. */
    private void sampledHeader(int protocol, long frame, long stripped, int at, int caplen, FlowRecord r) {
        frameLength = frame;
        int linkType;
        switch (protocol) {
            case HEADER_ETHERNET: linkType = LinkTypes.ETHERNET; break;
            case HEADER_IPV4: linkType = LinkTypes.IPV4; break;
            case HEADER_IPV6: linkType = LinkTypes.IPV6; break;
            default:
                // no L3 to read (token ring, FDDI, MPLS, PPP...): accounted without addresses, as pmacct does
                agent.counters.skippedUnknown.inc();
                return;
        }
        long wire = Math.max(0, Math.min(frame - stripped, Integer.MAX_VALUE));
        switch (packets.decode(b, at, caplen, (int) wire, linkType, arrival, r)) {
            case NOT_IP:
                notIp = true;
                break;
            default:
                // a header cut before its IP addresses still stands for sampled traffic: kept with what it had
                notIp = false;
                break;
        }
    }

    private void switchData(int p) {
        srcVlan = b.getInt(p) & 0xFFF;
        srcPriority = b.getInt(p + 4) & 0x7;
        dstVlan = b.getInt(p + 8) & 0xFFF;
        dstPriority = b.getInt(p + 12) & 0x7;
    }

    private String router(int p, int end) {
        int q = address(p, end);
        if (q < 0) {
            return problemTaken();
        }
        if (end - q < 8) {
            return "an extended router record cut short";
        }
        nextHopFamily = addrFamily;
        nextHopHi = addrHi;
        nextHopLo = addrLo;
        srcMask = (int) Math.min(u32(q), 128);
        dstMask = (int) Math.min(u32(q + 4), 128);
        return null;
    }

    /**
     * Extended gateway after the next hop: AS, source AS, source peer AS, the destination AS path (v5/v4: segments
     * of type and ASNs; v2: one list), communities and local preference (not v2). The new offset, or -1.
     */
    private int gateway(int p, int end, boolean segments) {
        if (end - p < 16) {
            why = "an extended gateway record cut short";
            return -1;
        }
        srcAs = u32(p + 4);
        long path = u32(p + 12);
        p += 16;
        long lastAs = 0;
        if (segments) {
            for (long s = 0; s < path; s++) {
                if (end - p < 8) {
                    why = "AS path segment " + (s + 1) + " of " + path + " is cut short";
                    return -1;
                }
                long n = u32(p + 4);
                p += 8;
                if (n > (end - p) / 4) {
                    why = "AS path segment of " + n + " ASNs reaches past the record";
                    return -1;
                }
                if (n > 0) {
                    lastAs = u32(p + 4 * (int) (n - 1));
                }
                p += 4 * (int) n;
            }
            if (end - p < 4) {
                why = "the communities of an extended gateway record are cut short";
                return -1;
            }
            long communities = u32(p);
            p += 4;
            if (communities > (end - p - 4) / 4) {
                why = communities + " communities reach past the record";
                return -1;
            }
            p += 4 * (int) communities + 4; // and the local preference
        } else {
            if (path > (end - p) / 4) {
                why = "an AS path of " + path + " ASNs reaches past the datagram";
                return -1;
            }
            if (path > 0) {
                lastAs = u32(p + 4 * (int) (path - 1));
            }
            p += 4 * (int) path;
        }
        dstAs = lastAs;
        return p;
    }

    private String counterSample(int pos, int end, boolean expanded) {
        int fixed = expanded ? 16 : 12;
        if (end - pos < fixed) {
            return "shorter (" + (end - pos) + " bytes) than a counter sample";
        }
        agent.counters.counterSamples.inc();
        long records = u32(pos + fixed - 4);
        int p = pos + fixed;
        for (long j = 0; j < records; j++) {
            if (end - p < 8) {
                return "counter record " + (j + 1) + " of " + records + " is cut short";
            }
            int format = b.getInt(p);
            long length = u32(p + 4);
            p += 8;
            if (length > end - p) {
                return "counter record " + (j + 1) + " (format " + tag(format) + "): length " + length
                        + " reaches past the sample (" + (end - p) + " bytes left)";
            }
            if (format == COUNTERS_GENERIC) {
                if (length < 88) {
                    return "a generic interface counters record of " + length + " bytes";
                }
                interfaceCounters(p, u32(pos), expanded ? u32(pos + 8) : u32(pos + 4) & 0xFFFFFF);
            }
            p += (int) length;
        }
        return null;
    }

    /** The generic interface counters block (88 bytes), the same in v2/v4 and v5. */
    private void interfaceCounters(int p, long counterSequence, long sourceIndex) {
        if (settings.counterLog() != null) {
            for (int i = 0, q = p; i < counterValues.length; i++) {
                boolean wide = i == 2 || i == 5 || i == 12; // ifSpeed, ifInOctets, ifOutOctets
                counterValues[i] = wide ? b.getLong(q) : u32(q);
                q += wide ? 8 : 4;
            }
            settings.counterLog().generic(agent, Addr.toString(agent.family, agent.hi, agent.lo), arrival, sourceIndex,
                    sequence, counterSequence, counterValues);
        }
        InterfaceCounters c = agent.iface(u32(p));
        if (c == null) {
            return;
        }
        c.samples++;
        c.type = u32(p + 4);
        c.speed = b.getLong(p + 8);
        c.status = u32(p + 20);
        c.inOctets = b.getLong(p + 24);
        c.inPackets = u32(p + 32) + u32(p + 36) + u32(p + 40);
        c.inDiscards = u32(p + 44);
        c.inErrors = u32(p + 48);
        c.outOctets = b.getLong(p + 56);
        c.outPackets = u32(p + 64) + u32(p + 68) + u32(p + 72);
        c.outDiscards = u32(p + 76);
        c.outErrors = u32(p + 80);
    }

    /** A v2/v4 sample: no length, so every part is measured; the new offset, or -1 (the datagram ends). */
    private int v4Sample(int pos, int end, long i, long count) throws InterruptedException {
        if (end - pos < 4) {
            fault("sample " + (i + 1) + " of " + count + " is cut short");
            return -1;
        }
        int type = b.getInt(pos);
        int p = type == FLOW_SAMPLE ? v4FlowSample(pos + 4, end)
                : type == COUNTER_SAMPLE ? v4CounterSample(pos + 4, end) : unknownV4(type);
        if (p < 0) {
            agent.counters.samplesMalformed.inc();
            fault("sample " + (i + 1) + " of " + count + ": " + problemTaken());
        }
        return p;
    }

    private int unknownV4(int type) {
        why = "sample type " + (type & 0xFFFFFFFFL) + " is unknown and v" + version + " gives no length to skip it";
        return -1;
    }

    private int v4FlowSample(int pos, int end) throws InterruptedException {
        if (end - pos < 32) {
            why = "a flow sample cut short";
            return -1;
        }
        long rate = u32(pos + 8);
        long input = u32(pos + 20);
        long output = u32(pos + 24);
        int data = b.getInt(pos + 28);
        int p = pos + 32;
        FlowRecord r = beginSample();
        r.sampleType = FLOW_SAMPLE;
        switch (data) {
            case V4_DATA_HEADER: {
                if (end - p < 12) {
                    why = "a sampled header cut short";
                    return -1;
                }
                long headerLength = u32(p + 8);
                if (headerLength > end - p - 12) {
                    why = "header length " + headerLength + " reaches past the datagram";
                    return -1;
                }
                sampledHeader(b.getInt(p), u32(p + 4), 0, p + 12, (int) headerLength, r);
                p += 12 + pad(headerLength);
                break;
            }
            case V4_DATA_IPV4:
                if (end - p < 32) {
                    why = "a sampled IPv4 record cut short";
                    return -1;
                }
                flowRecord(RECORD_IPV4, p, p + 32, r);
                p += 32;
                break;
            case V4_DATA_IPV6:
                if (end - p < 56) {
                    why = "a sampled IPv6 record cut short";
                    return -1;
                }
                flowRecord(RECORD_IPV6, p, p + 56, r);
                p += 56;
                break;
            default:
                why = "packet data type " + (data & 0xFFFFFFFFL) + " is unknown";
                return -1;
        }
        if (end - p < 4) {
            why = "the extended data count is cut short";
            return -1;
        }
        long extended = u32(p);
        p += 4;
        for (long j = 0; j < extended && p >= 0; j++) {
            if (end - p < 4) {
                why = "extended data " + (j + 1) + " of " + extended + " is cut short";
                return -1;
            }
            p = v4Extended(b.getInt(p), p + 4, end);
        }
        if (p < 0) {
            return -1;
        }
        finishSample(r, rate, input, output);
        return p;
    }

    private int v4Extended(int tag, int p, int end) {
        switch (tag) {
            case V4_SWITCH:
                if (end - p < 16) {
                    why = "an extended switch record cut short";
                    return -1;
                }
                switchData(p);
                return p + 16;
            case V4_ROUTER: {
                String bad = router(p, end);
                if (bad != null) {
                    why = bad;
                    return -1;
                }
                return skipAddress(p) + 8;
            }
            case V4_GATEWAY:
                return gateway(p, end, version == 4);
            case V4_USER:
                return string(string(p, end), end);
            case V4_URL:
                if (end - p < 4) {
                    why = "an extended URL record cut short";
                    return -1;
                }
                return string(p + 4, end);
            default:
                why = "extended data type " + (tag & 0xFFFFFFFFL) + " is unknown and v" + version
                        + " gives no length to skip it";
                return -1;
        }
    }

    private int v4CounterSample(int pos, int end) {
        if (end - pos < 16) {
            why = "a counter sample cut short";
            return -1;
        }
        long counters = u32(pos + 12);
        int p = pos + 16;
        int length;
        boolean generic = true;
        switch ((int) counters) {
            case 1: length = 88; break;       // generic
            case 2: length = 88 + 52; break;  // ethernet
            case 3: length = 88 + 72; break;  // token ring
            case 4: length = 88; break;       // FDDI
            case 5: length = 88 + 80; break;  // 100BaseVG
            case 6: length = 88; break;       // WAN
            case 7: length = 28; generic = false; break; // VLAN
            default:
                why = "counters version " + counters + " is unknown and v" + version + " gives no length to skip it";
                return -1;
        }
        if (end - p < length) {
            why = "a counter sample cut short";
            return -1;
        }
        agent.counters.counterSamples.inc();
        if (generic) {
            interfaceCounters(p, u32(pos), u32(pos + 4) & 0xFFFFFF);
        }
        return p + length;
    }

    /** A string (length, bytes padded to 4): the offset after it, or -1. */
    private int string(int p, int end) {
        if (p < 0) {
            return -1;
        }
        if (end - p < 4 || u32(p) > end - p - 4) {
            why = "a string reaches past the datagram";
            return -1;
        }
        return p + 4 + pad(u32(p));
    }

    /** Reads an address (type, then 4 or 16 bytes; type 0 has none) into addr*; the offset after it, or -1. */
    private int address(int p, int end) {
        if (end - p < 4) {
            why = "an address cut short";
            return -1;
        }
        long type = u32(p);
        if (type == 1) {
            if (end - p < 8) {
                why = "an IPv4 address cut short";
                return -1;
            }
            addrFamily = Addr.V4;
            addrHi = 0;
            addrLo = u32(p + 4);
            return p + 8;
        }
        if (type == 2) {
            if (end - p < 20) {
                why = "an IPv6 address cut short";
                return -1;
            }
            addrFamily = Addr.V6;
            addrHi = b.getLong(p + 4);
            addrLo = b.getLong(p + 12);
            return p + 20;
        }
        if (type == 0) {
            addrFamily = Addr.NONE;
            addrHi = 0;
            addrLo = 0;
            return p + 4;
        }
        why = "address type " + type + " is neither IPv4 (1) nor IPv6 (2)";
        return -1;
    }

    private int skipAddress(int p) {
        long type = u32(p);
        return p + 4 + (type == 1 ? 4 : type == 2 ? 16 : 0);
    }

    private FlowRecord beginSample() throws InterruptedException {
        FlowRecord r = out.slot();
        r.clear(false); // no sFlow field fills custom primitives: they stay zero in every slot
        frameLength = -1;
        ethernetLength = -1;
        notIp = false;
        srcVlan = 0;
        srcPriority = 0;
        dstVlan = 0;
        dstPriority = 0;
        srcMask = 0;
        dstMask = 0;
        srcAs = 0;
        dstAs = 0;
        nextHopFamily = Addr.NONE;
        bgpNextHopFamily = Addr.NONE;
        return r;
    }

    /** Applies what the records said (pmacct's preferences) and keeps the record, unless its packet is not IP. */
    private void finishSample(FlowRecord r, long rate, long input, long output) throws InterruptedException {
        if (notIp) {
            agent.counters.samplesNotIp.inc();
            return;
        }
        Agent a = agent;
        r.peerSrcFamily = a.family;
        r.peerSrcHi = a.hi;
        r.peerSrcLo = a.lo;
        r.exportProtoVersion = version;
        r.exportProtoSysid = a.subAgentId;
        r.exportProtoSeqno = sequence;
        r.inIface = input;
        r.outIface = output;
        r.packets = 1;
        r.flows = 1;
        r.bytes = frameLength >= 0 ? frameLength : Math.max(ethernetLength, 0);
        r.timeStartMicros = arrival;
        r.timeEndMicros = arrival;
        r.timeArrivalMicros = arrival;
        if (srcVlan != 0 || dstVlan != 0) {
            r.vlan = srcVlan != 0 ? srcVlan : dstVlan;
        }
        if (srcPriority != 0 || dstPriority != 0) {
            r.cos = srcPriority != 0 ? srcPriority : dstPriority;
        }
        r.srcMask = srcMask;
        r.dstMask = dstMask;
        r.srcAs = srcAs;
        r.dstAs = dstAs;
        if (bgpNextHopFamily != Addr.NONE) {
            r.peerDstFamily = bgpNextHopFamily;
            r.peerDstHi = bgpNextHopHi;
            r.peerDstLo = bgpNextHopLo;
        } else if (nextHopFamily != Addr.NONE && settings.useIpNextHop()) {
            r.peerDstFamily = nextHopFamily;
            r.peerDstHi = nextHopHi;
            r.peerDstLo = nextHopLo;
        }
        r.samplingRate = settings.samplingRate(a, input, output, rate);
        out.commit();
        accounted++;
    }

    private void fault(String what) {
        if (problem == null) {
            problem = what;
        }
    }

    /** What the helper that failed found wrong. */
    private String problemTaken() {
        return why;
    }

    private long u32(int pos) {
        return b.getInt(pos) & 0xFFFFFFFFL;
    }

    /** A MAC address in an XDR opaque of 6 bytes (padded to 8). */
    private long mac(int pos) {
        return ((long) (b.getShort(pos) & 0xFFFF) << 32) | (b.getInt(pos + 2) & 0xFFFFFFFFL);
    }

    private static int pad(long length) {
        return (int) ((length + 3) & ~3L);
    }

    private static String tag(int format) {
        return (format >>> 12) + ":" + (format & 0xFFF);
    }
}
