package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.pmacctd.PmacctdKeys;

/**
 * docs/CONFIG-KEYS.md is generated from the key declarations, so it cannot drift from the code. Regenerate with
 * {@code mvn -pl e2e test -Dtest=ConfigKeysDocTest -Djpmacct.updateDocs=true}.
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
                + "supported yet`; a misspelt key gets `unknown key` and the closest known key.\n\n");
        sb.append("Scope: *global* keys configure the daemon (a `[name]` on them is ignored with a warning); "
                + "*plugin* keys may be scoped.\n");
        section(sb, "Core (every daemon)", CoreKeys.all());
        section(sb, "Savefiles (pmacctd, nfacctd, sfacctd)", jpmacct.core.config.SavefileKeys.all());
        section(sb, "pmacctd", PmacctdKeys.all());
        section(sb, "Collectors (nfacctd, sfacctd)", jpmacct.collector.CollectorKeys.all());
        section(sb, "nfacctd", jpmacct.nfacctd.NfacctdKeys.all());
        section(sb, "sfacctd", jpmacct.sfacctd.SfacctdKeys.all());
        // plugin types sharing keys (the SQL plugins) get one section
        Map<List<KeyDef<?>>, List<String>> byKeys = new java.util.LinkedHashMap<>();
        for (PluginFactory f : new java.util.TreeMap<>(PluginRegistry.discover()).values()) {
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
            if (k.cliOption() != null) {
                sb.append(" (").append(k.cliOption()).append(')');
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
                sb.append(", ").append(String.join("/", new java.util.TreeSet<>(k.pluginTypes()))).append(" plugins");
            }
            sb.append(" | ").append(cell(k.defaultText()));
            sb.append(" | ").append(cell(k.description())).append(" Expects ").append(cell(k.type().expected())).append('.');
            sb.append(" | ").append(k.pmacctDifference() == null ? "" : cell(k.pmacctDifference())).append(" |\n");
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
