package jpmacct.plugins.memory;

import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;

/** Factory of the {@code memory} plugin. */
public final class MemoryPluginFactory implements PluginFactory {
    @Override
    public String type() {
        return "memory";
    }

    @Override
    public String processTitle() {
        return "IMT Plugin";
    }

    @Override
    public List<KeyDef<?>> keys() {
        return MemoryKeys.all();
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        return new MemoryPlugin(context);
    }
}
