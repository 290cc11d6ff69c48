package jpmacct.plugins.sql;

import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.plugins.sql.dialect.Dialect;

/** The SQL plugin types: one engine, a dialect each. */
abstract class SqlPluginFactory implements PluginFactory {
    private final String type;
    private final String title;
    private final Dialect dialect;

    SqlPluginFactory(String type, String title, Dialect dialect) {
        this.type = type;
        this.title = title;
        this.dialect = dialect;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String processTitle() {
        return title;
    }

    @Override
    public List<KeyDef<?>> keys() {
        return SqlKeys.all();
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        return new SqlPlugin(context, dialect);
    }
}
