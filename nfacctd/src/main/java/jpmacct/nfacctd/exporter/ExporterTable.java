package jpmacct.nfacctd.exporter;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.collector.ExporterCounters;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.Addr;

/** Every exporter seen, by source address; shared by the receiving threads. */
public final class ExporterTable {
    private static final Logger LOG = LoggerFactory.getLogger(ExporterTable.class);

    private final ConcurrentHashMap<InetAddress, Exporter> byAddress = new ConcurrentHashMap<>();
    private final Metrics metrics;

    public ExporterTable(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The exporter behind this address; the first datagram of a new one registers its counters. */
    public Exporter get(InetAddress address) {
        Exporter e = byAddress.get(address);
        if (e != null) {
            return e;
        }
        return byAddress.computeIfAbsent(address, a -> {
            String name = Addr.toString(a);
            LOG.info("new exporter {}", name);
            return new Exporter(a, new ExporterCounters(metrics, name));
        });
    }

    public List<Exporter> all() {
        return new ArrayList<>(byAddress.values());
    }
}
