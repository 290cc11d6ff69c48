package jpmacct.sfacctd.decode;

import java.nio.ByteBuffer;

import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.sfacctd.agent.Agent;

/**
 * The datagram a version decoder is reading and what all its samples share: the buffer and its end, the header,
 * the agent, the arrival time, where records go. One per decoder, refilled by each datagram and handed to what
 * reads its parts.
 */
final class Datagram {
    private final SflowSettings settings;
    SflowHeader header;
    ByteBuffer b;
    int end;
    Agent agent;
    long arrivalMicros;
    private RecordSink sink;
    /** Flow samples accounted so far. */
    int accounted;

    Datagram(SflowSettings settings) {
        this.settings = settings;
    }

    /** Starts the datagram whose header was read. */
    Datagram open(SflowHeader header, Agent agent, long arrivalMicros, RecordSink sink) {
        this.header = header;
        this.b = header.b;
        this.end = header.end;
        this.agent = agent;
        this.arrivalMicros = arrivalMicros;
        this.sink = sink;
        this.accounted = 0;
        return this;
    }

    long u32(int p) {
        return b.getInt(p) & 0xFFFFFFFFL;
    }

    int s32(int p) {
        return b.getInt(p);
    }

    /** The record of a new flow sample, and its fields cleared. */
    FlowRecord beginSample(SampleFields fields) throws InterruptedException {
        FlowRecord r = sink.slot();
        r.clear(false); // no sFlow field fills custom primitives: they stay absent
        fields.clear();
        return r;
    }

    /**
     * Completes the sample's record with what its records said and keeps it, unless its packet is not IP. The
     * sampling direction is pmacct's: ingress when the sample's data source (its source id's index) is the input
     * interface, egress when it is the output one.
     */
    void account(FlowRecord r, SampleFields fields, long rate, long input, long output, long dsIndex)
            throws InterruptedException {
        if (fields.notIp) {
            agent.counters.samplesNotIp.inc();
            return;
        }
        Agent a = agent;
        r.peerSrcFamily = a.family;
        r.peerSrcHi = a.hi;
        r.peerSrcLo = a.lo;
        r.exportProtoVersion = header.version;
        r.exportProtoSysid = a.subAgentId;
        r.exportProtoSeqno = header.sequence;
        r.inIface = input;
        r.outIface = output;
        r.direction = dsIndex == input ? FlowRecord.DIRECTION_INGRESS
                : dsIndex == output ? FlowRecord.DIRECTION_EGRESS : FlowRecord.DIRECTION_UNKNOWN;
        r.packets = 1;
        r.flows = 1;
        r.timeStartMicros = arrivalMicros;
        r.timeEndMicros = arrivalMicros;
        r.timeArrivalMicros = arrivalMicros;
        fields.applyTo(r, settings.useIpNextHop());
        r.samplingRate = settings.samplingRate(a, input, output, rate);
        if (settings.flowToRdMap() != null) {
            settings.flowToRdMap().get().apply(r, 0, 0);
        }
        sink.commit();
        accounted++;
    }
}
