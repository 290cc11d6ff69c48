package jpmacct.core.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jpmacct.core.config.ConfigException;
import jpmacct.core.record.Addr;

/**
 * A loaded {@code networks_file}: longest-prefix match for IPv4 and IPv6, immutable (a reload builds a new one).
 *
 * <p>Prefixes are flattened into sorted, disjoint address intervals, each carrying the longest prefix covering it;
 * a lookup is a binary search narrowed by the top 16 address bits, so it stays a handful of probes with a million
 * prefixes. File format (pmacct): {@code [label,][next_hop,][[peer_as_]as,]network/mask}, {@code !} or {@code #}
 * comments.
 */
public final class NetworksTable {
    private static final int INDEX_BITS = 16;

    /** One prefix line. */
    public record Entry(int family, long netHi, long netLo, int maskLength, long as, long peerAs,
                        int nextHopFamily, long nextHopHi, long nextHopLo, String label) {
    }

    private final Path source;
    private final Entry[] entries;
    // IPv4: interval starts (unsigned) and the entry covering each interval, -1 = none
    private final int[] v4Starts;
    private final int[] v4Entry;
    private final int[] v4Index;
    // IPv6
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final int[] v6Entry;
    private final int[] v6Index;
    private final int v4Count;
    private final int v6Count;

