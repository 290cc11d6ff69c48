package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the SQL plugin tests share: waiting for the daemon to reach a state (never for a time), queries, configs. */
final class SqlRun {
    /** Packets pmacctd accounts from the small conformance capture, and from edge.pcap. */
    static final long SMALL_PACKETS = 20_000;
    static final long EDGE_PACKETS = 45;
    /** How long a test waits for a state before it fails; far longer than any state takes. */
    private static final long PATIENCE_MILLIS = 120_000;

    private SqlRun() {
    }

    /** Waits until the daemon's stderr in {@code dir} holds {@code text} {@code times} times. */
    static void awaitLog(Path dir, String text, int times) throws Exception {
        await(() -> count(stderr(dir), text) >= times, "'" + text + "' x" + times + " in the log", dir);
    }

    static void awaitLog(Path dir, String text) throws Exception {
        awaitLog(dir, text, 1);
    }

    static void await(BooleanSupplier state, String what, Path dir) throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (!state.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("waited in vain for " + what + "; log:\n" + stderr(dir));
            }
            Thread.sleep(50);
        }
    }

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    static String stderr(Path dir) {
        try {
            return Files.exists(dir.resolve(".stderr")) ? Files.readString(dir.resolve(".stderr"), StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Sends SIGTERM and checks the daemon ends cleanly; returns its log. */
    static String stop(Process p, Path dir) throws Exception {
        p.destroy();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pmacctd ends on SIGTERM");
        String err = stderr(dir);
        assertEquals(0, p.exitValue(), err);
        return err;
    }

    /** Runs pmacctd to its end with {@code conf} as p.conf in {@code dir}; checks it exits 0 and returns its log. */
    static String run(Path dir, String conf) throws Exception {
        Files.writeString(dir.resolve("p.conf"), conf, StandardCharsets.UTF_8);
        DaemonProcess.Result r = DaemonProcess.run(dir, 120, "-f", "p.conf");
        assertEquals(0, r.exit(), r.stderr());
        return r.stderr();
    }

    /** Runs pmacctd expecting a refusal at start-up: non-zero exit, no stack trace; returns its log. */
    static String refused(Path dir, String conf) throws Exception {
        Files.writeString(dir.resolve("p.conf"), conf, StandardCharsets.UTF_8);
        DaemonProcess.Result r = DaemonProcess.run(dir, 120, "-f", "p.conf");
        assertTrue(r.exit() != 0, "refused:\n" + r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace:\n" + r.stderr());
        return r.stderr();
    }

    static Process start(Path dir, String conf) throws Exception {
        Files.writeString(dir.resolve("p.conf"), conf, StandardCharsets.UTF_8);
        return DaemonProcess.start(dir, "-f", "p.conf");
    }

    /** The packets the daemon says it accounted (its summary line at the end of the savefiles). */
    static long accounted(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets accounted (\\d+)").matcher(log);
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
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(String.valueOf(rs.getObject(i)).strip());
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
