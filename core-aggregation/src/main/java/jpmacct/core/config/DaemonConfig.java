package jpmacct.core.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import jpmacct.core.primitive.CustomPrimitives;

/** The resolved configuration of one daemon: global keys, the core's view of plugin keys, and the plugins. */
public final class DaemonConfig {
    private final DaemonKind daemon;
    private final String coreName;
    private final Map<KeyDef<?>, Setting> globals;
    private List<PluginConfig> plugins = List.of();
    private final List<String> warnings;
    private final List<String> notes;
    private final List<ConfigLine> lines;
    private final CustomPrimitives customPrimitives;

    DaemonConfig(DaemonKind daemon, String coreName, Map<KeyDef<?>, Setting> globals, List<String> warnings,
                 List<String> notes, List<ConfigLine> lines, CustomPrimitives customPrimitives) {
        this.daemon = daemon;
        this.coreName = coreName;
        this.globals = globals;
        this.warnings = warnings;
        this.notes = List.copyOf(notes);
        this.lines = List.copyOf(lines);
        this.customPrimitives = customPrimitives;
    }

    /** aggregate_primitives, loaded (none when the key is not set). */
    public CustomPrimitives customPrimitives() {
        return customPrimitives;
    }

    void setPlugins(List<PluginConfig> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    public DaemonKind daemon() {
        return daemon;
    }

    /** The core process name ({@code core_proc_name}, default {@code default}). */
    public String coreName() {
        return coreName;
    }

    public List<PluginConfig> plugins() {
        return plugins;
    }

    /** Non-fatal findings (ignored scopes, keys for other daemons), to be logged once logging is set up. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** What the operator should know but need not act on (keys accepted without effect), logged once at INFO. */
    public List<String> notes() {
        return notes;
    }

    /** Every directive read, file lines first, then those the command line stands for (for debug logging). */
    public List<ConfigLine> lines() {
        return lines;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(KeyDef<T> key) {
        Setting s = globals.get(key);
        return s != null ? (T) s.value() : key.defaultValue();
    }

    public boolean isSet(KeyDef<?> key) {
        return globals.containsKey(key);
    }

    public String whereSet(KeyDef<?> key) {
        Setting s = globals.get(key);
        return s == null ? "default" : s.line().where();
    }

    public ConfigException error(KeyDef<?> key, String message) {
        return new ConfigException(whereSet(key) + ": " + key.name() + ": " + message);
    }
}
