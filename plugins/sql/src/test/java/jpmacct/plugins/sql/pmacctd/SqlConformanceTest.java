package jpmacct.plugins.sql.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import jpmacct.core.output.Protocols;
import jpmacct.pmacctd.Conformance;

/**
 * Every sqlite3 case recorded from pmacct 1.7.7, on SQLite and on this machine's MariaDB and PostgreSQL: the table
 * is created with this project's script from sql/, pmacctd runs with pmacct's configuration file (with the plugin
 * type and connection changed for the servers), and the recorded SELECT must return pmacct's rows (as a multiset;
 * the wall-clock stamp_updated masked as in the recording), except for the rows listed in {@code deviations/}.
 * What the databases store differently is applied to the expected rows: MySQL holds ip_proto to CHAR(6), PostgreSQL
 * stores protocol numbers and names the ports port_src/port_dst in every version.
 */
class SqlConformanceTest {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static Stream<Arguments> cases() {
        return Conformance.cases("sqlite_").stream()
                .flatMap(c -> Stream.of(Arguments.of(c, "sqlite3"), Arguments.of(c, "mysql"), Arguments.of(c, "pgsql")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void tableEqualsPmacct(String id, String type, @TempDir Path dir) throws Exception {
        String pcap = id.substring(0, id.indexOf('/'));
        String kase = id.substring(id.indexOf('/') + 1);
        Path golden = Conformance.golden(pcap, kase);
        Conformance.input(pcap, dir, "input.pcap");
        int version = Integer.parseInt(kase.substring(kase.indexOf("_v") + 2));
        List<String> ours = new ArrayList<>();
        try (SqlTestDb db = SqlTestDb.create(type, version, dir)) {
            SqlRun.run(dir, Files.readString(golden.resolve("pmacctd.conf"), StandardCharsets.UTF_8)
                    .replace("plugins: sqlite3[q]", "plugins: " + type + "[q]").replace("sql_db[q]: pmacct.db\n", db.conf));

            String cmd = Files.readString(golden.resolve("cmd.txt"), StandardCharsets.UTF_8);
            int q = cmd.indexOf("\"SELECT ");
            String select = cmd.substring(q + 1, cmd.indexOf("\" >", q));
            if (type.equals("pgsql")) {
                select = select.replace("src_port,", "port_src AS src_port,").replace("dst_port,", "port_dst AS dst_port,");
            }
            try (Connection c = DriverManager.getConnection(db.url); Statement s = c.createStatement();
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
        }
        List<String> expected = Conformance.lines(golden.resolve("table.csv"));
        Conformance.applyDeviations(expected, Conformance.root().resolve("deviations").resolve(pcap).resolve(kase)
                .resolve("table.csv.diff"));
        int proto = List.of(expected.get(0).split(",")).indexOf("ip_proto");
        for (int i = 1; i < expected.size(); i++) {
            String[] f = expected.get(i).split(",", -1);
            if (type.equals("mysql") && f[proto].length() > 6) {
                f[proto] = f[proto].substring(0, 6); // what MySQL keeps of pmacct's CHAR(6)
            } else if (type.equals("pgsql")) {
                f[proto] = Integer.toString(Protocols.parse(f[proto])); // SMALLINT
            }
            expected.set(i, String.join(",", f));
        }
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
        if (v instanceof LocalDateTime t) {
            v = t.format(STAMP);
        } else if (v instanceof Timestamp t) {
            v = t.toLocalDateTime().format(STAMP);
        } else if (!(v instanceof String) && !(v instanceof Number)) {
            v = v.toString(); // PostgreSQL inet, macaddr
        }
        if (!(v instanceof String)) {
            return v.toString();
        }
        String s = ((String) v).stripTrailing(); // PostgreSQL pads CHAR(n) when read
        for (char ch : s.toCharArray()) {
            if (ch <= ' ' || ch == ',' || ch == '"' || ch > '~') {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }
}
