package jpmacct.core.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jpmacct.core.config.ValueType;
import jpmacct.core.config.ValueTypes;

/**
 * pmacct's {@code writer_id_string}: the {@code writer_id} field a message-broker plugin (kafka, amqp) adds to what
 * it sends. Text with variables: {@code $proc_name} (the plugin's name; the core's name, {@code core_proc_name},
 * when the core writes), {@code $writer_pid} (the process id) and {@code $pmacct_build} (the build's version).
 * As in pmacct a variable name runs over letters, digits and {@code _} (so {@code _} cannot separate a variable from
 * text), names are case-insensitive, and an unknown variable or a lone {@code $} is a configuration error.
 * Parsed once at start-up; {@link #expand} allocates, so it is for each batch written, not each record.
 */
public final class WriterId {
    /** pmacct's default. */
    public static final String DEFAULT = "$proc_name/$writer_pid";
    private static final List<String> VARIABLES = List.of("proc_name", "writer_pid", "pmacct_build");

    public static final ValueType<WriterId> TYPE = ValueTypes.parsedBy(WriterId::parse,
            "text with the variables $proc_name, $writer_pid, $pmacct_build (e.g. $proc_name/$writer_pid)");

    private final String template;
    /** Text pieces as themselves, variables as their index in VARIABLES (Integer). */
    private final List<Object> tokens;

    private WriterId(String template, List<Object> tokens) {
        this.template = template;
        this.tokens = tokens;
    }

    /** @throws IllegalArgumentException naming the variable that is unknown or empty */
    public static WriterId parse(String template) {
        if (template.isEmpty()) {
            throw new IllegalArgumentException("empty value");
        }
        List<Object> tokens = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int dollar = template.indexOf('$', i);
            if (dollar != i) {
                int end = dollar < 0 ? template.length() : dollar;
                tokens.add(template.substring(i, end));
                i = end;
                continue;
            }
            int end = i + 1;
            while (end < template.length() && isVariableChar(template.charAt(end))) {
                end++;
            }
            String name = template.substring(i + 1, end);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'$' without a variable name");
            }
            int variable = VARIABLES.indexOf(name.toLowerCase(Locale.ROOT));
            if (variable < 0) {
                throw new IllegalArgumentException("unknown variable '$" + name + "'");
            }
            tokens.add(variable);
            i = end;
        }
        return new WriterId(template, List.copyOf(tokens));
    }

    private static boolean isVariableChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * The writer id of one writer.
     *
     * @param procName the plugin's name ({@code PluginConfig.name()}), or the core's when the core writes
     * @param pid      the writing process: this JVM's ({@code ProcessHandle.current().pid()}); plugins here write
     *                 from threads of the daemon, where pmacct forks a writer process per purge
     * @param build    the build's version ({@code DaemonCli.VERSION})
     */
    public String expand(String procName, long pid, String build) {
        StringBuilder sb = new StringBuilder();
        for (Object t : tokens) {
            if (t instanceof Integer variable) {
                switch (variable) {
                    case 0 -> sb.append(procName);
                    case 1 -> sb.append(pid);
                    default -> sb.append(build);
                }
            } else {
                sb.append((String) t);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return template;
    }
}
