package jpmacct.collector;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the kernel says of the sockets bound to an address and port, from /proc/net/udp and udp6, summed over the
 * sockets (several with SO_REUSEPORT; another process's socket on another address of the same port is not ours):
 * datagrams dropped because a receive buffer was full (the last column, "drops": loss the daemon could never see
 * otherwise, the first thing to check when records go missing), and bytes received but not read yet (rx_queue:
 * a stopping collector reads until it is empty).
 */
public final class KernelUdpSockets {
    private final int port;
    /** The bound address as /proc may print it (see {@link #procForms}); empty for any address. */
    private final List<String> addresses;
    private final List<Path> tables;

    public KernelUdpSockets(InetAddress bound, int port) {
        this(procForms(bound), port, List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")));
    }

    KernelUdpSockets(List<String> addresses, int port, List<Path> tables) {
        this.addresses = addresses;
        this.port = port;
        this.tables = tables;
    }

    /**
     * How /proc may show a socket bound to the address: an IPv4 address in the udp table, or IPv4-mapped in udp6
     * (a dual-stack socket bound to it, as the JDK's and Netty's are); 0.0.0.0 also as udp6's "::".
     */
    static List<String> procForms(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            return List.of(procAddress(b));
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(b, 0, mapped, 12, 4);
        if (a.isAnyLocalAddress()) {
            return List.of(procAddress(b), procAddress(mapped), procAddress(new byte[16]));
        }
        return List.of(procAddress(b), procAddress(mapped));
    }

    /** An address as /proc/net/udp{,6} prints it: each 32-bit word as the host reads it, in hexadecimal. */
    static String procAddress(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int w = 0; w < b.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(String.format(Locale.ROOT, "%02X", b[w + (little ? 3 - i : i)] & 0xFF));
            }
        }
        return sb.toString();
    }

    /** Current drop count, or -1 where the kernel does not tell (no /proc). */
    public long read() {
        return sum(KernelUdpSockets::drops);
    }

    /** Bytes waiting in the sockets' receive queues, or -1 where the kernel does not tell. */
    public long unread() {
        return sum(KernelUdpSockets::receiveQueue);
    }

    private long sum(Column column) {
        long sum = 0;
        boolean any = false;
        for (Path t : tables) {
            List<String> lines;
            try {
                lines = Files.readAllLines(t, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            any = true;
            sum += sumFor(lines, addresses, port, column);
        }
        return any ? sum : -1;
    }

    private static boolean bound(String local, int colon, List<String> addresses) {
        if (addresses.isEmpty()) {
            return true;
        }
        for (String a : addresses) {
            if (colon == a.length() && local.regionMatches(true, 0, a, 0, colon)) {
                return true;
            }
        }
        return false;
    }

    /** A value of one socket's line, split into fields. */
    @FunctionalInterface
    interface Column {
        long of(String[] fields);
    }

    static long drops(String[] fields) {
        return Long.parseLong(fields[fields.length - 1]);
    }

    /** "tx_queue:rx_queue", both hexadecimal. */
    static long receiveQueue(String[] fields) {
        String queues = fields[4];
        return Long.parseLong(queues.substring(queues.indexOf(':') + 1), 16);
    }

    static long dropsFor(List<String> lines, List<String> addresses, int port) {
        return sumFor(lines, addresses, port, KernelUdpSockets::drops);
    }

    static long sumFor(List<String> lines, List<String> addresses, int port, Column column) {
        long sum = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            int colon = f[1].lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                if (Integer.parseInt(f[1].substring(colon + 1), 16) == port && bound(f[1], colon, addresses)) {
                    sum += column.of(f);
                }
            } catch (NumberFormatException e) {
                // a line of another layout: not ours
            }
        }
        return sum;
    }
}
