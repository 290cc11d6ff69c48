package jpmacct.plugins.sql.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jpmacct.pmacctd.DaemonProcess;
import jpmacct.pmacctd.DaemonRun;

/**
 * What the SQL plugin tests share: pmacctd runs as {@link DaemonRun} runs it; the tests wait for what its log says
 * or for the daemon's exit, never for a time. Also: queries, configurations.
 */
final class SqlRun {
    /** Packets pmacctd accounts from the small conformance capture, and from edge.pcap. */
    static final long SMALL_PACKETS = 20_000;
    static final long EDGE_PACKETS = 45;
    /** Purges only at exit: a run that crosses a refresh boundary would split its rows over two purge lines. */
    static final String ONE_PURGE = "sql_refresh_time[q]: 3600\nsql_startup_delay[q]: 3600\n";
    /** How long a test waits for a state before it fails; far longer than any state takes. */
    private static final long PATIENCE_MILLIS = 120_000;
    private static final Pattern ACCOUNTED = Pattern.compile("packets accounted (\\d+)");

    private SqlRun() {
    }

    /** Waits until the daemon's log file in {@code dir} holds {@code text} {@code times} times. */
    static void awaitLog(Path dir, String text, int times) throws Exception {
        await(() -> count(DaemonRun.log(dir), text) >= times, "'" + text + "' x" + times + " in the log", dir);
    }

    static void awaitLog(Path dir, String text) throws Exception {
        awaitLog(dir, text, 1);
    }

    static void await(BooleanSupplier state, String what, Path dir) throws Exception {
        DaemonProcess.await(state, what, PATIENCE_MILLIS, () -> output(dir));
    }

    static int count(String haystack, String needle) {
        return DaemonProcess.count(haystack, needle);
    }

    /** What the daemon of the last run in {@code dir} said. */
    static String output(Path dir) {
        return DaemonRun.output(dir);
    }

    /** Sends SIGTERM and checks the daemon ends cleanly; returns what it said. */
    static String stop(Process p, Path dir) throws Exception {
        p.destroy();
        return exited(p, dir);
    }

    /** Runs pmacctd to its end with {@code conf} in {@code dir}; checks it exits 0 and returns what it said. */
    static String run(Path dir, String conf) throws Exception {
        return exited(DaemonRun.start(dir, conf), dir);
    }

    private static String exited(Process p, Path dir) throws Exception {
        assertTrue(p.waitFor(DaemonRun.PATIENCE_SECONDS, TimeUnit.SECONDS), "pmacctd ends:\n" + output(dir));
        String out = output(dir);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Runs pmacctd expecting a refusal at start-up: non-zero exit, no stack trace; returns what it said. */
    static String refused(Path dir, String conf) throws Exception {
        return DaemonRun.refused(dir, conf);
    }

    static Process start(Path dir, String conf) throws Exception {
        return DaemonRun.start(dir, conf);
    }

    /** The packets the daemon says it accounted (its summary line at the end of the savefiles). */
    static long accounted(String log) {
        Matcher m = ACCOUNTED.matcher(log);
        long n = -1;
        while (m.find()) {
            n = Long.parseLong(m.group(1));
        }
        assertTrue(n > 0, "a summary line in the log:\n" + log);
        return n;
    }

    /** The first column of the first row of a query, as a long. */
    static long number(SqlTestDb db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    /** Every row of a query, its columns joined by ','. */
    static List<String> rows(SqlTestDb db, String sql) throws Exception {
        return rows(db, sql, false);
    }

    /** As {@link #rows}, each column as the driver's text: a time as the table holds it, whatever its Java type. */
    static List<String> textRows(SqlTestDb db, String sql) throws Exception {
        return rows(db, sql, true);
    }

    private static List<String> rows(SqlTestDb db, String sql, boolean text) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(text ? rs.getString(i) : String.valueOf(rs.getObject(i)).strip());
                }
                out.add(String.join(",", row));
            }
        }
        return out;
    }

    /** A run of plugin q of {@code db}'s type on input.pcap with this aggregate. */
    static String base(SqlTestDb db, String aggregate) {
        return "pcap_savefile: input.pcap\nplugins: " + db.type + "[q]\n" + db.conf + "aggregate[q]: " + aggregate + "\n";
    }

    /** The lines that point plugin q at {@code db} through a relay on {@code port} instead of the server's port. */
    static String via(SqlTestDb db, int port) {
        return db.conf.replaceAll("sql_host\\[q\\]: 127.0.0.1\n", "sql_host[q]: 127.0.0.1\nsql_port[q]: " + port + "\n");
    }

    /** The server port of a database type. */
    static int serverPort(String type) {
        return type.equals("pgsql") ? 5432 : 3306;
    }
}
