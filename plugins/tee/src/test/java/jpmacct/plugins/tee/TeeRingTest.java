package jpmacct.plugins.tee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import jpmacct.core.plugin.DatagramConsumer.DatagramBytes;

class TeeRingTest {
    private static DatagramBytes bytesOf(byte[] b) {
        return (dst, length) -> System.arraycopy(b, 0, dst, 0, length);
    }

    @Test
    void fullRingRefusesWithoutWaiting() throws Exception {
        DatagramRing ring = new DatagramRing(4);
        InetAddress a = InetAddress.getByName("127.0.0.2");
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(bytesOf(new byte[] {(byte) i}), 1, a, 1000 + i));
        }
        assertFalse(ring.offer(bytesOf(new byte[] {9}), 1, a, 9));
        for (int i = 0; i < 4; i++) {
            DatagramRing.Slot s = ring.poll();
            assertEquals(i, s.data[0]);
            assertEquals(1000 + i, s.senderPort);
            assertEquals(a, s.sender);
            ring.release();
        }
        assertNull(ring.poll());
        assertTrue(ring.offer(bytesOf(new byte[] {5}), 1, a, 5), "slots are reused once released");
    }

    @Test
    void slotsGrowForBigDatagrams() throws Exception {
        DatagramRing ring = new DatagramRing(2);
        byte[] big = new byte[65507];
        big[65506] = 42;
        assertTrue(ring.offer(bytesOf(big), big.length, InetAddress.getByName("::1"), 1));
        DatagramRing.Slot s = ring.poll();
        assertEquals(big.length, s.length);
        assertArrayEquals(big, Arrays.copyOf(s.data, s.length));
        assertEquals(big.length, s.view.capacity() >= big.length ? big.length : -1);
    }

    /** Producers on several threads, one consumer: nothing lost or duplicated, each producer's order kept. */
    @Test
    void concurrentProducersKeepTheirOrder() throws Exception {
        DatagramRing ring = new DatagramRing(64);
        int producers = 3;
        int each = 20_000;
        AtomicInteger refused = new AtomicInteger();
        Thread[] ts = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            ts[p] = new Thread(() -> {
                byte[] b = new byte[8];
                for (int i = 0; i < each; i++) {
                    b[0] = (byte) id;
                    b[1] = (byte) (i >>> 16);
                    b[2] = (byte) (i >>> 8);
                    b[3] = (byte) i;
                    while (!ring.offer(bytesOf(b), 8, null, 0)) {
                        refused.incrementAndGet();
                        Thread.onSpinWait();
                    }
                }
            });
            ts[p].start();
        }
        int[] next = new int[producers];
        int got = 0;
        while (got < producers * each) {
            DatagramRing.Slot s = ring.poll();
            if (s == null) {
                ring.await(1_000_000);
                continue;
            }
            int id = s.data[0];
            int seq = ((s.data[1] & 0xFF) << 16) | ((s.data[2] & 0xFF) << 8) | (s.data[3] & 0xFF);
            assertEquals(next[id]++, seq);
            ring.release();
            got++;
        }
        for (Thread t : ts) {
            t.join();
        }
        assertArrayEquals(new int[] {each, each, each}, next);
    }
}
