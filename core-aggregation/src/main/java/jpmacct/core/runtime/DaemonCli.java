package jpmacct.core.runtime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigLine;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.primitive.Primitive;

/** Command-line pieces every daemon shares: version, {@code -a}, and turning options plus file into a config. */
public final class DaemonCli {
    public static final String VERSION = "1.7.7-jpmacct-0.1.0";

    private DaemonCli() {
    }

    /**
     * pmacct's {@code -a}: every primitive {@code aggregate} accepts, grouped and ordered as pmacct 1.7.7 lists
     * them (pmacct lists only those it fills in this daemon; the sum primitives, {@code none} and the exporter
     * fields are accepted there too). Those that stay empty in this daemon say so.
     */
    public static void printPrimitives(PrintStream out, String header, DaemonKind daemon) {
        out.println(header + " " + VERSION + " (java " + System.getProperty("java.version") + ")");
        String group = null;
        for (Primitive p : Primitive.values()) {
            if (!p.group().equals(group)) {
                group = p.group();
                out.println();
                out.println(group);
            }
            String description = p.carriesDataIn(daemon) ? p.description()
                    : p.description() + " (carries no data in " + daemon.programName() + ")";
            out.println(String.format("%-32s : %-64s", p.configName(), description));
        }
    }

    /** pmacct's debug lines for the configuration read: one per directive, where it came from. */
    public static void logDirectives(DaemonConfig config, Logger log) {
        if (log.isDebugEnabled()) {
            for (ConfigLine l : config.lines()) {
                log.debug("[{}] {}: {}", l.where(), l.displayKey(), l.value());
            }
        }
    }

    /** The registry of every key this daemon and its plugins understand. */
    public static KeyRegistry registry(List<KeyDef<?>> daemonKeys, Map<String, PluginFactory> factories) {
        List<KeyDef<?>> keys = new ArrayList<>(CoreKeys.all());
        keys.addAll(daemonKeys);
        for (PluginFactory f : factories.values()) {
            keys.addAll(f.keys());
        }
        return new KeyRegistry(keys);
    }

    /**
     * Builds the configuration: the {@code -f} file, then the command line's directives, which override the file.
     *
     * @param file the configuration file, or null
     */
    public static DaemonConfig resolve(DaemonKind daemon, String file, List<ConfigLine> cli, KeyRegistry registry,
                                       Map<String, PluginFactory> factories) throws ConfigException {
        List<ConfigLine> fileLines = file == null ? List.of() : ConfigParser.parse(Path.of(file));
        return resolve(daemon, fileLines, cli, file != null, registry, factories);
    }

    /**
     * Builds the configuration from parsed lines: those of a file, then those of the command line, which override
     * them. Plugin types of {@code factories} that do not run in {@code daemon} are refused with their reason.
     */
    public static DaemonConfig resolve(DaemonKind daemon, List<ConfigLine> fileLines, List<ConfigLine> cli,
                                       boolean haveFile, KeyRegistry registry, Map<String, PluginFactory> factories)
            throws ConfigException {
        Map<String, String> refused = new HashMap<>();
        Set<String> available = new HashSet<>();
        for (Map.Entry<String, PluginFactory> e : factories.entrySet()) {
            if (e.getValue().daemons().contains(daemon)) {
                available.add(e.getKey());
            } else {
                refused.put(e.getKey(), e.getValue().unavailableReason());
            }
        }
        return new ConfigResolver(daemon, registry, available).refusing(refused).resolve(fileLines, cli, haveFile);
    }
}
