package jpmacct.plugins.nfprobe;

import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;

/** Factory of the {@code nfprobe} plugin. */
public final class NfprobePluginFactory implements PluginFactory {
    @Override
    public String type() {
        return "nfprobe";
    }

    @Override
    public String processTitle() {
        return "Netflow Probe Plugin";
    }

    @Override
    public List<KeyDef<?>> keys() {
        return NfprobeKeys.all();
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        return new NfprobePlugin(context);
    }
}
