package jpmacct.sfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.record.FlowRecord;

/**
 * sFlow v2 and v4: samples and their parts carry no lengths, so every part is measured by its type; a part of an
 * unknown type, or a fault, ends the datagram (the samples before it are kept).
 *
 * <pre>
 * sample: type (1 flow, 2 counters) | body
 *   flow sample: sequence | source id | rate | pool | drops | input | output | packet data | extended data
 *     packet data: type (1 header, 2 IPv4, 3 IPv6) | body;  extended data: count | (type | body)...
 *   counter sample: sequence | source id | interval | counters version | block of that version
 * </pre>
 */
public final class SflowV4 extends SflowVersionDecoder {
    private static final int FLOW_SAMPLE = 1;
    private static final int COUNTER_SAMPLE = 2;
    private static final int DATA_HEADER = 1;
    private static final int DATA_IPV4 = 2;
    private static final int DATA_IPV6 = 3;
    private static final int EXTENDED_SWITCH = 1;
    private static final int EXTENDED_ROUTER = 2;
    private static final int EXTENDED_GATEWAY = 3;
    private static final int EXTENDED_USER = 4;
    private static final int EXTENDED_URL = 5;

    public SflowV4(SflowSettings settings) {
        super(settings);
    }

    @Override
    boolean reads(int version) {
        return version == 2 || version == 4;
    }

    @Override
    SflowFault otherVersion() {
        return SflowFault.NOT_V2_OR_V4;
    }

    @Override
    int sample(Datagram d, SampleFields f, int pos, long index, long count, Fault fault) throws InterruptedException {
        if (d.end - pos < 4) {
            return SflowFault.V4_SAMPLE_CUT.note(fault, index + 1, count);
        }
        int type = d.s32(pos);
        int p = type == FLOW_SAMPLE ? flowSample(d, f, pos + 4, fault)
                : type == COUNTER_SAMPLE ? counterSample(d, pos + 4, fault)
                : SflowFault.V4_SAMPLE_TYPE.note(fault, type & 0xFFFFFFFFL, d.header.version);
        if (p < 0) {
            d.agent.counters.samplesMalformed.inc();
        }
        return p;
    }

    private int flowSample(Datagram d, SampleFields f, int pos, Fault fault) throws InterruptedException {
        int end = d.end;
        if (end - pos < 32) {
            return SflowFault.V4_FLOW_SAMPLE_CUT.note(fault);
        }
        long rate = d.u32(pos + 8);
        long input = d.u32(pos + 20);
        long output = d.u32(pos + 24);
        int data = d.s32(pos + 28);
        int p = pos + 32;
        FlowRecord r = d.beginSample(f);
        r.sampleType = FLOW_SAMPLE;
        switch (data) {
            case DATA_HEADER: {
                if (end - p < 12) {
                    return SflowFault.V4_HEADER_CUT.note(fault);
                }
                long headerLength = d.u32(p + 8);
                if (headerLength > end - p - 12) {
                    return SflowFault.V4_HEADER_PAST_DATAGRAM.note(fault, headerLength);
                }
                packet.header(d, r, f, d.s32(p), d.u32(p + 4), 0, p + 12, (int) headerLength);
                p += 12 + Xdr.pad(headerLength);
                break;
            }
            case DATA_IPV4:
                if (end - p < SampledPacket.IPV4_LENGTH) {
                    return SflowFault.V4_IPV4_CUT.note(fault);
                }
                SampledPacket.ip(d.b, p, false, r, f);
                p += SampledPacket.IPV4_LENGTH;
                break;
            case DATA_IPV6:
                if (end - p < SampledPacket.IPV6_LENGTH) {
                    return SflowFault.V4_IPV6_CUT.note(fault);
                }
                SampledPacket.ip(d.b, p, true, r, f);
                p += SampledPacket.IPV6_LENGTH;
                break;
            default:
                return SflowFault.V4_DATA_TYPE.note(fault, data & 0xFFFFFFFFL);
        }
        if (end - p < 4) {
            return SflowFault.V4_EXTENDED_COUNT_CUT.note(fault);
        }
        long extended = d.u32(p);
        p += 4;
        for (long j = 0; j < extended && p >= 0; j++) {
            if (end - p < 4) {
                return SflowFault.V4_EXTENDED_CUT.note(fault, j + 1, extended);
            }
            p = extended(d, f, d.s32(p), p + 4, fault);
        }
        if (p < 0) {
            return -1;
        }
        d.account(r, f, rate, input, output, d.u32(pos + 4) & 0xFFFFFF);
        return p;
    }

    private int extended(Datagram d, SampleFields f, int tag, int p, Fault fault) {
        int end = d.end;
        switch (tag) {
            case EXTENDED_SWITCH:
                if (end - p < ExtendedRecords.SWITCH_LENGTH) {
                    return SflowFault.V4_SWITCH_CUT.note(fault);
                }
                return ExtendedRecords.switchData(d.b, p, f);
            case EXTENDED_ROUTER:
                return ExtendedRecords.router(d.b, p, end, f, fault);
            case EXTENDED_GATEWAY:
                return ExtendedRecords.gateway(d.b, p, end, d.header.version == 4, f, fault);
            case EXTENDED_USER:
                return string(d, string(d, p, fault), fault);
            case EXTENDED_URL:
                if (end - p < 4) {
                    return SflowFault.V4_URL_CUT.note(fault);
                }
                return string(d, p + 4, fault); // after the direction
            default:
                return SflowFault.V4_EXTENDED_TYPE.note(fault, tag & 0xFFFFFFFFL, d.header.version);
        }
    }

    /** A string (length, bytes padded to 4): the offset after it, or -1. */
    private static int string(Datagram d, int p, Fault fault) {
        if (p < 0) {
            return -1;
        }
        if (d.end - p < 4 || d.u32(p) > d.end - p - 4) {
            return SflowFault.V4_STRING_PAST_DATAGRAM.note(fault);
        }
        return p + 4 + Xdr.pad(d.u32(p));
    }

    private int counterSample(Datagram d, int pos, Fault fault) {
        if (d.end - pos < 16) {
            return SflowFault.V4_COUNTER_SAMPLE_CUT.note(fault);
        }
        long version = d.u32(pos + 12);
        int length;
        boolean generic = true;
        switch ((int) version) {
            case 1: length = GenericCounters.LENGTH; break;       // generic
            case 2: length = GenericCounters.LENGTH + 52; break;  // ethernet
            case 3: length = GenericCounters.LENGTH + 72; break;  // token ring
            case 4: length = GenericCounters.LENGTH; break;       // FDDI
            case 5: length = GenericCounters.LENGTH + 80; break;  // 100BaseVG
            case 6: length = GenericCounters.LENGTH; break;       // WAN
            case 7: length = 28; generic = false; break;          // VLAN
            default:
                return SflowFault.V4_COUNTERS_VERSION.note(fault, version, d.header.version);
        }
        int p = pos + 16;
        if (d.end - p < length) {
            return SflowFault.V4_COUNTER_SAMPLE_CUT.note(fault);
        }
        d.agent.counters.counterSamples.inc();
        if (generic) {
            counters.read(d, p, d.u32(pos), d.u32(pos + 4) & 0xFFFFFF);
        }
        return p + length;
    }
}
