package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sqlite3 case recorded from pmacct 1.7.7: the table is created with this project's script from sql/, pmacctd
 * runs with pmacct's configuration file, and the recorded SELECT must return pmacct's rows (as a multiset; the
 * wall-clock stamp_updated masked as in the recording), except for the rows listed in {@code deviations/}.
 */
class SqlConformanceTest {

    static List<String> cases() {
        return Conformance.cases("sqlite_");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tableEqualsPmacct(String id, @TempDir Path dir) throws Exception {
        String pcap = id.substring(0, id.indexOf('/'));
        String kase = id.substring(id.indexOf('/') + 1);
        Path golden = Conformance.golden(pcap, kase);
        Conformance.input(pcap, dir, "input.pcap");
        Files.copy(golden.resolve("pmacctd.conf"), dir.resolve("pmacctd.conf"));
        String version = kase.substring(kase.indexOf("_v") + 2);
        Path script = Path.of(System.getProperty("jpmacct.root", "..")).resolve("sql/pmacct-create-table_v" + version + ".sqlite3");
        String url = "jdbc:sqlite:" + dir.resolve("pmacct.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String stmt : Files.readString(script, StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "").split(";")) {
                if (!stmt.isBlank()) {
                    s.execute(stmt);
                }
            }
        }
        DaemonProcess.Result r = DaemonProcess.run(dir, 120, "-f", "pmacctd.conf");
        assertEquals(0, r.exit(), "pmacctd failed: " + r.stderr());

        String cmd = Files.readString(golden.resolve("cmd.txt"), StandardCharsets.UTF_8);
        int q = cmd.indexOf("\"SELECT ");
        String select = cmd.substring(q + 1, cmd.indexOf("\" >", q));
        List<String> ours = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(select)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                header.add(md.getColumnLabel(i));
            }
            ours.add(String.join(",", header));
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(csv(rs.getObject(i)));
                }
                ours.add(String.join(",", row));
            }
        }
        List<String> expected = Conformance.lines(golden.resolve("table.csv"));
        Conformance.applyDeviations(expected, Conformance.root().resolve("deviations").resolve(pcap).resolve(kase)
                .resolve("table.csv.diff"));
        assertEquals(expected.get(0), ours.get(0), "columns");
        List<String> e = new ArrayList<>(expected.subList(1, expected.size()));
        List<String> o = new ArrayList<>(ours.subList(1, ours.size()));
        Collections.sort(e);
        Collections.sort(o);
        assertEquals(String.join("\n", e), String.join("\n", o), "rows");
    }

    /** A value as the sqlite3 shell's CSV mode prints it: text quoted when it holds a blank, comma or quote. */
    static String csv(Object v) {
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            return v.toString();
        }
        for (char ch : s.toCharArray()) {
            if (ch <= ' ' || ch == ',' || ch == '"' || ch > '~') {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }
}
