package jpmacct.plugins.sql.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.plugins.sql.SqlConfigs;
import jpmacct.plugins.sql.dialect.MysqlDialect;
import jpmacct.plugins.sql.dialect.PgsqlDialect;

class TableSchemaTest {

    private static PluginConfig config(Path schema) throws Exception {
        return SqlConfigs.of("sqlite3", "sql_table_schema[q]: " + schema + "\n");
    }

    @Test
    void onlyTheCreateRunsWithTheTablesName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("schema.sql");
        Files.writeString(file, "-- a pgsql script\nDROP TABLE IF EXISTS acct_v9;\nCREATE TABLE acct_v9 (\n    ip_src inet,\n"
                + "    CONSTRAINT acct_v9_pk PRIMARY KEY (ip_src)\n);\nGRANT SELECT ON acct_v9 TO pmacct;\n");
        TableSchema s = TableSchema.read(config(file));
        assertEquals(List.of("DROP TABLE", "GRANT SELECT"), s.leftOut());
        assertEquals("CREATE TABLE acct_v9_20240101 (\n    ip_src inet,\n    CONSTRAINT acct_v9_20240101_pk PRIMARY KEY (ip_src)\n)",
                s.createFor("acct_v9_20240101", new PgsqlDialect()));
        assertEquals("CREATE TABLE \"acct-1\" (\n    ip_src inet,\n    CONSTRAINT \"acct-1_pk\" PRIMARY KEY (ip_src)\n)",
                s.createFor("acct-1", new PgsqlDialect()));
        assertEquals("CREATE TABLE pm.acct_2 (\n    ip_src inet,\n    CONSTRAINT acct_2_pk PRIMARY KEY (ip_src)\n)",
                s.createFor("pm.acct_2", new PgsqlDialect()), "a constraint's name has no schema");
    }

    @Test
    void aTemplateNameInTheFileIsReplacedToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("schema.sql");
        Files.writeString(file, "CREATE TABLE IF NOT EXISTS `acct_v4_%Y%m%d_%H%M` (packets INT);");
        assertEquals("CREATE TABLE IF NOT EXISTS `acct_v4_20240101_1200` (packets INT)",
                TableSchema.read(config(file)).createFor("acct_v4_20240101_1200", new MysqlDialect()));
    }

    @Test
    void aFileWithoutOneCreateIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("schema.sql");
        Files.writeString(file, "DROP TABLE acct;");
        ConfigException e = assertThrows(ConfigException.class, () -> TableSchema.read(config(file)));
        assertTrue(e.getMessage().contains("no CREATE TABLE statement"), e.getMessage());
        Files.writeString(file, "CREATE TABLE a (x INT); CREATE TABLE b (x INT);");
        e = assertThrows(ConfigException.class, () -> TableSchema.read(config(file)));
        assertTrue(e.getMessage().contains("more than one CREATE TABLE"), e.getMessage());
    }
}
