package jpmacct.sfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.record.FlowRecord;

/**
 * sFlow v5 (sflow.org "sFlow Version 5", July 2004): samples and records framed by their lengths, each checked
 * against what encloses it. An unknown format is skipped; a bad sample is dropped alone and the next one read.
 *
 * <pre>
 * sample: format (enterprise &lt;&lt; 12 | format) | length | body
 *   flow sample (0:1, expanded 0:3): sequence | source id | rate | pool | drops | input | output | records
 *   counter sample (0:2, expanded 0:4): sequence | source id | records
 * record: format | length | body
 * </pre>
 */
public final class SflowV5 extends SflowVersionDecoder {
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
    private static final int RECORD_MPLS = 1006;
    private static final int RECORD_MPLS_VC = 1009;
    private static final int COUNTERS_GENERIC = 1;

    public SflowV5(SflowSettings settings) {
        super(settings);
    }

    @Override
    boolean reads(int version) {
        return version == 5;
    }

    @Override
    SflowFault otherVersion() {
        return SflowFault.NOT_V5;
    }

    @Override
    int sample(Datagram d, SampleFields f, int pos, long index, long count, Fault fault) throws InterruptedException {
        int end = d.end;
        if (end - pos < 8) {
            return SflowFault.SAMPLE_HEADER_CUT.note(fault, index + 1, count);
        }
        int format = d.s32(pos);
        long length = d.u32(pos + 4);
        pos += 8;
        if (length > end - pos) {
            return SflowFault.SAMPLE_PAST_DATAGRAM.note(fault, length, end - pos);
        }
        int sampleEnd = pos + (int) length;
        int read = switch (format) {
            case FLOW_SAMPLE, FLOW_SAMPLE_EXPANDED -> flowSample(d, f, pos, sampleEnd, format, fault);
            case COUNTER_SAMPLE, COUNTER_SAMPLE_EXPANDED ->
                    counterSample(d, pos, sampleEnd, format == COUNTER_SAMPLE_EXPANDED, fault);
            default -> {
                d.agent.counters.skippedUnknown.inc();
                yield sampleEnd;
            }
        };
        if (read < 0) {
            d.agent.counters.samplesMalformed.inc();
        }
        return sampleEnd; // framed: the next sample is read whatever this one held
    }

    private int flowSample(Datagram d, SampleFields f, int pos, int end, int format, Fault fault)
            throws InterruptedException {
        boolean expanded = format == FLOW_SAMPLE_EXPANDED;
        int fixed = expanded ? 44 : 32;
        if (end - pos < fixed) {
            return SflowFault.FLOW_SAMPLE_SHORT.note(fault, end - pos);
        }
        int p = pos + (expanded ? 12 : 8); // sequence, source id (type, index)
        long rate = d.u32(p);
        long input = expanded ? d.u32(p + 16) : d.u32(p + 12);
        long output = expanded ? d.u32(p + 24) : d.u32(p + 16);
        long records = d.u32(pos + fixed - 4);
        long dsIndex = expanded ? d.u32(pos + 8) : d.u32(pos + 4) & 0xFFFFFF;
        FlowRecord r = d.beginSample(f);
        r.sampleType = format; // enterprise 0 (pre_tag_map sample_type)
        p = pos + fixed;
        for (long j = 0; j < records; j++) {
            if (end - p < 8) {
                return SflowFault.RECORD_CUT.note(fault, j + 1, records);
            }
            int recordFormat = d.s32(p);
            long length = d.u32(p + 4);
            p += 8;
            if (length > end - p) {
                return SflowFault.RECORD_PAST_SAMPLE.note(fault, length, end - p);
            }
            if (flowRecord(d, f, recordFormat, p, p + (int) length, r, fault) < 0) {
                return -1;
            }
            p += (int) length;
        }
        d.account(r, f, rate, input, output, dsIndex);
        return end;
    }

