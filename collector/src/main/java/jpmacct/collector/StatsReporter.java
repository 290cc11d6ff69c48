package jpmacct.collector;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collectors' periodic stats line: per exporter what arrived and everything that went missing since the last
 * line (sequence gaps, malformed datagrams, data without template), at INFO as pmacct logs such losses on the
 * exporter's side; what the kernel dropped at our own socket is a warning. Quiet intervals log nothing.
 */
public final class StatsReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StatsReporter.class);

    private final Supplier<? extends Collection<ExporterCounters>> exporters;
    private final KernelUdpSockets kernel;
    private final Function<ExporterCounters, String> detail;
    private final Map<String, long[]> last = new HashMap<>();
    private long lastKernel;

    public StatsReporter(Supplier<? extends Collection<ExporterCounters>> exporters, KernelUdpSockets kernel) {
        this(exporters, kernel, null);
    }

    /**
     * @param detail what a protocol without templates (sFlow) says after the common counters, in place of the
     *               template counters; null for NetFlow/IPFIX
     */
    public StatsReporter(Supplier<? extends Collection<ExporterCounters>> exporters, KernelUdpSockets kernel,
                         Function<ExporterCounters, String> detail) {
        this.exporters = exporters;
        this.kernel = kernel;
        this.detail = detail;
        this.lastKernel = kernel == null ? 0 : Math.max(0, kernel.read());
    }

    /** Logs what changed since the previous call. */
    public void report() {
        for (ExporterCounters c : exporters.get()) {
            long[] now = {c.datagrams.get(), c.records.get(), c.sequenceLost.get(), c.malformed.get(),
                c.setsNoTemplate.get(), c.setsHeld.get()};
            long[] before = last.getOrDefault(c.exporter, new long[now.length]);
            last.put(c.exporter, now);
            long datagrams = now[0] - before[0];
            if (datagrams == 0) {
                continue;
            }
            long noTemplate = now[4] - before[4];
            String line = "exporter " + c.exporter + ": " + datagrams + " datagrams, " + (now[1] - before[1])
                    + " records; sequence gaps " + (now[2] - before[2]) + ", malformed datagrams " + (now[3] - before[3])
                    + (detail != null ? detail.apply(c)
                    : ", data sets without template " + noTemplate + " dropped / " + (now[5] - before[5]) + " held");
            LOG.info(line);
        }
        if (kernel != null) {
            long k = kernel.read();
            if (k > lastKernel) {
                LOG.warn("the kernel dropped {} datagrams since the last report: the socket's receive buffer was full "
                        + "(raise nfacctd_pipe_size / net.core.rmem_max, or add nfacctd_threads)", k - lastKernel);
            }
            lastKernel = Math.max(lastKernel, k);
        }
    }
}
