package jpmacct.plugins.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;

/** pmacct ignores a key of a plugin type that is not configured without a word; here it is named, with its types. */
class UnusedKeysTest {

    @Test
    void aKeyOfTheSqlPluginsWithoutOneIsNamed() throws Exception {
        List<KeyDef<?>> keys = new ArrayList<>(CoreKeys.all());
        keys.addAll(SqlKeys.all());
        List<String> warnings = new ConfigResolver(DaemonKind.PMACCTD, new KeyRegistry(keys),
                Set.of("print", "sqlite3", "mysql", "pgsql"))
                .resolve(ConfigParser.parse("p.conf", List.of("plugins: print[a]", "sql_table: acct_v9")), List.of(), true)
                .warnings();
        assertEquals(List.of("p.conf:2: key 'sql_table' configures mysql/pgsql/sqlite3 plugins and no configured "
                + "plugin uses it; ignored"), warnings);
    }
}
