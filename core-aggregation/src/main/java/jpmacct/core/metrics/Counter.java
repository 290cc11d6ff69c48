package jpmacct.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, safe to bump from any thread. */
public final class Counter {
    private final String name;
    private final String labels;
    private final LongAdder value = new LongAdder();

    Counter(String name, String labels) {
        this.name = name;
        this.labels = labels;
    }

    public void inc() {
        value.increment();
    }

    public void add(long n) {
        value.add(n);
    }

    public long get() {
        return value.sum();
    }

    public String name() {
        return name;
    }

    /** Labels in Prometheus text form without braces ({@code plugin="csv"}), or "". */
    public String labels() {
        return labels;
    }
}
