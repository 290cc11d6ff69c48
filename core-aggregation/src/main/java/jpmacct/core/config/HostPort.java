package jpmacct.core.config;

/** A receiver address as pmacct writes it (nfprobe_receiver, sfprobe_receiver): host:port or [IPv6]:port. */
public final class HostPort {
    private HostPort() {
    }

    /** {host, port}; IllegalArgumentException with the reason otherwise. */
    public static String[] split(String v) {
        String host;
        String port;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + v + "' is not [IPv6 address]:port");
            }
            host = v.substring(1, close);
            port = v.substring(close + 2);
        } else {
            int colon = v.lastIndexOf(':');
            if (colon < 0 || v.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + v + "' is not address:port (IPv6: [address]:port)");
            }
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (host.isEmpty() || p < 1 || p > 65535) {
            throw new IllegalArgumentException("'" + v + "': needs an address and a port 1-65535");
        }
        return new String[] {host, port};
    }
}
