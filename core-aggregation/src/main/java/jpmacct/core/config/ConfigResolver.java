package jpmacct.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jpmacct.core.primitive.CustomPrimitives;

/**
 * Turns parsed lines into a {@link DaemonConfig}: finds the plugins, validates every key and value once, and
 * resolves pmacct's {@code key[name]} scoping in one place. Precedence: command line, then {@code key[name]},
 * then unscoped {@code key}, then the default; within one level the last line wins.
 */
public final class ConfigResolver {
    public static final String PLUGINS_KEY = "plugins";
    public static final String CORE_NAME_KEY = "core_proc_name";

    /** Plugin types pmacct 1.7.7 has; those without a factory here are "not supported yet". */
    private static final Set<String> PMACCT_PLUGIN_TYPES = Set.of("memory", "print", "nfprobe", "sfprobe", "mysql",
            "pgsql", "sqlite3", "mongodb", "mongodb_legacy", "amqp", "kafka", "tee");

    private final DaemonKind daemon;
    private final KeyRegistry registry;
    private final Set<String> pluginTypes;
    private final List<String> warnings = new ArrayList<>();
    /** Keys set that have no effect here, by the reason they share. */
    private final Map<String, Set<String>> noEffect = new LinkedHashMap<>();
    /** Plugin types this build has that this daemon refuses, with the reason (tee outside the collectors). */
    private Map<String, String> refusedTypes = Map.of();

    /**
     * @param pluginTypes plugin types available in this build (from the plugin factories)
     */
    public ConfigResolver(DaemonKind daemon, KeyRegistry registry, Set<String> pluginTypes) {
        this.daemon = daemon;
        this.registry = registry;
        this.pluginTypes = pluginTypes;
    }

    /** Plugin types refused by this daemon, type to reason; they are left out of the available types. */
    public ConfigResolver refusing(Map<String, String> typesAndReasons) {
        this.refusedTypes = Map.copyOf(typesAndReasons);
        return this;
    }

