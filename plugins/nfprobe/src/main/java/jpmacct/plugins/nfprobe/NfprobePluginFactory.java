package jpmacct.plugins.nfprobe;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
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
    public Set<DaemonKind> daemons() {
        return EnumSet.of(DaemonKind.PMACCTD);
    }

    @Override
    public String unavailableReason() {
        return "nfprobe builds flows from captured packets; it runs in pmacctd";
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
