package jpmacct.kafka;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * A collector's datagram as pmacct's tee puts it on Kafka (and its nfacctd/sfacctd read it back): the datagram
 * behind an IPv4 or IPv6 header and a UDP header whose source is the exporter's address and port, destination
 * zero, TTL/hop limit 255, IPv4 checksums zero, IPv6 UDP checksum computed; written here byte for byte as pmacct
 * writes it, so either side may be pmacct. The message key (pmacct sends none) is the exporter's address as
 * text, so Kafka's partitioner keeps an exporter, its templates with it, on one partition.
 */
public final class KafkaDatagram {
    public static final int IPV4_HEADERS = 20 + 8;
    public static final int IPV6_HEADERS = 40 + 8;

    private KafkaDatagram() {
    }

    /** The message key for an exporter. */
    public static byte[] key(InetAddress exporter) {
        return exporter.getHostAddress().getBytes(StandardCharsets.US_ASCII);
    }

    /** Headers and payload, in a new array (the producer keeps it until delivered). */
    public static byte[] encode(byte[] payload, int length, InetAddress exporter, int exporterPort) {
        boolean v4 = exporter instanceof Inet4Address;
        int headers = v4 ? IPV4_HEADERS : IPV6_HEADERS;
        byte[] m = new byte[headers + length];
        byte[] src = exporter.getAddress();
        int udp;
        if (v4) {
            m[0] = 0x45;
            putShort(m, 2, IPV4_HEADERS + length);
            m[8] = (byte) 255;
            m[9] = 17;
            System.arraycopy(src, 0, m, 12, 4);
            udp = 20;
        } else {
            m[0] = 0x60;
            putShort(m, 4, 8 + length);
            m[6] = 17;
            m[7] = (byte) 255;
            System.arraycopy(src, 0, m, 8, 16);
            udp = 40;
        }
        putShort(m, udp, exporterPort);
        putShort(m, udp + 4, 8 + length);
        System.arraycopy(payload, 0, m, headers, length);
        if (!v4) {
            putShort(m, udp + 6, udp6Checksum(m, udp, length));
        }
        return m;
    }

    /** RFC 8200's checksum over the pseudo-header (destination ::), the UDP header and the payload. */
    private static int udp6Checksum(byte[] m, int udp, int length) {
        int udpLength = 8 + length;
        long sum = 17 + udpLength;
        for (int i = 8; i < 24; i += 2) {
            sum += ((m[i] & 0xFF) << 8) | (m[i + 1] & 0xFF);
        }
        int end = udp + udpLength;
        int i = udp;
        for (; i + 1 < end; i += 2) {
            sum += ((m[i] & 0xFF) << 8) | (m[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (m[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int c = (int) (~sum & 0xFFFF);
        return c == 0 ? 0xFFFF : c;
    }

    private static void putShort(byte[] m, int off, int v) {
        m[off] = (byte) (v >>> 8);
        m[off + 1] = (byte) v;
    }
}
