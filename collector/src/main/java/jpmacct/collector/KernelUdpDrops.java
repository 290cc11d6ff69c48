package jpmacct.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full, read from /proc/net/udp and udp6
 * (the last column, "drops"), summed over every socket bound to the port. Loss the daemon could never see
 * otherwise: the first thing to check when records go missing.
 */
public final class KernelUdpDrops {
    private final int port;
    private final List<Path> tables;

    public KernelUdpDrops(int port) {
        this(port, List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")));
    }

    KernelUdpDrops(int port, List<Path> tables) {
        this.port = port;
        this.tables = tables;
    }

    /** Current drop count, or -1 where the kernel does not tell (no /proc). */
    public long read() {
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
            sum += dropsFor(lines, port);
        }
        return any ? sum : -1;
    }

    static long dropsFor(List<String> lines, int port) {
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
                    sum += Long.parseLong(f[f.length - 1]);
                }
            } catch (NumberFormatException e) {
                // a line of another layout: not ours
            }
        }
        return sum;
    }
}
