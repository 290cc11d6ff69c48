package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jpmacct.core.output.Protocols;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;

/**
 * pmacct's own SRv6 cases (its tests 500 and 502, Cisco IOS XR; see src/test/resources/upstream/README.md): the
 * capture's IPFIX datagrams decoded, and the fields the flow records give compared with pmacct 1.8's rows, summed
 * over the fields they carry from BGP or time: the inner header as the flow, the outer one as tunnel_*, the
 * (empty) SRv6 segment lists, TCP flags of both OR-ed as pmacct does.
 */
class UpstreamSrv6CaptureTest {
    private static final String[] KEY = {"ip_src", "ip_dst", "port_src", "port_dst", "ip_proto", "tos", "etype",
        "iface_in", "iface_out", "mac_src", "mac_dst", "srv6_seg_ipv6_list", "tunnel_ip_src", "tunnel_ip_dst",
        "tunnel_ip_proto", "tunnel_port_src", "tunnel_port_dst", "tunnel_tos", "tunnel_flow_label"};
    private static final String[] FLAGS = {"URG", "ACK", "PSH", "RST", "SYN", "FIN"};

    @ParameterizedTest
    @CsvSource({"500-IPFIXv10-BGP-CISCO-SRv6, 198.51.100.54, 9992",
        "502-IPFIXv10-BGP-IPv6-CISCO-SRv6-lcomms, 2001:db8:90::1, 9991"})
    void theRecordsGiveWhatPmacctWrites(String test, String exporter, int port) throws Exception {
        String dir = "/upstream/" + test + "/";
        List<String> expectedRows = new String(read(dir + "output-flow-00.json"), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank()).toList();
        List<String> keys = new ArrayList<>();
        for (String k : KEY) {
            if (field(expectedRows.get(0), k) != null) {
                keys.add(k);
            }
        }
        Map<String, long[]> expected = new TreeMap<>();
        for (String row : expectedRows) {
            StringBuilder key = new StringBuilder();
            for (String k : keys) {
                key.append(k).append('=').append(field(row, k)).append(' ');
            }
            long[] sums = expected.computeIfAbsent(key.toString(), x -> new long[4]);
            sums[0] += Long.parseLong(field(row, "packets"));
            sums[1] += Long.parseLong(field(row, "bytes"));
            sums[2] |= flags(field(row, "tcp_flags"));
            sums[3] |= keys.contains("tunnel_tos") ? flags(field(row, "tunnel_tcp_flags")) : 0;
        }
        Harness h = new Harness();
        for (byte[] datagram : udpPayloads(read(dir + "traffic-00.pcap"), port)) {
            h.feed(exporter, datagram);
        }
        Map<String, long[]> ours = new TreeMap<>();
        for (FlowRecord r : h.records) {
            StringBuilder key = new StringBuilder();
            for (String k : keys) {
                key.append(k).append('=').append(value(r, k)).append(' ');
            }
            long[] sums = ours.computeIfAbsent(key.toString(), x -> new long[4]);
            sums[0] += r.packets;
            sums[1] += r.bytes;
            sums[2] |= r.tcpFlags;
            sums[3] |= keys.contains("tunnel_tos") ? r.tunnelTcpFlags : 0;
        }
        assertEquals(render(expected), render(ours));
    }

    private static String render(Map<String, long[]> rows) {
        StringBuilder sb = new StringBuilder();
        rows.forEach((k, v) -> sb.append(k).append("packets=").append(v[0]).append(" bytes=").append(v[1])
                .append(" tcp_flags=").append(v[2]).append(" tunnel_tcp_flags=").append(v[3]).append('\n'));
        return sb.toString();
    }

    /** A field of a row as written: a quoted string without its quotes, a number, or an array as is. */
    private static String field(String row, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (\"([^\"]*)\"|(-?[0-9]+)|(\\[[^\\]]*\\]))").matcher(row);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
    }

    private static int flags(String array) {
        int v = 0;
        for (int i = 0; i < FLAGS.length; i++) {
            if (array.contains("\"" + FLAGS[i] + "\"")) {
                v |= 0x20 >>> i;
            }
        }
        return v;
    }

    /** A record's field as pmacct's Avro rows write it. */
    private static String value(FlowRecord r, String key) {
        return switch (key) {
            case "ip_src" -> Addr.toString(r.srcFamily, r.srcHi, r.srcLo);
            case "ip_dst" -> Addr.toString(r.dstFamily, r.dstHi, r.dstLo);
            case "port_src" -> Integer.toString(r.srcPort);
            case "port_dst" -> Integer.toString(r.dstPort);
            case "ip_proto" -> Protocols.name(r.proto);
            case "tos" -> Integer.toString(r.tos);
            case "etype" -> Integer.toHexString(r.etype);
            case "iface_in" -> Long.toString(r.inIface);
            case "iface_out" -> Long.toString(r.outIface);
            case "mac_src" -> mac(r.srcMac);
            case "mac_dst" -> mac(r.dstMac);
            case "srv6_seg_ipv6_list" -> r.srv6SegmentCount == 0 ? "[]" : "segments " + r.srv6SegmentCount;
            case "tunnel_ip_src" -> Addr.toString(r.tunnelSrcFamily, r.tunnelSrcHi, r.tunnelSrcLo);
            case "tunnel_ip_dst" -> Addr.toString(r.tunnelDstFamily, r.tunnelDstHi, r.tunnelDstLo);
            case "tunnel_ip_proto" -> Protocols.name(r.tunnelProto);
            case "tunnel_port_src" -> Integer.toString(r.tunnelSrcPort);
            case "tunnel_port_dst" -> Integer.toString(r.tunnelDstPort);
            case "tunnel_tos" -> Integer.toString(r.tunnelTos);
            case "tunnel_flow_label" -> Integer.toString(r.tunnelFlowLabel);
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static String mac(long mac) {
        StringBuilder sb = new StringBuilder();
        Addr.appendMac(sb, mac);
        return sb.toString();
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = UpstreamSrv6CaptureTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    /** The UDP payloads sent to {@code port} in a classic little-endian pcap of Ethernet frames. */
    private static List<byte[]> udpPayloads(byte[] pcap, int port) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        for (int p = 24; p + 16 <= pcap.length; ) {
            int caplen = b.getInt(p + 8);
            int frame = p + 16;
            p = frame + caplen;
            ByteBuffer f = ByteBuffer.wrap(pcap, frame, caplen).slice().order(ByteOrder.BIG_ENDIAN);
            int etype = f.getShort(12) & 0xFFFF;
            int udp;
            if (etype == 0x0800 && f.get(23) == 17) {
                udp = 14 + (f.get(14) & 0x0F) * 4;
            } else if (etype == 0x86DD && f.get(20) == 17) {
                udp = 14 + 40;
            } else {
                continue;
            }
            if ((f.getShort(udp + 2) & 0xFFFF) == port) {
                byte[] payload = new byte[(f.getShort(udp + 4) & 0xFFFF) - 8];
                f.get(udp + 8, payload);
                out.add(payload);
            }
        }
        return out;
    }
}
