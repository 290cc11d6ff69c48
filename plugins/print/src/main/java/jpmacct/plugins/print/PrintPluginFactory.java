package jpmacct.plugins.print;

import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;

/** Factory of the {@code print} plugin. */
public final class PrintPluginFactory implements PluginFactory {
    @Override
    public String type() {
        return "print";
    }

    @Override
    public String processTitle() {
        return "Print Plugin";
    }

    @Override
    public List<KeyDef<?>> keys() {
        return PrintKeys.all();
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        return new PrintPlugin(context);
    }
}
