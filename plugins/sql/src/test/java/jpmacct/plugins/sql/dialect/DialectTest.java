package jpmacct.plugins.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import jpmacct.plugins.sql.dialect.Dialect.LockingStyle;

/** What differs between the databases: names, locks, and what their errors mean, these on the real databases. */
class DialectTest {
    private static final String MYSQL = "jdbc:mysql://127.0.0.1:3306/test?user=root&password=";
    private static final String PGSQL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @Test
    void quotingPerDatabase() {
        assertEquals("acct_v9", new PgsqlDialect().quoteTable("acct_v9"));
        assertEquals("pm.acct", new PgsqlDialect().quoteTable("pm.acct"));
        assertEquals("\"acct-0\"", new SqliteDialect().quoteTable("acct-0"));
        assertEquals("pm.\"acct-0\"", new PgsqlDialect().quoteTable("pm.acct-0"));
        assertEquals("`pm.acct`", new MysqlDialect().quoteTable("pm.acct"));
    }

    @Test
    void locksPerDatabase() {
        List<String> tables = List.of("`a`", "`b`");
        assertEquals("LOCK TABLES `a` WRITE, `b` WRITE", new MysqlDialect().lock(tables, LockingStyle.TABLE, false));
        assertNull(new MysqlDialect().lock(tables, LockingStyle.NONE, false));
        assertEquals("UNLOCK TABLES", new MysqlDialect().unlock());
        assertEquals("LOCK TABLE a, b IN EXCLUSIVE MODE", new PgsqlDialect().lock(List.of("a", "b"), LockingStyle.TABLE, false));
        assertEquals("LOCK TABLE a IN ROW EXCLUSIVE MODE", new PgsqlDialect().lock(List.of("a"), LockingStyle.ROW, false));
        assertNull(new PgsqlDialect().lock(List.of("a"), LockingStyle.TABLE, true), "INSERTs alone need no lock");
        assertNull(new SqliteDialect().lock(List.of("a"), LockingStyle.TABLE, false));
        assertEquals(LockingStyle.ROW, LockingStyle.parse("row"));
    }

    /** sqlite-jdbc gives no SQLSTATE: only the SQLite dialect knows its constraint code, also inside a batch. */
    @Test
    void anExistingRowInSqlite(@TempDir Path dir) throws Exception {
        Dialect sqlite = new SqliteDialect();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db")); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k INT PRIMARY KEY, v INT)");
            s.execute("INSERT INTO t VALUES (1, 1)");
            SQLException single = assertThrows(SQLException.class, () -> s.execute("INSERT INTO t VALUES (1, 2)"));
            assertTrue(sqlite.duplicate(single), single.toString());
            assertFalse(new MysqlDialect().duplicate(single), "no SQLSTATE class 23 from sqlite-jdbc");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, 3)")) {
                for (int k : new int[] {2, 1}) {
                    p.setInt(1, k);
                    p.addBatch();
                }
                SQLException batch = assertThrows(SQLException.class, p::executeBatch);
                assertTrue(sqlite.duplicate(batch), batch.toString());
            }
            SQLException missing = assertThrows(SQLException.class, () -> s.execute("INSERT INTO nosuch VALUES (1)"));
            assertFalse(sqlite.duplicate(missing));
            assertFalse(sqlite.unreachable(missing), "a missing table is a refusal");
        }
    }

    @Test
    void anExistingRowAndAValueTooLongInMysql() throws Exception {
        Dialect mysql = new MysqlDialect();
        try (Connection c = DriverManager.getConnection(MYSQL); Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE jpmacct_dialect_t (k INT PRIMARY KEY, v CHAR(3))");
            s.execute("INSERT INTO jpmacct_dialect_t VALUES (1, 'a')");
            SQLException dup = assertThrows(SQLException.class, () -> s.execute("INSERT INTO jpmacct_dialect_t VALUES (1, 'b')"));
            assertTrue(mysql.duplicate(dup), dup.toString());
            assertFalse(mysql.refusedAsData(dup));
            s.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
            SQLException tooLong = assertThrows(SQLException.class,
                    () -> s.execute("INSERT INTO jpmacct_dialect_t VALUES (2, 'ipv6-icmp')"));
            assertTrue(mysql.refusedAsData(tooLong), tooLong.toString());
            assertFalse(mysql.duplicate(tooLong));
        }
    }

    /** Nothing listening is a database away; a server without the TLS sql_conn_ca_file asks for is a refusal. */
    @Test
    void awayOrRefusedInPostgresql() throws Exception {
        Dialect pgsql = new PgsqlDialect();
        SQLException away = assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/pmacct?user=postgres&connectTimeout=5").close());
        assertTrue(pgsql.unreachable(away), away.toString());
        SQLException noTls = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(PGSQL + "&sslmode=require").close());
        assertFalse(pgsql.unreachable(noTls), noTls.toString());
        try (Connection c = DriverManager.getConnection(PGSQL); Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE jpmacct_dialect_t (k INT PRIMARY KEY)");
            s.execute("INSERT INTO jpmacct_dialect_t VALUES (1)");
            SQLException dup = assertThrows(SQLException.class, () -> s.execute("INSERT INTO jpmacct_dialect_t VALUES (1)"));
            assertTrue(pgsql.duplicate(dup), dup.toString());
            assertFalse(pgsql.unreachable(dup));
        }
    }

    /** A server that accepts and never answers: the pool's wait times out with nothing refused, so it is away. */
    @Test
    void aServerThatNeverAnswersIsAway() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl("jdbc:mysql://127.0.0.1:" + silent.getLocalPort() + "/test?user=root");
            hc.setInitializationFailTimeout(-1);
            hc.setConnectionTimeout(250);
            try (HikariDataSource pool = new HikariDataSource(hc)) {
                SQLException timedOut = assertThrows(SQLException.class, () -> pool.getConnection().close());
                assertTrue(new MysqlDialect().unreachable(timedOut), timedOut.toString());
            }
        }
    }
}
