package jpmacct.sfacctd.decode;

import java.nio.ByteBuffer;

import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.record.FlowRecord;

/**
 * What a flow sample says of its packet: a sampled header (v5 record 1, v2/v4 header data), decoded as pmacctd
 * decodes a captured frame, or the sampled IPv4/IPv6 fields (v5 records 3 and 4, v2/v4 data types 2 and 3, the
 * same layouts). One per decoder: it keeps the packet decoder.
 */
final class SampledPacket {
    static final int IPV4_LENGTH = 32;
    static final int IPV6_LENGTH = 56;
    private static final int HEADER_ETHERNET = 1;
    private static final int HEADER_IPV4 = 11;
    private static final int HEADER_IPV6 = 12;

    /** Also the label stack and IP-in-IP tunnels, as sfacctd reads headers. */
    private final PacketDecoder packets = new PacketDecoder(null, null, new DecodeStats(), true);

    /**
     * The header of {@code caplen} bytes at {@code at}, of a frame of {@code frame} bytes (of which the agent
     * stripped {@code stripped}) in the given header protocol.
     */
    void header(Datagram d, FlowRecord r, SampleFields f, int protocol, long frame, long stripped, int at, int caplen) {
        f.frameLength = frame;
        int linkType;
        switch (protocol) {
            case HEADER_ETHERNET: linkType = LinkTypes.ETHERNET; break;
            case HEADER_IPV4: linkType = LinkTypes.IPV4; break;
            case HEADER_IPV6: linkType = LinkTypes.IPV6; break;
            default:
                // no L3 to read (token ring, FDDI, MPLS, PPP...): accounted without addresses, as pmacct does
                d.agent.counters.skippedUnknown.inc();
                return;
        }
        long wire = Math.max(0, Math.min(frame - stripped, Integer.MAX_VALUE));
        // a header cut before its IP addresses still stands for sampled traffic: kept with what it had
        f.notIp = switch (packets.decode(d.b, at, caplen, (int) wire, linkType, d.arrivalMicros, r)) {
            case NOT_IP -> true;
            default -> false;
        };
    }

    /** Sampled IPv4 ({@link #IPV4_LENGTH} bytes) or IPv6 ({@link #IPV6_LENGTH}) fields at {@code p}. */
    static void ip(ByteBuffer b, int p, boolean v6, FlowRecord r, SampleFields f) {
        int after; // the addresses: protocol, ports, TCP flags and ToS follow
        if (v6) {
            r.srcV6(b.getLong(p + 8), b.getLong(p + 16));
            r.dstV6(b.getLong(p + 24), b.getLong(p + 32));
            r.etype = 0x86DD;
            after = p + 40;
        } else {
            r.srcV4(b.getInt(p + 8));
            r.dstV4(b.getInt(p + 12));
            r.etype = 0x0800;
            after = p + 16;
        }
        f.frameLength = Xdr.u32(b, p);
        int proto = b.getInt(p + 4) & 0xFF;
        r.proto = proto;
        boolean l4 = proto == 6 || proto == 17;
        r.srcPort = l4 ? b.getInt(after) & 0xFFFF : 0;
        r.dstPort = l4 ? b.getInt(after + 4) & 0xFFFF : 0;
        r.tcpFlags = proto == 6 ? b.getInt(after + 8) & 0xFF : 0;
        r.tos = b.getInt(after + 12) & 0xFF;
        f.notIp = false;
    }
}
