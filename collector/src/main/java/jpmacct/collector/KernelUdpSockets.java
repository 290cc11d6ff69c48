package jpmacct.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel says of the sockets bound to a port, from /proc/net/udp and udp6, summed over the sockets:
 * datagrams dropped because a receive buffer was full (the last column, "drops": loss the daemon could never see
 * otherwise, the first thing to check when records go missing), and bytes received but not read yet (rx_queue:
 * a stopping collector reads until it is empty).
 */
public final class KernelUdpSockets {
    private final int port;
    private final List<Path> tables;

    public KernelUdpSockets(int port) {
        this(port, List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")));
    }

    KernelUdpSockets(int port, List<Path> tables) {
        this.port = port;
        this.tables = tables;
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
            sum += sumFor(lines, port, column);
        }
        return any ? sum : -1;
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

    static long dropsFor(List<String> lines, int port) {
        return sumFor(lines, port, KernelUdpSockets::drops);
    }

    static long sumFor(List<String> lines, int port, Column column) {
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
                if (Integer.parseInt(f[1].substring(colon + 1), 16) == port) {
                    sum += column.of(f);
                }
            } catch (NumberFormatException e) {
                // a line of another layout: not ours
            }
        }
        return sum;
    }
}
