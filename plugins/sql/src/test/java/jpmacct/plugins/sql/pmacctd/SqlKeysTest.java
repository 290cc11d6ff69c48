package jpmacct.plugins.sql.pmacctd;

import static jpmacct.plugins.sql.pmacctd.SqlRun.EDGE_PACKETS;
import static jpmacct.plugins.sql.pmacctd.SqlRun.ONE_PURGE;
import static jpmacct.plugins.sql.pmacctd.SqlRun.SMALL_PACKETS;
import static jpmacct.plugins.sql.pmacctd.SqlRun.base;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jpmacct.pmacctd.Conformance;

/**
 * What each SQL key about the table and its statements does, on the databases it applies to, with real daemons and
 * databases; the keys around a purge are in {@link SqlPurgeKeysTest}.
 */
class SqlKeysTest {

    /** The table of version 1 without its primary key, so nothing stops a second row for the same key and bin. */
    private static void tableWithoutPrimaryKey(SqlTestDb db) throws Exception {
        String script = SqlTestDb.script(db.scriptName("v1")).replaceAll(",\\s*(CONSTRAINT \\w+ )?PRIMARY KEY \\([^)]*\\)", "");
        SqlTestDb.run(db.url, script.replaceAll("(?m)^(DROP DATABASE|CREATE DATABASE|USE|GRANT).*$", ""));
    }

