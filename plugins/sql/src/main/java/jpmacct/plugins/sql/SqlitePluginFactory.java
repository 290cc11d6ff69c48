package jpmacct.plugins.sql;

import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;

/** Factory of the {@code sqlite3} plugin. */
public final class SqlitePluginFactory implements PluginFactory {
    @Override
    public String type() {
        return "sqlite3";
    }

    @Override
    public String processTitle() {
        return "SQLite3 Plugin";
    }

    @Override
    public List<KeyDef<?>> keys() {
        return SqlKeys.all();
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        return new SqlPlugin(context, new SqliteDialect());
    }
}
