package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import jpmacct.collector.CollectorKeys;
import jpmacct.core.cli.DaemonOption;
import jpmacct.core.cli.DaemonOptions;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.SavefileKeys;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.nfacctd.NfacctdKeys;
import jpmacct.pmacctd.PmacctdKeys;
import jpmacct.sfacctd.SfacctdKeys;

/**
 * docs/CONFIG-KEYS.md is generated from the key and option declarations, so it cannot drift from the code.
 * Regenerate with {@code mvn -pl e2e test -Dtest=ConfigKeysDocTest -Djpmacct.updateDocs=true}.
 */
class ConfigKeysDocTest {

    @Test
    void configKeysDocIsUpToDate() throws Exception {
        Path doc = E2e.root().resolve("docs/CONFIG-KEYS.md");
        String expected = render();
        if (Boolean.getBoolean("jpmacct.updateDocs")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(doc, StandardCharsets.UTF_8),
                "docs/CONFIG-KEYS.md is stale; regenerate it (see this test's Javadoc)");
    }

    static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration keys\n\n");
        sb.append("Generated from the key declarations (`ConfigKeysDocTest`); do not edit by hand.\n\n");
        sb.append("The grammar is pmacct's: `key: value`, or `key[plugin_name]: value` for one plugin. A scoped line "
                + "beats an unscoped one, an unscoped one applies to every plugin that uses the key, command-line "
                + "options beat the file, and within one level the last line wins. `!` and `#` start comments "
                + "(whole lines, or after a blank at the end of a value). Keys are case-insensitive. Every key of "
                + "pmacct 1.7.7 that this build does not implement is refused with `file:line: key 'X' is not "
                + "supported yet`, and a key of a later pmacct (up to 1.8.1-git) also names the release that added "
                + "it: `key 'bgp_daemon_ha' is not supported yet (added in pmacct 1.7.9)`; a misspelt key gets "
                + "`unknown key` and the closest known key.\n\n");
        sb.append("Scope: *global* keys configure the daemon (a `[name]` on them is ignored with a warning); "
                + "*plugin* keys may be scoped.\n");
        options(sb);
        section(sb, "Core (every daemon)", CoreKeys.all());
        section(sb, "Savefiles (pmacctd, nfacctd, sfacctd)", SavefileKeys.all());
        section(sb, "pmacctd", PmacctdKeys.all());
        section(sb, "Collectors (nfacctd, sfacctd)", CollectorKeys.all());
        section(sb, "nfacctd", NfacctdKeys.all());
        section(sb, "sfacctd", SfacctdKeys.all());
        // plugin types sharing keys (the SQL plugins) get one section
        Map<List<KeyDef<?>>, List<String>> byKeys = new LinkedHashMap<>();
        for (PluginFactory f : new TreeMap<>(PluginRegistry.discover()).values()) {
            if (!f.keys().isEmpty()) {
                byKeys.computeIfAbsent(f.keys(), k -> new ArrayList<>()).add("`" + f.type() + "`");
            }
        }
        for (Map.Entry<List<KeyDef<?>>, List<String>> e : byKeys.entrySet()) {
            section(sb, (e.getValue().size() > 1 ? "Plugins " : "Plugin ") + String.join(", ", e.getValue()), e.getKey());
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<KeyDef<?>> keys) {
        sb.append("\n## ").append(title).append("\n\n");
        sb.append("| key | scope | default | description | difference from pmacct 1.7.7 |\n");
        sb.append("|---|---|---|---|---|\n");
        List<KeyDef<?>> sorted = new ArrayList<>(keys);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        for (KeyDef<?> k : sorted) {
            sb.append("| `").append(k.name()).append('`');
            String letters = options(k);
            if (!letters.isEmpty()) {
                sb.append(" (").append(letters).append(')');
            }
            for (String a : k.aliases()) {
                sb.append("<br>alias `").append(a).append('`');
            }
            sb.append(" | ").append(k.scope().name().toLowerCase());
            if (k.daemons().size() < DaemonKind.values().length) {
                List<String> d = new ArrayList<>();
                for (DaemonKind kind : k.daemons()) {
                    d.add(kind.programName());
                }
                sb.append(", ").append(String.join("/", d)).append(" only");
            }
            if (!k.pluginTypes().isEmpty()) {
                sb.append(", ").append(String.join("/", new TreeSet<>(k.pluginTypes()))).append(" plugins");
            }
            sb.append(" | ").append(cell(k.defaultText()));
            sb.append(" | ").append(cell(k.description())).append(" Expects ").append(cell(k.type().expected())).append('.');
            sb.append(" | ").append(k.pmacctDifference() == null ? "" : cell(k.pmacctDifference())).append(" |\n");
        }
    }

