package jpmacct.pmacctd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.pcap4j.core.Pcaps;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.filter.RecordPipeline;
import jpmacct.filter.RecordSource;
import jpmacct.filter.bpf.PcapLibrary;

/** pmacctd: accounts packets captured on interfaces or read from savefiles. */
public final class Pmacctd {
    static final String HEADER = "Promiscuous Mode Accounting Daemon, pmacctd";

    private Pmacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** pmacctd's command line: its options are declared in DaemonOptions; the words after them are its filter. */
    public static final DaemonStartup.Spec SPEC = new DaemonStartup.Spec(DaemonKind.PMACCTD, HEADER, keys(),
            PmacctdKeys.PCAP_FILTER.name(), Pmacctd::version);

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                DaemonAssembly.session(DaemonKind.PMACCTD, Pmacctd.class, args, Pmacctd::assemble));
    }

    private static DaemonAssembly.Assembled assemble(DaemonAssembly.Plugins daemon) throws ConfigException {
        return daemon.input(PacketInput::open).records(input -> RecordPipeline.stages(daemon.config(), daemon.maps(),
                RecordSource.PACKETS, input.linkTypes()));
    }

    static List<KeyDef<?>> keys() {
        List<KeyDef<?>> keys = new ArrayList<>(PmacctdKeys.all());
        keys.addAll(SavefileKeys.all());
        return keys;
    }

    static void version(PrintStream out) {
        out.println(HEADER + " " + DaemonCli.VERSION);
        out.println();
        out.println("Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        try {
            PcapLibrary.ensureLoaded();
            out.println("libpcap: " + Pcaps.libVersion());
        } catch (RuntimeException | LinkageError e) {
            out.println("libpcap: not available (" + e.getMessage() + ")");
        }
        out.println("Plugins: " + String.join(", ", PluginRegistry.discover().keySet()));
        out.println();
        out.println("For suggestions, critics, bugs: see README.md");
    }
}
