package jpmacct.collector;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.capture.SavefileReader;
import jpmacct.core.capture.SavefileReplay;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.record.Addr;
import jpmacct.core.record.RecordSink;
import jpmacct.core.runtime.BatchWriter;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.Input;

/**
 * A collector's input: export datagrams from UDP sockets, or out of a savefile (pcap_savefile), each decoded by a
 * handler built per producing thread around that thread's writer. Keeps the per-exporter stats line.
 */
public abstract class CollectorInput implements Input {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorInput.class);

    /** Builds one producing thread's decoder around the sink its records go to. */
    @FunctionalInterface
    public interface Decoders {
        DatagramHandler create(RecordSink sink);
    }

    final DaemonAssembly.Plugins daemon;
    final Decoders decoders;
    private Supplier<? extends Collection<ExporterCounters>> counters;
    private Function<ExporterCounters, String> detail;
    private StatsReporter stats;

    CollectorInput(DaemonAssembly.Plugins daemon, Decoders decoders) {
        this.daemon = daemon;
        this.decoders = decoders;
    }

    /**
     * The Kafka topic when the _kafka_ keys are set, the savefile when pcap_savefile is (opened now, so a bad file
     * is reported before detaching), else the sockets on the collector's _ip/_port keys.
     *
     * @param protocol what the "waiting for ... data" line names
     */
    public static CollectorInput open(DaemonAssembly.Plugins daemon, int defaultPort, String protocol,
                                      Decoders decoders) throws IOException, ConfigException {
        DaemonConfig config = daemon.config();
        String savefile = config.get(SavefileKeys.PCAP_SAVEFILE);
        if (KafkaInput.configured(config)) {
            if (savefile != null) {
                throw new ConfigException(config.whereSet(SavefileKeys.PCAP_SAVEFILE) + ": pcap_savefile: a collector "
                        + "reads a savefile or a Kafka topic (the _kafka_ keys), not both");
            }
            return KafkaInput.open(daemon, decoders, protocol);
        }
        if (savefile != null) {
            return new FromSavefile(daemon, decoders, savefile, SavefileReplay.open(savefile));
        }
        InetAddress bind = CollectorDaemon.bindAddress(config);
        int port = config.isSet(CollectorKeys.PORT) ? config.get(CollectorKeys.PORT).intValue() : defaultPort;
        return new FromSockets(daemon, decoders, bind, port, CollectorDaemon.threads(config), protocol);
    }

    /**
     * The exporters (or agents) of the stats line.
     *
     * @param detail what a protocol without templates (sFlow) says after the common counters; null for NetFlow
     */
    public CollectorInput stats(Supplier<? extends Collection<ExporterCounters>> exporters,
                                Function<ExporterCounters, String> detail) {
        this.counters = exporters;
        this.detail = detail;
        return this;
    }

    /** The per-exporter stats line of what changed since the last one. */
    @Override
    public void report(boolean last) {
        if (stats != null) {
            stats.report();
        }
    }

    /** The reporter, once the input knows its socket's kernel drops (null for savefiles). */
    void startStats(KernelUdpSockets kernel) {
        if (counters != null) {
            stats = detail == null ? new StatsReporter(counters, kernel) : new StatsReporter(counters, kernel, detail);
        }
    }

    /** The UDP sockets: one receiving thread and writer per socket. */
    private static final class FromSockets extends CollectorInput {
        private final InetAddress bind;
        private final int port;
        private final int threads;
        private final String protocol;
        private UdpReceiver receiver;

        FromSockets(DaemonAssembly.Plugins daemon, Decoders decoders, InetAddress bind, int port, int threads,
                    String protocol) {
            super(daemon, decoders);
            this.bind = bind;
            this.port = port;
            this.threads = threads;
            this.protocol = protocol;
        }

        @Override
        public int producers() {
            return threads;
        }

        @Override
        public boolean start(Writers writers, CoreThread core) {
            DaemonConfig config = daemon.config();
            receiver = new UdpReceiver(daemon.coreThreadName(), bind, port, config.get(CollectorKeys.PIPE_SIZE).intValue(),
                    threads, () -> lane(writers));
            if (config.isSet(CollectorKeys.PIPE_SIZE)) {
                receiver.warnIfBufferCapped();
            }
            receiver.datagramsTo(daemon.datagramConsumers(), daemon.recordsWanted());
            if (!daemon.recordsWanted()) {
                LOG.info("no plugin takes records: datagrams are replicated, not decoded (no per-exporter stats)");
            }
            try {
                receiver.start();
            } catch (IOException e) {
                LOG.error(e.getMessage());
                receiver = null;
                return false;
            }
            KernelUdpSockets kernel = receiver.kernel();
            daemon.metrics().gauge("socket_kernel_drops", "Datagrams the kernel dropped: receive buffer full",
                    kernel::read, "port", Integer.toString(receiver.port()));
            startStats(kernel);
            return true;
        }

        private UdpReceiver.Lane lane(Writers writers) {
            if (!daemon.recordsWanted()) {
                return new UdpReceiver.Lane((datagram, length, sender, arrival) -> { }, null);
            }
            BatchWriter writer = writers.newWriter();
            return new UdpReceiver.Lane(decoders.create(writer), writer);
        }

        @Override
        public int run(CoreThread core) throws InterruptedException {
            // announced once signals are handled: a stop from now on is clean. pmacct 1.8's words, which operators
            // grep for; interface= names nfacctd_interface there, which this build lacks: the socket takes all
            LOG.info("waiting for {} data on interface=all ip={} port={}/udp", protocol, Addr.toString(bind),
                    receiver.port());
            core.awaitStop();
            return 0;
        }

        @Override
        public void close() {
            if (receiver != null) {
                receiver.close();
                receiver = null;
            }
        }
    }

    /** pcap_savefile: the datagrams of the file through one decoder on the core thread, replayed as configured. */
    private static final class FromSavefile extends CollectorInput {
        private final SavefileReplay replay;
        private BatchWriter writer;
        private SavefileDatagrams datagrams;

        FromSavefile(DaemonAssembly.Plugins daemon, Decoders decoders, String path, SavefileReader first) {
            super(daemon, decoders);
            DaemonConfig config = daemon.config();
            this.replay = new SavefileReplay(path, first, config.get(SavefileKeys.PCAP_SAVEFILE_REPLAY),
                    config.get(SavefileKeys.PCAP_SAVEFILE_DELAY));
        }

        @Override
        public int producers() {
            return 1;
        }

        @Override
        public boolean finite() {
            return true;
        }

        @Override
        public boolean start(Writers writers, CoreThread core) {
            writer = writers.newWriter();
            datagrams = new SavefileDatagrams(decoders.create(writer)).datagramsTo(daemon.datagramConsumers(),
                    daemon.recordsWanted());
            startStats(null);
            return true;
        }

        @Override
        public int run(CoreThread core) throws InterruptedException {
            try {
                return replay.run(core, reader -> {
                    try {
                        while (!core.stopRequested() && reader.poll(datagrams, 4096) != SavefileReader.END) {
                            writer.flushIfDue(System.nanoTime());
                            core.chores();
                        }
                    } finally {
                        // each round's last records reach the plugins before any pcap_savefile_delay
                        writer.flush();
                    }
                });
            } finally {
                LOG.info("savefile: {} datagrams read, {} frames without a UDP datagram skipped",
                        datagrams.datagrams(), datagrams.skipped());
            }
        }

        @Override
        public void close() {
            replay.close();
        }
    }
}
