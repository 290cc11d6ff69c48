package jpmacct.core.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.cli.DaemonCommandLine;
import jpmacct.core.cli.DaemonOption.Action;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigLine;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
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
     * @param keys      the daemon's own keys
     * @param filterKey the key the words after the options set, joined by blanks (pmacctd: pcap_filter); null when
     *                  the daemon takes none
     * @param version   prints -V
     */
    public record Spec(DaemonKind kind, String header, List<KeyDef<?>> keys, String filterKey,
                       Consumer<PrintStream> version) {
    }

    private DaemonStartup() {
    }

    public static int run(Spec spec, String[] args, PrintStream out, PrintStream err, Session session) {
        String program = spec.kind().programName();
        Logging.early("default/core");
        DaemonCommandLine command;
        try {
            command = DaemonCommandLine.parse(spec.kind(), args);
        } catch (ConfigException e) {
            err.println(program + ": " + e.getMessage());
            usage(spec, err);
            return 1;
        }
        if (command.has(Action.HELP)) {
            usage(spec, out);
            return 0;
        }
        if (command.has(Action.VERSION)) {
            spec.version().accept(out);
            return 0;
        }
        if (command.has(Action.PRIMITIVES)) {
            DaemonCli.printPrimitives(out, spec.header(), spec.kind());
            return 0;
        }
        Map<String, PluginFactory> factories = PluginRegistry.discover();
        KeyRegistry registry = DaemonCli.registry(spec.keys(), factories);
        DaemonConfig config;
        String file = command.last(Action.CONFIG_FILE);
        try {
            List<ConfigLine> directives = command.directives(spec.filterKey());
            config = DaemonCli.resolve(spec.kind(), file, directives, registry, factories);
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
        logConfigurationSource(file);
        DaemonCli.logDirectives(config, LOG);
        for (String w : config.warnings()) {
            LOG.warn(w);
        }
        for (String n : config.notes()) {
            LOG.info(n);
        }
        try {
            return session.run(config, factories, child);
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            return 1;
        }
    }

    /** pmacct 1.8's first line after its banner, which operators look for: the file's canonical path. */
    private static void logConfigurationSource(String file) {
        if (file == null) {
            LOG.info("Reading configuration from cmdline.");
            return;
        }
        try {
            LOG.info("Reading configuration file '{}'.", Path.of(file).toRealPath());
        } catch (IOException e) {
            // read a moment ago; gone now: as pmacct, whose realpath() fails then, say nothing
        }
    }

    /** The -h page, the -P line naming the plugin types this daemon runs. */
    private static void usage(Spec spec, PrintStream out) {
        List<String> types = new ArrayList<>();
        for (PluginFactory f : PluginRegistry.discover().values()) {
            if (f.daemons().contains(spec.kind())) {
                types.add(f.type());
            }
        }
        DaemonCommandLine.usage(out, spec.kind(), spec.header() + " " + DaemonCli.VERSION, spec.filterKey() != null, types);
    }
}
