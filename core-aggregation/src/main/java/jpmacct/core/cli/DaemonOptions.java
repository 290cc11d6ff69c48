package jpmacct.core.cli;

import static jpmacct.core.cli.DaemonOption.Action.CONFIG_FILE;
import static jpmacct.core.cli.DaemonOption.Action.DIRECTIVE;
import static jpmacct.core.cli.DaemonOption.Action.HELP;
import static jpmacct.core.cli.DaemonOption.Action.PRIMITIVES;
import static jpmacct.core.cli.DaemonOption.Action.VERSION;
import static jpmacct.core.config.DaemonKind.NFACCTD;
import static jpmacct.core.config.DaemonKind.PMACCTD;
import static jpmacct.core.config.DaemonKind.SFACCTD;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jpmacct.core.cli.DaemonOption.Action;
import jpmacct.core.cli.DaemonOption.Section;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.SavefileKeys;

/**
 * pmacct 1.7.7's daemon options, each declared once, in the order pmacctd's -h lists them (a collector's -L and -l
 * come first, as nfacctd's -h has them). Keys of modules the core does not see are named by their key names; the
 * docs generator (ConfigKeysDocTest) checks that each names a key of its daemons.
 */
public final class DaemonOptions {
    private static final List<DaemonOption> ALL = List.of(
            option('h').does(HELP).help("Show this page"),
            option('V').does(VERSION).help("Show version and build details, then exit"),
            option('L').sets(DaemonOption.DAEMON + "_ip", "IP address").only(NFACCTD, SFACCTD).inSynopsis()
                    .help("Bind to the specified IP address"),
            option('l').sets(DaemonOption.DAEMON + "_port", "port").only(NFACCTD, SFACCTD).inSynopsis()
                    .help("Listen on the specified UDP port"),
            option('f').does(CONFIG_FILE).takes("config_file").help("Load configuration from the specified file"),
            option('a').does(PRIMITIVES).help("List the aggregation primitives this build supports"),
            option('c').sets(CoreKeys.AGGREGATE, "primitive [ , ... ]").inSynopsis()
                    .help("Aggregation method, see the list of primitives with -a (DEFAULT: src_host)"),
            option('D').flag(CoreKeys.DAEMONIZE, "true").inSynopsis().help("Daemonize"),
            option('N').flag("promisc", "false").only(PMACCTD).help("Disable promiscuous mode"),
            option('z').flag("pmacctd_nonroot", "true").only(PMACCTD)
                    .help("Allow running without root privileges (ie. capabilities granted otherwise)"),
            option('n').sets(CoreKeys.NETWORKS_FILE, "file").help("Path to a file of networks and/or ASNs"),
            option('t').sets(CoreKeys.PORTS_FILE, "file").help("Path to a file of ports"),
            option('P').sets(CoreKeys.PLUGINS, "plugin [ , ... ]").inSynopsis().choices(DaemonOption.PLUGIN_TYPES)
                    .help("Activate plugin"),
            option('d').flag(CoreKeys.DEBUG, "true").inSynopsis().help("Enable debug"),
            option('i').sets("pcap_interface", "interface").only(PMACCTD).inSynopsis()
                    .help("Capture on the specified interface"),
            option('I').sets(SavefileKeys.PCAP_SAVEFILE, "file").help("Read packets from the specified savefile"),
            option('S').sets(CoreKeys.SYSLOG, "facility").choices("auth | mail | daemon | kern | user | local[0-7]")
                    .help("Log to the specified syslog facility"),
            option('F').sets(CoreKeys.PIDFILE, "file").help("Write the Core Process PID into the specified file"),
            option('w').flag("pcap_interface_wait", "true").only(PMACCTD)
                    .help("Wait for the capture interface to become available"),
            option('Z').sets(SavefileKeys.PCAP_SAVEFILE_DELAY, "seconds")
                    .help("Reading a savefile, sleep the given number of seconds at start-up and between replays"),
            option('W').flag(SavefileKeys.PCAP_SAVEFILE_WAIT, "true").help("Reading a savefile, keep running when it ends"),
            option('Y').sets(SavefileKeys.PCAP_SAVEFILE_REPLAY, "times")
                    .help("Reading a savefile, replay it the given number of times"),
            option('R').flag(CoreKeys.RENORMALIZE, "true").help("Renormalize sampled data"),
            option('L').sets("snaplen", "bytes").only(PMACCTD).help("Set the snapshot length"),
            option('u').flag(CoreKeys.NUM_PROTOS, "true").help("Leave IP protocols in numerical format"),
            option('p').sets("imt_path", "socket").in(Section.MEMORY)
                    .help("Socket for client-server communication (DEFAULT: /tmp/collect.pipe)"),
            option('b').sets("imt_buckets", "buckets").in(Section.MEMORY).help("Number of buckets"),
            option('m').sets("imt_mem_pools_number", "pools").in(Section.MEMORY).help("Number of memory pools"),
            option('s').sets("imt_mem_pools_size", "bytes").in(Section.MEMORY).help("Memory pool size"),
            option('r').sets(CoreKeys.REFRESH_TIME, "seconds").in(Section.PRINT).help("Refresh time (in seconds)"),
            option('O').sets("print_output", "format").in(Section.PRINT)
                    .choices("formatted | csv | json | event_formatted | event_csv").help("Output format"),
            option('o').sets("print_output_file", "file").in(Section.PRINT).help("Path to output file"),
            option('M').flag("print_markers", "true").in(Section.PRINT).help("Print event init/close marker messages"),
            option('A').flag("print_output_file_append", "true").in(Section.PRINT).help("Append output (applies to -o)"),
            option('E').sets("print_output_separator", "separator").in(Section.PRINT)
                    .help("CSV format separator (applies to -O csv, DEFAULT: ',')"));

