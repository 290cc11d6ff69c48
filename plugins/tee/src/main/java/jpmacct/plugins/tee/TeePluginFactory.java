package jpmacct.plugins.tee;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;

/** Factory of the {@code tee} plugin: nfacctd and sfacctd only, as in pmacct. */
public final class TeePluginFactory implements PluginFactory {
    @Override
    public String type() {
        return "tee";
    }

    @Override
    public String processTitle() {
        return "Tee Plugin";
    }

    @Override
    public Set<DaemonKind> daemons() {
        return EnumSet.of(DaemonKind.NFACCTD, DaemonKind.SFACCTD);
    }

    @Override
    public String unavailableReason() {
        return "tee replicates the datagrams a collector receives (nfacctd, sfacctd only)";
    }

    @Override
    public List<KeyDef<?>> keys() {
        return TeeKeys.all();
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        return new TeePlugin(context);
    }
}
