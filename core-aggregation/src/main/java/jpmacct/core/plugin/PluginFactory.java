package jpmacct.core.plugin;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;

/**
 * Creates plugins of one type; found with {@link java.util.ServiceLoader}, so a new plugin is a new module that
 * lists its factory in {@code META-INF/services/jpmacct.core.plugin.PluginFactory}.
 */
public interface PluginFactory {

    /** The type used in {@code plugins:}, e.g. {@code print}. */
    String type();

    /** pmacct's process title for this plugin type, used as the thread name: {@code Print Plugin}. */
    String processTitle();

    /** Daemons this plugin type runs in; another daemon refuses it at start-up with {@link #unavailableReason}. */
    default Set<DaemonKind> daemons() {
        return EnumSet.allOf(DaemonKind.class);
    }

    /** Why the plugin type is refused by daemons outside {@link #daemons()}. */
    default String unavailableReason() {
        return "not available in this daemon";
    }

    /** Configuration keys only this plugin type understands. */
    default List<KeyDef<?>> keys() {
        return List.of();
    }

    /** Builds a plugin from its validated configuration; semantic problems are reported as ConfigException. */
    Plugin create(PluginContext context) throws ConfigException;
}