    private DaemonOptions() {
    }

    /** Every option of every daemon, in -h order. */
    public static List<DaemonOption> all() {
        return ALL;
    }

    /** The options of one daemon, in -h order. */
    public static List<DaemonOption> of(DaemonKind daemon) {
        List<DaemonOption> out = new ArrayList<>();
        for (DaemonOption o : ALL) {
            if (o.appliesTo(daemon)) {
                out.add(o);
            }
        }
        return out;
    }

    private static Declaration option(char letter) {
        return new Declaration(letter);
    }

    /** Reads as one line per option; {@link #help} ends it. */
    private static final class Declaration {
        private final char letter;
        private String argument;
        private Action action = DIRECTIVE;
        private String key;
        private String value;
        private Set<DaemonKind> daemons = EnumSet.allOf(DaemonKind.class);
        private Section section = Section.GENERAL;
        private boolean synopsis;
        private String choices;

        Declaration(char letter) {
            this.letter = letter;
        }

        Declaration does(Action what) {
            this.action = what;
            return this;
        }

        Declaration takes(String what) {
            this.argument = what;
            return this;
        }

        /** Sets the key to the option's argument. */
        Declaration sets(String keyName, String what) {
            this.key = keyName;
            return takes(what);
        }

        Declaration sets(KeyDef<?> def, String what) {
            return sets(def.name(), what);
        }

        /** A flag setting the key to a fixed value. */
        Declaration flag(String keyName, String fixed) {
            this.key = keyName;
            this.value = fixed;
            return this;
        }

        Declaration flag(KeyDef<?> def, String fixed) {
            return flag(def.name(), fixed);
        }

        Declaration only(DaemonKind first, DaemonKind... rest) {
            this.daemons = EnumSet.of(first, rest);
            return this;
        }

        Declaration in(Section where) {
            this.section = where;
            return this;
        }

        Declaration inSynopsis() {
            this.synopsis = true;
            return this;
        }

        Declaration choices(String list) {
            this.choices = list;
            return this;
        }

        DaemonOption help(String text) {
            return new DaemonOption(letter, argument, action, key, value, Collections.unmodifiableSet(daemons), section, synopsis,
                    choices, text);
        }
    }
}