    private NetworksTable(Path source, List<Entry> list) {
        this.source = source;
        this.entries = list.toArray(new Entry[0]);
        List<Integer> v4 = new ArrayList<>();
        List<Integer> v6 = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            (entries[i].family() == Addr.V4 ? v4 : v6).add(i);
        }
        v4Count = v4.size();
        v6Count = v6.size();
        Intervals a = flatten(v4, true);
        v4Starts = new int[a.size];
        for (int i = 0; i < a.size; i++) {
            v4Starts[i] = (int) a.lo[i];
        }
        v4Entry = Arrays.copyOf(a.entry, a.size);
        v4Index = buildIndex(a, true);
        Intervals b = flatten(v6, false);
        v6StartHi = Arrays.copyOf(b.hi, b.size);
        v6StartLo = Arrays.copyOf(b.lo, b.size);
        v6Entry = Arrays.copyOf(b.entry, b.size);
        v6Index = buildIndex(b, false);
    }

    public static NetworksTable empty() {
        return new NetworksTable(null, List.of());
    }

    public Path source() {
        return source;
    }

    public int v4Prefixes() {
        return v4Count;
    }

    public int v6Prefixes() {
        return v6Count;
    }

    public Entry entry(int index) {
        return entries[index];
    }

    public int size() {
        return entries.length;
    }

    /** Longest match for an IPv4 address: an entry index, or -1. */
    public int lookupV4(int addr) {
        if (v4Starts.length == 0) {
            return -1;
        }
        int top = addr >>> (32 - INDEX_BITS);
        int lo = Math.max(0, v4Index[top] - 1);
        int hi = v4Index[top + 1] - 1;
        // last interval with start <= addr, unsigned
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Integer.compareUnsigned(v4Starts[mid], addr) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return v4Entry[lo];
    }

    /** Longest match for an IPv6 address: an entry index, or -1. */
    public int lookupV6(long addrHi, long addrLo) {
        if (v6StartHi.length == 0) {
            return -1;
        }
        int top = (int) (addrHi >>> (64 - INDEX_BITS));
        int lo = Math.max(0, v6Index[top] - 1);
        int hi = v6Index[top + 1] - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            int c = Long.compareUnsigned(v6StartHi[mid], addrHi);
            if (c == 0) {
                c = Long.compareUnsigned(v6StartLo[mid], addrLo);
            }
            if (c <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return v6Entry[lo];
    }

    /** Looks up any address given as (family, hi, lo). */
    public int lookup(int family, long hi, long lo) {
        if (family == Addr.V4) {
            return lookupV4((int) lo);
        }
        if (family == Addr.V6) {
            return lookupV6(hi, lo);
        }
        return -1;
    }

    // ---- building

    private static final class Intervals {
        long[] hi = new long[16];
        long[] lo = new long[16];
        int[] entry = new int[16];
        int size;

        void emit(long h, long l, int e) {
            if (size > 0 && hi[size - 1] == h && lo[size - 1] == l) {
                entry[size - 1] = e;
            } else {
                if (size == hi.length) {
                    hi = Arrays.copyOf(hi, size * 2);
                    lo = Arrays.copyOf(lo, size * 2);
                    entry = Arrays.copyOf(entry, size * 2);
                }
                hi[size] = h;
                lo[size] = l;
                entry[size] = e;
                size++;
            }
            // merge with the previous interval when it maps to the same entry
            if (size >= 2 && entry[size - 2] == entry[size - 1]) {
                size--;
            }
        }
    }

    /** Sweeps prefixes sorted by start then length; nested prefixes form a stack. */
    private Intervals flatten(List<Integer> ids, boolean v4) {
        Intervals out = new Intervals();
        if (ids.isEmpty()) {
            return out;
        }
        long maxHi = v4 ? 0 : -1L;
        long maxLo = v4 ? 0xFFFFFFFFL : -1L;
        Integer[] sorted = ids.toArray(new Integer[0]);
        Arrays.sort(sorted, (x, y) -> {
            Entry a = entries[x];
            Entry b = entries[y];
            int c = Long.compareUnsigned(a.netHi(), b.netHi());
            if (c == 0) {
                c = Long.compareUnsigned(a.netLo(), b.netLo());
            }
            return c != 0 ? c : Integer.compare(a.maskLength(), b.maskLength());
        });
        out.emit(0, 0, -1);
        int[] stack = new int[130];
        long[][] ends = new long[130][2];
        int depth = 0;
        for (int id : sorted) {
            Entry e = entries[id];
            long[] end = lastAddress(e, v4);
            while (depth > 0 && lessThan(ends[depth - 1][0], ends[depth - 1][1], e.netHi(), e.netLo())) {
                depth--;
                closeAfter(out, ends[depth], depth > 0 ? stack[depth - 1] : -1, maxHi, maxLo);
            }
            out.emit(e.netHi(), e.netLo(), id);
            stack[depth] = id;
            ends[depth][0] = end[0];
            ends[depth][1] = end[1];
            depth++;
        }
        while (depth > 0) {
            depth--;
            closeAfter(out, ends[depth], depth > 0 ? stack[depth - 1] : -1, maxHi, maxLo);
        }
        return out;
    }

    private static void closeAfter(Intervals out, long[] end, int parent, long maxHi, long maxLo) {
        if (end[0] == maxHi && end[1] == maxLo) {
            return;
        }
        long lo = end[1] + 1;
        long hi = lo == 0 ? end[0] + 1 : end[0];
        out.emit(hi, lo, parent);
    }

    private static boolean lessThan(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c < 0 || (c == 0 && Long.compareUnsigned(aLo, bLo) < 0);
    }

    private static long[] lastAddress(Entry e, boolean v4) {
        if (v4) {
            long host = e.maskLength() == 32 ? 0 : (0xFFFFFFFFL >>> e.maskLength());
            return new long[] {0, e.netLo() | host};
        }
        int m = e.maskLength();
        long hostHi = m >= 64 ? 0 : (m == 0 ? -1L : (-1L >>> m));
        long hostLo = m >= 128 ? 0 : (m <= 64 ? -1L : (-1L >>> (m - 64)));
        return new long[] {e.netHi() | hostHi, e.netLo() | hostLo};
    }

    /** index[t] = first interval whose start has top bits >= t; index[2^16] = size. */
    private static int[] buildIndex(Intervals in, boolean v4) {
        int buckets = 1 << INDEX_BITS;
        int[] index = new int[buckets + 1];
        int pos = 0;
        for (int t = 0; t < buckets; t++) {
            while (pos < in.size && topBits(in, pos, v4) < t) {
                pos++;
            }
            index[t] = pos;
        }
        index[buckets] = in.size;
        return index;
    }

    private static int topBits(Intervals in, int i, boolean v4) {
        return v4 ? (int) (in.lo[i] >>> (32 - INDEX_BITS)) : (int) (in.hi[i] >>> (64 - INDEX_BITS));
    }

    // ---- loading

    /** Loads and validates a networks file; any malformed line is an error naming file and line. */
    public static NetworksTable load(Path file) throws ConfigException {
        List<String> lines = MapLine.readLines(file, "networks_file");
        return parse(file, lines);
    }

    public static NetworksTable parse(Path file, List<String> lines) throws ConfigException {
        List<Entry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.charAt(0) == '!' || line.charAt(0) == '#') {
                continue;
            }
            Entry e = parseLine(line, file + ":" + (n + 1));
            String k = e.family() + "/" + e.netHi() + "/" + e.netLo() + "/" + e.maskLength();
            if (seen.add(k)) {
                out.add(e);
            }
        }
        return new NetworksTable(file, out);
    }

    private static final String FORM = "expected [label,][next_hop,][[peer_as_]as,]network/mask";

    static Entry parseLine(String line, String where) throws ConfigException {
        String[] f = line.split(",", -1);
        if (f.length > 4) {
            throw new ConfigException(where + ": too many fields in '" + line + "'; " + FORM);
        }
        int i = 0;
        String label = null;
        if (f.length == 4) {
            label = f[i++].strip();
        }
        int nhFamily = 0;
        long nhHi = 0;
        long nhLo = 0;
        if (f.length >= 3) {
            Addr.Parsed nh = Addr.parse(f[i++]);
            if (nh == null) {
                throw new ConfigException(where + ": invalid next-hop '" + f[i - 1].strip() + "'; " + FORM);
            }
            nhFamily = nh.family();
            nhHi = nh.hi();
            nhLo = nh.lo();
        }
        long as = 0;
        long peerAs = 0;
        if (f.length >= 2) {
            String asField = f[i++].strip();
            int us = asField.indexOf('_');
            try {
                if (us >= 0) {
                    peerAs = parseAs(asField.substring(0, us));
                    as = parseAs(asField.substring(us + 1));
                } else {
                    as = parseAs(asField);
                }
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": invalid AS number '" + asField + "'; " + FORM);
            }
        }
        String net = f[i].strip();
        int slash = net.indexOf('/');
        if (slash < 0) {
            throw new ConfigException(where + ": missing '/mask' in '" + net + "'; " + FORM);
        }
        Addr.Parsed addr = Addr.parse(net.substring(0, slash));
        if (addr == null) {
            throw new ConfigException(where + ": invalid network '" + net.substring(0, slash) + "'; " + FORM);
        }
        int mask;
        try {
            mask = Integer.parseInt(net.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(where + ": invalid mask in '" + net + "'; " + FORM);
        }
        int max = addr.family() == Addr.V4 ? 32 : 128;
        if (mask < 0 || mask > max) {
            throw new ConfigException(where + ": mask /" + mask + " out of range 0-" + max + " in '" + net + "'");
        }
        long hi = addr.hi();
        long lo = addr.lo();
        if (addr.family() == Addr.V4) {
            lo &= mask == 0 ? 0 : (0xFFFFFFFFL << (32 - mask)) & 0xFFFFFFFFL;
        } else {
            hi &= mask == 0 ? 0 : (mask >= 64 ? -1L : -1L << (64 - mask));
            lo &= mask <= 64 ? 0 : (mask == 128 ? -1L : -1L << (128 - mask));
        }
        return new Entry(addr.family(), hi, lo, mask, as, peerAs, nhFamily, nhHi, nhLo, label);
    }

    private static long parseAs(String s) {
        long v = Long.parseLong(s.strip());
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new NumberFormatException();
        }
        return v;
    }
}
