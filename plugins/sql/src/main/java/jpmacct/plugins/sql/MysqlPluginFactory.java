package jpmacct.plugins.sql;

import jpmacct.plugins.sql.dialect.MysqlDialect;

/** Factory of the {@code mysql} plugin (MySQL and MariaDB). */
public final class MysqlPluginFactory extends SqlPluginFactory {
    public MysqlPluginFactory() {
        super("mysql", "MySQL Plugin", new MysqlDialect());
    }
}
