package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigLine;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.config.UnsupportedValueException;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.CustomPrimitives;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.nfacctd.Nfacctd;
import jpmacct.pmacctd.Pmacctd;
import jpmacct.plugins.avro.StandInRegistry;
import jpmacct.sfacctd.Sfacctd;

/**
 * pmacct's own configuration files (every one in its repository's examples/, ci/ and tests/, scenarios included:
 * 91 at 1.8.1-git), each taken as its daemon here takes it from {@code -f}: the configuration resolved with the
 * daemon's keys and plugin factories, then its plugins built; what is left is opening sockets or the capture. Map
 * paths point at the maps shipped beside each test, as pmacct's test framework points them (its
 * setup_test.py); pmbgpd, pmbmpd, pmtelemetryd and uacctd are not built. The outcome of each file, and what it
 * needs that is not built, must equal {@code upstream-configs/OUTCOMES.tsv}, and docs/COMPATIBILITY.md's section
 * its summary. Regenerate both with
 * {@code mvn -pl e2e verify -Dtest=UpstreamConfigsTest -Djpmacct.updateDocs=true}.
 */
class UpstreamConfigsTest {
    private static final Path CONFIGS = E2e.root().resolve("e2e/src/test/resources/upstream-configs");
    private static final Path OUTCOMES = CONFIGS.resolve("OUTCOMES.tsv");
    private static final Path COMPATIBILITY = E2e.root().resolve("docs/COMPATIBILITY.md");
    private static final String BEGIN = "<!-- UpstreamConfigsTest: begin -->\n";
    private static final String END = "<!-- UpstreamConfigsTest: end -->\n";
    /** The daemons built, by pmacct's names. */
    private static final Map<String, DaemonStartup.Spec> DAEMONS = Map.of(
            "pmacctd", Pmacctd.SPEC, "nfacctd", Nfacctd.SPEC, "sfacctd", Sfacctd.SPEC);
    /** Daemons of pmacct this build does not have, and what they are. */
    private static final Map<String, String> NOT_BUILT = Map.of("pmbgpd", "BGP: the pmbgpd daemon",
            "pmbmpd", "BMP: the pmbmpd daemon", "pmtelemetryd", "streaming telemetry: the pmtelemetryd daemon",
            "uacctd", "the uacctd daemon (NFLOG capture)");
    /** The librdkafka properties pmacct's test framework gives every case as kafka_config_file (its setup_test.py). */
    private static final Path LIBRDKAFKA_CONF = CONFIGS.resolve("pmacct_mount/librdkafka.conf");
    /** The keys pmacct's test framework points at files of the test's pmacct_mount folder. */
    private static final Map<String, String> MOUNTED = Map.of("flow_to_rd_map", "f2rd-00.map",
            "sampling_map", "sampling-00.map", "aggregate_primitives", "custom-primitives-00.map");
    private static final Pattern KEY_NOT_SUPPORTED = Pattern.compile("key '([a-z0-9_]+)' is not supported");
    private static final Pattern PLUGIN_NOT_SUPPORTED = Pattern.compile("plugin type '([a-z0-9_]+)' is not supported yet");
    private static final Pattern PLUGIN_UNKNOWN = Pattern.compile("unknown plugin type '([a-z0-9_]+)'");
    private static final Pattern PRIMITIVE_NOT_SUPPORTED = Pattern.compile("primitive '([a-z0-9_]+)' is not supported yet");
    private static final Pattern VALUE_NOT_SUPPORTED =
            Pattern.compile("key '([a-z0-9_]+)(\\[[^]]*])?': value '[^']*' is not supported yet");
    /** pmacct 1.8's plugin types (src/cfg.c). */
    private static final Set<String> PMACCT_PLUGINS = Set.of("memory", "print", "nfprobe", "sfprobe", "mysql", "pgsql",
            "sqlite3", "amqp", "kafka", "tee");
    /** BGP's primitives (pmacct's -a, BGP group): they need a BGP or BMP feed. */
    private static final Set<String> BGP_PRIMITIVES = Set.of("std_comm", "ext_comm", "lrg_comm", "as_path",
            "peer_src_as", "peer_dst_as", "local_pref", "med", "dst_roa", "src_std_comm", "src_ext_comm",
            "src_lrg_comm", "src_as_path", "src_local_pref", "src_med", "src_roa");

    @TempDir
    Path work;
    /** The framework's schema registry (a container there): a stand-in answering the registrations. */
    private StandInRegistry registry;

