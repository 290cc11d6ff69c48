package jpmacct.nfacctd.exporter;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jpmacct.collector.ExporterCounters;
import jpmacct.core.record.Addr;

/**
 * One exporting device, known by the datagrams' source address (pmacct's peer_src_ip): its domains and health
 * counters. Callers hold the exporter's monitor while decoding one of its datagrams; with SO_REUSEPORT an
 * exporter's datagrams stay on one thread, so the lock is uncontended.
 */
public final class Exporter {
    public final InetAddress address;
    public final String name;
    public final int family;
    public final long hi;
    public final long lo;
    public final ExporterCounters counters;
    private final Map<Long, Domain> domains = new HashMap<>();
    /** Bytes of held data sets over all domains. */
    public long heldBytes;
    private Domain last;

    public Exporter(InetAddress address, ExporterCounters counters) {
        this.address = address;
        this.name = address.getHostAddress();
        this.counters = counters;
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) {
            family = Addr.V4;
            hi = 0;
            lo = ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8) | (a[3] & 0xFFL);
        } else {
            family = Addr.V6;
            long h = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (a[i] & 0xFF);
                l = (l << 8) | (a[i + 8] & 0xFF);
            }
            hi = h;
            lo = l;
        }
    }

    /** The domain of this version and id, created on first use (the last one is cached: no boxing per datagram). */
    public Domain domain(int version, long id) {
        Domain d = last;
        if (d != null && d.version == version && d.id == id) {
            return d;
        }
        d = domains.computeIfAbsent(((long) version << 32) | (id & 0xFFFFFFFFL), k -> new Domain(version, id));
        last = d;
        return d;
    }

    public int domainCount() {
        return domains.size();
    }

    public List<Domain> domains() {
        return new ArrayList<>(domains.values());
    }
}
