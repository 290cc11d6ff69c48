package jpmacct.core.runtime;

import java.util.List;

import jpmacct.core.record.RecordBatch;

/**
 * Fans batches out from the core to every plugin queue. A batch is shared read-only; each runner releases it.
 */
public final class Dispatcher {
    /** What to do when a plugin's queue is full. */
    public enum Overflow {
        /** Live traffic: never stall the capture; drop the batch for that plugin, counted and logged. */
        DROP,
        /** Savefiles: wait for the plugin, nothing is lost. */
        WAIT
    }

    private final List<PluginRunner> runners;
    private final Overflow overflow;

    public Dispatcher(List<PluginRunner> runners, Overflow overflow) {
        this.runners = List.copyOf(runners);
        this.overflow = overflow;
    }

    public void publish(RecordBatch batch) throws InterruptedException {
        int n = runners.size();
        if (n == 0 || batch.isEmpty()) {
            batch.share(1);
            batch.release();
            return;
        }
        batch.share(n);
        for (int i = 0; i < n; i++) {
            PluginRunner r = runners.get(i);
            if (overflow == Overflow.WAIT) {
                r.put(batch);
            } else {
                r.offer(batch);
            }
        }
    }

    public List<PluginRunner> runners() {
        return runners;
    }

    /** Batches a pool needs so that it never runs dry while every queue is full. */
    public static int poolSizeFor(List<PluginRunner> runners, int producers) {
        int max = 0;
        for (PluginRunner r : runners) {
            max = Math.max(max, r.queueCapacity());
        }
        return max + runners.size() + 2 * producers + 2;
    }
}
