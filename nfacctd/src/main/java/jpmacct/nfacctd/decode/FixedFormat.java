package jpmacct.nfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;

/**
 * What the fixed-format NetFlow versions (v1, v5, v7, v8) share: a header with a record count, their only
 * framing, so a datagram whose count does not fit its length is refused whole; records of one length; times
 * relative to the exporter's sysUpTime; sequence numbers counting flows. Each version has its header extras and
 * record layout (subclasses).
 */
abstract class FixedFormat {
    final DecoderSettings settings;
    private final Notices notices;
    private final int version;
    private final int headerLength;
    private final int recordLength;
    private final int maxCount;
    private final boolean sequenced;
    private final boolean engine;

    /**
     * @param recordLength the length of the version's records (v8's depends on the datagram: {@link #recordLength})
     * @param maxCount     the most records the version allows in a datagram
     * @param sequenced    whether the header has a flow sequence number (at byte 16)
     * @param engine       whether the header names the engine (type and id at bytes 20-21), the domain's id
     */
    FixedFormat(DecoderSettings settings, Notices notices, int version, int headerLength, int recordLength,
                int maxCount, boolean sequenced, boolean engine) {
        this.settings = settings;
        this.notices = notices;
        this.version = version;
        this.headerLength = headerLength;
        this.recordLength = recordLength;
        this.maxCount = maxCount;
        this.sequenced = sequenced;
        this.engine = engine;
    }

    /** The length of the records of the datagram at {@code off}, or -1 with the fault set. */
    int recordLength(byte[] b, int off, Fault fault) {
        return recordLength;
    }

    /**
     * Fills {@code r} from the record at {@code pos} of the datagram at {@code off}; returns the record's first
     * and last switched times (sysUpTime milliseconds) as {@link #times}.
     */
    abstract long fill(byte[] b, int off, int pos, FlowRecord r);

    /** The header's sampling interval, 0 when it has none. */
    long sampling(byte[] b, int off) {
        return 0;
    }

    /** Decodes a whole datagram into {@code out}, or nothing of it. The caller holds the exporter's lock. */
    final Verdict decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros, RecordSink out, Fault fault)
            throws InterruptedException {
        if (len < headerLength) {
            return fault.set(NetflowFault.FIXED_HEADER_CUT_SHORT, version, len);
        }
        int recordLength = recordLength(b, off, fault);
        if (recordLength < 0) {
            return fault.reason().verdict();
        }
        int count = Bytes.u16(b, off + 2);
        if (count == 0 || count > maxCount || headerLength + count * recordLength > len) {
            return fault.set(NetflowFault.FIXED_COUNT_MISFIT, version, count, len);
        }
        long uptime = Bytes.u32(b, off + 4);
        long unixSecs = Bytes.u32(b, off + 8);
        long sequence = sequenced ? Bytes.u32(b, off + 16) : 0;
        int engineType = engine ? Bytes.u8(b, off + 20) : 0;
        int engineId = engine ? Bytes.u8(b, off + 21) : 0;
        long sampling = sampling(b, off);
        if (sequenced) {
            Domain d = ex.domain(version, (engineType << 8) | engineId);
            Sequences.check(d, sequence, NetflowFault.FLOWS_LOST, notices);
            d.expectSequence(sequence + count);
        }
        int pos = off + headerLength;
        for (int i = 0; i < count; i++, pos += recordLength) {
            FlowRecord r = out.slot();
            r.clear();
            r.peerSrcFamily = ex.family();
            r.peerSrcHi = ex.hi();
            r.peerSrcLo = ex.lo();
            r.exportProtoVersion = version;
            r.exportProtoSeqno = sequence;
            r.exportProtoSysid = engineId;
            r.engineType = engineType;
            r.timeArrivalMicros = arrivalMicros;
            r.flows = 1;
            long times = fill(b, off, pos, r);
            r.etype = 0x0800;
            r.timeStartMicros = uptimeTime(unixSecs, uptime, times >>> 32);
            r.timeEndMicros = uptimeTime(unixSecs, uptime, times & 0xFFFFFFFFL);
            if (version == 5) {
                r.timeExportMicros = unixSecs * 1_000_000L; // pmacct 1.8's timestamp_export: v5 only of these
            }
            if (settings.timeNew()) {
                r.binTimeMicros = arrivalMicros;
            }
            r.samplingRate = settings.samplingRate(ex, r, sampling);
            out.commit();
        }
        ex.counters().records.add(count);
        return Verdict.OK;
    }

    /** A record's first and last switched times in one value, first in the high word. */
    static long times(int first, int last) {
        return ((long) first << 32) | (last & 0xFFFFFFFFL);
    }

    /**
     * What v1, v5 and v7 records start with: addresses, next hop, interfaces, counters and times; the caller
     * reads the rest ({@link #protocol}).
     */
    final long flowRecordStart(byte[] b, int pos, FlowRecord r) {
        r.srcV4(Bytes.i32(b, pos));
        r.dstV4(Bytes.i32(b, pos + 4));
        if (settings.useIpNextHop()) {
            r.peerDstFamily = Addr.V4;
            r.peerDstLo = Bytes.u32(b, pos + 8);
        }
        r.inIface = Bytes.u16(b, pos + 12);
        r.outIface = Bytes.u16(b, pos + 14);
        r.packets = Bytes.u32(b, pos + 16);
        r.bytes = Bytes.u32(b, pos + 20);
        return times(Bytes.i32(b, pos + 24), Bytes.i32(b, pos + 28));
    }

    /** Protocol, ports (bytes 32-35 of v1, v5 and v7 records) and TCP flags, which only TCP has. */
    static void protocol(byte[] b, int pos, FlowRecord r, int proto, int flags) {
        r.proto = proto;
        ports(r, proto, Bytes.u16(b, pos + 32), Bytes.u16(b, pos + 34));
        r.tcpFlags = proto == 6 ? flags : 0;
    }

    /** pmacct's ports: only TCP and UDP have them; ICMP keeps type and code in the destination port. */
    static void ports(FlowRecord r, int proto, int src, int dst) {
        boolean l4 = proto == 6 || proto == 17;
        r.srcPort = l4 ? src : 0;
        r.dstPort = l4 || proto == 1 || proto == 58 ? dst : 0;
    }

    /** Export time minus the age in whole seconds, with sysUpTime's 32-bit wrap, as pmacct computes it. */
    private long uptimeTime(long unixSecs, long uptime, long switched) {
        if (settings.timeSecs()) {
            return (unixSecs - ((uptime / 1000 - switched) & 0xFFFFFFFFL)) * 1_000_000L;
        }
        long age = (uptime - switched) & 0xFFFFFFFFL;
        return (unixSecs - age / 1000) * 1_000_000L;
    }
}
