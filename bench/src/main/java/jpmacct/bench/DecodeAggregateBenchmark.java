package jpmacct.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyBuilder;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.aggregate.NetOptions;
import jpmacct.core.aggregate.StringDictionary;
import jpmacct.core.capture.SavefileReader;
import jpmacct.core.decode.Verdict;
import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.FragmentTable;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.FlowRecord;

/**
 * Per-packet cost of the hot path in one thread: frames are copied window by window into a 256 KiB direct buffer
 * (as the savefile reader does), decoded into a reused record, keyed on the 5-tuple and added to the aggregation
 * table with the grouped lookups the plugins use. Frames come from a savefile loaded into memory (default: the
 * generated 5M-packet capture with 50k flows). Run: see docs/PERFORMANCE.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeAggregateBenchmark {
    static final int FRAMES = 200_000;

    @Param("")
    public String pcap;

    private ByteBuffer buf;
    private ByteBuffer window;
    private int[] windowStarts;
    private int[] offsets;
    private int[] lengths;
    private long[] stamps;
    private PacketDecoder decoder;
    private Aggregator aggregator;
    private final FlowRecord record = new FlowRecord();
    /** Records of one batch, as the plugin receives them. */
    private final FlowRecord[] groupRecords = newRecords(512);

    private static FlowRecord[] newRecords(int n) {
        FlowRecord[] out = new FlowRecord[n];
        for (int i = 0; i < n; i++) {
            out[i] = new FlowRecord();
        }
        return out;
    }

    @Setup
    public void load() throws IOException, InterruptedException {
        String file = pcap.isEmpty() ? System.getProperty("bench.pcap", "/tmp/bench/big5m.pcap") : pcap;
        List<byte[]> frames = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        try (SavefileReader r = new SavefileReader(Path.of(file))) {
            while (frames.size() < FRAMES) {
                int n = r.poll((b, off, caplen, wire, micros, lt, ifx) -> {
                    byte[] copy = new byte[caplen];
                    b.get(off, copy);
                    frames.add(copy);
                    ts.add(micros);
                }, 1024);
                if (n < 0) {
                    break;
                }
            }
        }
        int total = 0;
        for (byte[] f : frames) {
            total += f.length;
        }
        buf = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        offsets = new int[frames.size()];
        lengths = new int[frames.size()];
        stamps = new long[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            offsets[i] = buf.position();
            lengths[i] = frames.get(i).length;
            stamps[i] = ts.get(i);
            buf.put(frames.get(i));
        }
        // group frames into windows of at most 256 KiB, the reader's chunk size
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        int windowBytes = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (windowBytes + lengths[i] > 256 * 1024) {
                starts.add(i);
                windowBytes = 0;
            }
            windowBytes += lengths[i];
        }
        starts.add(lengths.length);
        windowStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        window = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.BIG_ENDIAN);
        decoder = new PacketDecoder(new FragmentTable(65536, 4096, 60_000), null, new DecodeStats());
        aggregator = fiveTupleAggregator(65536);
    }

    /** An aggregator on src_host, dst_host, src_port, dst_port, proto, as a print plugin with that aggregate has. */
    static Aggregator fiveTupleAggregator(int initialEntries) {
        Aggregate agg = new Aggregate(EnumSet.of(Primitive.SRC_HOST, Primitive.DST_HOST, Primitive.SRC_PORT,
                Primitive.DST_PORT, Primitive.PROTO));
        KeyLayout layout = new KeyLayout(agg, false);
        StringDictionary labels = new StringDictionary("");
        StringDictionary classes = new StringDictionary("unknown");
        KeyBuilder keys = new KeyBuilder(layout, NetOptions.NONE, null, null, false, labels, classes);
        return new Aggregator(keys, new AggregationTable(layout.words(), initialEntries, 0, false, false), labels, classes);
    }

    /** Copies window {@code w} of frames into the direct buffer, as the savefile reader fills its chunk; returns its base. */
    private int loadWindow(int w) {
        int base = offsets[windowStarts[w]];
        int last = windowStarts[w + 1];
        int len = last < offsets.length ? offsets[last] - base : buf.capacity() - base;
        window.put(0, buf, base, len);
        return base;
    }

    /** One pass over the frames; the score is per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long decodeAndAggregate() {
        long accounted = 0;
        FlowRecord[] group = groupRecords;
        for (int w = 0; w + 1 < windowStarts.length; w++) {
            int base = loadWindow(w);
            int g = 0;
            for (int i = windowStarts[w]; i < windowStarts[w + 1]; i++) {
                FlowRecord r = group[g];
                if (decoder.decode(window, offsets[i] - base, lengths[i], lengths[i], 1, stamps[i], r)
                        == Verdict.OK) {
                    aggregator.offer(r);
                    accounted++;
                    if (++g == group.length) {
                        aggregator.flush();
                        g = 0;
                    }
                }
            }
            aggregator.flush();
        }
        return accounted;
    }

    /** Decoding alone, for the split of the cost. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long decodeOnly() {
        long bytes = 0;
        for (int w = 0; w + 1 < windowStarts.length; w++) {
            int base = loadWindow(w);
            for (int i = windowStarts[w]; i < windowStarts[w + 1]; i++) {
                decoder.decode(window, offsets[i] - base, lengths[i], lengths[i], 1, stamps[i], record);
                bytes += record.bytes;
            }
        }
        return bytes;
    }
}
