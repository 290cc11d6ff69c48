package jpmacct.core.runtime;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.GetOpt;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;

/**
 * What every daemon's main does before its own work: options, -h/-V/-a, the configuration (file, options,
 * operands), logging as configured, then the daemon's session. Errors end here with a message and status 1.
 */
public final class DaemonStartup {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonStartup.class);

    /** The daemon's work once configured; returns the exit status. */
    @FunctionalInterface
    public interface Session {
        int run(DaemonConfig config, Map<String, PluginFactory> factories, boolean child) throws ConfigException;
    }

    /**
     * @param header    the banner ("NetFlow Accounting Daemon, nfacctd")
     * @param options   getopt letters of the daemon
     * @param keys      the daemon's own keys
     * @param directive the directive an option stands for, or null for options that are none
     * @param operands  directives from the words after the options (pmacctd: the filter); may throw
     */
    public record Spec(DaemonKind kind, String header, String options, List<KeyDef<?>> keys,
                       Function<GetOpt.Option, String> directive, OperandLines operands,
                       Consumer<PrintStream> usage, Consumer<PrintStream> version) {
    }

    /** Directives from the operands. */
    @FunctionalInterface
    public interface OperandLines {
        List<String> lines(List<String> operands) throws ConfigException;
    }

    private DaemonStartup() {
    }

    public static int run(Spec spec, String[] args, PrintStream out, PrintStream err, Session session) {
        String program = spec.kind().programName();
        Logging.early("default/core");
        GetOpt opts;
        try {
            opts = new GetOpt(spec.options(), args);
        } catch (ConfigException e) {
            err.println(program + ": " + e.getMessage());
            spec.usage().accept(err);
            return 1;
        }
        if (opts.has('h')) {
            spec.usage().accept(out);
            return 0;
        }
        if (opts.has('V')) {
            spec.version().accept(out);
            return 0;
        }
        if (opts.has('a')) {
            DaemonCli.printPrimitives(out, spec.header(), spec.kind());
            return 0;
        }
        Map<String, PluginFactory> factories = PluginRegistry.discover();
        KeyRegistry registry = DaemonCli.registry(spec.keys(), factories);
        DaemonConfig config;
        try {
            List<String> extra = spec.operands().lines(opts.operands());
            config = DaemonCli.resolve(spec.kind(), opts, spec.directive(), extra, registry, factories);
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            return 1;
        }
        String coreTag = config.coreName() + "/core";
        boolean child = Daemonizer.isChild();
        if (config.get(CoreKeys.DAEMONIZE) && !child) {
            // the foreground process only validates; the detached one writes the log
            Logging.configure(Logging.Settings.plain(coreTag), Logging.Console.WARNINGS);
        } else {
            Logging.configure(Logging.Settings.of(config), child ? Logging.Console.ALSO : Logging.Console.AUTO);
        }
        MDC.put("pm", coreTag);
        DaemonCli.logDirectives(config, LOG);
        for (String w : config.warnings()) {
            LOG.warn(w);
        }
        try {
            return session.run(config, factories, child);
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            return 1;
        }
    }

    /** The directives that every daemon's options stand for (pmacct's common letters); null for others. */
    public static String commonDirective(GetOpt.Option o) {
        String a = o.argument();
        switch (o.name()) {
            case 'P': return "plugins: " + a;
            case 'D': return "daemonize: true";
            case 'd': return "debug: true";
            case 'n': return "networks_file: " + a;
            case 't': return "ports_file: " + a;
            case 'O': return "print_output: " + a;
            case 'o': return "print_output_file: " + a;
            case 'M': return "print_markers: true";
            case 'A': return "print_output_file_append: true";
            case 'E': return "print_output_separator: " + a;
            case 'u': return "print_num_protos: true";
            case 'F': return "pidfile: " + a;
            case 'c': return "aggregate: " + a;
            case 'b': return "imt_buckets: " + a;
            case 'm': return "imt_mem_pools_number: " + a;
            case 'p': return "imt_path: " + a;
            case 'r': return "print_refresh_time: " + a;
            case 's': return "imt_mem_pools_size: " + a;
            case 'S': return "syslog: " + a;
            case 'I': return "pcap_savefile: " + a;
            case 'W': return "pcap_savefile_wait: true";
            case 'Z': return "pcap_savefile_delay: " + a;
            case 'Y': return "pcap_savefile_replay: " + a;
            case 'R': return "sfacctd_renormalize: true";
            default: return null; // -f, -h, -V, -a and the daemon's own
        }
    }
}
