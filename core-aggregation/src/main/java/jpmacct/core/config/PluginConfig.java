package jpmacct.core.config;

import java.util.Map;

/** The resolved configuration one plugin sees: its own scoped keys, then unscoped ones, then defaults. */
public final class PluginConfig {
    private final PluginSpec spec;
    private final Map<KeyDef<?>, Setting> values;
    private final DaemonConfig daemon;
    private final int index;

    PluginConfig(PluginSpec spec, Map<KeyDef<?>, Setting> values, DaemonConfig daemon, int index) {
        this.spec = spec;
        this.values = values;
        this.daemon = daemon;
        this.index = index;
    }

    /** Position of the plugin in {@code plugins:}. */
    public int index() {
        return index;
    }

    /**
     * The plugin's bit in a record's {@code pluginMask}: the record stage clears it when the plugin's
     * {@code aggregate_filter} refuses the record, the plugin's context checks it (the only place it is computed).
     */
    public long bit() {
        return 1L << index;
    }

    public String name() {
        return spec.name();
    }

    public String type() {
        return spec.type();
    }

    public PluginSpec spec() {
        return spec;
    }

    /** {@code name/type}, as in pmacct's log lines. */
    public String id() {
        return spec.id();
    }

    public DaemonConfig daemon() {
        return daemon;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(KeyDef<T> key) {
        if (key.scope() == Scope.GLOBAL) {
            return daemon.get(key);
        }
        Setting s = values.get(key);
        return s != null ? (T) s.value() : key.defaultValue();
    }

    public boolean isSet(KeyDef<?> key) {
        return key.scope() == Scope.GLOBAL ? daemon.isSet(key) : values.containsKey(key);
    }

    /** Where the value was set, for error messages; {@code "default"} when not set. */
    public String whereSet(KeyDef<?> key) {
        if (key.scope() == Scope.GLOBAL) {
            return daemon.whereSet(key);
        }
        Setting s = values.get(key);
        return s == null ? "default" : s.line().where();
    }

    /** The name the key was set with (kafka_preprocess rather than sql_preprocess); its own name when not set. */
    public String writtenName(KeyDef<?> key) {
        Setting s = key.scope() == Scope.GLOBAL ? null : values.get(key);
        return s == null ? key.name() : s.line().key();
    }

    /** A message prefixed with where the key was set, as it was written, and which plugin it concerns. */
    public ConfigException error(KeyDef<?> key, String message) {
        return new ConfigException(whereSet(key) + ": " + writtenName(key) + "[" + name() + "]: " + message);
    }
}
