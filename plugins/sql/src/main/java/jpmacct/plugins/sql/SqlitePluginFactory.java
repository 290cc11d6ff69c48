package jpmacct.plugins.sql;

import jpmacct.plugins.sql.dialect.SqliteDialect;

/** Factory of the {@code sqlite3} plugin. */
public final class SqlitePluginFactory extends SqlPluginFactory {
    public SqlitePluginFactory() {
        super("sqlite3", "SQLite3 Plugin", new SqliteDialect());
    }
}
