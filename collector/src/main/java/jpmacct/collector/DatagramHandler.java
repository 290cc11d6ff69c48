package jpmacct.collector;

import java.net.InetAddress;

/**
 * Turns one export datagram into records. A receiving thread owns one instance (decoders keep scratch state and
 * write into the thread's own batch writer, which the input flushes), so implementations need not be thread-safe;
 * state shared between threads (templates, exporters) is the implementation's business.
 */
@FunctionalInterface
public interface DatagramHandler {
    /**
     * @param datagram      the receiving thread's copy of the datagram at {@code [0, length)}; only valid during
     *                      the call, and reused for the next datagram
     * @param sender        the exporter's address as the socket saw it (IPv4-mapped senders arrive as IPv4)
     * @param arrivalMicros when the datagram arrived, microseconds since the epoch
     */
    void onDatagram(byte[] datagram, int length, InetAddress sender, long arrivalMicros) throws InterruptedException;
}
