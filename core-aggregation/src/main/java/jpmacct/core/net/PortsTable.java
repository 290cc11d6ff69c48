package jpmacct.core.net;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import jpmacct.core.config.ConfigException;

/** A loaded {@code ports_file}: ports not listed are accounted as port 0 (pmacct semantics). One port per line. */
public final class PortsTable {
    private final BitSet ports;
    private final Path source;

    private PortsTable(Path source, BitSet ports) {
        this.source = source;
        this.ports = ports;
    }

    public Path source() {
        return source;
    }

    public boolean contains(int port) {
        return ports.get(port);
    }

    /** The port if listed, else 0. */
    public int filter(int port) {
        return ports.get(port) ? port : 0;
    }

    public static PortsTable load(Path file) throws ConfigException {
        List<String> lines = MapLine.readLines(file, "ports_file");
        BitSet set = new BitSet(65536);
        for (int n = 0; n < lines.size(); n++) {
            String l = lines.get(n).strip();
            if (l.isEmpty() || l.charAt(0) == '!' || l.charAt(0) == '#') {
                continue;
            }
            try {
                int p = Integer.parseInt(l);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                set.set(p);
            } catch (NumberFormatException e) {
                throw new ConfigException(file + ":" + (n + 1) + ": invalid port '" + l + "'; expected a number from 0 to 65535");
            }
        }
        return new PortsTable(file, set);
    }
}
