package jpmacct.collector;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.capture.SavefileException;
import jpmacct.core.capture.SavefileReader;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.core.runtime.DaemonRuntime;
import jpmacct.core.runtime.DaemonStartup;

/** Start-up and input steps a collector daemon's session takes the same way whatever its protocol. */
public final class CollectorDaemon {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorDaemon.class);

    private CollectorDaemon() {
    }

    /**
     * A collector's command line: its own keys with the collector and savefile keys, no operands, and a -V naming
     * the protocol versions it decodes (its options, -L/-l among them, are declared in DaemonOptions).
     */
    public static DaemonStartup.Spec spec(DaemonKind kind, String header, List<KeyDef<?>> daemonKeys, String formats) {
        List<KeyDef<?>> keys = new ArrayList<>(daemonKeys);
        keys.addAll(CollectorKeys.all());
        keys.addAll(SavefileKeys.all());
        return new DaemonStartup.Spec(kind, header, keys, null, out -> version(out, header, formats));
    }

    private static void version(PrintStream out, String header, String formats) {
        out.println(header + " " + DaemonCli.VERSION);
        out.println();
        out.println("Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.println("Transport: " + (UdpReceiver.nativeTransport() ? "epoll (native)" : "nio"));
        out.println(formats);
        out.println("Plugins: " + String.join(", ", PluginRegistry.discover().keySet()));
    }

    /** nfacctd_ip / sfacctd_ip, or every address (:: where the host has IPv6, else 0.0.0.0). */
    public static InetAddress bindAddress(DaemonConfig config) throws ConfigException {
        String ip = config.get(CollectorKeys.IP);
        try {
            if (ip == null) {
                return config.get(CollectorKeys.IPV6_ONLY) || Files.exists(Path.of("/proc/net/if_inet6"))
                        ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
            }
            if (!ip.matches("[0-9A-Fa-f:.]+")) {
                throw config.error(CollectorKeys.IP, "'" + ip + "' is not an IPv4 or IPv6 address");
            }
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw config.error(CollectorKeys.IP, "'" + ip + "' is not an IPv4 or IPv6 address");
        }
    }

    /** nfacctd_threads / sfacctd_threads, else one per CPU. */
    public static int threads(DaemonConfig config) {
        return config.isSet(CollectorKeys.THREADS) ? config.get(CollectorKeys.THREADS).intValue()
                : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The receiving sockets, started, with the kernel's drops for their port registered as a gauge; null when they
     * cannot listen (the reason is logged).
     */
    public static UdpReceiver listen(DaemonRuntime runtime, DaemonConfig config, InetAddress bind, int port, int threads,
                                     java.util.function.Supplier<DatagramHandler> handlers) {
        UdpReceiver receiver = new UdpReceiver(runtime.coreThreadName(), bind, port,
                config.get(CollectorKeys.PIPE_SIZE).intValue(), threads, handlers);
        if (config.isSet(CollectorKeys.PIPE_SIZE)) {
            receiver.warnIfBufferCapped();
        }
        receiver.datagramsTo(runtime.datagramConsumers(), runtime.recordsWanted());
        if (!runtime.recordsWanted()) {
            LOG.info("no plugin takes records: datagrams are replicated, not decoded (no per-exporter stats)");
        }
        try {
            receiver.start();
        } catch (IOException e) {
            LOG.error(e.getMessage());
            return null;
        }
        KernelUdpDrops kernel = new KernelUdpDrops(receiver.port());
        runtime.metrics().gauge("socket_kernel_drops", "Datagrams the kernel dropped: receive buffer full",
                kernel::read, "port", Integer.toString(receiver.port()));
        return receiver;
    }

    /**
     * pcap_savefile: the datagrams of the file through one handler, as many times as pcap_savefile_replay says
     * (pcap_savefile_delay between rounds); returns the exit status.
     */
    public static int readSavefile(DaemonConfig config, SavefileReader first, String path, DatagramHandler handler,
                                   DaemonRuntime runtime) throws InterruptedException {
        SavefileDatagrams datagrams = new SavefileDatagrams(handler).datagramsTo(runtime.datagramConsumers(),
                runtime.recordsWanted());
        long replays = config.get(SavefileKeys.PCAP_SAVEFILE_REPLAY);
        long delay = config.get(SavefileKeys.PCAP_SAVEFILE_DELAY);
        SavefileReader reader = first;
        try {
            for (long round = 1; replays == 0 || round <= replays; round++) {
                for (long t = 0; t < delay * 10 && !runtime.stopRequested(); t++) {
                    Thread.sleep(100);
                }
                if (reader == null) {
                    reader = new SavefileReader(Path.of(path));
                }
                while (!runtime.stopRequested() && reader.poll(datagrams, 4096) != SavefileReader.END) {
                    handler.tick(System.nanoTime());
                }
                closeQuietly(reader);
                reader = null;
                if (runtime.stopRequested()) {
                    break;
                }
            }
            return 0;
        } catch (SavefileException e) {
            LOG.error("{}; accounting what was read before it", e.getMessage());
            return 1;
        } catch (IOException e) {
            LOG.error("{}: {}", path, e.getMessage());
            return 1;
        } finally {
            closeQuietly(reader);
            handler.finish();
            LOG.info("savefile: {} datagrams read, {} frames without a UDP datagram skipped", datagrams.datagrams(),
                    datagrams.skipped());
        }
    }

    public static void closeQuietly(SavefileReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
