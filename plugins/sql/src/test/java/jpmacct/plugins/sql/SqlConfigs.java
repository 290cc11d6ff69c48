package jpmacct.plugins.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.config.PluginConfig;

/** The resolved configuration of an SQL plugin q, from configuration lines, as the daemon would build it. */
public final class SqlConfigs {
    private SqlConfigs() {
    }

    public static PluginConfig of(String type, String lines) throws Exception {
        List<KeyDef<?>> keys = new ArrayList<>(CoreKeys.all());
        keys.addAll(SqlKeys.all());
        List<String> raw = new ArrayList<>(List.of("plugins: " + type + "[q]"));
        raw.addAll(Arrays.asList(lines.split("\n")));
        return new ConfigResolver(DaemonKind.PMACCTD, new KeyRegistry(keys), Set.of(SqlKeys.TYPES))
                .resolve(ConfigParser.parse("t.conf", raw), List.of(), true).plugins().get(0);
    }
}
