package jpmacct.e2e;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jpmacct.collector.SavefileDatagrams;
import jpmacct.core.capture.PacketHandler;
import jpmacct.core.capture.PacketSource;
import jpmacct.core.capture.SavefileReader;

/**
 * What pmacct's traffic reproducer does for the upstream flow cases, read from the case's own files: a container
 * of container-setup.yml runs reproducer processes; each replays the UDP payloads of its pcap that come from a
 * {@code network.map} source and go to an {@code ipfix.select.udp.dport}, in file order, as if sent from the
 * mapped {@code repro_ip}. Only the keys these cases use are read (a line-based reading of this YAML subset); the
 * pcap's timing and the reproducer's wait for the next full minute are not reproduced (see the upstream README).
 */
final class UpstreamTraffic {
    /** A reproducer process: its capture, the sources it replays ({@code src_ip} to {@code repro_ip}), the ports. */
    record Reproducer(Path pcap, Map<InetAddress, String> sources, Set<Integer> dports) {
    }

    /** A selected datagram and the {@code repro_ip} it is sent from (as the case writes it). */
    record Datagram(String reproIp, byte[] payload) {
    }

    private static final Pattern KEY = Pattern.compile("^(\\s*)(?:-\\s+)?([A-Za-z_]+):\\s*(.*)$");
    private static final Pattern ITEM = Pattern.compile("^\\s*-\\s*(\\S+)\\s*$");

    private UpstreamTraffic() {
    }

    /** The processes of a container of container-setup.yml, in order. */
    static List<Reproducer> container(Path caseDir, String name) throws IOException {
        List<Reproducer> out = new ArrayList<>();
        String current = null;
        String pcap = null;
        for (String line : lines(caseDir.resolve("container-setup.yml"))) {
            Matcher m = KEY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            switch (m.group(2)) {
                case "name" -> current = m.group(3);
                case "pcap" -> pcap = m.group(3);
                case "config" -> {
                    if (name.equals(current)) {
                        out.add(reproducer(caseDir.resolve(pcap), caseDir.resolve(m.group(3))));
                    }
                }
                default -> {
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no container '" + name + "' in " + caseDir.resolve("container-setup.yml"));
        }
        return out;
    }

    /** A traffic-reproducer-*.yml: its network map and IPFIX port selection (no other protocol is used here). */
    static Reproducer reproducer(Path pcap, Path yml) throws IOException {
        Map<InetAddress, String> sources = new LinkedHashMap<>();
        Set<Integer> dports = new LinkedHashSet<>();
        String section = "";
        InetAddress src = null;
        boolean inDports = false;
        for (String line : lines(yml)) {
            Matcher item = ITEM.matcher(line);
            if (inDports && item.matches()) {
                dports.add(Integer.parseInt(item.group(1)));
                continue;
            }
            inDports = false;
            Matcher m = KEY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).isEmpty()) {
                section = m.group(2);
                if (List.of("bmp", "bgp", "udp_generic", "tcp_generic").contains(section)) {
                    throw new IllegalArgumentException(yml + ": protocol '" + section + "' is not replayed here");
                }
            }
            switch (section + "." + m.group(2)) {
                case "network.src_ip" -> src = InetAddress.getByName(m.group(3)); // a literal: no lookup
                case "network.repro_ip" -> sources.put(src, m.group(3));
                case "ipfix.dport" -> inDports = true;
                default -> {
                }
            }
        }
        return new Reproducer(pcap, sources, dports);
    }

    /** The UDP payloads the reproducer sends, in file order, each with its {@code repro_ip}. */
    static List<Datagram> select(Reproducer r) throws IOException, InterruptedException {
        List<Datagram> out = new ArrayList<>();
        PacketHandler pick = (buf, offset, caplen, wireLen, tsMicros, linkType, ifIndex) -> {
            int end = offset + caplen;
            int l3 = SavefileDatagrams.networkOffset(buf, offset, end, linkType);
            if (l3 < 0 || l3 >= end) {
                return;
            }
            int version = (buf.get(l3) & 0xF0) >>> 4;
            int udp;
            byte[] source;
            if (version == 4 && (buf.get(l3 + 9) & 0xFF) == 17) {
                udp = l3 + (buf.get(l3) & 0x0F) * 4;
                source = bytes(buf, l3 + 12, 4);
            } else if (version == 6 && (buf.get(l3 + 6) & 0xFF) == 17) {
                udp = l3 + 40;
                source = bytes(buf, l3 + 8, 16);
            } else {
                return;
            }
            String repro = r.sources.get(address(source));
            int dport = buf.getShort(udp + 2) & 0xFFFF;
            int length = (buf.getShort(udp + 4) & 0xFFFF) - 8;
            if (repro != null && (r.dports.isEmpty() || r.dports.contains(dport)) && udp + 8 + length <= end) {
                out.add(new Datagram(repro, bytes(buf, udp + 8, length)));
            }
        };
        try (SavefileReader reader = new SavefileReader(r.pcap)) {
            while (reader.poll(pick, 1024) != PacketSource.END) {
                // all handed to pick
            }
        }
        return out;
    }

    /**
     * Sends the datagrams in order, each from the loopback address its {@code repro_ip} maps to (IPv4 ones to
     * 127.0.0.1, IPv6 ones to ::1, on {@code port}); every 64 datagrams waits for {@code drained} (the collector's
     * socket read empty) so a burst never overruns the socket buffer.
     */
    static int send(List<Datagram> datagrams, Function<String, InetAddress> loopback, int port, Runnable drained)
            throws IOException {
        Map<InetAddress, DatagramChannel> channels = new HashMap<>();
        try {
            int n = 0;
            for (Datagram d : datagrams) {
                InetAddress from = loopback.apply(d.reproIp);
                if (!from.isLoopbackAddress()) {
                    throw new IllegalArgumentException("replays come from loopback only, not " + from);
                }
                DatagramChannel ch = channels.get(from);
                if (ch == null) {
                    ch = DatagramChannel.open();
                    ch.bind(new InetSocketAddress(from, 0));
                    channels.put(from, ch);
                }
                InetAddress to = InetAddress.getByName(from instanceof Inet6Address ? "::1" : "127.0.0.1");
                ch.send(ByteBuffer.wrap(d.payload), new InetSocketAddress(to, port));
                if (++n % 64 == 0) {
                    drained.run();
                }
            }
            return n;
        } finally {
            for (DatagramChannel ch : channels.values()) {
                ch.close();
            }
        }
    }

    private static byte[] bytes(ByteBuffer buf, int at, int length) {
        byte[] b = new byte[length];
        buf.get(at, b, 0, length);
        return b;
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (IOException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes are always an address
        }
    }

    /** The file's lines with comments and blank lines dropped. */
    private static List<String> lines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            int hash = l.indexOf('#');
            String s = (hash >= 0 ? l.substring(0, hash) : l).stripTrailing();
            if (!s.isBlank()) {
                out.add(s);
            }
        }
        return out;
    }
}
