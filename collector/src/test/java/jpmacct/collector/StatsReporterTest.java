package jpmacct.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.runtime.LogCapture;

/**
 * The stats line is INFO whatever the exporter lost on its side (pmacct logs sequence gaps and malformed datagrams
 * at INFO, data without template at DEBUG: a capture that is an extract has them all); only datagrams our own
 * socket dropped are a warning.
 */
class StatsReporterTest {
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   "
            + "uid  timeout inode ref pointer drops";

    private static String socket(long drops) {
        return "  1: 0100007F:0834 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 "
                + "0000000000000000 " + drops;
    }

    @Test
    void exporterLossesAreInfoAndOnlyOurSocketsDropsWarn(@TempDir Path dir) throws Exception {
        Path udp = dir.resolve("udp");
        Files.write(udp, List.of(HEADER, socket(0)));
        ExporterCounters c = new ExporterCounters(new Metrics(), "192.0.2.1");
        StatsReporter stats = new StatsReporter(() -> List.of(c), new KernelUdpSockets(List.of("0100007F"), 2100, List.of(udp)));
        try (LogCapture log = new LogCapture(StatsReporter.class)) {
            c.datagrams.add(40);
            c.records.add(51);
            c.sequenceLost.add(24);
            c.malformed.inc();
            c.setsNoTemplate.add(2);
            stats.report();
            Files.write(udp, List.of(HEADER, socket(7)));
            stats.report();
            assertEquals(List.of("INFO ( - ): exporter 192.0.2.1: 40 datagrams, 51 records; sequence gaps 24, malformed "
                            + "datagrams 1, data sets without template 2 dropped / 0 held",
                    "WARN ( - ): the kernel dropped 7 datagrams since the last report: the socket's receive buffer was "
                            + "full (raise nfacctd_pipe_size / net.core.rmem_max, or add nfacctd_threads)"),
                    log.lines().stream().map(l -> l.replaceFirst("\\( [^)]* \\)", "( - )")).toList());
        }
    }
}
