package jpmacct.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import jpmacct.core.net.NetworksTable;

/** Longest-prefix match in a networks_file of one million IPv4 prefixes (and 200k IPv6), random addresses. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NetworksLookupBenchmark {
    private static final int LOOKUPS = 1 << 16;
    private NetworksTable table;
    private final int[] v4 = new int[LOOKUPS];
    private final long[] v6hi = new long[LOOKUPS];
    private final long[] v6lo = new long[LOOKUPS];

    @Setup
    public void build() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        List<String> lines = new ArrayList<>(1_200_000);
        for (int i = 0; i < 1_000_000; i++) {
            int mask = 8 + rnd.nextInt(25);
            int net = rnd.nextInt() & (int) (0xFFFFFFFFL << (32 - mask));
            lines.add((64512 + rnd.nextInt(1000)) + "," + ((net >>> 24) & 0xFF) + "." + ((net >>> 16) & 0xFF) + "."
                    + ((net >>> 8) & 0xFF) + "." + (net & 0xFF) + "/" + mask);
        }
        for (int i = 0; i < 200_000; i++) {
            lines.add(String.format("2a%02x:%x:%x::/%d", rnd.nextInt(256), rnd.nextInt(65536), rnd.nextInt(65536),
                    32 + rnd.nextInt(17)));
        }
        table = NetworksTable.parse(Path.of("bench-networks.lst"), lines);
        for (int i = 0; i < LOOKUPS; i++) {
            v4[i] = rnd.nextInt();
            v6hi[i] = 0x2a00000000000000L | (rnd.nextLong() >>> 8);
            v6lo[i] = rnd.nextLong();
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public int lookupV4() {
        int found = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            found += table.lookupV4(v4[i]);
        }
        return found;
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public int lookupV6() {
        int found = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            found += table.lookupV6(v6hi[i], v6lo[i]);
        }
        return found;
    }
}
