package jpmacct.plugins.sql;

/** Factory of the {@code pgsql} plugin. */
public final class PgsqlPluginFactory extends SqlPluginFactory {
    public PgsqlPluginFactory() {
        super("pgsql", "PostgreSQL Plugin", new PgsqlDialect());
    }
}
