package jpmacct.plugins.sfprobe;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;

/** Factory of the {@code sfprobe} plugin. */
public final class SfprobePluginFactory implements PluginFactory {
    @Override
    public String type() {
        return "sfprobe";
    }

    @Override
    public Set<DaemonKind> daemons() {
        return EnumSet.of(DaemonKind.PMACCTD);
    }

    @Override
    public String unavailableReason() {
        return "sfprobe exports captured packets; it runs in pmacctd";
    }

    @Override
    public String processTitle() {
        return "sFlow Probe Plugin";
    }

    @Override
    public List<KeyDef<?>> keys() {
        return SfprobeKeys.all();
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        return new SfprobePlugin(context);
    }
}
