package jpmacct.plugins.sql.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.dialect.MysqlDialect;
import jpmacct.plugins.sql.dialect.PgsqlDialect;
import jpmacct.plugins.sql.dialect.SqliteDialect;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableVersion;

/** The statement text of each database, for pmacct's version 1 table and for one with flows and TCP flags. */
class TableStatementsTest {
    private static final String V1_KEY = "mac_src, mac_dst, ip_src, ip_dst, src_port, dst_port, ip_proto";
    private static final String V1_WHERE = "mac_src=? AND mac_dst=? AND ip_src=? AND ip_dst=? AND src_port=? AND "
            + "dst_port=? AND ip_proto=?";

    private static TableStatements v1(Dialect d, String table, boolean history) {
        return new TableStatements(d, table, d.columns(1), history);
    }

    @Test
    void updateAndInsert() {
        TableStatements ts = v1(new SqliteDialect(), "acct", true);
        assertEquals("UPDATE acct SET packets=packets+?, bytes=bytes+?, stamp_updated=? WHERE " + V1_WHERE
                + " AND stamp_inserted=?", ts.update);
        assertEquals("INSERT INTO acct (" + V1_KEY + ", packets, bytes, stamp_inserted, stamp_updated) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ts.insert(2, false));
        assertEquals(List.of("mac_src", "mac_dst", "ip_src", "ip_dst", "src_port", "dst_port", "ip_proto", "stamp_inserted"),
                ts.primaryKey);
        assertEquals("UPDATE acct SET packets=packets+?, bytes=bytes+?, stamp_updated=? WHERE " + V1_WHERE,
                v1(new SqliteDialect(), "acct", false).update, "without bins the row has no stamp_inserted to match");
    }

    @Test
    void countersOfLaterVersions() {
        List<SqlColumn> v9 = TableVersion.columns(9);
        TableStatements ts = new TableStatements(new SqliteDialect(), "acct_v9", v9, true);
        assertEquals("UPDATE acct_v9 SET packets=packets+?, bytes=bytes+?, flows=flows+?, tcp_flags=tcp_flags|?, "
                + "stamp_updated=? WHERE tag=? AND class_id=? AND mac_src=? AND mac_dst=? AND vlan=? AND as_src=? AND "
                + "as_dst=? AND ip_src=? AND ip_dst=? AND port_src=? AND port_dst=? AND ip_proto=? AND tos=? AND "
                + "stamp_inserted=?", ts.update);
        assertEquals(" ON CONFLICT (tag, class_id, mac_src, mac_dst, vlan, as_src, as_dst, ip_src, ip_dst, port_src, "
                + "port_dst, ip_proto, tos, stamp_inserted) DO UPDATE SET packets=packets+excluded.packets, "
                + "bytes=bytes+excluded.bytes, flows=flows+excluded.flows, tcp_flags=tcp_flags|excluded.tcp_flags, "
                + "stamp_updated=excluded.stamp_updated", ts.upsertTail);
    }

    @Test
    void upsertPerDatabase() {
        String rows = "INSERT INTO acct (" + V1_KEY + ", packets, bytes, stamp_inserted, stamp_updated) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        assertEquals(rows + " ON CONFLICT (" + V1_KEY + ", stamp_inserted) DO UPDATE SET packets=packets+excluded.packets, "
                + "bytes=bytes+excluded.bytes, stamp_updated=excluded.stamp_updated",
                v1(new SqliteDialect(), "acct", true).insert(1, true));
        assertEquals(rows + " ON DUPLICATE KEY UPDATE packets=packets+VALUES(packets), bytes=bytes+VALUES(bytes), "
                + "stamp_updated=VALUES(stamp_updated)", v1(new MysqlDialect(), "acct", true).insert(1, true)
                .replace("`acct`", "acct"));
        assertEquals(rows.replace("src_port, dst_port", "port_src, port_dst") + " ON CONFLICT ("
                + V1_KEY.replace("src_port, dst_port", "port_src, port_dst") + ", stamp_inserted) DO UPDATE SET "
                + "packets=acct.packets+excluded.packets, bytes=acct.bytes+excluded.bytes, "
                + "stamp_updated=excluded.stamp_updated", v1(new PgsqlDialect(), "acct", true).insert(1, true));
        assertNull(v1(new PgsqlDialect(), "acct", false).upsertTail, "without bins: no key with stamp_inserted");
    }

    @Test
    void namesAreQuotedAsTheDatabaseNeeds() {
        assertEquals("UPDATE `acct-0` SET", v1(new MysqlDialect(), "acct-0", true).update.substring(0, 19));
        assertEquals("INSERT INTO \"acct-0\" (", v1(new SqliteDialect(), "acct-0", true).insert(1, false).substring(0, 22));
    }

    /** nfacctd_stitching's times are part of the row's key, as pmacct's WHERE has them: UPDATE, primary key, upsert. */
    @Test
    void stitchingTimesArePartOfTheKey() {
        List<SqlColumn> columns = new ArrayList<>(new SqliteDialect().columns(1));
        columns.addAll(columns.indexOf(SqlColumn.PACKETS), List.of(SqlColumn.TIMESTAMP_MIN,
                SqlColumn.TIMESTAMP_MIN_RESIDUAL, SqlColumn.TIMESTAMP_MAX, SqlColumn.TIMESTAMP_MAX_RESIDUAL));
        TableStatements ts = new TableStatements(new SqliteDialect(), "acct", columns, true);
        String times = "timestamp_min, timestamp_min_residual, timestamp_max, timestamp_max_residual";
        assertEquals("UPDATE acct SET packets=packets+?, bytes=bytes+?, stamp_updated=? WHERE " + V1_WHERE
                + " AND timestamp_min=? AND timestamp_min_residual=? AND timestamp_max=? AND timestamp_max_residual=? "
                + "AND stamp_inserted=?", ts.update);
        assertEquals(V1_KEY + ", " + times + ", stamp_inserted", String.join(", ", ts.primaryKey));
        assertEquals(" ON CONFLICT (" + V1_KEY + ", " + times + ", stamp_inserted) DO UPDATE SET "
                + "packets=packets+excluded.packets, bytes=bytes+excluded.bytes, stamp_updated=excluded.stamp_updated",
                ts.upsertTail);
    }
}