    @BeforeEach
    void registry() throws IOException {
        registry = new StandInRegistry();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void pmacctsOwnConfigurationsRunOrAreRefusedForWhatIsNotBuilt() throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (Path file : configurations()) {
            outcomes.add(outcome(CONFIGS.relativize(file).toString()));
        }
        assertEquals(91, outcomes.size(), "pmacct's repository holds 91 configuration files");
        String table = table(outcomes);
        String summary = summary(outcomes);
        String doc = Files.readString(COMPATIBILITY, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/COMPATIBILITY.md lacks the markers of this test's section");
        String updated = doc.substring(0, begin + BEGIN.length()) + summary + doc.substring(end);
        if (Boolean.getBoolean("jpmacct.updateDocs")) {
            Files.writeString(OUTCOMES, table, StandardCharsets.UTF_8);
            Files.writeString(COMPATIBILITY, updated, StandardCharsets.UTF_8);
            doc = updated;
        }
        assertEquals(Files.readString(OUTCOMES, StandardCharsets.UTF_8), table,
                "an outcome changed; if intended, regenerate (see this test's Javadoc)");
        assertEquals(doc, updated, "docs/COMPATIBILITY.md's summary is stale; regenerate (see this test's Javadoc)");
    }

    /** pmacct daemon configurations: *.conf and *.conf.example (not librdkafka's, not MRTG's). */
    private static List<Path> configurations() throws IOException {
        try (Stream<Path> s = Files.walk(CONFIGS)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".conf") || n.endsWith(".conf.example")) && !p.toString().contains("pmacct_mount");
            }).sorted().toList();
        }
    }

    /**
     * How one file fares: {@code runs} or {@code refused: ...}; the capability it is refused for first, and every one
     * it needs that is not built.
     */
    record Outcome(String file, String daemon, String result, String refusedFor, Set<String> needs) {
        boolean runs() {
            return result.equals("runs");
        }
    }

    private Outcome outcome(String file) throws Exception {
        String daemon = daemonOf(file);
        List<ConfigLine> lines = mounted(file, ConfigParser.parse(file,
                Files.readAllLines(CONFIGS.resolve(file), StandardCharsets.UTF_8)));
        Map<String, PluginFactory> factories = PluginRegistry.discover();
        DaemonStartup.Spec spec = DAEMONS.get(daemon);
        Set<String> needs = new LinkedHashSet<>();
        if (spec == null) {
            needs.add(NOT_BUILT.get(daemon));
        }
        KeyRegistry registry = DaemonCli.registry(spec == null ? List.of() : spec.keys(), factories);
        CustomPrimitives custom = customPrimitives(lines);
        for (ConfigLine l : lines) {
            for (String need : notBuilt(l, registry, factories, custom)) {
                // a daemon not built needs its own keys: they are no news
                if (spec == null && NOT_BUILT.get(daemon).startsWith(need)) {
                    continue;
                }
                needs.add(need);
            }
        }
        if (spec == null) {
            return new Outcome(file, daemon, "refused: daemon " + daemon + " is not built", needs.iterator().next(),
                    needs);
        }
        try {
            DaemonConfig config = DaemonCli.resolve(spec.kind(), lines, List.of(), true, registry, factories);
            DaemonAssembly.create(spec.kind(), config, factories, false, UpstreamConfigsTest.class, new String[0]);
            return new Outcome(file, daemon, "runs", null, needs);
        } catch (ConfigException e) {
            return refused(file, daemon, e.getMessage(), lines, needs);
        }
    }

    /** The daemon a file configures, from its name as pmacct names them (probe examples are pmacctd's). */
    private static String daemonOf(String file) {
        String name = Path.of(file).getFileName().toString();
        if (name.startsWith("probe_")) {
            return "pmacctd";
        }
        for (String d : List.of("pmacctd", "nfacctd", "sfacctd", "pmbgpd", "pmbmpd", "pmtelemetryd", "uacctd")) {
            if (name.startsWith(d)) {
                return d;
            }
        }
        throw new AssertionError(file + ": which daemon?");
    }

    /**
     * Map paths as pmacct's framework sets them: its pmacct_mount files, a scenario's own maps first, its librdkafka
     * properties, its schema registry (a stand-in here); output paths (logfile, pidfile, Avro schema files) into a scratch
     * folder. Other paths stay as written.
     */
    private List<ConfigLine> mounted(String file, List<ConfigLine> lines) throws IOException {
        Path dir = CONFIGS.resolve(file).getParent();
        Path test = dir.getFileName().toString().startsWith("scenario-") ? dir.getParent() : dir;
        List<ConfigLine> out = new ArrayList<>();
        for (ConfigLine l : lines) {
            String value = l.value();
            String map = l.key().endsWith("_tag_map") ? "pretag-00.map" : MOUNTED.get(l.key());
            if (map != null && file.startsWith("tests/")) {
                Path own = dir.resolve(map);
                Path mount = test.resolve("pmacct_mount").resolve(map);
                value = (Files.exists(own) ? own : mount).toString();
            } else if (l.key().equals("kafka_config_file") && file.startsWith("tests/")) {
                value = LIBRDKAFKA_CONF.toString();
            } else if (l.key().equals("kafka_avro_schema_registry") && file.startsWith("tests/")) {
                value = registry.url();
            } else if (l.key().equals("logfile") || l.key().equals("pidfile") || l.key().startsWith("avro_schema_")) {
                value = work.resolve(Path.of(value).getFileName()).toString();
            }
            out.add(new ConfigLine(l.source(), l.line(), l.option(), l.key(), l.scope(), value));
        }
        return out;
    }

    /**
     * What a line needs that is not built: a plugin type, a key, a value only pmacct implements (a primitive,
     * {@code nfacctd_pro_rating: true}).
     */
    private static List<String> notBuilt(ConfigLine l, KeyRegistry registry, Map<String, PluginFactory> factories,
                                         CustomPrimitives custom) {
        List<String> out = new ArrayList<>();
        KeyDef<?> def = registry.find(l.key());
        if (l.key().equals("plugins")) {
            for (String t : l.value().split(",")) {
                String type = t.replaceAll("\\[.*", "").strip().toLowerCase(Locale.ROOT);
                if (!factories.containsKey(type)) {
                    out.add(capability("plugin " + type, ""));
                }
            }
        } else if (def == null) {
            out.add(capability("key " + l.key(), l.value()));
        } else if (def == CoreKeys.AGGREGATE) {
            for (String primitive : l.value().split(",")) {
                try {
                    Aggregate.TYPE.parse(primitive, custom);
                } catch (IllegalArgumentException e) {
                    if (e.getMessage().contains("is not supported yet")) {
                        out.add(capability("primitive " + primitive.strip().toLowerCase(Locale.ROOT), ""));
                    }
                }
            }
        } else {
            try {
                def.type().parse(l.value(), custom);
            } catch (UnsupportedValueException e) {
                out.add(valueCapability(l.key(), l.value()));
            } catch (IllegalArgumentException e) {
                // a bad value: the outcome says so
            }
        }
        return out;
    }

    /** aggregate_primitives as the file sets it, for reading its aggregate lines; none when it does not load. */
    private static CustomPrimitives customPrimitives(List<ConfigLine> lines) {
        for (ConfigLine l : lines) {
            if (l.key().equals(CoreKeys.AGGREGATE_PRIMITIVES.name())) {
                try {
                    return CustomPrimitives.load(Path.of(l.value()));
                } catch (ConfigException e) {
                    return CustomPrimitives.NONE;
                }
            }
        }
        return CustomPrimitives.NONE;
    }

    /**
     * The refusal named by what is not built ("plugin kafka", "key bgp_daemon") with its capability; another
     * message in full, as its own capability, so that it shows.
     */
    private static Outcome refused(String file, String daemon, String message, List<ConfigLine> lines,
                                   Set<String> needs) {
        message = message.replace(CONFIGS + "/", "");
        for (Pattern p : List.of(PLUGIN_NOT_SUPPORTED, PLUGIN_UNKNOWN)) {
            Matcher m = p.matcher(message);
            if (m.find()) {
                return new Outcome(file, daemon, "refused: plugin " + m.group(1), capability("plugin " + m.group(1), ""),
                        needs);
            }
        }
        Matcher m = PRIMITIVE_NOT_SUPPORTED.matcher(message);
        if (m.find()) {
            return new Outcome(file, daemon, "refused: primitive " + m.group(1),
                    capability("primitive " + m.group(1), ""), needs);
        }
        String value = "";
        for (ConfigLine l : lines) {
            if (message.startsWith(l.where() + ":")) {
                value = l.value();
            }
        }
        m = VALUE_NOT_SUPPORTED.matcher(message);
        if (m.find()) {
            String key = m.group(1);
            return new Outcome(file, daemon, "refused: key " + key + ": " + value, valueCapability(key, value), needs);
        }
        m = KEY_NOT_SUPPORTED.matcher(message);
        if (m.find()) {
            return new Outcome(file, daemon, "refused: key " + m.group(1), capability("key " + m.group(1), value), needs);
        }
        // anything else in full, without where, so that it shows
        String what = message.substring(message.indexOf(": ") + 2);
        return new Outcome(file, daemon, "refused: " + message, what, needs);
    }

    /** The capability a refused plugin or key belongs to, as docs/COMPATIBILITY.md counts them. */
    private static String capability(String what, String value) {
        String name = what.substring(what.indexOf(' ') + 1);
        if (what.startsWith("plugin ")) {
            return name.equals("kafka") ? "kafka plugin"
                    : "plugin " + name + (PMACCT_PLUGINS.contains(name) ? "" : " (pmacct 1.8 has none either)");
        }
        if (what.startsWith("primitive ")) {
            return BGP_PRIMITIVES.contains(name) ? "BGP" : "primitive " + name;
        }
        if (name.startsWith("bmp_") || value.equalsIgnoreCase("bmp") && name.endsWith("_as")
                || value.equalsIgnoreCase("bmp") && name.endsWith("_net")) {
            return "BMP";
        }
        if (name.startsWith("bgp_") || name.startsWith("tmp_bgp_") || name.equals("as_path_encode_as_array")
                || value.equalsIgnoreCase("bgp") && (name.endsWith("_as") || name.endsWith("_net"))) {
            return "BGP";
        }
        if (name.startsWith("telemetry_") || name.startsWith("tmp_telemetry_")) {
            return "streaming telemetry";
        }
        if (name.startsWith("avro_") || name.equals("kafka_avro_schema_registry")
                || name.endsWith("_output") && value.toLowerCase(Locale.ROOT).startsWith("avro")) {
            return "Avro encoding";
        }
        if (name.startsWith("kafka_")) {
            return "kafka plugin: " + name;
        }
        return name;
    }

    /** The capability of a value only pmacct implements, with the value unless it names the capability (Avro). */
    private static String valueCapability(String key, String value) {
        String capability = capability("key " + key, value);
        return capability.equals("Avro encoding") ? capability : capability + ": " + value;
    }

    private static String table(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("# pmacct's configuration files (1.8.1-git), as UpstreamConfigsTest resolves them; "
                + "do not edit by hand.\n");
        sb.append("# file\tdaemon\toutcome (first refusal, as the daemon reports it)\tneeds, not built here\n");
        for (Outcome o : outcomes) {
            sb.append(o.file()).append('\t').append(o.daemon()).append('\t').append(o.result()).append('\t')
                    .append(String.join("; ", o.needs())).append('\n');
        }
        return sb.toString();
    }

    /** The section of docs/COMPATIBILITY.md between the markers. */
    private static String summary(List<Outcome> outcomes) {
        Map<String, Integer> first = new TreeMap<>();
        Map<String, Integer> needed = new TreeMap<>();
        List<String> running = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.runs()) {
                running.add("`" + o.file() + "`");
            } else {
                first.merge(o.refusedFor(), 1, Integer::sum);
            }
            for (String n : o.needs()) {
                needed.merge(n, 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("\n**").append(running.size()).append(" of ").append(outcomes.size()).append(" run unchanged:** ")
                .append(String.join(", ", running)).append(".\n\n");
        sb.append("The other ").append(outcomes.size() - running.size()).append(" are refused at start-up, for the "
                + "first thing each asks for that is not built:\n\n");
        counts(sb, "refused for", first);
        sb.append("Counting everything each file asks for that is not built (a file may need several):\n\n");
        counts(sb, "not built", needed);
        return sb.toString();
    }

    /** A table of counts, the largest first. */
    private static void counts(StringBuilder sb, String title, Map<String, Integer> counts) {
        sb.append("| ").append(title).append(" | files |\n|---|---|\n");
        List<String> rows = new ArrayList<>(counts.keySet());
        rows.sort(Comparator.<String>comparingInt(counts::get).reversed().thenComparing(Comparator.naturalOrder()));
        for (String r : rows) {
            sb.append("| ").append(issue(r)).append(" | ").append(counts.get(r)).append(" |\n");
        }
        sb.append('\n');
    }

    /** Capabilities with an issue of their own. */
    private static String issue(String capability) {
        if (capability.equals("kafka plugin")) {
            return "the `kafka` plugin (issue 12)";
        }
        if (capability.startsWith("BGP")) {
            return capability + " (issue 14)";
        }
        if (capability.startsWith("BMP")) {
            return capability + " (issue 15)";
        }
        if (capability.startsWith("plugin ")) {
            String name = capability.substring("plugin ".length());
            int space = name.indexOf(' ');
            return space < 0 ? "the `" + name + "` plugin"
                    : "the `" + name.substring(0, space) + "` plugin" + name.substring(space);
        }
        return capability;
    }
}
