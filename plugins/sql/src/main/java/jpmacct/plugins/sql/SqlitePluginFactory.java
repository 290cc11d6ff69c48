package jpmacct.plugins.sql;

/** Factory of the {@code sqlite3} plugin. */
public final class SqlitePluginFactory extends SqlPluginFactory {
    public SqlitePluginFactory() {
        super("sqlite3", "SQLite3 Plugin", new SqliteDialect());
    }
}
