package jpmacct.collector;

import java.net.InetAddress;

import io.netty.buffer.ByteBuf;

/**
 * Turns one export datagram into records. A receiving thread owns one instance (decoders keep scratch state and
 * write into the thread's own batch), so implementations need not be thread-safe; state shared between threads
 * (templates, exporters) is the implementation's business.
 */
public interface DatagramHandler {
    /**
     * @param buf           holds the datagram at {@code [offset, offset + length)}; only valid during the call
     * @param sender        the exporter's address as the socket saw it (IPv4-mapped senders arrive as IPv4)
     * @param arrivalMicros when the datagram arrived, microseconds since the epoch
     */
    void onDatagram(ByteBuf buf, int offset, int length, InetAddress sender, long arrivalMicros) throws InterruptedException;

    /** Called every few tens of milliseconds on the receiving thread: publish records that waited long enough. */
    default void tick(long nowNanos) throws InterruptedException {
    }

    /** The receiving thread is done: publish everything held. */
    default void finish() throws InterruptedException {
    }
}
