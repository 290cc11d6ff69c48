package jpmacct.collector;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.filter.RecordPipeline;
import jpmacct.filter.RecordSource;

/** Start-up and input steps a collector daemon's session takes the same way whatever its protocol. */
public final class CollectorDaemon {

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

    /** What differs between collectors' assemblies. */
    public record Protocol(String name, int defaultPort, RecordSource records) {
    }

    /**
     * A collector's daemon: its input (the savefile, or the sockets on its _ip/_port keys) decoded per producing
     * thread, the per-exporter stats line, and the record stage (tags, filters) of its protocol.
     *
     * @param exporters the counters of the stats line, one per exporter or agent
     * @param detail    what a protocol without templates (sFlow) says after the common counters; null for NetFlow
     */
    public static DaemonAssembly.Assembled assemble(DaemonAssembly.Plugins daemon, Protocol protocol,
                                                    CollectorInput.Decoders decoders,
                                                    Supplier<? extends Collection<ExporterCounters>> exporters,
                                                    Function<ExporterCounters, String> detail) throws ConfigException {
        return daemon.input(d -> CollectorInput.open(d, protocol.defaultPort(), protocol.name(), decoders)
                        .stats(exporters, detail))
                .records(input -> RecordPipeline.stages(daemon.config(), daemon.maps(), protocol.records()));
    }
}
