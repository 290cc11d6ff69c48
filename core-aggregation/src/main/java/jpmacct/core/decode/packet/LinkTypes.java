package jpmacct.core.decode.packet;

/** pcap link types (LINKTYPE_* in files, DLT_* live) the decoder understands. */
public final class LinkTypes {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW_DLT_LINUX = 12;
    public static final int RAW_DLT_BSD = 14;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {
    }

    public static boolean supported(int linkType) {
        switch (linkType) {
            case NULL: case ETHERNET: case RAW_DLT_LINUX: case RAW_DLT_BSD: case RAW: case LOOP: case LINUX_SLL:
            case IPV4: case IPV6: case LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }

    public static String name(int linkType) {
        switch (linkType) {
            case NULL: return "NULL";
            case ETHERNET: return "EN10MB";
            case RAW_DLT_LINUX: case RAW_DLT_BSD: case RAW: return "RAW";
            case LOOP: return "LOOP";
            case LINUX_SLL: return "LINUX_SLL";
            case IPV4: return "IPV4";
            case IPV6: return "IPV6";
            case LINUX_SLL2: return "LINUX_SLL2";
            default: return "unknown";
        }
    }

    public static String supportedList() {
        return "EN10MB (1), LINUX_SLL (113), LINUX_SLL2 (276), RAW (101/12/14), IPV4 (228), IPV6 (229), "
                + "NULL (0), LOOP (108)";
    }
}
