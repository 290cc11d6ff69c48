package jpmacct.core.plugin;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The plugin types on the class path, found with ServiceLoader. */
public final class PluginRegistry {
    private PluginRegistry() {
    }

    public static Map<String, PluginFactory> discover() {
        Map<String, PluginFactory> out = new TreeMap<>();
        for (PluginFactory f : ServiceLoader.load(PluginFactory.class)) {
            PluginFactory prev = out.put(f.type(), f);
            if (prev != null) {
                throw new IllegalStateException("two plugin factories for type '" + f.type() + "': "
                        + prev.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return out;
    }
}
