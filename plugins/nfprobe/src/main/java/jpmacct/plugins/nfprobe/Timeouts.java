package jpmacct.plugins.nfprobe;

import java.util.Arrays;
import java.util.Locale;

import jpmacct.core.config.ValueType;

/** nfprobe_timeouts in seconds; 0 turns a rule off (the flow falls to the next one, as pmacct). */
record Timeouts(long tcp, long tcpRst, long tcpFin, long udp, long icmp, long general, long maxlife, long expint) {
    static final Timeouts DEFAULTS = new Timeouts(3600, 120, 300, 300, 300, 3600, 604800, 60);

    static final ValueType<Timeouts> TYPE = new ValueType<>() {
        @Override
        public Timeouts parse(String text) {
            return Timeouts.parse(text);
        }

        @Override
        public String expected() {
            return "name=seconds[:name=seconds...], names tcp, tcp.rst, tcp.fin, udp, icmp, general, maxlife, expint";
        }
    };

    static Timeouts parse(String text) {
        long[] v = {DEFAULTS.tcp, DEFAULTS.tcpRst, DEFAULTS.tcpFin, DEFAULTS.udp, DEFAULTS.icmp, DEFAULTS.general,
            DEFAULTS.maxlife, DEFAULTS.expint};
        String[] names = {"tcp", "tcp.rst", "tcp.fin", "udp", "icmp", "general", "maxlife", "expint"};
        for (String pair : text.trim().split(":")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + pair + "' is not name=seconds");
            }
            String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            int i = Arrays.asList(names).indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("unknown timeout '" + name + "'");
            }
            v[i] = seconds(pair.substring(eq + 1).trim());
        }
        return new Timeouts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    /** softflowd's time form: a number with an optional s, m, h, d or w. */
    private static long seconds(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty time");
        }
        if (!Character.isDigit(s.charAt(0))) {
            throw new IllegalArgumentException("'" + s + "' is not a time");
        }
        long unit = 1;
        char last = Character.toLowerCase(s.charAt(s.length() - 1));
        String digits = s;
        if (!Character.isDigit(last)) {
            unit = switch (last) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                case 'w' -> 604800;
                default -> throw new IllegalArgumentException("'" + s + "' has an unknown time unit");
            };
            digits = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + s + "' is out of range");
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a time");
        }
    }

    @Override
    public String toString() {
        return "tcp=" + tcp + ":tcp.rst=" + tcpRst + ":tcp.fin=" + tcpFin + ":udp=" + udp + ":icmp=" + icmp
                + ":general=" + general + ":maxlife=" + maxlife + ":expint=" + expint;
    }
}
