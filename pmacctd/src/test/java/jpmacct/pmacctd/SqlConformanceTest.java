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
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sqlite3 case recorded from pmacct 1.7.7, on SQLite and on the real MariaDB of this machine
 * (127.0.0.1:3306, root): the table is created with this project's script from sql/, pmacctd runs with pmacct's
 * configuration file (for MySQL with the plugin type and connection changed), and the recorded SELECT must return
 * pmacct's rows (as a multiset; the wall-clock stamp_updated masked as in the recording), except for the rows
 * listed in {@code deviations/}.
 */
class SqlConformanceTest {
    static final String MYSQL = "jdbc:mysql://127.0.0.1:3306/";

    static Stream<Arguments> cases() {
        return Conformance.cases("sqlite_").stream()
                .flatMap(c -> Stream.of(Arguments.of(c, "sqlite3"), Arguments.of(c, "mysql")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void tableEqualsPmacct(String id, String type, @TempDir Path dir) throws Exception {
        String pcap = id.substring(0, id.indexOf('/'));
        String kase = id.substring(id.indexOf('/') + 1);
        Path golden = Conformance.golden(pcap, kase);
        Conformance.input(pcap, dir, "input.pcap");
        String version = kase.substring(kase.indexOf("_v") + 2);
        Path sql = Path.of(System.getProperty("jpmacct.root", "..")).resolve("sql");
        String conf = Files.readString(golden.resolve("pmacctd.conf"), StandardCharsets.UTF_8);
        String url;
        String db = "jpm_" + Long.toHexString(System.nanoTime());
        if (type.equals("mysql")) {
            url = MYSQL + db + "?user=root&password=";
            runScript(MYSQL + "?user=root&password=", Files.readString(sql.resolve("pmacct-create-db_v" + version + ".mysql"))
                    .replace("IF EXISTS pmacct;", "IF EXISTS " + db + ";").replace("DATABASE pmacct;", "DATABASE " + db + ";")
                    .replace("USE pmacct;", "USE " + db + ";"));
            conf = conf.replace("plugins: sqlite3[q]", "plugins: mysql[q]").replace("sql_db[q]: pmacct.db",
                    "sql_db[q]: " + db + "\nsql_host[q]: 127.0.0.1\nsql_user[q]: root\nsql_passwd[q]:");
        } else {
            url = "jdbc:sqlite:" + dir.resolve("pmacct.db");
            runScript(url, Files.readString(sql.resolve("pmacct-create-table_v" + version + ".sqlite3")));
        }
        Files.writeString(dir.resolve("pmacctd.conf"), conf);
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
        if (type.equals("mysql")) {
            runScript(MYSQL + "?user=root&password=", "DROP DATABASE " + db + ";");
        }
        List<String> expected = Conformance.lines(golden.resolve("table.csv"));
        Conformance.applyDeviations(expected, Conformance.root().resolve("deviations").resolve(pcap).resolve(kase)
                .resolve("table.csv.diff"));
        if (type.equals("mysql")) {
            // MySQL holds pmacct's CHAR(6) ip_proto to six characters (what a non-strict server stores)
            expected.replaceAll(l -> l.replace(",ipv6-icmp,", ",ipv6-i,"));
        }
        assertEquals(expected.get(0), ours.get(0), "columns");
        List<String> e = new ArrayList<>(expected.subList(1, expected.size()));
        List<String> o = new ArrayList<>(ours.subList(1, ours.size()));
        Collections.sort(e);
        Collections.sort(o);
        assertEquals(String.join("\n", e), String.join("\n", o), "rows");
    }

    /** Runs a script of ';'-terminated statements ('--' comments) over JDBC. */
    static void runScript(String url, String script) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String stmt : script.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!stmt.isBlank()) {
                    s.execute(stmt);
                }
            }
        }
    }

    /** A value as the sqlite3 shell's CSV mode prints it: text quoted when it holds a blank, comma or quote. */
    static String csv(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof java.time.LocalDateTime t) {
            v = t.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
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
