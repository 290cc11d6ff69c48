package jpmacct.core.record;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;

/** What a hot path allocates on the calling thread, measured after a warm-up (the JIT, state made on first use). */
public final class Allocations {
    private Allocations() {
    }

    /** One round of the code measured; {@code i} counts the rounds. */
    @FunctionalInterface
    public interface Round {
        void run(int i) throws Exception;
    }

    /** Bytes allocated by {@code rounds} rounds after {@code warmup} rounds. */
    public static long of(int warmup, int rounds, Round round) throws Exception {
        for (int i = 0; i < warmup; i++) {
            round.run(i);
        }
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) {
            round.run(i);
        }
        return mx.getCurrentThreadAllocatedBytes() - before;
    }
}
