package jpmacct.plugins.nfprobe;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes expired flows as NetFlow v5, v9 (RFC 3954) or IPFIX (RFC 7011) datagrams into one reused buffer, each
 * filled up to {@code maxPayload} bytes before it is handed to the sink. One bidirectional flow gives a record
 * per side that saw packets. v9/IPFIX use pmacct 1.7.7's templates: 1024 (IPv4) and 2048 (IPv6) for ingress,
 * 1025 and 2049 for egress, with the same elements in the same order; all four are sent in the first datagram
 * again every {@link #TEMPLATE_EVERY_DATAGRAMS} datagrams or {@link #TEMPLATE_EVERY_MILLIS}; at start and on a
 * quiet probe they go alone.
 */
final class NetflowExport {
    /** pmacct re-sends templates every 18 packets. */
    static final int TEMPLATE_EVERY_DATAGRAMS = 18;
    static final long TEMPLATE_EVERY_MILLIS = 60_000;
    static final int V4_IN = 1024;
    static final int V6_IN = 2048;
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    /** Where finished datagrams go: the buffer from position 0 to its limit, valid during the call. */
    interface Sink {
        void send(ByteBuffer datagram);
    }

    private final int version;
    private final ByteBuffer buf;
    private final Sink sink;
    private final int engineType;
    private final long engineId;
    private final boolean srcMac;
    private final boolean dstMac;
    private final boolean vlan;
    private final boolean micros;
    private final long bootMillis;
    private final byte[] templates;
    private final int templateCount;
    private final int headerSize;
    private final int v4RecordSize;
    private final int v6RecordSize;
    private int records;
    private int templatesInDatagram;
    /** Flowset/set id of the open data set, 0 when none. */
    private int openSet;
    private int openSetStart;
    private int datagramsUntilTemplates;
    private long templatesDueMillis = Long.MIN_VALUE;
    /** v5: flows exported; v9: datagrams sent; IPFIX: data records exported. */
    private long sequence;
    private long datagrams;
    private long recordsExported;

    NetflowExport(int version, int maxPayload, long engineType, long engineId, boolean srcMac, boolean dstMac,
                  boolean vlan, boolean micros, long bootMillis, Sink sink) {
        this.version = version;
        this.buf = ByteBuffer.allocateDirect(maxPayload);
        this.sink = sink;
        this.engineType = (int) engineType;
        this.engineId = engineId;
        this.srcMac = srcMac;
        this.dstMac = dstMac;
        this.vlan = vlan;
        this.micros = micros;
        this.bootMillis = bootMillis;
        this.headerSize = version == 5 ? 24 : version == 9 ? 20 : 16;
        int l2 = (srcMac ? 6 : 0) + (dstMac ? 6 : 0) + (vlan ? 2 : 0);
        this.v4RecordSize = version == 5 ? 48 : 57 + l2;
        this.v6RecordSize = 81 + l2;
        if (version == 5) {
            templates = new byte[0];
            templateCount = 0;
        } else {
            ByteBuffer t = ByteBuffer.allocate(1024);
            t.putShort((short) (version == 9 ? 0 : 2)).putShort((short) 0);
            template(t, V4_IN, false, false);
            template(t, V4_IN + 1, false, true);
            template(t, V6_IN, true, false);
            template(t, V6_IN + 1, true, true);
            t.putShort(2, (short) t.position());
            templates = Arrays.copyOf(t.array(), t.position());
            templateCount = 4;
        }
    }

    private void template(ByteBuffer t, int id, boolean v6, boolean egress) {
        int countAt = t.position() + 2;
        t.putShort((short) id).putShort((short) 0);
        int n = 0;
        n += field(t, micros ? 155 : 153, 8);
        n += field(t, micros ? 154 : 152, 8);
        n += field(t, 1, 8); // octetDeltaCount
        n += field(t, 2, 8); // packetDeltaCount
        n += field(t, 60, 1); // ipVersion
        n += field(t, 10, 4); // ingressInterface
        n += field(t, 14, 4); // egressInterface
        n += field(t, 61, 1); // flowDirection
        if (v6) {
            // pmacct's IPv6 order: addresses, tos, ports, flags, protocol
            n += field(t, 27, 16) + field(t, 28, 16) + field(t, 5, 1) + field(t, 7, 2) + field(t, 11, 2);
        } else {
            n += field(t, 8, 4) + field(t, 12, 4) + field(t, 7, 2) + field(t, 11, 2) + field(t, 5, 1);
        }
        n += field(t, 6, 1) + field(t, 4, 1);
        if (srcMac) {
            n += field(t, egress ? 81 : 56, 6); // postSourceMacAddress / sourceMacAddress
        }
        if (dstMac) {
            n += field(t, egress ? 57 : 80, 6); // postDestinationMacAddress / destinationMacAddress
        }
        if (vlan) {
            n += field(t, egress ? 59 : 58, 2); // postVlanId / vlanId
        }
        t.putShort(countAt, (short) n);
    }

    private static int field(ByteBuffer t, int id, int length) {
        t.putShort((short) id).putShort((short) length);
        return 1;
    }

    int recordSize(int family) {
        return family == 6 ? v6RecordSize : v4RecordSize;
    }

    long datagramsSent() {
        return datagrams;
    }

    long recordsExported() {
        return recordsExported;
    }

    /** Exports both sides of the flow in slot s; returns the records written (v5 skips IPv6 flows). */
    int add(FlowCache c, int s, long nowMillis) {
        if (version == 5 && c.family(s) == 6) {
            return 0;
        }
        int n = 0;
        for (int side = 0; side < 2; side++) {
            if (c.octets(s, side) > 0) {
                record(c, s, side, nowMillis);
                n++;
            }
        }
        return n;
    }

    private void record(FlowCache c, int s, int side, long nowMillis) {
        int size = recordSize(c.family(s));
        if (version == 5) {
            if (records == 0) {
                begin(nowMillis);
            } else if (buf.remaining() < size) {
                flush(nowMillis);
                begin(nowMillis);
            }
            v5Record(c, s, side);
            records++;
            return;
        }
        int egress = c.direction(s, side) == 2 ? 1 : 0;
        int setId = (c.family(s) == 6 ? V6_IN : V4_IN) + egress;
        if (records == 0 && templatesInDatagram == 0) {
            begin(nowMillis);
        }
        boolean newSet = setId != openSet;
        // room for the record, its set's final padding and, for a new set, its header and the old set's padding
        int need = size + 3 + (newSet ? 4 + 3 : 0);
        if (buf.remaining() < need) {
            flush(nowMillis);
            begin(nowMillis);
            newSet = true;
        }
        if (newSet) {
            closeSet();
            openSet = setId;
            openSetStart = buf.position();
            buf.putShort((short) setId).putShort((short) 0);
        }
        templateRecord(c, s, side);
        records++;
    }

    private void begin(long nowMillis) {
        buf.clear();
        buf.position(headerSize);
        records = 0;
        templatesInDatagram = 0;
        openSet = 0;
        if (version != 5 && (datagramsUntilTemplates <= 0 || nowMillis >= templatesDueMillis)) {
            buf.put(templates);
            templatesInDatagram = templateCount;
            datagramsUntilTemplates = TEMPLATE_EVERY_DATAGRAMS;
            templatesDueMillis = nowMillis + TEMPLATE_EVERY_MILLIS;
        }
    }

    /** Pads the open data set to 4 bytes and writes its length. */
    private void closeSet() {
        if (openSet == 0) {
            return;
        }
        while (((buf.position() - openSetStart) & 3) != 0) {
            buf.put((byte) 0);
        }
        buf.putShort(openSetStart + 2, (short) (buf.position() - openSetStart));
        openSet = 0;
    }

    private void v5Record(FlowCache c, int s, int side) {
        boolean first = side == 0;
        buf.putInt((int) (first ? c.addr0Lo(s) : c.addr1Lo(s)));
        buf.putInt((int) (first ? c.addr1Lo(s) : c.addr0Lo(s)));
        buf.putInt(0); // next hop
        buf.putShort((short) (first ? c.if0(s) : c.if1(s)));
        buf.putShort((short) (first ? c.if1(s) : c.if0(s)));
        buf.putInt((int) c.packets(s, side));
        buf.putInt((int) c.octets(s, side));
        // uptime at first/last packet: 32-bit milliseconds since the probe started, wrapping as pmacct's
        buf.putInt((int) (c.startMicros(s) / 1000 - bootMillis));
        buf.putInt((int) (c.lastMicros(s) / 1000 - bootMillis));
        buf.putShort((short) (first ? c.port0(s) : c.port1(s)));
        buf.putShort((short) (first ? c.port1(s) : c.port0(s)));
        buf.put((byte) 0);
        buf.put((byte) c.tcpFlags(s, side));
        buf.put((byte) c.proto(s));
        buf.put((byte) c.tos(s, side));
        buf.putShort((short) 0).putShort((short) 0); // AS numbers
        buf.put((byte) 0).put((byte) 0); // masks
        buf.putShort((short) 0);
    }

    private void templateRecord(FlowCache c, int s, int side) {
        boolean first = side == 0;
        if (micros) {
            buf.putLong(ntp(c.lastMicros(s))).putLong(ntp(c.startMicros(s)));
        } else {
            buf.putLong(c.lastMicros(s) / 1000).putLong(c.startMicros(s) / 1000);
        }
        buf.putLong(c.octets(s, side)).putLong(c.packets(s, side));
        boolean v6 = c.family(s) == 6;
        buf.put((byte) (v6 ? 6 : 4));
        buf.putInt((int) (first ? c.if0(s) : c.if1(s)));
        buf.putInt((int) (first ? c.if1(s) : c.if0(s)));
        int dir = c.direction(s, side);
        buf.put((byte) (dir == 0 ? 0 : dir - 1));
        int srcPort = first ? c.port0(s) : c.port1(s);
        int dstPort = first ? c.port1(s) : c.port0(s);
        if (v6) {
            if (first) {
                buf.putLong(c.addr0Hi(s)).putLong(c.addr0Lo(s)).putLong(c.addr1Hi(s)).putLong(c.addr1Lo(s));
            } else {
                buf.putLong(c.addr1Hi(s)).putLong(c.addr1Lo(s)).putLong(c.addr0Hi(s)).putLong(c.addr0Lo(s));
            }
            buf.put((byte) c.tos(s, side)).putShort((short) srcPort).putShort((short) dstPort);
        } else {
            buf.putInt((int) (first ? c.addr0Lo(s) : c.addr1Lo(s))).putInt((int) (first ? c.addr1Lo(s) : c.addr0Lo(s)));
            buf.putShort((short) srcPort).putShort((short) dstPort).put((byte) c.tos(s, side));
        }
        buf.put((byte) c.tcpFlags(s, side)).put((byte) c.proto(s));
        if (srcMac) {
            mac(c.mac(s, side));
        }
        if (dstMac) {
            mac(c.mac(s, side ^ 1));
        }
        if (vlan) {
            buf.putShort((short) c.vlan(s, side));
        }
    }

    private void mac(long m) {
        buf.putShort((short) (m >>> 32)).putInt((int) m);
    }

    /** RFC 7011 dateTimeMicroseconds: NTP seconds and a 32-bit fraction. */
    private static long ntp(long unixMicros) {
        long secs = Math.floorDiv(unixMicros, 1_000_000L);
        long frac = ((Math.floorMod(unixMicros, 1_000_000L)) << 32) / 1_000_000L;
        return (secs + NTP_UNIX_OFFSET) << 32 | frac;
    }

    boolean isEmpty() {
        return records == 0;
    }

    /** True when a quiet probe owes its collector the templates (v9/IPFIX, nothing being built). */
    boolean templatesDue(long nowMillis) {
        return version != 5 && records == 0 && nowMillis >= templatesDueMillis;
    }

    /** Sends the templates in a datagram of their own: at start, and when they are due and no flow expires. */
    void sendTemplates(long nowMillis) {
        if (version == 5) {
            return;
        }
        flush(nowMillis);
        datagramsUntilTemplates = 0;
        begin(nowMillis);
        flush(nowMillis);
    }

    /** Sends the datagram being built, if it holds a record or templates. */
    void flush(long nowMillis) {
        if (records == 0 && templatesInDatagram == 0) {
            return;
        }
        closeSet();
        int end = buf.position();
        long uptime = nowMillis - bootMillis;
        int count = records;
        if (version == 5) {
            buf.putShort(0, (short) 5).putShort(2, (short) count).putInt(4, (int) uptime)
                    .putInt(8, (int) (nowMillis / 1000)).putInt(12, (int) ((nowMillis % 1000) * 1_000_000))
                    .putInt(16, (int) sequence);
            buf.put(20, (byte) engineType).put(21, (byte) engineId).putShort(22, (short) 0);
            sequence += count;
        } else if (version == 9) {
            // RFC 3954: count is every record, templates included; the sequence counts export packets
            buf.putShort(0, (short) 9).putShort(2, (short) (count + templatesInDatagram)).putInt(4, (int) uptime)
                    .putInt(8, (int) (nowMillis / 1000)).putInt(12, (int) ++sequence).putInt(16, (int) engineId);
        } else {
            // RFC 7011: the sequence is the data records sent before this message
            buf.putShort(0, (short) 10).putShort(2, (short) end).putInt(4, (int) (nowMillis / 1000))
                    .putInt(8, (int) sequence).putInt(12, (int) engineId);
            sequence += count;
        }
        buf.position(0).limit(end);
        try {
            sink.send(buf);
        } finally {
            datagrams++;
            recordsExported += count;
            datagramsUntilTemplates--;
            records = 0;
            templatesInDatagram = 0;
            openSet = 0;
            buf.clear();
        }
    }
}
