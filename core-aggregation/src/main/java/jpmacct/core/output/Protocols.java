package jpmacct.core.output;

/** IP protocol names as pmacct 1.7.7 prints them (its built-in table; numbers past it print as numbers). */
public final class Protocols {
    private static final String[] NAMES = new String[134];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = Integer.toString(i);
        }
        set(1, "icmp"); set(2, "igmp"); set(3, "ggp"); set(4, "ipencap"); set(6, "tcp"); set(8, "egp");
        set(9, "igp"); set(17, "udp"); set(18, "mux"); set(41, "ipv6"); set(43, "ipv6-route");
        set(44, "ipv6-frag"); set(46, "rsvp"); set(47, "gre"); set(50, "esp"); set(51, "ah"); set(55, "mobile");
        set(56, "tlsp"); set(58, "ipv6-icmp"); set(59, "ipv6-nonxt"); set(60, "ipv6-opts"); set(80, "iso-ip");
        set(83, "vines"); set(88, "eigrp"); set(89, "ospf"); set(91, "larp"); set(93, "ax.25"); set(94, "ipip");
        set(98, "encap"); set(102, "pnni"); set(103, "pim"); set(108, "IPcomp"); set(111, "ipx-in-ip");
        set(112, "vrrp"); set(115, "l2tp"); set(124, "isis"); set(132, "sctp"); set(133, "fc");
    }

    private static void set(int n, String name) {
        NAMES[n] = name;
    }

    private Protocols() {
    }

    /** pmacct's name for a protocol number, or the number itself. */
    public static String name(int proto) {
        return proto >= 0 && proto < NAMES.length ? NAMES[proto] : Integer.toString(proto);
    }

    /** Parses a name or number as the client's {@code -M}/{@code -N} do; -1 when unknown. */
    public static int parse(String text) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(text)) {
                return i;
            }
        }
        try {
            int v = Integer.parseInt(text);
            return v >= 0 && v <= 255 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
