package jpmacct.plugins.sql;

import jpmacct.plugins.sql.dialect.PgsqlDialect;

/** Factory of the {@code pgsql} plugin. */
public final class PgsqlPluginFactory extends SqlPluginFactory {
    public PgsqlPluginFactory() {
        super("pgsql", "PostgreSQL Plugin", new PgsqlDialect());
    }
}
