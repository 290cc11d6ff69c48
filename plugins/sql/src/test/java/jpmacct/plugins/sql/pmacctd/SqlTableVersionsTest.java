package jpmacct.plugins.sql.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import jpmacct.pmacctd.Conformance;

/**
 * Every table version 1-9, created with this project's script from sql/ and written by a real pmacctd run, on SQLite
 * and on this machine's MariaDB: the table's totals equal what the daemon accounted, in every history bin.
 */
class SqlTableVersionsTest {

    static Stream<Arguments> versions() {
        return IntStream.rangeClosed(1, 9).boxed().flatMap(v -> Stream.of(Arguments.of(v, "sqlite3"),
                Arguments.of(v, "mysql"), Arguments.of(v, "pgsql")));
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("versions")
    void everyVersionIsWritten(int version, String type, @TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        // every primitive the version has a column for
        String aggregate = "src_mac, dst_mac, src_host, dst_host, src_port, dst_port, proto"
                + (version >= 2 ? ", vlan, tag" : "") + (version >= 3 ? ", tos" : "") + (version >= 4 ? ", flows" : "")
                + (version >= 5 ? ", class" : "") + (version >= 7 ? ", tcpflags" : "");
        try (SqlTestDb db = SqlTestDb.create(type, version, dir)) {
            SqlRun.run(dir, "pcap_savefile: input.pcap\nplugins: " + type + "[q]\n" + db.conf
                    + "sql_table_version[q]: " + version + "\naggregate[q]: " + aggregate + "\nsql_history[q]: 1m\n"
                    + "sql_history_roundoff[q]: m\nsql_refresh_time[q]: 3600\n");
            String table = version == 1 ? "acct" : "acct_v" + version;
            try (Connection c = DriverManager.getConnection(db.url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT stamp_inserted), SUM(packets), SUM(bytes) FROM " + table)) {
                rs.next();
                assertEquals(3, rs.getLong(1), "history bins");
                assertEquals(45, rs.getLong(2), "packets accounted from edge.pcap");
                assertEquals(13291, rs.getLong(3), "bytes, as the print plugin accounts them");
            }
        }
    }

    /** One row the database refuses as data does not hold back the purge: it is skipped and logged, the rest written. */
    @Test
    void aRowTheDatabaseRefusesIsSkipped(@TempDir Path dir) throws Exception {
        Conformance.input("edge", dir, "input.pcap");
        try (SqlTestDb db = SqlTestDb.create("mysql", 0, dir)) {
            // ip_proto narrower than pmacct's CHAR(6): a strict server refuses 'icmp', 'sctp', 'ipv6-i'
            SqlTestDb.run(db.url, "CREATE TABLE acct (ip_proto CHAR(3) NOT NULL, packets INT UNSIGNED NOT NULL,"
                    + " bytes BIGINT UNSIGNED NOT NULL, stamp_inserted DATETIME NOT NULL, stamp_updated DATETIME,"
                    + " PRIMARY KEY (ip_proto, stamp_inserted));");
            String out = SqlRun.run(dir, "pcap_savefile: input.pcap\nplugins: mysql[q]\n" + db.conf
                    + "sql_optimize_clauses[q]: true\n"
                    + "aggregate[q]: proto\nsql_history[q]: 1h\nsql_refresh_time[q]: 3600\n");
            assertTrue(out.contains("a row was refused and skipped"), out);
            try (Connection c = DriverManager.getConnection(db.url);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(ip_proto ORDER BY ip_proto) FROM acct")) {
                rs.next();
                assertEquals("esp,gre,tcp,udp", rs.getString(1), "the rows that fit are written");
            }
        }
    }
}
