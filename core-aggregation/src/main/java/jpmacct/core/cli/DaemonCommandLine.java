package jpmacct.core.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Stack;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import jpmacct.core.cli.DaemonOption.Action;
import jpmacct.core.cli.DaemonOption.Section;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigLine;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.DaemonKind;

/**
 * A daemon's command line, read as pmacct's getopt reads it: {@code -dD} and {@code -Pprint} cluster, an argument
 * is attached or the next word, words that are no option may come anywhere (pmacctd joins them into its filter),
 * {@code --} ends the options, and the first unknown option or missing argument is an error in getopt's words.
 * picocli parses it from the {@link DaemonOptions} declarations; the -h page is written from them too.
 */
public final class DaemonCommandLine {
    private static final String WHERE = "command line";

    /** One option as given: its declaration and its argument (null for a flag). */
    public record Given(DaemonOption option, String argument) {
    }

    private final DaemonKind daemon;
    private final List<Given> given;
    private final List<String> operands;

    private DaemonCommandLine(DaemonKind daemon, List<Given> given, List<String> operands) {
        this.daemon = daemon;
        this.given = List.copyOf(given);
        this.operands = List.copyOf(operands);
    }

    /**
     * @throws ConfigException for an unknown option or a missing argument, in getopt's words
     *                         ({@code invalid option -- 'q'}, {@code option requires an argument -- 'c'})
     */
    public static DaemonCommandLine parse(DaemonKind daemon, String[] args) throws ConfigException {
        Words words = new Words(args);
        CommandSpec spec = CommandSpec.create().name(daemon.programName());
        for (DaemonOption o : DaemonOptions.of(daemon)) {
            OptionSpec.Builder b = OptionSpec.builder(o.display()).description(o.help())
                    .parameterConsumer((stack, argSpec, command) -> words.option(o, stack));
            if (o.takesArgument()) {
                b.arity("1").type(String.class).paramLabel(o.argument());
            } else {
                b.arity("0").type(boolean.class);
            }
            spec.addOption(b.build());
        }
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").type(String[].class)
                .parameterConsumer((stack, argSpec, command) -> words.operand(stack, command.commandLine())).build());
        spec.parser().posixClusteredShortOptionsAllowed(true)
                // getopt has no -c=value (the argument is "=value") and no @argument files: a separator no
                // command-line word can hold (C strings end at NUL), and no expansion
                .separator("\0")
                .expandAtFiles(false);
        CommandLine command = new CommandLine(spec);
        try {
            command.parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            throw invalidOption(e.getUnmatched().get(0));
        } catch (ParameterException e) {
            // an unknown option that looks like a number (below); picocli keeps the unknown ones before it
            List<String> before = command.getUnmatchedArguments();
            throw before.isEmpty() ? new ConfigException(e.getMessage()) : invalidOption(before.get(0));
        }
        if (words.missingArgument != 0) {
            // only the last word can lack its argument: any unknown option came before it and was reported above
            throw new ConfigException("option requires an argument -- '" + words.missingArgument + "'");
        }
        return new DaemonCommandLine(daemon, words.given, words.operands);
    }

    /** getopt's complaint about an unknown option word (what picocli left of a cluster, e.g. "-q" of "-dq"). */
    private static ConfigException invalidOption(String word) {
        return new ConfigException(word.length() > 1 && word.charAt(0) == '-'
                ? "invalid option -- '" + word.charAt(1) + "'" : "unexpected argument '" + word + "'");
    }

    /** The words of the command line as the parameter consumers take them. */
    private static final class Words {
        private final String[] args;
        private final List<Given> given = new ArrayList<>();
        private final List<String> operands = new ArrayList<>();
        /** Words taken as an option's argument (a "--" among them does not end the options). */
        private final BitSet arguments = new BitSet();
        private char missingArgument;

        Words(String[] args) {
            this.args = args;
        }

        /**
         * getopt takes the next word as the argument whatever it looks like ({@code -E -}, {@code -c --}), where
         * picocli would refuse one that looks like an option: each option consumes its own argument.
         */
        void option(DaemonOption o, Stack<String> stack) {
            if (!o.takesArgument()) {
                given.add(new Given(o, null));
            } else if (stack.isEmpty()) {
                missingArgument = o.letter();
            } else {
                // the position of a separate argument; an attached one points at its own cluster, never at "--"
                arguments.set(args.length - stack.size());
                given.add(new Given(o, stack.pop()));
            }
        }

        /**
         * picocli hands over a word such as "-1" as an operand (it looks like a negative number); getopt reads its
         * letters, so before "--" it is an unknown option.
         */
        void operand(Stack<String> stack, CommandLine command) {
            int at = args.length - stack.size();
            String word = stack.pop();
            if (word.length() > 1 && word.charAt(0) == '-' && !afterEndOfOptions(at)) {
                throw new ParameterException(command, invalidOption(word).getMessage());
            }
            operands.add(word);
        }

        private boolean afterEndOfOptions(int at) {
            for (int i = 0; i < at; i++) {
                if (args[i].equals("--") && !arguments.get(i)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The options given, in command-line order. */
    public List<Given> options() {
        return given;
    }

    /** The words that are no option, in order. */
    public List<String> operands() {
        return operands;
    }

    public boolean has(Action action) {
        return last(action) != null;
    }

    /** The last option given with this action: its argument, "" for a flag; null when none was given. */
    public String last(Action action) {
        String v = null;
        for (Given g : given) {
            if (g.option().action() == action) {
                v = g.argument() == null ? "" : g.argument();
            }
        }
        return v;
    }

    /**
     * The directives the options stand for, in command-line order, then the operands joined into one directive.
     *
     * @param operandsKey the key the operands set (pmacctd: pcap_filter), or null when the daemon takes none
     */
    public List<ConfigLine> directives(String operandsKey) throws ConfigException {
        if (!operands.isEmpty() && operandsKey == null) {
            throw new ConfigException("unexpected argument '" + operands.get(0) + "' (" + daemon.programName()
                    + " takes no filter)");
        }
        List<ConfigLine> out = new ArrayList<>();
        for (Given g : given) {
            String directive = g.option().directive(daemon, g.argument());
            if (directive != null) {
                out.add(ConfigParser.parseLine(WHERE, 0, g.option().display(), directive));
            }
        }
        if (!operands.isEmpty()) {
            out.add(ConfigParser.parseLine(WHERE, 0, "filter", operandsKey + ": " + String.join(" ", operands)));
        }
        return out;
    }

    /**
     * The -h page, in pmacct's layout: the synopsis, then each section's options ({@code "  -c  \tAggregation ..."}).
     *
     * @param title       the first line (banner and version)
     * @param takesFilter whether the words after the options are a filter (pmacctd)
     * @param pluginTypes the plugin types the daemon runs, listed with -P
     */
    public static void usage(PrintStream out, DaemonKind daemon, String title, boolean takesFilter,
                             Collection<String> pluginTypes) {
        String program = daemon.programName();
        List<DaemonOption> options = DaemonOptions.of(daemon);
        out.println(title);
        out.println("Usage: " + program + " " + synopsis(options) + (takesFilter ? " [ filter ]" : ""));
        for (Action own : List.of(Action.CONFIG_FILE, Action.HELP)) {
            for (DaemonOption o : options) {
                if (o.action() == own) {
                    out.println(" ".repeat("Usage: ".length()) + program + " [ " + o.display()
                            + (o.takesArgument() ? " " + o.argument() : "") + " ]");
                }
            }
        }
        for (Section section : Section.values()) {
            boolean titled = false;
            for (DaemonOption o : options) {
                if (o.section() != section) {
                    continue;
                }
                if (!titled) {
                    out.println();
                    out.println(section.title() + ":");
                    titled = true;
                }
                String choices = DaemonOption.PLUGIN_TYPES.equals(o.choices()) ? String.join(" | ", pluginTypes)
                        : o.choices();
                out.println("  " + o.display() + "  \t" + (choices == null ? "" : "[ " + choices + " ] \n\t") + o.help());
            }
        }
        out.println();
        out.println("Configuration keys: docs/CONFIG-KEYS.md; differences from pmacct: docs/COMPATIBILITY.md");
    }

    /**
     * pmacct's synopsis: its flags as alternatives ({@code [ -D | -d ]}), then the daemon's own options with an
     * argument ({@code [ -i interface ]}), then those every daemon has.
     */
    private static String synopsis(List<DaemonOption> options) {
        List<String> flags = new ArrayList<>();
        List<String> own = new ArrayList<>();
        List<String> common = new ArrayList<>();
        for (DaemonOption o : options) {
            if (!o.synopsis()) {
                continue;
            }
            if (!o.takesArgument()) {
                flags.add(o.display());
            } else {
                String part = "[ " + o.display() + " " + o.argument() + " ]";
                (o.daemons().size() < DaemonKind.values().length ? own : common).add(part);
            }
        }
        List<String> parts = new ArrayList<>();
        if (!flags.isEmpty()) {
            parts.add("[ " + String.join(" | ", flags) + " ]");
        }
        parts.addAll(own);
        parts.addAll(common);
        return String.join(" ", parts);
    }
}