    /** Every daemon option, as declared in DaemonOptions (which also parses the command line and writes -h). */
    private static void options(StringBuilder sb) {
        sb.append("\n## Command-line options\n\n");
        sb.append("Generated from the option declarations (`DaemonOptions`), which also parse each daemon's command "
                + "line and write its `-h` page. The command line is read as pmacct's getopt reads it: flags cluster "
                + "(`-dD`), an argument is attached or the next word (`-Pprint`, `-P print`), `--` ends the options. "
                + "An option stands for its key, set on the command line, which beats the file; given twice, the "
                + "last one wins. The words that are no option are pmacctd's filter (`pcap_filter`: `pmacctd -i eth0 "
                + "-c proto not port 22`); nfacctd and sfacctd refuse them. An unknown option or a missing argument "
                + "is reported as getopt does (`invalid option -- 'q'`), with the `-h` page on stderr and exit "
                + "status 1.\n\n");
        sb.append("| option |");
        for (DaemonKind d : DaemonKind.values()) {
            sb.append(' ').append(d.programName()).append(" |");
        }
        sb.append(" stands for | -h says |\n|---|");
        sb.append("---|".repeat(DaemonKind.values().length)).append("---|---|\n");
        for (DaemonOption o : DaemonOptions.all()) {
            sb.append("| `").append(o.display()).append(o.takesArgument() ? " " + o.argument() : "").append("` |");
            for (DaemonKind d : DaemonKind.values()) {
                sb.append(o.appliesTo(d) ? " yes |" : " |");
            }
            sb.append(' ').append(standsFor(o)).append(" | ");
            if (o.choices() != null) {
                String choices = DaemonOption.PLUGIN_TYPES.equals(o.choices()) ? "the daemon's plugin types"
                        : o.choices();
                sb.append(cell("[ " + choices + " ] "));
            }
            sb.append(cell(o.help())).append(" |\n");
        }
    }

    /** The key an option sets (as each of its daemons spells it), or what else it does. */
    private static String standsFor(DaemonOption o) {
        switch (o.action()) {
            case CONFIG_FILE: return "the configuration file";
            case HELP: return "prints this page";
            case VERSION: return "prints the version";
            case PRIMITIVES: return "lists the primitives";
            default: break;
        }
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (DaemonKind d : DaemonKind.values()) {
            if (o.appliesTo(d)) {
                byKey.computeIfAbsent(o.key(d), k -> new ArrayList<>()).add(d.programName());
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            out.add("`" + e.getKey() + (o.takesArgument() ? "" : ": " + o.value()) + "`"
                    + (byKey.size() > 1 ? " (" + String.join(", ", e.getValue()) + ")" : ""));
        }
        return String.join(", ", out);
    }

    /** The options that set this key, e.g. "-L". */
    private static String options(KeyDef<?> k) {
        Set<String> letters = new LinkedHashSet<>();
        for (DaemonOption o : DaemonOptions.all()) {
            for (DaemonKind d : DaemonKind.values()) {
                if (o.appliesTo(d) && k.appliesTo(d) && names(k).contains(o.key(d))) {
                    letters.add(o.display());
                }
            }
        }
        return String.join(", ", letters);
    }

    private static List<String> names(KeyDef<?> k) {
        List<String> names = new ArrayList<>(k.aliases());
        names.add(k.name());
        return names;
    }

    /** Each option that stands for a key names a key of each daemon it is an option of. */
    @Test
    void everyOptionSetsAKeyOfItsDaemons() {
        List<KeyDef<?>> every = new ArrayList<>(CoreKeys.all());
        every.addAll(SavefileKeys.all());
        every.addAll(PmacctdKeys.all());
        every.addAll(CollectorKeys.all());
        every.addAll(NfacctdKeys.all());
        every.addAll(SfacctdKeys.all());
        for (PluginFactory f : PluginRegistry.discover().values()) {
            every.addAll(f.keys());
        }
        for (DaemonOption o : DaemonOptions.all()) {
            for (DaemonKind d : DaemonKind.values()) {
                if (o.appliesTo(d) && o.action() == DaemonOption.Action.DIRECTIVE) {
                    assertTrue(every.stream().anyMatch(k -> k.appliesTo(d) && names(k).contains(o.key(d))),
                            o.display() + " of " + d.programName() + ": no key '" + o.key(d) + "'");
                }
            }
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
