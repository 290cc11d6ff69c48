package jpmacct.plugins.sql.pmacctd;

import static jpmacct.plugins.sql.pmacctd.SqlRun.SMALL_PACKETS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jpmacct.core.runtime.TcpProxy;
import jpmacct.pmacctd.Conformance;

/**
 * The database going away and coming back, through a TCP relay the test cuts; the journal; the last purge on
 * SIGTERM; refusals at start-up and at run time. The tests wait for states of the daemon (a log line, a file), never
 * for a time.
 */
class SqlOutageTest {

    private static String conf(SqlTestDb db, int proxyPort, String extra) {
        return "pcap_savefile: input.pcap\nplugins: " + db.type + "[q]\n" + SqlRun.via(db, proxyPort) + "sql_table_version[q]: 1\n"
                + "aggregate[q]: src_host, dst_host, proto\n" + extra;
    }

    private static long packets(SqlTestDb db) throws Exception {
        return SqlRun.number(db, "SELECT COALESCE(SUM(packets), 0) FROM acct");
    }

    /** Cut after the first purge until a purge has failed: afterwards the table holds everything sent, once. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pgsql", "mysql"})
    void outageLosesNothing(String type, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir); TcpProxy proxy = new TcpProxy(SqlRun.serverPort(type))) {
            Process p = SqlRun.start(dir, conf(db, proxy.port(), "sql_refresh_time[q]: 1\npcap_savefile_replay: 15\n"
                    + "pcap_savefile_delay: 1\n"));
            SqlRun.awaitLog(dir, "Purging cache - END");
            proxy.cut();
            SqlRun.awaitLog(dir, "kept and retried");
            long during = packets(db);
            proxy.restore();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pmacctd ends after the replays");
            String err = SqlRun.output(dir);
            assertEquals(0, p.exitValue(), err);
            assertTrue(err.contains("the database took what was pending after"), err);
            assertTrue(during < 15 * SMALL_PACKETS, "the cut held writes back");
            assertEquals(15 * SMALL_PACKETS, packets(db), "every packet, none twice:\n" + err);
            assertFalse(Files.exists(dir.resolve("q.journal")));
        }
    }

    /**
     * With sql_refresh_time far away, only the back-off can write a journal a previous run left while the database
     * is away: it retries after 1 s, then 2 s, 4 s ... and logs the failure once per sql_refresh_time.
     */
    @Test
    void retriesBackOffBeforeTheNextPurge(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("mysql", 1, dir); TcpProxy proxy = new TcpProxy(3306)) {
            proxy.cut();
            SqlRun.run(dir, conf(db, proxy.port(), ""));
            assertTrue(Files.size(dir.resolve("q.journal")) > 0, "journalled at exit");

            Process p = SqlRun.start(dir, conf(db, proxy.port(), "sql_refresh_time[q]: 3600\npcap_savefile_wait: true\n"
                    + "debug[q]: true\n"));
            SqlRun.awaitLog(dir, "retrying in 4000 ms");
            proxy.restore();
            SqlRun.awaitLog(dir, "written to the database");
            assertEquals(SMALL_PACKETS, packets(db), "the journal, long before the first purge");
            String err = SqlRun.stop(p, dir);
            assertTrue(err.contains("retrying in 1000 ms") && err.contains("retrying in 2000 ms"), err);
            assertEquals(1, SqlRun.count(err, "kept and retried"), "one failure line per sql_refresh_time:\n" + err);
            assertEquals(2 * SMALL_PACKETS, packets(db), "the journal and the last purge");
        }
    }

    /** Down for a whole run: the purge goes to the journal at exit and is written by the next run. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pgsql", "mysql"})
    void journalSurvivesARestart(String type, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir); TcpProxy proxy = new TcpProxy(SqlRun.serverPort(type))) {
            proxy.cut();
            String first = SqlRun.run(dir, conf(db, proxy.port(), ""));
            assertTrue(first.contains("is not reachable"), first);
            assertTrue(Files.size(dir.resolve("q.journal")) > 0, "journalled at exit:\n" + first);
            assertEquals(0, packets(db));

            proxy.restore();
            String second = SqlRun.run(dir, conf(db, proxy.port(), ""));
            assertTrue(second.contains("written to the database"), second);
            assertEquals(2 * SMALL_PACKETS, packets(db), "the journalled run and this one");
            assertFalse(Files.exists(dir.resolve("q.journal")), "removed once written");
        }
    }

    /** sql_journal_threshold 0: every purge the database cannot take goes to the journal while the daemon runs. */
    @Test
    void journalSpillsWhileRunning(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("pgsql", 1, dir); TcpProxy proxy = new TcpProxy(5432)) {
            proxy.cut();
            Process p = SqlRun.start(dir, conf(db, proxy.port(), "sql_refresh_time[q]: 1\nsql_journal_threshold[q]: 0\n"
                    + "pcap_savefile_wait: true\n"));
            SqlRun.awaitLog(dir, "went to the journal");
            assertTrue(Files.size(dir.resolve("q.journal")) > 0, "on disk while running");
            proxy.restore();
            SqlRun.awaitLog(dir, "written to the database");
            assertFalse(Files.exists(dir.resolve("q.journal")), "removed once written");
            SqlRun.stop(p, dir);
            assertEquals(SMALL_PACKETS, packets(db));
        }
    }

    /** A journal of another aggregate is moved aside with an error, not misread; writing goes on. */
    @Test
    void aJournalOfAnotherAggregateIsMovedAside(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("pgsql", 1, dir); TcpProxy proxy = new TcpProxy(5432)) {
            proxy.cut();
            SqlRun.run(dir, conf(db, proxy.port(), "").replace("src_host, dst_host, proto", "src_host"));
            assertTrue(Files.exists(dir.resolve("q.journal")));
            proxy.restore();
            String err = SqlRun.run(dir, conf(db, proxy.port(), ""));
            assertTrue(err.contains("written for aggregate") && err.contains("moved to"), err);
            try (var files = Files.list(dir)) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("q.journal.rejected-")).count());
            }
            assertFalse(Files.exists(dir.resolve("q.journal")));
            assertEquals(SMALL_PACKETS, packets(db), "this run's purge, nothing of the other aggregate");
        }
    }

    /** SIGTERM while the daemon waits (sql_refresh_time far away): the last purge is written before it exits. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void lastPurgeOnSigterm(String type, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir)) {
            Process p = SqlRun.start(dir, "pcap_savefile: input.pcap\npcap_savefile_wait: true\nplugins: " + type + "[q]\n"
                    + db.conf + "aggregate[q]: src_host, dst_host, proto\nsql_refresh_time[q]: 3600\n");
            SqlRun.awaitLog(dir, "waiting for SIGINT or SIGTERM");
            assertEquals(0, packets(db), "nothing before the last purge");
            SqlRun.stop(p, dir);
            assertEquals(SMALL_PACKETS, packets(db));
        }
    }

    /** A missing table stops the daemon at start-up with a message naming database, host, user and table. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void aMissingTableIsRefusedAtStartUp(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 0, dir)) {
            String err = SqlRun.refused(dir, SqlRun.base(db, "src_host"));
            String where = switch (type) {
                case "mysql" -> "mysql database " + db.name + " at 127.0.0.1:3306 (user root), table acct: ";
                case "pgsql" -> "pgsql database " + db.name + " at 127.0.0.1:5432 (user postgres), table acct: ";
                default -> "sqlite3 database pmacct.db, table acct: ";
            };
            assertTrue(err.contains(where), err);
            assertTrue(err.contains(type.equals("mysql") ? "doesn't exist" : type.equals("pgsql") ? "does not exist"
                    : "no such table"), err);
        }
    }

    @Test
    void otherRefusalsAtStartUp(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("mysql", 0, dir)) {
            // a column missing
            SqlTestDb.run(db.url, "CREATE TABLE acct (ip_src CHAR(45) NOT NULL, packets INT UNSIGNED NOT NULL, bytes BIGINT "
                    + "UNSIGNED NOT NULL, stamp_inserted DATETIME NOT NULL, stamp_updated DATETIME);");
            String err = SqlRun.refused(dir, SqlRun.base(db, "src_host"));
            assertTrue(err.contains("table acct: Unknown column 'mac_src'"), err);
            // wrong password
            err = SqlRun.refused(dir, SqlRun.base(db, "src_host").replace("sql_passwd[q]:", "sql_passwd[q]: wrong"));
            assertTrue(err.contains("Access denied"), err);
        }
        // an SQLite file that cannot be created
        String err = SqlRun.refused(dir, "pcap_savefile: input.pcap\nplugins: sqlite3[q]\n"
                + "sql_db[q]: /nonexistent/dir/pmacct.db\naggregate[q]: src_host\n");
        assertTrue(err.contains("sqlite3 database /nonexistent/dir/pmacct.db, table acct"), err);
    }

    /** A table dropped while the daemon runs: the failure is logged and retried until the table is back. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "pgsql"})
    void aTableGoneAtRunTimeIsRetried(String type, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir)) {
            Process p = SqlRun.start(dir, "pcap_savefile: input.pcap\npcap_savefile_replay: 1000\npcap_savefile_delay: 1\n"
                    + "plugins: " + type + "[q]\n" + db.conf + "aggregate[q]: src_host, dst_host, proto\nsql_refresh_time[q]: 1\n");
            SqlRun.awaitLog(dir, "Purging cache - END");
            SqlTestDb.run(db.url, "ALTER TABLE acct RENAME TO acct_away;");
            SqlRun.awaitLog(dir, "kept and retried");
            SqlTestDb.run(db.url, "ALTER TABLE acct_away RENAME TO acct;");
            SqlRun.awaitLog(dir, "the database took what was pending");
            String err = SqlRun.stop(p, dir);
            assertEquals(SqlRun.accounted(err), packets(db), "written once the table was back");
        }
    }

    /** Credentials refused at run time (the user may not log in any more): logged and retried until they are taken. */
    @Test
    void credentialsRefusedAtRunTimeAreRetried(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("pgsql", 1, dir)) {
            String user = db.name + "_u";
            SqlTestDb.run(db.url, "CREATE ROLE " + user + " LOGIN; GRANT ALL ON acct TO " + user + ";");
            try {
                Process p = SqlRun.start(dir, "pcap_savefile: input.pcap\npcap_savefile_replay: 1000\npcap_savefile_delay: 1\n"
                        + "plugins: pgsql[q]\n"
                        + db.conf.replace("sql_user[q]: postgres", "sql_user[q]: " + user)
                        + "aggregate[q]: src_host, dst_host, proto\nsql_refresh_time[q]: 1\n");
                SqlRun.awaitLog(dir, "Purging cache - END");
                SqlTestDb.run(db.url, "ALTER ROLE " + user + " NOLOGIN; SELECT pg_terminate_backend(pid) FROM "
                        + "pg_stat_activity WHERE usename = '" + user + "';");
                SqlRun.awaitLog(dir, "is not permitted to log in");
                SqlTestDb.run(db.url, "ALTER ROLE " + user + " LOGIN;");
                SqlRun.awaitLog(dir, "the database took what was pending");
                String err = SqlRun.stop(p, dir);
                assertEquals(SqlRun.accounted(err), packets(db));
            } finally {
                SqlTestDb.run(db.url, "REVOKE ALL ON acct FROM " + user + "; DROP OWNED BY " + user + "; DROP ROLE " + user + ";");
            }
        }
    }
}
