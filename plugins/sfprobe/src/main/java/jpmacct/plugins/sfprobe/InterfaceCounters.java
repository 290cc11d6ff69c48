package jpmacct.plugins.sfprobe;

/** What sfprobe counted of one interface, per direction (0 in, 1 out): the counter samples carry it. */
final class InterfaceCounters {
    final long ifIndex;
    final long[] octets = new long[2];
    final long[] unicast = new long[2];
    final long[] multicast = new long[2];
    final long[] broadcast = new long[2];

    InterfaceCounters(long ifIndex) {
        this.ifIndex = ifIndex;
    }

    /** Counts one frame; the destination MAC (Ethernet only) tells unicast from multicast and broadcast. */
    void count(int direction, long wireLength, byte[] header, int headerLength, boolean ethernet) {
        octets[direction] += wireLength;
        if (!ethernet || headerLength < 6 || (header[0] & 1) == 0) {
            unicast[direction]++;
        } else if ((header[0] & header[1] & header[2] & header[3] & header[4] & header[5]) == (byte) 0xFF) {
            broadcast[direction]++;
        } else {
            multicast[direction]++;
        }
    }
}
