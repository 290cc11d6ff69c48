package jpmacct.core.plugin;

import java.net.InetAddress;

/**
 * Optional side of a {@link Plugin} that wants the collector's raw datagrams (tee), unchanged and with their
 * sender, before and independently of decoding. Called on the receiving threads, so an implementation must never
 * block nor allocate per datagram: copy into storage of its own (a preallocated ring) or drop and count.
 */
public interface DatagramConsumer {

    /** The datagram's bytes as the receiving thread holds them, copied out on request. */
    interface DatagramBytes {
        /** Copies the datagram's first {@code length} bytes to {@code dst[0..length)}. */
        void copyTo(byte[] dst, int length);
    }

    /**
     * @param sender     the exporter's address as the socket saw it (IPv4-mapped senders arrive as IPv4)
     * @param senderPort the exporter's UDP source port
     * @return false when the datagram was dropped (queue full), already counted by the consumer
     */
    boolean offer(DatagramBytes bytes, int length, InetAddress sender, int senderPort);

    /** Reading a savefile: waits for room instead of dropping, as the record queues do (nothing read is lost). */
    default void put(DatagramBytes bytes, int length, InetAddress sender, int senderPort) throws InterruptedException {
        offer(bytes, length, sender, senderPort);
    }
}
