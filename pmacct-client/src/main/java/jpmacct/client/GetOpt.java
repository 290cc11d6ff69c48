package jpmacct.client;

import java.util.ArrayList;
import java.util.List;

import jpmacct.core.config.ConfigException;

/**
 * getopt(3) with GNU argument permutation, as pmacct's client parses its command line: {@code -sT}, {@code -cfoo}
 * and {@code -c foo} all work, non-option words anywhere are collected, and {@code --} ends the options. The
 * client keeps this parser instead of picocli, which the daemons use: picocli's classes (Java 5 class files) stay
 * out of the class-data archive and would add tens of milliseconds to every call (docs/PERFORMANCE.md).
 */
final class GetOpt {
    /** One parsed option, e.g. {@code -c src_host}. */
    public record Option(char name, String argument) {
        public String display() {
            return "-" + name;
        }
    }

    private final List<Option> options = new ArrayList<>();
    private final List<String> operands = new ArrayList<>();

    /**
     * @param spec getopt spec: letters, a ':' after a letter that takes an argument (e.g. {@code "f:dD"})
     * @throws ConfigException for an unknown option or a missing argument
     */
    public GetOpt(String spec, String[] args) throws ConfigException {
        int i = 0;
        while (i < args.length) {
            String a = args[i++];
            if (a.equals("--")) {
                while (i < args.length) {
                    operands.add(args[i++]);
                }
                break;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                operands.add(a);
                continue;
            }
            for (int j = 1; j < a.length(); j++) {
                char c = a.charAt(j);
                int at = spec.indexOf(c);
                if (at < 0 || c == ':') {
                    throw new ConfigException("invalid option -- '" + c + "'");
                }
                boolean takesArg = at + 1 < spec.length() && spec.charAt(at + 1) == ':';
                if (!takesArg) {
                    options.add(new Option(c, null));
                    continue;
                }
                String value;
                if (j + 1 < a.length()) {
                    value = a.substring(j + 1);
                } else if (i < args.length) {
                    value = args[i++];
                } else {
                    throw new ConfigException("option requires an argument -- '" + c + "'");
                }
                options.add(new Option(c, value));
                break;
            }
        }
    }

    public List<Option> options() {
        return options;
    }

    /** Non-option words, in order. */
    public List<String> operands() {
        return operands;
    }

    public boolean has(char name) {
        for (Option o : options) {
            if (o.name() == name) {
                return true;
            }
        }
        return false;
    }

    /** The last value given for an option, or null. */
    public String last(char name) {
        String v = null;
        for (Option o : options) {
            if (o.name() == name) {
                v = o.argument();
            }
        }
        return v;
    }
}
