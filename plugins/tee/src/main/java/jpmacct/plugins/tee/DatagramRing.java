package jpmacct.plugins.tee;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import jpmacct.core.plugin.DatagramConsumer.DatagramBytes;

/**
 * Bounded ring of preallocated datagram slots: many receiving threads put (lock-free, never waiting: a full ring
 * refuses), one sender thread takes. Each slot has a sequence number (Vyukov's bounded queue), so a producer
 * claims a slot with one CAS and publishes it with one release store.
 */
final class DatagramRing {
    /** Slots start this large and grow, once per slot, for a bigger datagram. */
    static final int INITIAL_SLOT_BYTES = 2048;

    static final class Slot {
        byte[] data = new byte[INITIAL_SLOT_BYTES];
        ByteBuffer view = ByteBuffer.wrap(data);
        int length;
        InetAddress sender;
        int senderPort;
        /** Put by a savefile reader, which waits for room: whoever passes it on must not drop it either. */
        boolean lossless;
    }

    private final Slot[] slots;
    private final AtomicLongArray sequence;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private long head; // the sender thread's only
    private volatile Thread waiter;

    DatagramRing(int capacity) {
        int n = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        slots = new Slot[n];
        sequence = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            slots[i] = new Slot();
            sequence.set(i, i);
        }
        mask = n - 1;
    }

    int capacity() {
        return slots.length;
    }

    /** Copies the datagram into a free slot; false when the ring is full. */
    boolean offer(DatagramBytes bytes, int length, InetAddress sender, int senderPort) {
        return offer(bytes, length, sender, senderPort, false);
    }

    /** As {@link #offer(DatagramBytes, int, InetAddress, int)}, marking the slot as one nobody may drop. */
    boolean offer(DatagramBytes bytes, int length, InetAddress sender, int senderPort, boolean lossless) {
        long pos = tail.get();
        while (true) {
            long seq = sequence.get((int) pos & mask);
            long dif = seq - pos;
            if (dif == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    break;
                }
                pos = tail.get();
            } else if (dif < 0) {
                return false;
            } else {
                pos = tail.get();
            }
        }
        Slot s = slots[(int) pos & mask];
        if (s.data.length < length) {
            s.data = new byte[Math.max(length, Integer.highestOneBit(length - 1) << 1)];
            s.view = ByteBuffer.wrap(s.data);
        }
        bytes.copyTo(s.data, length);
        s.length = length;
        s.sender = sender;
        s.senderPort = senderPort;
        s.lossless = lossless;
        // a volatile store, not lazySet: with the volatile read of waiter after it, no wake-up is missed
        sequence.set((int) pos & mask, pos + 1);
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        return true;
    }

    /** The oldest filled slot, or null; the caller hands it back with {@link #release} before the next poll. */
    Slot poll() {
        int i = (int) head & mask;
        return sequence.get(i) == head + 1 ? slots[i] : null;
    }

    void release() {
        int i = (int) head & mask;
        slots[i].sender = null;
        sequence.lazySet(i, head + slots.length);
        head++;
    }

    /** Waits for a datagram, at most {@code nanos}; producers wake the sender only while it waits. */
    void await(long nanos) {
        waiter = Thread.currentThread();
        if (poll() == null) {
            LockSupport.parkNanos(this, nanos);
        }
        waiter = null;
    }
}
