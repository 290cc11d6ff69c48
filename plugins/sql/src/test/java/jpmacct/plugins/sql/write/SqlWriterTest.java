package jpmacct.plugins.sql.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.output.DynamicName;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.record.Addr;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.runtime.FilePermissions;
import jpmacct.plugins.sql.SqlConfigs;
import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.dialect.SqliteDialect;
import jpmacct.plugins.sql.schema.SqlColumn;
import jpmacct.plugins.sql.schema.TableName;
import jpmacct.plugins.sql.schema.WrittenColumns;

/** The writer on a real SQLite file: the values as pmacct writes them, and the strategy each table gets. */
class SqlWriterTest {
    /** The start of a minute bin (seconds). */
    private static final long BIN = 1_700_000_040L;
    private static final String V1 = "CREATE TABLE acct (mac_src CHAR(17) NOT NULL, mac_dst CHAR(17) NOT NULL, "
            + "ip_src CHAR(45) NOT NULL, ip_dst CHAR(45) NOT NULL, src_port INT(4) NOT NULL, dst_port INT(4) NOT NULL, "
            + "ip_proto CHAR(6) NOT NULL, packets INT NOT NULL, bytes BIGINT NOT NULL, stamp_inserted DATETIME NOT NULL, "
            + "stamp_updated DATETIME";
    private static final String V1_KEY = ", PRIMARY KEY (mac_src, mac_dst, ip_src, ip_dst, src_port, dst_port, ip_proto, "
            + "stamp_inserted))";

    private PluginAggregation aggregation;

    private SqlWriter writer(Path dir, String table, String lines) throws Exception {
        PluginConfig cfg = SqlConfigs.of("sqlite3", "sql_db[q]: " + dir.resolve("pmacct.db") + "\nsql_history[q]: 1m\n"
                + "timestamps_utc[q]: true\naggregate[q]: src_mac, dst_mac, src_host, dst_host, src_port, dst_port, proto\n"
                + lines);
        aggregation = PluginAggregation.create(new PluginContext(cfg, new DaemonInfo(DaemonKind.PMACCTD, "default", false),
                new Metrics(), new MapRegistry(), "SQLite3 Plugin [q]", FilePermissions.defaults()), 64, 0);
        Dialect sqlite = new SqliteDialect();
        List<SqlColumn> columns = WrittenColumns.of(cfg, aggregation, sqlite.columns(1), 1, false);
        TableName name = new TableName(new DynamicName(table, 60, 60, 0, 0), aggregation.timestamps().zone(), true);
        run(dir, table.equals("acct") ? V1 + V1_KEY : V1.replace("acct", table) + ")");
        SqlWriter w = new SqlWriter(sqlite, cfg, name, null, columns, aggregation, Dialect.LockingStyle.NONE, 60_000);
        w.open();
        return w;
    }

    /** A purge of one TCP entry of 2 packets, 300 bytes in the bin. */
    private AggregationTable purge() {
        FlowRecord r = new FlowRecord();
        r.srcMac = 0x0a0b0c0d0e0fL;
        r.srcV4(0x0a000001);
        r.dstV4(0xc0a80102);
        r.proto = 6;
        r.srcPort = 1234;
        r.dstPort = 80;
        r.packets = 2;
        r.bytes = 300;
        r.timeArrivalMicros = (BIN + 5) * 1_000_000;
        aggregation.add(r);
        return aggregation.aggregator().swap(aggregation.newTable(64, 0));
    }

    private static void run(Path dir, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("pmacct.db")); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> rows(Path dir, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("pmacct.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join(",", row));
            }
        }
        return out;
    }

    @Test
    void valuesInPmacctsFormats(@TempDir Path dir) throws Exception {
        SqlWriter w = writer(dir, "acct", "");
        assertTrue(w.write(purge(), BIN + 30));
        assertEquals(List.of("0a:0b:0c:0d:0e:0f,00:00:00:00:00:00,10.0.0.1,192.168.1.2,1234,80,tcp,2,300,"
                + "2023-11-14 22:14:00,2023-11-14 22:14:30"), rows(dir, "SELECT * FROM acct"));
        w.close();
    }

    /**
     * The same entry purged twice into {@code table}: the first purge inserts its row, the second adds to it, with
     * {@code inserted} and {@code updated} as the second's counts.
     */
    private void twoPurgesAddUp(Path dir, String table, String lines, int inserted, int updated) throws Exception {
        SqlWriter w = writer(dir, table, lines);
        assertTrue(w.write(purge(), BIN + 30));
        assertEquals(new SqlWriter.Outcome(1, 1, 0, 0, w.lastOutcome().millis(), table), w.lastOutcome());
        assertTrue(w.write(purge(), BIN + 40));
        assertEquals(new SqlWriter.Outcome(1, inserted, updated, 0, w.lastOutcome().millis(), table), w.lastOutcome());
        assertEquals(List.of("4,600,2023-11-14 22:14:40"), rows(dir, "SELECT packets, bytes, stamp_updated FROM " + table));
        w.close();
    }

    /** The aggregation key and bin as primary key: one upsert per entry, each counted as inserted. */
    @Test
    void upsertWhereThePrimaryKeyIsTheAggregationKey(@TempDir Path dir) throws Exception {
        twoPurgesAddUp(dir, "acct", "", 1, 0);
    }

    /** No primary key to upsert on: UPDATE, and INSERT what no UPDATE matched. */
    @Test
    void updateThenInsertWithoutPrimaryKey(@TempDir Path dir) throws Exception {
        twoPurgesAddUp(dir, "acct_nopk", "sql_table[q]: acct_nopk\n", 0, 1);
    }

    /** sql_dont_try_update (here in multi-row INSERTs): an entry that exists already is added to, not lost. */
    @Test
    void insertsFirstAddToRowsThatExist(@TempDir Path dir) throws Exception {
        twoPurgesAddUp(dir, "acct", "sql_dont_try_update[q]: true\nsql_multi_values[q]: 4096\n", 0, 1);
    }

    /** sql_num_hosts: the bytes INET6_ATON gives into binary columns, the number INET_ATON gives into others. */
    @Test
    void numericHosts() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, (byte[]) ValueBinder.numericHost(Addr.V4, 0, 0x0a000001, true));
        assertEquals(0xc0a80102L, ValueBinder.numericHost(Addr.V4, 0, 0xc0a80102, false));
        assertArrayEquals(new byte[4], (byte[]) ValueBinder.numericHost(Addr.NONE, 0, 0, true));
        assertEquals(0L, ValueBinder.numericHost(Addr.NONE, 0, 0, false));
        assertEquals(new BigDecimal("42540766411282592856903984951653826561"),
                ValueBinder.numericHost(Addr.V6, 0x20010db800000000L, 1, false), "2001:db8::1");
        assertEquals(16, ((byte[]) ValueBinder.numericHost(Addr.V6, 0x20010db800000000L, 1, true)).length);
    }
}
