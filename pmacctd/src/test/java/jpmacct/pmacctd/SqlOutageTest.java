package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The database going away and coming back, through a TCP relay the test cuts; and refusals at start-up. */
class SqlOutageTest {
    /** Packets pmacctd accounts from the small conformance capture. */
    private static final long SMALL_PACKETS = 20_000;

    private static String conf(SqlTestDb db, int proxyPort, String extra) {
        return "pcap_savefile: input.pcap\nplugins: " + db.type + "[q]\n" + db.conf.replaceAll("sql_host\\[q\\]: 127.0.0.1\n",
                "sql_host[q]: 127.0.0.1\nsql_port[q]: " + proxyPort + "\n") + "sql_table_version[q]: 1\n"
                + "aggregate[q]: src_host, dst_host, proto\n" + extra;
    }

    private static long packets(SqlTestDb db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(packets), 0) FROM acct")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Cut for longer than two refresh intervals while traffic flows: afterwards the table holds everything sent. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pgsql", "mysql"})
    void outageLosesNothing(String type, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        int target = type.equals("pgsql") ? 5432 : 3306;
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir); TcpProxy proxy = new TcpProxy(target)) {
            Files.writeString(dir.resolve("p.conf"), conf(db, proxy.port(), "sql_refresh_time[q]: 1\n"
                    + "pcap_savefile_replay: 6\npcap_savefile_delay: 1\n"), StandardCharsets.UTF_8);
            Process p = DaemonProcess.start(dir, "-f", "p.conf");
            Thread.sleep(2000);
            proxy.cut();
            Thread.sleep(3500);
            long during = packets(db);
            proxy.restore();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pmacctd ends after the replays");
            String err = DaemonProcess.stderr(dir);
            assertEquals(0, p.exitValue(), err);
            assertTrue(err.contains("kept for the next purge"), "the failed purges are logged:\n" + err);
            assertTrue(during < 6 * SMALL_PACKETS, "the cut held writes back");
            assertEquals(6 * SMALL_PACKETS, packets(db), "every packet, none twice:\n" + err);
            assertFalse(Files.exists(dir.resolve("q.journal")));
        }
    }

    /** Down for a whole run: the purge goes to the journal at exit and is written by the next run. */
    @Test
    void journalSurvivesARestart(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("pgsql", 1, dir); TcpProxy proxy = new TcpProxy(5432)) {
            proxy.cut();
            Files.writeString(dir.resolve("p.conf"), conf(db, proxy.port(), ""), StandardCharsets.UTF_8);
            DaemonProcess.Result first = DaemonProcess.run(dir, 120, "-f", "p.conf");
            assertEquals(0, first.exit(), first.stderr());
            assertTrue(first.stderr().contains("is not reachable"), first.stderr());
            assertTrue(Files.size(dir.resolve("q.journal")) > 0, "journalled at exit:\n" + first.stderr());
            assertEquals(0, packets(db));

            proxy.restore();
            DaemonProcess.Result second = DaemonProcess.run(dir, 120, "-f", "p.conf");
            assertEquals(0, second.exit(), second.stderr());
            assertTrue(second.stderr().contains("written to the database"), second.stderr());
            assertEquals(2 * SMALL_PACKETS, packets(db), "the journalled run and this one");
            assertFalse(Files.exists(dir.resolve("q.journal")), "removed once written");
        }
    }

    @Test
    void refusalsAtStartUpNameDatabaseAndTable(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("mysql", 0, dir)) {
            // no table
            Files.writeString(dir.resolve("p.conf"), "pcap_savefile: input.pcap\nplugins: mysql[q]\n" + db.conf
                    + "aggregate[q]: src_host\n");
            DaemonProcess.Result r = DaemonProcess.run(dir, 120, "-f", "p.conf");
            assertNotEquals(0, r.exit());
            assertTrue(r.stderr().contains("mysql database " + db.name + " at 127.0.0.1:3306 (user root), table acct"), r.stderr());
            assertTrue(r.stderr().contains("doesn't exist"), r.stderr());
            // wrong password
            Files.writeString(dir.resolve("p.conf"), "pcap_savefile: input.pcap\nplugins: mysql[q]\n"
                    + db.conf.replace("sql_passwd[q]:", "sql_passwd[q]: wrong") + "aggregate[q]: src_host\n");
            r = DaemonProcess.run(dir, 120, "-f", "p.conf");
            assertNotEquals(0, r.exit());
            assertTrue(r.stderr().contains("Access denied"), r.stderr());
        }
        // an SQLite file that cannot be created
        Files.writeString(dir.resolve("p.conf"), "pcap_savefile: input.pcap\nplugins: sqlite3[q]\n"
                + "sql_db[q]: /nonexistent/dir/pmacct.db\naggregate[q]: src_host\n");
        DaemonProcess.Result r = DaemonProcess.run(dir, 120, "-f", "p.conf");
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("sqlite3 database /nonexistent/dir/pmacct.db, table acct"), r.stderr());
    }
}
