package jpmacct.plugins.sql.pmacctd;

import static jpmacct.plugins.sql.pmacctd.SqlRun.EDGE_PACKETS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jpmacct.pmacctd.Conformance;

/**
 * Dynamic table names (strftime escapes and $-variables in sql_table, per history bin) with sql_table_schema
 * creating each table on first use from this project's own scripts in sql/.
 */
class SqlDynamicTableTest {
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd_HHmm");

    /**
     * One table per minute bin of edge.pcap (three), named by the bin and by $tag, with a '-' that needs quoting;
     * created from the version 9 script, of which only the CREATE TABLE runs (its DROP DATABASE does not).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void aTablePerBinFromTheSchema(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 0, dir)) {
            Path schema = SqlTestDb.sqlDir().resolve(db.scriptName("v9")).toAbsolutePath();
            String err = SqlRun.run(dir, "pcap_savefile: input.pcap\nplugins: " + type + "[q]\n" + db.conf
                    + "aggregate[q]: src_host, dst_host, proto, tag\nsql_table_version[q]: 9\nsql_history[q]: 1m\n"
                    + "sql_history_roundoff[q]: m\nsql_table[q]: acct_v9-$tag-%Y%m%d_%H%M\nsql_table_schema[q]: " + schema + "\n");
            assertTrue(err.contains("only its CREATE TABLE statement is run, not ") && err.contains("DROP TABLE"), err);
            List<String> tables = db.tables("acct_v9-0-");
            assertEquals(3, tables.size(), "one per bin: " + tables + "\n" + err);
            assertEquals(3, SqlRun.count(err, " created from "), err);
            long packets = 0;
            for (String table : tables) {
                String quoted = type.equals("mysql") ? "`" + table + "`" : "\"" + table + "\"";
                List<String> stamps = SqlRun.rows(db, "SELECT DISTINCT stamp_inserted FROM " + quoted);
                assertEquals(1, stamps.size(), table + ": " + stamps);
                LocalDateTime bin = LocalDateTime.parse(stamps.get(0).replace(' ', 'T').replaceAll("\\.0$", ""));
                assertEquals("acct_v9-0-" + bin.format(SUFFIX), table, "named by its bin");
                packets += SqlRun.number(db, "SELECT SUM(packets) FROM " + quoted);
            }
            assertEquals(EDGE_PACKETS, packets);
            if (type.equals("mysql")) {
                assertEquals(1, SqlRun.number(db, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '"
                        + db.name + "'"), "the script's DROP DATABASE did not run");
            }
            // a second run finds the tables and adds to them
            err = SqlRun.run(dir, "pcap_savefile: input.pcap\nplugins: " + type + "[q]\n" + db.conf
                    + "aggregate[q]: src_host, dst_host, proto, tag\nsql_table_version[q]: 9\nsql_history[q]: 1m\n"
                    + "sql_history_roundoff[q]: m\nsql_table[q]: acct_v9-$tag-%Y%m%d_%H%M\nsql_table_schema[q]: " + schema + "\n");
            assertFalse(err.contains(" created from "), err);
            assertEquals(3, db.tables("acct_v9-0-").size());
        }
    }

    /** A dynamic table that does not exist, without sql_table_schema: logged and kept, not a stop. */
    @Test
    void aMissingDynamicTableIsLoggedAndKept(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("pgsql", 0, dir)) {
            String err = SqlRun.run(dir, "pcap_savefile: input.pcap\nplugins: pgsql[q]\n" + db.conf
                    + "aggregate[q]: src_host\nsql_history[q]: 1m\nsql_table[q]: acct_%Y%m%d\n");
            assertTrue(err.contains("kept and retried") && err.contains("does not exist"), err);
            assertTrue(Files.size(dir.resolve("q.journal")) > 0, "journalled at exit");
        }
    }

    /** Names that would change the statements are refused at start-up, whatever sql_table's escapes make of them. */
    @Test
    void namesThatWouldChangeTheStatementAreRefused(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String conf = "pcap_savefile: input.pcap\nplugins: sqlite3[q]\n" + db.conf + "aggregate[q]: src_host\n";
            String err = SqlRun.refused(dir, conf + "sql_table[q]: acct;DROP TABLE acct\n");
            assertTrue(err.contains("has the character ';'"), err);
            err = SqlRun.refused(dir, conf + "sql_table[q]: acct_%c\n");
            assertTrue(err.contains("has the character ' '"), err);
            err = SqlRun.refused(dir, conf + "sql_table[q]: acct\"x\n");
            assertTrue(err.contains("has the character '\"'"), err);
            assertEquals(1, db.tables("acct").size(), "acct is still there");
        }
    }
}
