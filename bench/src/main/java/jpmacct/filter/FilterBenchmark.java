package jpmacct.filter;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

import jpmacct.core.capture.SavefileReader;
import jpmacct.core.decode.packet.DecodeStats;
import jpmacct.core.decode.packet.FlowTracker;
import jpmacct.core.decode.packet.FragmentTable;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.FlowRecord;

/**
 * aggregate_filter and pre_tag_map per record, over the frames of examples/traffic.pcap (run from the repository
 * root): on captured frames (pmacctd), on frames built from the records (nfacctd, sfacctd), this project's own
 * terms alone and mixed with libpcap's, and the issue's four-rule pre_tag_map.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FilterBenchmark {
    private static final String ZONE = "src net 192.168.1.0/24 and not dst net 192.168.1.0/24 and not ether multicast"
            + " and not ip broadcast and ip";
    private static final int N = 2048;
    private final FlowRecord[] records = new FlowRecord[N];
    private final ByteBuffer[] frames = new ByteBuffer[N];
    private final int[] wire = new int[N];
    private final RecordFilter.Subject subject = new RecordFilter.Subject();
    private RecordFilter zone;
    private RecordFilter interfaces;
    private RecordFilter mixed;
    private PreTagMap map;
    private RecordFilter[] mapFilters;

    @Setup
    public void load() throws Exception {
        PacketDecoder decoder = new PacketDecoder(new FragmentTable(1024, 1024, 60_000), null, new DecodeStats());
        List<Object[]> got = new ArrayList<>();
        try (SavefileReader reader = new SavefileReader(Path.of("examples/traffic.pcap"))) {
            while (reader.poll((buf, off, caplen, w, ts, link, ifx) -> {
                byte[] b = new byte[caplen];
                buf.get(off, b);
                FlowRecord r = new FlowRecord();
                r.clear();
                if (decoder.decode(ByteBuffer.wrap(b), 0, caplen, w, link, ts, r) == Verdict.OK) {
                    r.inIface = got.size() % 3 == 0 ? 200 : 100;
                    r.outIface = got.size() % 3 == 1 ? 200 : 101;
                    got.add(new Object[] {r, b, w});
                }
            }, 1000) > 0) {
                // read on
            }
        }
        for (int i = 0; i < N; i++) {
            Object[] o = got.get(i % got.size());
            records[i] = (FlowRecord) o[0];
            // wrapped once: the capture loop hands the filter its ring's buffer, never a new one
            frames[i] = ByteBuffer.wrap((byte[]) o[1]);
            wire[i] = (Integer) o[2];
        }
        zone = RecordFilter.compile(ZONE, LinkTypes.ETHERNET);
        interfaces = RecordFilter.compile("in_iface 200 or out_iface 200");
        mixed = RecordFilter.compile("(in_iface 200 or out_iface 200) and tcp port 443");
        Path f = Files.createTempFile("pretag", ".map");
        Files.writeString(f, "set_tag=10 ip=192.0.2.1 in=200\nset_tag=20 filter='tcp and port 443'\n"
                + "set_tag2=7 vlan=100\nset_label=customer-a src_mac=02:00:00:00:00:01\n");
        map = PreTagMap.load(f, RecordSource.NETFLOW);
        mapFilters = map.filtersCopy();
        Files.delete(f);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int zoneOnCapturedFrames() {
        int passed = 0;
        for (int i = 0; i < N; i++) {
            subject.set(records[i], frames[i], 0, frames[i].capacity(), wire[i], LinkTypes.ETHERNET);
            passed += zone.test(subject) ? 1 : 0;
        }
        return passed;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int zoneOnBuiltFrames() {
        int passed = 0;
        for (int i = 0; i < N; i++) {
            subject.set(records[i], null, 0, 0, 0, 0);
            passed += zone.test(subject) ? 1 : 0;
        }
        return passed;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int interfaceTerms() {
        int passed = 0;
        for (int i = 0; i < N; i++) {
            subject.set(records[i], null, 0, 0, 0, 0);
            passed += interfaces.test(subject) ? 1 : 0;
        }
        return passed;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int interfaceTermsAndPortOnBuiltFrames() {
        int passed = 0;
        for (int i = 0; i < N; i++) {
            subject.set(records[i], null, 0, 0, 0, 0);
            passed += mixed.test(subject) ? 1 : 0;
        }
        return passed;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long preTagMapOfTheIssue() {
        long tags = 0;
        for (int i = 0; i < N; i++) {
            FlowRecord r = records[i];
            subject.set(r, null, 0, 0, 0, 0);
            map.apply(r, subject, mapFilters);
            tags += r.tag + r.tag2;
        }
        return tags;
    }
}