    /** A flow record at [p, end); the offset after it, or -1. */
    private int flowRecord(Datagram d, SampleFields f, int format, int p, int end, FlowRecord r, Fault fault) {
        int len = end - p;
        switch (format) {
            case RECORD_HEADER: {
                if (len < 16) {
                    return SflowFault.HEADER_RECORD_SHORT.note(fault, len);
                }
                long headerLength = d.u32(p + 12);
                if (headerLength > len - 16) {
                    return SflowFault.HEADER_LONGER_THAN_RECORD.note(fault, headerLength, len - 16);
                }
                packet.header(d, r, f, d.s32(p), d.u32(p + 4), d.u32(p + 8), p + 16, (int) headerLength);
                return end;
            }
            case RECORD_ETHERNET:
                if (len < 24) {
                    return SflowFault.ETHERNET_RECORD_SHORT.note(fault, len);
                }
                f.ethernetLength = d.u32(p);
                r.srcMac = Xdr.mac(d.b, p + 4);
                r.dstMac = Xdr.mac(d.b, p + 12);
                r.etype = d.s32(p + 20) & 0xFFFF;
                return end;
            case RECORD_IPV4:
                if (len < SampledPacket.IPV4_LENGTH) {
                    return SflowFault.IPV4_RECORD_SHORT.note(fault, len);
                }
                SampledPacket.ip(d.b, p, false, r, f);
                return end;
            case RECORD_IPV6:
                if (len < SampledPacket.IPV6_LENGTH) {
                    return SflowFault.IPV6_RECORD_SHORT.note(fault, len);
                }
                SampledPacket.ip(d.b, p, true, r, f);
                return end;
            case RECORD_SWITCH:
                if (len < ExtendedRecords.SWITCH_LENGTH) {
                    return SflowFault.SWITCH_RECORD_SHORT.note(fault, len);
                }
                ExtendedRecords.switchData(d.b, p, f);
                return end;
            case RECORD_ROUTER:
                return ExtendedRecords.router(d.b, p, end, f, fault) < 0 ? -1 : end;
            case RECORD_GATEWAY: {
                int q = f.bgpNextHop.read(d.b, p, end, fault);
                return q < 0 || ExtendedRecords.gateway(d.b, q, end, true, f, fault) < 0 ? -1 : end;
            }
            case RECORD_MPLS:
                return ExtendedRecords.mpls(d.b, p, end, r, f, fault) < 0 ? -1 : end;
            case RECORD_MPLS_VC:
                return ExtendedRecords.mplsVc(d.b, p, end, f, fault) < 0 ? -1 : end;
            default:
                d.agent.counters.skippedUnknown.inc();
                return end;
        }
    }

    private int counterSample(Datagram d, int pos, int end, boolean expanded, Fault fault) {
        int fixed = expanded ? 16 : 12;
        if (end - pos < fixed) {
            return SflowFault.COUNTER_SAMPLE_SHORT.note(fault, end - pos);
        }
        d.agent.counters.counterSamples.inc();
        long records = d.u32(pos + fixed - 4);
        int p = pos + fixed;
        for (long j = 0; j < records; j++) {
            if (end - p < 8) {
                return SflowFault.COUNTER_RECORD_CUT.note(fault, j + 1, records);
            }
            int format = d.s32(p);
            long length = d.u32(p + 4);
            p += 8;
            if (length > end - p) {
                return SflowFault.COUNTER_RECORD_PAST_SAMPLE.note(fault, length, end - p);
            }
            if (format == COUNTERS_GENERIC) {
                if (length < GenericCounters.LENGTH) {
                    return SflowFault.GENERIC_COUNTERS_SHORT.note(fault, length);
                }
                counters.read(d, p, d.u32(pos), expanded ? d.u32(pos + 8) : d.u32(pos + 4) & 0xFFFFFF);
            }
            p += (int) length;
        }
        return end;
    }
}