    /**
     * sql_dont_try_update writes INSERTs first, also where the primary key would allow the upsert: a table without
     * primary key gets the bins of a second run as new rows; with the key, rows that exist are added to, not lost.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void dontTryUpdateInsertsFirst(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        String conf = "sql_dont_try_update[q]: true\nsql_history[q]: 1m\nsql_history_roundoff[q]: m\n" + ONE_PURGE;
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir)) {
            String first = SqlRun.run(dir, base(db, "src_host, dst_host, proto") + conf);
            long rows = SqlRun.number(db, "SELECT COUNT(*) FROM acct");
            assertFalse(first.contains("upsert each"), first);
            assertTrue(first.contains("inserted " + rows + ", updated 0"), first);
            String second = SqlRun.run(dir, base(db, "src_host, dst_host, proto") + conf);
            assertTrue(second.contains("some rows exist already"), second);
            assertTrue(second.contains("inserted 0, updated " + rows), second);
            assertEquals(rows, SqlRun.number(db, "SELECT COUNT(*) FROM acct"));
            assertEquals(2 * EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
        }
        Path other = Files.createDirectories(dir.resolve("nopk"));
        Conformance.input("edge", other, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 0, other)) {
            tableWithoutPrimaryKey(db);
            SqlRun.run(other, base(db, "src_host, dst_host, proto") + conf);
            long rows = SqlRun.number(db, "SELECT COUNT(*) FROM acct");
            SqlRun.run(other, base(db, "src_host, dst_host, proto") + conf);
            assertEquals(2 * rows, SqlRun.number(db, "SELECT COUNT(*) FROM acct"), "INSERT only: each bin twice");
        }
    }

    /** A custom table: refused (naming the column, no stack trace) without sql_optimize_clauses, written with it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void optimizeClausesWritesOnlyTheAggregatedColumns(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 0, dir)) {
            String ip = type.equals("pgsql") ? "inet" : "CHAR(45)";
            String stamp = type.equals("pgsql") ? "timestamp" : "DATETIME";
            SqlTestDb.run(db.url, "CREATE TABLE acct (ip_src " + ip + " NOT NULL, ip_dst " + ip + " NOT NULL, packets INT "
                    + "NOT NULL, bytes BIGINT NOT NULL, stamp_inserted " + stamp + " NOT NULL, stamp_updated " + stamp + ");");
            String err = SqlRun.refused(dir, base(db, "src_host, dst_host"));
            assertTrue(err.contains("table acct: ") && err.contains("mac_src"), err);
            SqlRun.run(dir, base(db, "src_host, dst_host") + "sql_optimize_clauses[q]: true\n");
            assertEquals(EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
            assertTrue(SqlRun.number(db, "SELECT COUNT(DISTINCT ip_src) FROM acct") > 1);
        }
    }

    /** sql_table_type bgp, explicit or chosen for peer_dst_ip: pmacct's acct_bgp table, from sql/. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void bgpTable(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        Files.writeString(dir.resolve("networks.lst"), "10.9.9.9,65010,10.2.2.0/24\n10.9.9.8,65002,2001:db8:1::/48\n");
        try (SqlTestDb db = SqlTestDb.create(type, 0, dir)) {
            db.load(db.scriptName("bgp_v1"));
            String conf = base(db, "src_as, dst_as, peer_dst_ip") + "networks_file[q]: networks.lst\n";
            String err = SqlRun.run(dir, conf);
            assertTrue(err.contains("sql_table_type set to 'bgp' (aggregate includes peer_dst_ip)"), err);
            assertEquals(EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct_bgp"));
            assertTrue(SqlRun.number(db, "SELECT COUNT(*) FROM acct_bgp WHERE as_src = 65010 OR as_dst = 65010") > 0);
            assertTrue(SqlRun.rows(db, "SELECT DISTINCT peer_ip_dst FROM acct_bgp").contains("10.9.9.9"),
                    SqlRun.rows(db, "SELECT DISTINCT peer_ip_dst FROM acct_bgp").toString());

            SqlRun.run(dir, base(db, "src_as, dst_as") + "networks_file[q]: networks.lst\nsql_table_type[q]: bgp\n");
            assertEquals(2 * EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct_bgp"));
            err = SqlRun.refused(dir, base(db, "src_host, src_as") + "networks_file[q]: networks.lst\nsql_table_type[q]: bgp\n");
            assertTrue(err.contains("sql_table_type bgp has no column for 'src_host'"), err);
            err = SqlRun.refused(dir, base(db, "src_host") + "sql_table_type[q]: InnoDB\n");
            assertTrue(err.contains("expected one of original, bgp"), err);
        }
    }

    /** sql_multi_values: multi-row INSERTs of its size on mysql and sqlite3; noted and ignored on pgsql. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void multiValues(String type, @TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host, dst_host, proto") + "sql_multi_values[q]: 4096\n");
            if (type.equals("pgsql")) {
                assertTrue(err.contains("sql_multi_values (") && err.contains("applies to mysql and sqlite3"), err);
            } else {
                assertTrue(err.contains("sql_multi_values 4096: INSERTs of up to "), err);
            }
            assertEquals(SMALL_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
            if (!type.equals("pgsql")) {
                err = SqlRun.run(dir, base(db, "src_host, dst_host, proto") + "sql_multi_values[q]: 10\n");
                assertTrue(err.contains("is smaller than one row"), err);
                assertEquals(2 * SMALL_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
            }
        }
    }

    /**
     * sql_locking_style table (the default): the purge's first statement locks the table, so it waits while the test
     * holds a lock that only conflicts with that one (PostgreSQL ROW EXCLUSIVE, MySQL READ).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "pgsql"})
    void lockingStyleTableLocksThePurgesTable(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 1, dir); Connection holder = DriverManager.getConnection(db.url)) {
            Process p = SqlRun.start(dir, base(db, "src_host") + "pcap_savefile_wait: true\nsql_refresh_time[q]: 3600\n");
            SqlRun.awaitLog(dir, "waiting for SIGINT or SIGTERM");
            String waiting;
            if (type.equals("pgsql")) {
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.execute("LOCK TABLE acct IN ROW EXCLUSIVE MODE");
                }
                waiting = "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid WHERE c.relname = 'acct' "
                        + "AND l.mode = 'ExclusiveLock' AND NOT l.granted";
            } else {
                try (Statement s = holder.createStatement()) {
                    s.execute("LOCK TABLES acct READ");
                }
                waiting = "SELECT COUNT(*) FROM information_schema.processlist WHERE db = '" + db.name
                        + "' AND info LIKE 'LOCK TABLES `acct` WRITE%'";
            }
            p.destroy(); // the last purge now
            SqlRun.await(() -> {
                try {
                    return SqlRun.number(db, waiting) > 0;
                } catch (Exception e) {
                    return false;
                }
            }, "the purge waiting for its table lock", dir);
            try (Statement s = holder.createStatement()) {
                s.execute(type.equals("pgsql") ? "COMMIT" : "UNLOCK TABLES");
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), SqlRun.output(dir));
            assertEquals(EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
        }
    }

    /** pgsql row: only ROW EXCLUSIVE, which a ROW EXCLUSIVE lock held elsewhere lets through; sqlite3 notes the key. */
    @Test
    void lockingStyleRowAndNone(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("pgsql", 1, dir); Connection holder = DriverManager.getConnection(db.url)) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE acct IN ROW EXCLUSIVE MODE");
            }
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_locking_style[q]: row\n");
            assertTrue(err.contains("locking row"), err);
            holder.rollback();
            assertEquals(EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
        }
        try (SqlTestDb db = SqlTestDb.create("mysql", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_locking_style[q]: row\n");
            assertTrue(err.contains("'row' is not one of mysql's [table, none]; no lock is taken; ignored"), err);
        }
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_locking_style[q]: table\n");
            assertTrue(err.contains("sql_locking_style (") && err.contains("does not apply to sqlite3"), err);
            assertEquals(EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
        }
    }

    /** sql_use_copy with sql_dont_try_update: COPY, and a second run into the same bins adds instead of failing. */
    @Test
    void useCopyWithDelimiter(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        String conf = "sql_dont_try_update[q]: true\nsql_use_copy[q]: true\nsql_delimiter[q]: |\nsql_history[q]: 1m\n"
                + "debug[q]: true\n" + ONE_PURGE;
        try (SqlTestDb db = SqlTestDb.create("pgsql", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host, dst_host, proto, src_mac") + conf);
            long rows = SqlRun.number(db, "SELECT COUNT(*) FROM acct");
            assertTrue(err.contains("COPY of " + rows + " rows into acct"), err);
            List<String> once = SqlRun.rows(db, "SELECT mac_src, ip_src, ip_dst, ip_proto, packets, bytes FROM acct "
                    + "ORDER BY 1, 2, 3, 4, stamp_inserted");
            err = SqlRun.run(dir, base(db, "src_host, dst_host, proto, src_mac") + conf);
            assertTrue(err.contains("some rows exist already"), err);
            assertEquals(2 * EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
            assertEquals(rows, SqlRun.number(db, "SELECT COUNT(*) FROM acct"));
            assertTrue(once.get(0).contains(":"), "MACs and addresses went through COPY: " + once);
            err = SqlRun.run(dir, base(db, "src_host") + "sql_use_copy[q]: true\n");
            assertTrue(err.contains("needs sql_dont_try_update: true"), err);
        }
        try (SqlTestDb db = SqlTestDb.create("mysql", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_use_copy[q]: true\nsql_delimiter[q]: ;\n");
            assertTrue(err.contains("applies to pgsql only") && err.contains("applies to sql_use_copy only"), err);
        }
    }

    /** sql_num_hosts: addresses as INET6_ATON bytes into binary columns, as numbers into integer ones; pgsql notes it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "sqlite3", "mysql-integer", "pgsql"})
    void numHosts(String variant, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        String type = variant.replace("-integer", "");
        boolean integer = variant.endsWith("-integer");
        try (SqlTestDb db = SqlTestDb.create(type, 0, dir)) {
            String ip = integer ? "INT UNSIGNED" : type.equals("mysql") ? "VARBINARY(16)" : type.equals("pgsql") ? "inet" : "BLOB";
            String stamp = type.equals("pgsql") ? "timestamp" : "DATETIME";
            // plugin t writes the same entries as text, for comparison; SQLite in a file of its own (one writer each)
            String textUrl = type.equals("sqlite3") ? "jdbc:sqlite:" + dir.resolve("text.db") : db.url;
            for (String table : List.of("acct", "acct_text")) {
                SqlTestDb.run(table.equals("acct") ? db.url : textUrl, "CREATE TABLE " + table + " (ip_src "
                        + (table.equals("acct") ? ip : "CHAR(45)") + " NOT NULL, packets INT NOT NULL, bytes BIGINT NOT NULL, "
                        + "stamp_inserted " + stamp + " NOT NULL, stamp_updated " + stamp + ");");
            }
            String both = db.conf + db.conf.replace("[q]", "[t]") + "sql_table[t]: acct_text\nsql_journal[t]: t.journal\n"
                    + (type.equals("sqlite3") ? "sql_db[t]: text.db\n" : "");
            String err = SqlRun.run(dir, "pcap_savefile: input.pcap\n" + (integer ? "pcap_filter: ip\n" : "")
                    + "plugins: " + type + "[q], " + type + "[t]\n" + both + "aggregate: src_host\nsql_optimize_clauses: true\n"
                    + "sql_num_hosts[q]: true\n");
            List<String> text = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(textUrl); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT ip_src, packets FROM acct_text")) {
                while (rs.next()) {
                    text.add(rs.getString(1).strip() + "," + rs.getLong(2));
                }
            }
            if (type.equals("pgsql")) {
                assertTrue(err.contains("sql_num_hosts (") && err.contains("applies to mysql and sqlite3"), err);
                return;
            }
            String expr = integer ? "INET_NTOA(ip_src)" : type.equals("mysql") ? "INET6_NTOA(ip_src)" : "hex(ip_src)";
            List<String> numeric = SqlRun.rows(db, "SELECT " + expr + ", packets FROM acct");
            List<String> expected = new ArrayList<>();
            for (String row : text) {
                String addr = row.substring(0, row.indexOf(','));
                expected.add((type.equals("sqlite3") ? hex(addr) : addr) + row.substring(row.indexOf(',')));
            }
            Collections.sort(expected);
            Collections.sort(numeric);
            assertEquals(expected, numeric);
        }
    }

    /** The bytes INET6_ATON gives for an address, as SQLite's hex() prints them. */
    private static String hex(String address) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(InetAddress.getByName(address).getAddress());
    }

    /**
     * sql_conn_ca_file: TLS checked against the CA, through a TLS-terminating relay to PostgreSQL; another CA and a
     * MySQL server without TLS are refused at start-up; sqlite3 notes the key.
     */
    @Test
    void connCaFileVerifiesTheServer(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        Path ca = PgTlsProxy.certificate(dir, "server");
        Path other = PgTlsProxy.certificate(dir, "other");
        try (SqlTestDb db = SqlTestDb.create("pgsql", 1, dir); PgTlsProxy tls = new PgTlsProxy(dir, "server")) {
            String conf = "pcap_savefile: input.pcap\nplugins: pgsql[q]\n" + SqlRun.via(db, tls.port()) + "aggregate[q]: src_host\n";
            SqlRun.run(dir, conf + "sql_conn_ca_file[q]: " + ca + "\n");
            assertEquals(EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
            String err = SqlRun.refused(dir, conf + "sql_conn_ca_file[q]: " + other + "\n");
            assertTrue(err.contains("pgsql database " + db.name), err);
        }
        try (SqlTestDb db = SqlTestDb.create("mysql", 1, dir)) {
            String err = SqlRun.refused(dir, base(db, "src_host") + "sql_conn_ca_file[q]: " + ca + "\n");
            assertTrue(err.contains("mysql database " + db.name) && err.toUpperCase().contains("SSL"), err);
        }
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_conn_ca_file[q]: " + ca + "\n");
            assertTrue(err.contains("applies to mysql and pgsql only"), err);
        }
    }

    /** timestamps_since_epoch: stamp_inserted and stamp_updated as integer seconds into integer columns. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void stampsSinceEpoch(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 0, dir)) {
            String integer = type.equals("mysql") ? "INT UNSIGNED" : type.equals("pgsql") ? "bigint" : "INT(8)";
            String ip = type.equals("pgsql") ? "inet" : "CHAR(45)";
            SqlTestDb.run(db.url, "CREATE TABLE acct (ip_src " + ip + " NOT NULL, packets INT NOT NULL, bytes BIGINT NOT NULL, "
                    + "stamp_inserted " + integer + " NOT NULL, stamp_updated " + integer + ", PRIMARY KEY (ip_src, stamp_inserted));");
            long before = System.currentTimeMillis() / 1000;
            SqlRun.run(dir, base(db, "src_host") + "sql_optimize_clauses[q]: true\ntimestamps_since_epoch[q]: true\n"
                    + "sql_history[q]: 1m\n");
            assertEquals(EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
            assertEquals(0, SqlRun.number(db, "SELECT COUNT(*) FROM acct WHERE stamp_inserted % 60 <> 0"), "bin starts");
            assertEquals(3, SqlRun.number(db, "SELECT COUNT(DISTINCT stamp_inserted) FROM acct"));
            assertEquals(0, SqlRun.number(db, "SELECT COUNT(*) FROM acct WHERE stamp_updated < " + before), "written now");
        }
    }

    /**
     * pmacctd_stitching: timestamp_min and timestamp_max with their microseconds, the first and last capture time of
     * each entry's packets (edge.pcap: icmp from 22:14:02 to 22:14:02.1, tcp from 22:14:00 to 22:16:00 UTC). As in
     * pmacct the times are part of the row's key: a second run of the same capture meets the same rows and adds to
     * them, through the INSERT that fails and the UPDATE after it (sql_dont_try_update), or the upsert.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite3", "mysql", "pgsql"})
    void stitchingWritesTheTimesAsPartOfTheKey(String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create(type, 0, dir)) {
            String time = type.equals("pgsql") ? "timestamp" : "DATETIME";
            String proto = type.equals("pgsql") ? "SMALLINT" : "CHAR(6)";
            SqlTestDb.run(db.url, "CREATE TABLE acct_stitch (ip_proto " + proto + " NOT NULL, timestamp_min " + time
                    + " NOT NULL, timestamp_min_residual INT NOT NULL, timestamp_max " + time + " NOT NULL, "
                    + "timestamp_max_residual INT NOT NULL, packets INT NOT NULL, bytes BIGINT NOT NULL, stamp_inserted "
                    + time + " NOT NULL, stamp_updated " + time + ", PRIMARY KEY (ip_proto, timestamp_min, "
                    + "timestamp_min_residual, timestamp_max, timestamp_max_residual, stamp_inserted));");
            String conf = base(db, "proto") + "sql_table[q]: acct_stitch\nsql_optimize_clauses[q]: true\n"
                    + "sql_history[q]: 1h\nsql_history_roundoff[q]: h\npmacctd_stitching: true\ntimestamps_utc: true\n"
                    + ONE_PURGE;
            String first = SqlRun.run(dir, conf + "sql_dont_try_update[q]: true\n");
            assertFalse(first.contains("without sql_dont_try_update") || first.contains("primary key lacks"), first);
            String icmp = type.equals("pgsql") ? "1" : "'icmp'";
            String tcp = type.equals("pgsql") ? "6" : "'tcp'";
            String select = "SELECT timestamp_min, timestamp_min_residual, timestamp_max, timestamp_max_residual, packets "
                    + "FROM acct_stitch WHERE ip_proto IN (" + icmp + ", " + tcp + ") ORDER BY timestamp_max";
            assertEquals(List.of("2023-11-14 22:14:02,0,2023-11-14 22:14:02,100000,3",
                    "2023-11-14 22:14:00,0,2023-11-14 22:16:00,0,19"), SqlRun.textRows(db, select), "icmp and tcp");
            long entries = SqlRun.number(db, "SELECT COUNT(*) FROM acct_stitch");

            String second = SqlRun.run(dir, conf + "sql_dont_try_update[q]: true\n");
            assertTrue(second.contains("inserted 0, updated " + entries), second);
            String third = SqlRun.run(dir, conf);
            assertTrue(third.contains("nfacctd_stitching without sql_dont_try_update"), third);
            assertTrue(third.contains("upsert each") && third.contains("inserted " + entries), third);
            assertEquals(entries, SqlRun.number(db, "SELECT COUNT(*) FROM acct_stitch"), "the same rows");
            assertEquals(3 * EDGE_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct_stitch"));
        }
    }

    /**
     * With timestamps_secs the times have no residual columns, and with timestamps_since_epoch they are integers; a
     * primary key without them is warned about (a later purge with other times would meet the same key).
     */
    @Test
    void stitchingInSecondsSinceTheEpoch(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 0, dir)) {
            SqlTestDb.run(db.url, "CREATE TABLE acct (ip_proto CHAR(6) NOT NULL, timestamp_min INT NOT NULL, "
                    + "timestamp_max INT NOT NULL, packets INT NOT NULL, bytes BIGINT NOT NULL, stamp_inserted INT NOT NULL, "
                    + "stamp_updated INT, PRIMARY KEY (ip_proto, stamp_inserted));");
            String log = SqlRun.run(dir, base(db, "proto") + "sql_optimize_clauses[q]: true\nsql_dont_try_update[q]: true\n"
                    + "pmacctd_stitching[q]: true\ntimestamps_secs: true\ntimestamps_since_epoch: true\n" + ONE_PURGE);
            assertTrue(log.contains("table acct: nfacctd_stitching writes timestamp_min and timestamp_max as part of a "
                    + "row's key, and the table's primary key lacks them"), log);
            assertEquals(List.of("1700000040,1700000160,19"), SqlRun.rows(db,
                    "SELECT timestamp_min, timestamp_max, packets FROM acct WHERE ip_proto = 'tcp'"));
        }
    }
}
