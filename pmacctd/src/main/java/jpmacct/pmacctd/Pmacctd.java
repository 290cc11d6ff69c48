package jpmacct.pmacctd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.pcap4j.core.Pcaps;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.GetOpt;
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
    /** pmacct 1.7.7's option letters. */
    static final String OPTIONS = "n:NdDhP:b:f:F:c:i:I:m:p:r:s:S:o:t:O:MuwWZ:Y:L:RVazAE:";

    private Pmacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final DaemonStartup.Spec SPEC = new DaemonStartup.Spec(DaemonKind.PMACCTD, HEADER, OPTIONS, keys(),
            Pmacctd::directive, operands -> operands.isEmpty() ? List.of()
                    : List.of("pcap_filter: " + String.join(" ", operands)),
            Pmacctd::usage, Pmacctd::version);

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                DaemonAssembly.session(DaemonKind.PMACCTD, Pmacctd.class, args, Pmacctd::assemble));
    }

    static List<jpmacct.core.config.KeyDef<?>> keys() {
        List<jpmacct.core.config.KeyDef<?>> keys = new ArrayList<>(PmacctdKeys.all());
        keys.addAll(jpmacct.core.config.SavefileKeys.all());
        return keys;
    }

    /** The directive each pmacctd option stands for (as pmacct maps them). */
    static String directive(GetOpt.Option o) {
        String a = o.argument();
        switch (o.name()) {
            case 'z': return "pmacctd_nonroot: true";
            case 'N': return "promisc: false";
            case 'i': return "pcap_interface: " + a;
            case 'w': return "pcap_interface_wait: true";
            case 'L': return "snaplen: " + a;
            default: return DaemonStartup.commonDirective(o);
        }
    }

    static void usage(PrintStream out) {
        out.println(HEADER + " " + DaemonCli.VERSION);
        out.println("Usage: pmacctd [ -D | -d ] [ -i interface ] [ -c primitive [ , ... ] ] [ -P plugin [ , ... ] ] [ filter ]");
        out.println("       pmacctd [ -f config_file ]");
        out.println("       pmacctd [ -h ]");
        out.println();
        out.println("General options:");
        out.println("  -h  \tShow this page");
        out.println("  -V  \tShow version and build details, then exit");
        out.println("  -f  \tLoad configuration from the specified file");
        out.println("  -a  \tList the aggregation primitives this build supports");
        out.println("  -c  \tAggregation method, see the list of primitives with -a (DEFAULT: src_host)");
        out.println("  -D  \tDaemonize");
        out.println("  -N  \tDisable promiscuous mode");
        out.println("  -z  \tAllow running without root privileges (ie. capabilities granted otherwise)");
        out.println("  -n  \tPath to a file of networks and/or ASNs");
        out.println("  -t  \tPath to a file of ports");
        out.println("  -P  \t[ print ] \n\tActivate plugin");
        out.println("  -d  \tEnable debug");
        out.println("  -i  \tCapture on the specified interface");
        out.println("  -I  \tRead packets from the specified savefile");
        out.println("  -S  \t[ auth | mail | daemon | kern | user | local[0-7] ] \n\tLog to the specified syslog facility");
        out.println("  -F  \tWrite the Core Process PID into the specified file");
        out.println("  -w  \tWait for the capture interface to become available");
        out.println("  -Z  \tReading a savefile, sleep the given number of seconds at start-up and between replays");
        out.println("  -W  \tReading a savefile, keep running when it ends");
        out.println("  -Y  \tReading a savefile, replay it the given number of times");
        out.println("  -R  \tRenormalize sampled data");
        out.println("  -L  \tSet the snapshot length");
        out.println("  -u  \tLeave IP protocols in numerical format");
        DaemonCli.printPluginOptions(out);
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

    private static DaemonAssembly.Assembled assemble(DaemonAssembly.Plugins daemon) throws ConfigException {
        return daemon.input(PacketInput::open).records(input -> RecordPipeline.stages(daemon.config(), daemon.maps(),
                RecordSource.PACKETS, input.linkTypes()));
    }
}
