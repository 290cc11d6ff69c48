package jpmacct.plugins.sql.pmacctd;

import static jpmacct.plugins.sql.pmacctd.SqlRun.ONE_PURGE;
import static jpmacct.plugins.sql.pmacctd.SqlRun.SMALL_PACKETS;
import static jpmacct.plugins.sql.pmacctd.SqlRun.base;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.runtime.BlockingTrigger;
import jpmacct.pmacctd.Conformance;

/**
 * The keys of what happens around a purge: sql_startup_delay, sql_trigger_exec, _time and _async, sql_preprocess,
 * sql_history_offset.
 */
class SqlPurgeKeysTest {

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
            assertFalse(SqlRun.output(dir).contains("Purging cache"), "no purge yet");
            SqlRun.stop(p, dir);
            String env = Files.readString(dir.resolve("trigger.env"));
            assertTrue(env.contains("SQL_TABLE=acct") && !env.contains("TOTAL_ELEM_NUMBER"), env);
        }
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String err = SqlRun.run(dir, base(db, "src_host") + "sql_trigger_time[q]: 5m\n");
            assertTrue(err.contains("sql_trigger_time (") && err.contains("has no sql_trigger_exec to run; ignored"), err);
        }
    }

    /**
     * sql_trigger_time every second with a trigger that runs until released: by default the next run waits for it;
     * with sql_trigger_exec_async two run together and the daemon's exit does not wait for them.
     */
    @Test
    void triggersOneAtATimeUnlessAsync(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        BlockingTrigger trigger = BlockingTrigger.in(dir);
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            String conf = base(db, "src_host") + "sql_trigger_exec[q]: " + trigger.script() + "\nsql_trigger_time[q]: 1\n"
                    + "pcap_savefile_wait: true\nsql_refresh_time[q]: 86400\n";
            Process p = SqlRun.start(dir, conf);
            SqlRun.awaitLog(dir, "is still running; the next one starts when it ends");
            assertEquals(1, trigger.started(), "the next waits");
            trigger.release();
            SqlRun.await(() -> trigger.ended() >= 2, "the waiting trigger ran", dir);
            SqlRun.stop(p, dir);
        }
        Path async = Files.createDirectory(dir.resolve("async"));
        Conformance.input("edge", async, "input.pcap");
        BlockingTrigger detached = BlockingTrigger.in(async);
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, async)) {
            Process p = SqlRun.start(async, base(db, "src_host") + "sql_trigger_exec[q]: " + detached.script()
                    + "\nsql_trigger_exec_async[q]: true\nsql_trigger_time[q]: 1\npcap_savefile_wait: true\n"
                    + "sql_refresh_time[q]: 86400\n");
            SqlRun.await(() -> detached.started() >= 2, "two triggers running together", async);
            assertFalse(SqlRun.stop(p, async).contains("still running"));
            assertEquals(0, detached.ended(), "the triggers outlive the daemon");
            detached.release();
            detached.awaitEnded(detached.started());
        }
    }

    /** sql_history_offset: 5-minute bins aligned on the hour start two minutes early; a whole bin is refused. */
    @Test
    void historyOffsetMovesTheBins(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("sqlite3", 1, dir)) {
            SqlRun.run(dir, base(db, "proto") + "sql_history[q]: 5m\nsql_history_roundoff[q]: m\n"
                    + "sql_history_offset[q]: 120\n" + ONE_PURGE);
            List<String> bins = SqlRun.textRows(db, "SELECT DISTINCT stamp_inserted FROM acct");
            assertFalse(bins.isEmpty());
            for (String bin : bins) {
                assertTrue(bin.matches(".* \\d\\d:(03|08|13|18|23|28|33|38|43|48|53|58):00"), bins.toString());
            }
            String err = SqlRun.refused(dir, base(db, "proto") + "sql_history[q]: 1m\nsql_history_offset[q]: 1m\n");
            assertTrue(err.contains("sql_history_offset[q]: 60 s is not less than the history bins of 1m (60 s)"), err);
        }
    }

    private static long lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p).size() : 0;
        } catch (IOException e) {
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
        assertEquals(adjusted.stream().map(Arrays::toString).toList(),
                counters(dir, "adjb").stream().map(Arrays::toString).toList());
        long bytes = a.stream().mapToLong(r -> r[1]).sum();
        assertEquals(3 * bytes, counters(dir, "usrf").stream().mapToLong(r -> r[1]).sum(), "usrf multiplies bytes");
    }

    private static String filter(List<long[]> rows, Predicate<long[]> keep) {
        return rows.stream().filter(keep).map(Arrays::toString).toList().toString();
    }

    /** Packets and bytes per row of a plugin's table, in key order. */
    private static List<long[]> counters(Path dir, String plugin) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(plugin + ".db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT packets, bytes FROM acct ORDER BY ip_src, ip_dst, ip_proto")) {
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return out;
    }

    private static String countersText(Path dir, String plugin) throws Exception {
        return counters(dir, plugin).stream().map(Arrays::toString).toList().toString();
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
}