    /**
     * @param fileLines    lines from {@code -f}, empty when the daemon runs from the command line only
     * @param commandLines lines derived from command-line options; they override the file
     * @param haveFile     whether a configuration file was given (pmacct ignores plugin names without one)
     */
    public DaemonConfig resolve(List<ConfigLine> fileLines, List<ConfigLine> commandLines, boolean haveFile)
            throws ConfigException {
        List<ConfigLine> all = new ArrayList<>(fileLines);
        all.addAll(commandLines);

        String coreName = "default";
        for (ConfigLine l : all) {
            if (l.key().equals(CORE_NAME_KEY)) {
                if (l.value().isEmpty()) {
                    throw ConfigException.at(l, "key 'core_proc_name': empty value; expected a name");
                }
                coreName = l.value();
            }
        }

        CustomPrimitives custom = customPrimitives(all);
        List<PluginSpec> specs = parsePlugins(all, haveFile);
        Map<String, PluginSpec> byName = new LinkedHashMap<>();
        for (PluginSpec s : specs) {
            byName.put(s.name(), s);
        }

        Map<KeyDef<?>, Setting> globals = new HashMap<>();
        Map<String, Map<KeyDef<?>, Setting>> perPlugin = new LinkedHashMap<>();
        for (PluginSpec s : specs) {
            perPlugin.put(s.name(), new HashMap<>());
        }

        for (ConfigLine l : all) {
            if (l.key().equals(PLUGINS_KEY) || l.key().equals(CORE_NAME_KEY)) {
                continue;
            }
            KeyDef<?> def = registry.find(l.key());
            if (def == null) {
                if (registry.isPmacctKey(l.key())) {
                    throw ConfigException.at(l, notSupported(l.key()));
                }
                String hint = registry.suggest(l.key());
                throw ConfigException.at(l, "unknown key '" + l.key() + "'"
                        + (hint != null ? " (did you mean '" + hint + "'?)" : ""));
            }
            if (!def.appliesTo(daemon)) {
                warnings.add(l.where() + ": key '" + l.key() + "' does not apply to " + daemon.programName() + "; ignored");
                continue;
            }
            Object value = parseValue(def, l, custom);
            if (def.noEffect() != null) {
                noEffect.computeIfAbsent(def.noEffect(), why -> new LinkedHashSet<>()).add(l.key());
            }
            if (def.scope() == Scope.GLOBAL) {
                if (l.scope() != null) {
                    warnings.add(l.where() + ": key '" + l.key() + "' is global; '[" + l.scope() + "]' ignored");
                }
                put(globals, def, new Setting(value, l, l.fromCommandLine() ? Setting.COMMAND_LINE : Setting.UNSCOPED));
                continue;
            }
            if (l.scope() != null) {
                PluginSpec target = byName.get(l.scope());
                if (target == null) {
                    throw ConfigException.at(l, "key '" + l.displayKey() + "': no plugin named '" + l.scope()
                            + "' (plugins: " + String.join(", ", byName.keySet()) + ")");
                }
                if (!def.appliesToPluginType(target.type())) {
                    warnings.add(l.where() + ": key '" + l.key() + "' does not apply to plugin '" + target.name()
                            + "' of type '" + target.type() + "'; ignored");
                    continue;
                }
                put(perPlugin.get(target.name()), def,
                        new Setting(value, l, l.fromCommandLine() ? Setting.COMMAND_LINE : Setting.SCOPED));
            } else {
                Setting s = new Setting(value, l, l.fromCommandLine() ? Setting.COMMAND_LINE : Setting.UNSCOPED);
                put(globals, def, s);
                boolean used = false;
                for (PluginSpec p : specs) {
                    if (def.appliesToPluginType(p.type())) {
                        put(perPlugin.get(p.name()), def, s);
                        used = true;
                    }
                }
                if (!used) {
                    // pmacct ignores it silently; a key meant for a plugin that is not loaded is often a typo in 'plugins'
                    warnings.add(l.where() + ": key '" + l.key() + "' configures " + String.join("/",
                            new TreeSet<>(def.pluginTypes())) + " plugins and no configured plugin uses it; ignored");
                }
            }
        }

        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : noEffect.entrySet()) {
            notes.add(String.join(", ", e.getValue()) + ": " + e.getKey());
        }
        DaemonConfig config = new DaemonConfig(daemon, coreName, globals, warnings, notes, all, custom);
        List<PluginConfig> plugins = new ArrayList<>();
        for (PluginSpec s : specs) {
            plugins.add(new PluginConfig(s, perPlugin.get(s.name()), config, plugins.size()));
        }
        config.setPlugins(plugins);
        return config;
    }

    /** A pmacct key this build lacks, with the pmacct release that added (or removed) it after 1.7.7. */
    private String notSupported(String key) {
        String history = registry.pmacctHistory(key);
        if (history == null) {
            return "key '" + key + "' is not supported yet";
        }
        return "key '" + key + "' is not supported" + (registry.removedByPmacct(key) ? "" : " yet") + " (" + history + ")";
    }

    private static void put(Map<KeyDef<?>, Setting> map, KeyDef<?> def, Setting s) {
        Setting prev = map.get(def);
        if (prev == null || s.precedence() >= prev.precedence()) {
            map.put(def, s);
        }
    }

    /**
     * aggregate_primitives must be known before aggregate lines are read (they may name custom primitives): the
     * last such line (command line after file) is loaded first.
     */
    private static CustomPrimitives customPrimitives(List<ConfigLine> all) throws ConfigException {
        ConfigLine found = null;
        for (ConfigLine l : all) {
            if (l.key().equalsIgnoreCase(CoreKeys.AGGREGATE_PRIMITIVES.name())) {
                found = l;
            }
        }
        if (found == null) {
            return CustomPrimitives.NONE;
        }
        try {
            return CustomPrimitives.load(Path.of(found.value()));
        } catch (ConfigException e) {
            throw new ConfigException(found.where() + ": aggregate_primitives: " + e.getMessage());
        }
    }

    private static Object parseValue(KeyDef<?> def, ConfigLine l, CustomPrimitives custom) throws ConfigException {
        try {
            return def.type().parse(l.value(), custom);
        } catch (UnsupportedValueException e) {
            throw ConfigException.at(l, "key '" + l.displayKey() + "': value '" + l.value() + "' is not supported yet; "
                    + "expected " + def.type().expected());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(l, "key '" + l.displayKey() + "': invalid value '" + l.value() + "' ("
                    + e.getMessage() + "); expected " + def.type().expected());
        }
    }

    private List<PluginSpec> parsePlugins(List<ConfigLine> all, boolean haveFile) throws ConfigException {
        ConfigLine fromFile = null;
        ConfigLine fromCli = null;
        for (ConfigLine l : all) {
            if (!l.key().equals(PLUGINS_KEY)) {
                continue;
            }
            if (l.scope() != null) {
                throw ConfigException.at(l, "key 'plugins' cannot be scoped to a plugin; expected 'plugins: type[name], ...'");
            }
            if (l.fromCommandLine()) {
                fromCli = l;
            } else if (fromFile != null) {
                throw ConfigException.at(l, "key 'plugins' set twice (first at " + fromFile.where()
                        + "); list every plugin on one line: 'plugins: print[a], print[b]'");
            } else {
                fromFile = l;
            }
        }
        ConfigLine line = fromCli != null ? fromCli : fromFile;
        if (line == null) {
            if (!pluginTypes.contains("memory")) {
                throw new ConfigException("no 'plugins' configured: pmacct's default is the memory plugin, which is "
                        + "not supported yet; add for example 'plugins: print' or '-P print'");
            }
            warnings.add("no plugin has been activated; defaulting to in-memory table");
            return List.of(new PluginSpec("memory", "default_memory"));
        }
        boolean useNames = haveFile && !line.fromCommandLine();
        List<PluginSpec> out = new ArrayList<>();
        for (String token : line.value().split(",")) {
            String t = token.strip();
            if (t.isEmpty()) {
                continue;
            }
            String type = t;
            String name = null;
            int open = t.indexOf('[');
            if (open >= 0) {
                int close = t.indexOf(']', open);
                if (close < 0 || close != t.length() - 1) {
                    throw ConfigException.at(line, "key 'plugins': malformed entry '" + t + "'; expected 'type[name]'");
                }
                type = t.substring(0, open).strip();
                name = t.substring(open + 1, close).strip();
                if (name.isEmpty()) {
                    name = null;
                }
            }
            type = type.toLowerCase(Locale.ROOT);
            if (type.equals("core")) {
                throw ConfigException.at(line, "key 'plugins': plugins of type 'core' are not allowed");
            }
            if (refusedTypes.containsKey(type)) {
                throw ConfigException.at(line, "key 'plugins': plugin type '" + type + "' is not available in "
                        + daemon.programName() + ": " + refusedTypes.get(type));
            }
            if (!pluginTypes.contains(type)) {
                if (PMACCT_PLUGIN_TYPES.contains(type)) {
                    throw ConfigException.at(line, "key 'plugins': plugin type '" + type + "' is not supported yet"
                            + " (available: " + String.join(", ", new TreeSet<>(pluginTypes)) + ")");
                }
                throw ConfigException.at(line, "key 'plugins': unknown plugin type '" + type + "' (available: "
                        + String.join(", ", new TreeSet<>(pluginTypes)) + ")");
            }
            if (name == null || !useNames) {
                name = "default_" + type;
            }
            for (PluginSpec existing : out) {
                if (existing.name().equals(name)) {
                    throw ConfigException.at(line, "key 'plugins': two plugins named '" + name + "'; give each a unique [name]");
                }
            }
            out.add(new PluginSpec(type, name));
        }
        if (out.isEmpty()) {
            throw ConfigException.at(line, "key 'plugins': empty list; expected 'plugins: type[name], ...'");
        }
        return out;
    }
}
