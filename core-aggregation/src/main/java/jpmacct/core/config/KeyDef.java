package jpmacct.core.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One configuration key: its name (and pmacct aliases), scope, value type, default and documentation.
 * Declared once; everything else (resolution, errors, docs/CONFIG-KEYS.md) derives from these declarations. The
 * command-line options that stand for keys are declared in {@link jpmacct.core.cli.DaemonOptions}.
 *
 * @param <T> parsed value type
 */
public final class KeyDef<T> {
    private final String name;
    private final List<String> aliases;
    private final Scope scope;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final String description;
    private final String pmacctDifference;
    private final String noEffect;
    private final Set<DaemonKind> daemons;
    private final Set<String> pluginTypes;

    private KeyDef(Builder<T> b) {
        this.name = b.name;
        this.aliases = List.copyOf(b.aliases);
        this.scope = b.scope;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.defaultText = b.defaultText != null ? b.defaultText
                : (b.defaultValue == null ? "none" : b.type.render(b.defaultValue));
        this.description = Objects.requireNonNull(b.description, "description");
        this.pmacctDifference = b.pmacctDifference;
        this.noEffect = b.noEffect;
        this.daemons = b.daemons == null ? EnumSet.allOf(DaemonKind.class) : EnumSet.copyOf(b.daemons);
        this.pluginTypes = b.pluginTypes == null ? Set.of() : Set.copyOf(b.pluginTypes);
    }

    public static <T> Builder<T> key(String name, ValueType<T> type) {
        return new Builder<>(name, type);
    }

    public String name() { return name; }
    public List<String> aliases() { return aliases; }
    public Scope scope() { return scope; }
    public ValueType<T> type() { return type; }
    public T defaultValue() { return defaultValue; }
    public String defaultText() { return defaultText; }
    public String description() { return description; }
    /** How this key differs from pmacct 1.7.7, or null when it does not. */
    public String pmacctDifference() { return pmacctDifference; }
    /**
     * Why the key is accepted but does nothing in this build (it tunes a part of pmacct this build does differently),
     * said once at INFO when a configuration sets it; null for keys that take effect.
     */
    public String noEffect() { return noEffect; }
    public Set<DaemonKind> daemons() { return daemons; }
    /** Plugin types this key configures; empty means the core or any plugin. */
    public Set<String> pluginTypes() { return pluginTypes; }

    public boolean appliesTo(DaemonKind daemon) {
        return daemons.contains(daemon);
    }

    public boolean appliesToPluginType(String pluginType) {
        return pluginTypes.isEmpty() || pluginTypes.contains(pluginType);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builder, so key tables read as one declaration per key. */
    public static final class Builder<T> {
        private final String name;
        private final ValueType<T> type;
        private List<String> aliases = List.of();
        private Scope scope = Scope.PLUGIN;
        private T defaultValue;
        private String defaultText;
        private String description;
        private String pmacctDifference;
        private String noEffect;
        private Set<DaemonKind> daemons;
        private Set<String> pluginTypes;

        private Builder(String name, ValueType<T> type) {
            this.name = name;
            this.type = type;
        }

        public Builder<T> aliases(String... names) { this.aliases = List.of(names); return this; }
        public Builder<T> global() { this.scope = Scope.GLOBAL; return this; }
        public Builder<T> defaultValue(T value) { this.defaultValue = value; return this; }
        /** A default described in words (e.g. computed at run time). */
        public Builder<T> defaultText(String text) { this.defaultText = text; return this; }
        public Builder<T> doc(String text) { this.description = text; return this; }
        public Builder<T> differs(String text) { this.pmacctDifference = text; return this; }
        /** Accepted and validated, without effect here; keys sharing the reason are named in one INFO line. */
        public Builder<T> noEffect(String why) { this.noEffect = why; return this; }
        public Builder<T> daemons(DaemonKind first, DaemonKind... rest) { this.daemons = EnumSet.of(first, rest); return this; }
        public Builder<T> pluginTypes(String... types) { this.pluginTypes = Set.of(types); return this; }

        public KeyDef<T> build() {
            return new KeyDef<>(this);
        }
    }
}
