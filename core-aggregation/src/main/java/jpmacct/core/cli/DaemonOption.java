package jpmacct.core.cli;

import java.util.Set;

import jpmacct.core.config.DaemonKind;

/**
 * One option of pmacct's daemons, declared once in {@link DaemonOptions}: the command line is parsed with it, the
 * -h page and docs/CONFIG-KEYS.md are written from it.
 *
 * @param letter   the getopt letter
 * @param argument what the option takes, as the -h synopsis names it (e.g. {@code interface}); null for a flag
 * @param action   what the option does
 * @param key      for {@link Action#DIRECTIVE}: the configuration key it sets; {@value #DAEMON} stands for the
 *                 daemon's name (nfacctd_ip, sfacctd_ip)
 * @param value    for a flag that sets a key: the value it sets
 * @param daemons  the daemons that have it
 * @param section  where -h lists it
 * @param synopsis whether the -h synopsis ("Usage: ...") shows it
 * @param choices  the values listed before the help text ({@code [ a | b ]}), or null; {@link #PLUGIN_TYPES} for
 *                 the plugin types of the daemon
 * @param help     its line on the -h page
 */
public record DaemonOption(char letter, String argument, Action action, String key, String value,
                           Set<DaemonKind> daemons, Section section, boolean synopsis, String choices, String help) {
    /** In a key: the daemon's name. */
    public static final String DAEMON = "{daemon}";
    /** As choices: the plugin types the daemon runs. */
    public static final String PLUGIN_TYPES = "{plugin types}";

    /** What an option does. */
    public enum Action {
        /** Stands for a configuration directive. */
        DIRECTIVE,
        /** Names the configuration file. */
        CONFIG_FILE,
        /** Prints the -h page and exits. */
        HELP,
        /** Prints the version and exits. */
        VERSION,
        /** Lists the aggregation primitives and exits. */
        PRIMITIVES
    }

    /** The groups of pmacct's -h page. */
    public enum Section {
        GENERAL("General options"),
        MEMORY("Memory plugin (-P memory) options"),
        PRINT("Print plugin (-P print) options");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    public boolean takesArgument() {
        return argument != null;
    }

    public boolean appliesTo(DaemonKind daemon) {
        return daemons.contains(daemon);
    }

    /** The key as the daemon spells it, or null for options that are no directive. */
    public String key(DaemonKind daemon) {
        return key == null ? null : key.replace(DAEMON, daemon.programName());
    }

    /** The directive the option stands for in this daemon, given its argument; null for options that are none. */
    public String directive(DaemonKind daemon, String given) {
        return key == null ? null : key(daemon) + ": " + (takesArgument() ? given : value);
    }

    public String display() {
        return "-" + letter;
    }
}
