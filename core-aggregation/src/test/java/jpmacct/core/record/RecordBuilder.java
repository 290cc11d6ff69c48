package jpmacct.core.record;

import java.time.Instant;

import jpmacct.core.output.Protocols;

/**
 * Flow records for tests, field by field:
 * {@code RecordBuilder.flow().src("10.1.1.1").dst("10.2.2.2").ports(40000, 443).proto("tcp").packets(8).bytes(680).build()}.
 * A new builder holds one packet for every plugin (all plugin bits set) and nothing else; {@link #build()} returns
 * a fresh copy, so a builder can be changed and built again.
 */
public final class RecordBuilder {
    private final FlowRecord r = new FlowRecord();

    private RecordBuilder() {
        r.clear();
        r.packets = 1;
    }

    public static RecordBuilder flow() {
        return new RecordBuilder();
    }

    public FlowRecord build() {
        FlowRecord out = new FlowRecord();
        out.copyFrom(r);
        return out;
    }

    /** An IPv4 or IPv6 literal. */
    public RecordBuilder src(String address) {
        Addr.Parsed a = address(address);
        r.srcFamily = a.family();
        r.srcHi = a.hi();
        r.srcLo = a.lo();
        return this;
    }

    public RecordBuilder dst(String address) {
        Addr.Parsed a = address(address);
        r.dstFamily = a.family();
        r.dstHi = a.hi();
        r.dstLo = a.lo();
        return this;
    }

    /** The exporter (peer_src_ip). */
    public RecordBuilder peerSrc(String address) {
        Addr.Parsed a = address(address);
        r.peerSrcFamily = a.family();
        r.peerSrcHi = a.hi();
        r.peerSrcLo = a.lo();
        return this;
    }

    private static Addr.Parsed address(String text) {
        Addr.Parsed a = Addr.parse(text);
        if (a == null) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        return a;
    }

    public RecordBuilder srcMac(String mac) {
        r.srcMac = Addr.parseMac(mac);
        return this;
    }

    public RecordBuilder dstMac(String mac) {
        r.dstMac = Addr.parseMac(mac);
        return this;
    }

    public RecordBuilder vlan(int vlan) {
        r.vlan = vlan;
        return this;
    }

    public RecordBuilder cos(int cos) {
        r.cos = cos;
        return this;
    }

    public RecordBuilder srcPort(int port) {
        r.srcPort = port;
        return this;
    }

    public RecordBuilder dstPort(int port) {
        r.dstPort = port;
        return this;
    }

    public RecordBuilder ports(int src, int dst) {
        return srcPort(src).dstPort(dst);
    }

    public RecordBuilder proto(int proto) {
        r.proto = proto;
        return this;
    }

    /** A protocol by pmacct's name ({@code tcp}, {@code ipv6-icmp}) or number. */
    public RecordBuilder proto(String name) {
        int p = Protocols.parse(name);
        if (p < 0) {
            throw new IllegalArgumentException("unknown protocol '" + name + "'");
        }
        return proto(p);
    }

    public RecordBuilder tos(int tos) {
        r.tos = tos;
        return this;
    }

    public RecordBuilder tcpFlags(int flags) {
        r.tcpFlags = flags;
        return this;
    }

    public RecordBuilder ifaces(long in, long out) {
        r.inIface = in;
        r.outIface = out;
        return this;
    }

    public RecordBuilder samplingRate(long rate) {
        r.samplingRate = rate;
        return this;
    }

    /** Bytes written as numbers: {@code bytes(192, 0, 2, 1)}. */
    public static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** The value of custom primitive {@code slot} among the daemon's {@code slots}, as its bytes arrived. */
    public RecordBuilder custom(int slots, int slot, byte... value) {
        if (r.customLength.length < slots) {
            r.clearCustom(slots);
        }
        r.putCustom(slot, value, 0, value.length);
        return this;
    }

    /** An SRv6 segment list (IPv6 addresses, in order). */
    public RecordBuilder srv6Segments(String... addresses) {
        byte[] b = new byte[16 * addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            Addr.Parsed a = Addr.parse(addresses[i]);
            for (int k = 0; k < 8; k++) {
                b[16 * i + k] = (byte) (a.hi() >>> (56 - 8 * k));
                b[16 * i + 8 + k] = (byte) (a.lo() >>> (56 - 8 * k));
            }
        }
        r.putSrv6Segments(b, 0, addresses.length);
        return this;
    }

    /** VRF names from an exporter's options data: ingress, egress, and the one vrf_name shows. */
    public RecordBuilder vrfNames(String ingress, String egress, String vrf) {
        r.extended = true;
        r.ingressVrfName = ingress;
        r.egressVrfName = egress;
        r.vrfName = vrf;
        return this;
    }

    public RecordBuilder ifaceNames(String in, String out) {
        r.extended = true;
        r.inIfaceName = in;
        r.outIfaceName = out;
        return this;
    }

    public RecordBuilder tag(long tag) {
        r.tag = tag;
        return this;
    }

    public RecordBuilder tag2(long tag2) {
        r.tag2 = tag2;
        return this;
    }

    public RecordBuilder label(String label) {
        r.label = label == null ? null : label.intern();
        return this;
    }

    public RecordBuilder packets(long packets) {
        r.packets = packets;
        return this;
    }

    public RecordBuilder bytes(long bytes) {
        r.bytes = bytes;
        return this;
    }

    public RecordBuilder flows(long flows) {
        r.flows = flows;
        return this;
    }

    /** A packet seen at {@code t}: its start, end and arrival. */
    public RecordBuilder at(Instant t) {
        r.timeStartMicros = micros(t);
        r.timeEndMicros = r.timeStartMicros;
        r.timeArrivalMicros = r.timeStartMicros;
        return this;
    }

    /** A flow from {@code start} to {@code end}, arriving at its end. */
    public RecordBuilder between(Instant start, Instant end) {
        r.timeStartMicros = micros(start);
        r.timeEndMicros = micros(end);
        r.timeArrivalMicros = r.timeEndMicros;
        return this;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    /** Which plugins take the record: bit i for the i-th of {@code plugins:}. */
    public RecordBuilder pluginMask(long mask) {
        r.pluginMask = mask;
        return this;
    }

    /**
     * The captured frame, for plugins that export packets (sfprobe): its first bytes as captured, its length on
     * the wire and its pcap link type.
     */
    public RecordBuilder frame(byte[] captured, int wireLength, int linkType) {
        r.header = captured.clone();
        r.headerLength = captured.length;
        r.wireLength = wireLength;
        r.headerLinkType = linkType;
        return this;
    }
}
