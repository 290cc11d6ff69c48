package jpmacct.pmacctd.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jpmacct.core.config.ConfigException;
import jpmacct.core.net.MapLine;

/** pcap_interfaces_map: one interface per line, {@code ifname=eth0 ifindex=100 direction=in}. */
public final class InterfacesMap {
    private InterfacesMap() {
    }

    /** One line of the map. */
    public record Entry(String ifname, long ifindex, LiveCapture.Direction direction) {
    }

    public static List<Entry> load(Path file) throws ConfigException {
        List<String> lines = MapLine.readLines(file, "pcap_interfaces_map");
        List<Entry> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.charAt(0) == '!' || line.charAt(0) == '#') {
                continue;
            }
            String where = file + ":" + (n + 1);
            String name = null;
            long index = 0;
            LiveCapture.Direction dir = LiveCapture.Direction.BOTH;
            for (String token : line.split("\\s+")) {
                int eq = token.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(where + ": expected key=value, got '" + token + "'");
                }
                String k = token.substring(0, eq).toLowerCase(Locale.ROOT);
                String v = token.substring(eq + 1);
                switch (k) {
                    case "ifname":
                        name = v;
                        break;
                    case "ifindex":
                        try {
                            index = Long.parseLong(v);
                            if (index <= 0 || index > 0xFFFFFFFFL) {
                                throw new NumberFormatException();
                            }
                        } catch (NumberFormatException e) {
                            throw new ConfigException(where + ": invalid ifindex '" + v + "'; expected a positive 32-bit integer");
                        }
                        break;
                    case "direction":
                        if (v.equalsIgnoreCase("in")) {
                            dir = LiveCapture.Direction.IN;
                        } else if (v.equalsIgnoreCase("out")) {
                            dir = LiveCapture.Direction.OUT;
                        } else {
                            throw new ConfigException(where + ": invalid direction '" + v + "'; expected in or out");
                        }
                        break;
                    default:
                        throw new ConfigException(where + ": unknown key '" + k + "'; expected ifname, ifindex, direction");
                }
            }
            if (name == null) {
                throw new ConfigException(where + ": missing ifname=");
            }
            out.add(new Entry(name, index, dir));
        }
        if (out.isEmpty()) {
            throw new ConfigException(file + ": no interfaces in pcap_interfaces_map");
        }
        return out;
    }
}
