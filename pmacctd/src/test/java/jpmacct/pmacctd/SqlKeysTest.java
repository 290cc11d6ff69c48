package jpmacct.pmacctd;

import static jpmacct.pmacctd.SqlRun.EDGE_PACKETS;
import static jpmacct.pmacctd.SqlRun.SMALL_PACKETS;
import static jpmacct.pmacctd.SqlRun.base;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each SQL key does, on the databases it applies to, with real daemons and databases. */
class SqlKeysTest {

    /** Purges only at exit: a run that crosses a refresh boundary would split its rows over two purge lines. */
    private static final String ONE_PURGE = "sql_refresh_time[q]: 3600\nsql_startup_delay[q]: 3600\n";

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

    /** sql_startup_delay moves the first purge (and every later one): an hour later, only the last purge at exit. */
    @Test
    void startupDelayPostponesThePurges(@TempDir Path dir) throws Exception {
        Conformance.input("small", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_refresh_time[q]: 1\nsql_startup_delay[q]: 3600\n"
                    + "pcap_savefile_replay: 4\npcap_savefile_delay: 1\n");
            assertEquals(1, SqlRun.count(err, "Purging cache - END"), err);
            assertEquals(4 * SMALL_PACKETS, SqlRun.number(db, "SELECT SUM(packets) FROM acct"));
        }
    }

    private static Path triggerScript(Path dir, int exit) throws Exception {
        Path script = dir.resolve("trigger.sh");
        Files.writeString(script, "#!/bin/sh\nenv | grep -E '^(SQL_|EFFECTIVE_|INSERT_|UPDATE_|TOTAL_|ELAPSED_)' | sort >> "
                + dir.resolve("trigger.env") + "\necho fired >> " + dir.resolve("trigger.log") + "\necho 'no such report' >&2\n"
                + "exit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** sql_trigger_exec after each purge: pmacct's variables, exit status and stderr logged. */
    @Test
    void triggerRunsAfterThePurge(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host, dst_host, proto") + "sql_trigger_exec[q]: " + triggerScript(dir, 3)
                    + "\nsql_history[q]: 1m\n" + ONE_PURGE);
            long rows = SqlRun.number(db, "SELECT COUNT(*) FROM acct");
            assertTrue(err.contains("exited with status 3: no such report"), err);
            String env = Files.readString(dir.resolve("trigger.env"));
            assertTrue(env.contains("SQL_DB=pmacct.db\n") && env.contains("SQL_TABLE=acct\n")
                    && env.contains("SQL_REFRESH_TIME=3600\n") && env.contains("SQL_HISTORY_TIMESLOT=60\n")
                    && env.contains("TOTAL_ELEM_NUMBER=" + rows + "\n") && env.contains("EFFECTIVE_ELEM_NUMBER=" + rows + "\n")
                    && env.contains("INSERT_QUERIES_NUMBER=") && env.contains("ELAPSED_TIME="), env);
        }
    }

    /**
     * sql_trigger_time runs the trigger on its own schedule, here while no purge is due for a day (sql_startup_delay
     * would delay the trigger too).
     */
    @Test
    void triggerTimeRunsWithoutPurges(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            Process p = SqlRun.start(dir, base(db, "src_host") + "sql_trigger_exec[q]: " + triggerScript(dir, 0)
                    + "\nsql_trigger_time[q]: 1\npcap_savefile_wait: true\nsql_refresh_time[q]: 86400\n");
            Path fired = dir.resolve("trigger.log");
            SqlRun.await(() -> lines(fired) >= 2, "two trigger runs", dir);
            assertFalse(SqlRun.stderr(dir).contains("Purging cache"), "no purge yet");
            SqlRun.stop(p, dir);
            String env = Files.readString(dir.resolve("trigger.env"));
            assertTrue(env.contains("SQL_TABLE=acct") && !env.contains("TOTAL_ELEM_NUMBER"), env);
        }
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_trigger_time[q]: 5m\n");
            assertTrue(err.contains("sql_trigger_time (") && err.contains("has no sql_trigger_exec to run; ignored"), err);
        }
    }

    private static long lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * sql_preprocess and sql_preprocess_type: plugin a writes everything, the others the same purge through their
     * checks; each table must hold exactly a's rows that pass.
     */
    @Test
    void preprocessDropsAndAdjusts(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        String[][] plugins = {{"a", ""}, {"minp", "minp=2"}, {"all", "minp=2,maxb=1000"}, {"any", "minp=2,maxb=1000"},
                {"adjb", "adjb=10"}, {"qnum", "qnum=100000,minp=2"}, {"usrf", "usrf=3"}};
        StringBuilder conf = new StringBuilder("pcap_savefile: input.pcap\nplugins: ");
        for (int i = 0; i < plugins.length; i++) {
            conf.append(i == 0 ? "" : ", ").append("sqlite3[").append(plugins[i][0]).append(']');
        }
        conf.append("\naggregate: src_host, dst_host, proto\n");
        for (String[] p : plugins) {
            SqlTestDb.run("jdbc:sqlite:" + dir.resolve(p[0] + ".db"), SqlTestDb.script("pmacct-create-table_v1.sqlite3"));
            conf.append("sql_db[").append(p[0]).append("]: ").append(p[0]).append(".db\n");
            conf.append("sql_journal[").append(p[0]).append("]: ").append(p[0]).append(".journal\n");
            if (!p[1].isEmpty()) {
                conf.append("sql_preprocess[").append(p[0]).append("]: ").append(p[1]).append('\n');
            }
        }
        conf.append("sql_preprocess_type[all]: all\n");
        SqlRun.run(dir, conf.toString());
        List<long[]> a = counters(dir, "a");
        assertEquals(filter(a, r -> r[0] >= 2), countersText(dir, "minp"));
        assertEquals(filter(a, r -> r[0] >= 2 && r[1] < 1000), countersText(dir, "all"));
        assertEquals(filter(a, r -> r[0] >= 2 || r[1] < 1000), countersText(dir, "any"));
        assertEquals(filter(a, r -> true), countersText(dir, "qnum"), "a purge smaller than qnum is not checked");
        assertTrue(counters(dir, "minp").size() < a.size(), "minp dropped something");
        List<long[]> adjusted = new ArrayList<>();
        for (long[] r : a) {
            adjusted.add(new long[] {r[0], r[1] + 10 * r[0]});
        }
        assertEquals(adjusted.stream().map(java.util.Arrays::toString).toList(),
                counters(dir, "adjb").stream().map(java.util.Arrays::toString).toList());
        long bytes = a.stream().mapToLong(r -> r[1]).sum();
        assertEquals(3 * bytes, counters(dir, "usrf").stream().mapToLong(r -> r[1]).sum(), "usrf multiplies bytes");
    }

    private static String filter(List<long[]> rows, java.util.function.Predicate<long[]> keep) {
        return rows.stream().filter(keep).map(java.util.Arrays::toString).toList().toString();
    }

    /** Packets and bytes per row of a plugin's table, in key order. */
    private static List<long[]> counters(Path dir, String plugin) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(plugin + ".db"));
             Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT packets, bytes FROM acct ORDER BY ip_src, ip_dst, ip_proto")) {
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return out;
    }

    private static String countersText(Path dir, String plugin) throws Exception {
        return counters(dir, plugin).stream().map(java.util.Arrays::toString).toList().toString();
    }

    @Test
    void preprocessRefusesWhatItCannotDo(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String err = SqlRun.refused(dir, base(db, "src_host") + "sql_preprocess[q]: fss=1000\n");
            assertTrue(err.contains("'fss' is not supported yet"), err);
            err = SqlRun.refused(dir, base(db, "src_host") + "sql_preprocess[q]: minpackets=2\n");
            assertTrue(err.contains("unknown check 'minpackets'"), err);
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
            assertEquals(0, p.exitValue(), SqlRun.stderr(dir));
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
                 java.sql.ResultSet rs = s.executeQuery("SELECT ip_src, packets FROM acct_text")) {
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
            java.util.Collections.sort(expected);
            java.util.Collections.sort(numeric);
            assertEquals(expected, numeric);
        }
    }

    /** The bytes INET6_ATON gives for an address, as SQLite's hex() prints them. */
    private static String hex(String address) throws Exception {
        return java.util.HexFormat.of().withUpperCase().formatHex(java.net.InetAddress.getByName(address).getAddress());
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
}
