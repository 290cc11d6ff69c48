package jpmacct.core.capture;

import java.nio.ByteBuffer;

/** Receives captured frames in place; the buffer is only valid during the call. */
@FunctionalInterface
public interface PacketHandler {
    /**
     * @param buf      big-endian buffer holding the frame at {@code offset}
     * @param caplen   bytes captured
     * @param wireLen  bytes on the wire
     * @param tsMicros capture time, microseconds since the epoch
     * @param linkType pcap link type of this frame
     * @param ifIndex  index of the capturing interface (pcapng interface id, or the configured ifindex)
     */
    void onPacket(ByteBuffer buf, int offset, int caplen, int wireLen, long tsMicros, int linkType, int ifIndex)
            throws InterruptedException;
}
