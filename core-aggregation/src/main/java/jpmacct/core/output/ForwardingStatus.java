package jpmacct.core.output;

/**
 * RFC 7270 forwardingStatus names as pmacct 1.8 prints them with {@code fwd_status_encode_as_string}: the status
 * (top two bits) and the reason code; a code pmacct does not name prints its status with "Unclassified".
 */
public final class ForwardingStatus {
    private ForwardingStatus() {
    }

    private static final String[] STATUS = {"UNKNOWN", "FORWARDED", "DROPPED", "CONSUMED"};

    /** Reason names indexed by the whole value (status and code), null where pmacct has none. */
    private static final String[] NAMES = new String[256];

    static {
        NAMES[64] = "FORWARDED Unknown";
        NAMES[65] = "FORWARDED Fragmented";
        NAMES[66] = "FORWARDED Not Fragmented";
        NAMES[128] = "DROPPED Unknown";
        NAMES[129] = "DROPPED ACL deny";
        NAMES[130] = "DROPPED ACL drop";
        NAMES[131] = "DROPPED Unroutable";
        NAMES[132] = "DROPPED Adjacency";
        NAMES[133] = "DROPPED Fragmentation and DF set";
        NAMES[134] = "DROPPED Bad header checksum";
        NAMES[135] = "DROPPED Bad total Length";
        NAMES[136] = "DROPPED Bad header length";
        NAMES[137] = "DROPPED bad TTL";
        NAMES[138] = "DROPPED Policer";
        NAMES[139] = "DROPPED WRED";
        NAMES[140] = "DROPPED RPF";
        NAMES[141] = "DROPPED For us";
        NAMES[142] = "DROPPED Bad output interface";
        NAMES[143] = "DROPPED Hardware";
        NAMES[192] = "CONSUMED Unknown";
        NAMES[193] = "CONSUMED Punt Adjacency";
        NAMES[194] = "CONSUMED Incomplete Adjacency";
        NAMES[195] = "CONSUMED For us";
        for (int v = 0; v < NAMES.length; v++) {
            if (NAMES[v] == null) {
                NAMES[v] = STATUS[v >>> 6] + " Unclassified";
            }
        }
    }

    public static String name(int value) {
        if (value < 0 || value > 255) {
            return "RFC-7270 Misinterpreted";
        }
        return NAMES[value];
    }
}
