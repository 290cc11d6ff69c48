package jpmacct.plugins.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.Protocols;
import jpmacct.core.output.TableRow;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.record.Addr;
import jpmacct.core.runtime.RateLimitedLog;

/** Writes purged caches to one table: per entry an UPDATE adding the counters, and an INSERT when no row matched. */
final class SqlWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SqlWriter.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Dialect dialect;
    private final PluginConfig cfg;
    private final String table;
    private final List<SqlColumn> columns;
    private final List<SqlColumn> keys = new ArrayList<>();
    private final PluginAggregation aggregation;
    private final boolean history;
    private final boolean numericProtos;
    private final int protoLength;
    private final boolean insertFirst;
    private final ZoneId zone;
    private final String update;
    private final String insert;
    /** INSERT-or-add in one statement; used only when the table's primary key is exactly our key (checked at open). */
    private final String upsert;
    private boolean useUpsert;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, 60_000);
    private HikariDataSource pool;

    SqlWriter(Dialect dialect, PluginConfig cfg, String table, List<SqlColumn> columns, PluginAggregation aggregation) {
        this.dialect = dialect;
        this.cfg = cfg;
        this.table = table;
        this.columns = columns;
        this.aggregation = aggregation;
        this.history = aggregation.bins() != null;
        this.numericProtos = dialect.numericProtocols() || cfg.get(CoreKeys.NUM_PROTOS);
        this.protoLength = dialect.protocolNameLength();
        this.insertFirst = cfg.get(SqlKeys.DONT_TRY_UPDATE);
        this.zone = aggregation.timestamps().zone();
        for (SqlColumn c : columns) {
            if (c.isKey()) {
                keys.add(c);
            }
        }
        this.update = updateStatement();
        this.insert = insertStatement();
        this.upsert = upsertStatement();
    }

    private String updateStatement() {
        StringBuilder sb = new StringBuilder("UPDATE ").append(table).append(" SET packets=packets+?, bytes=bytes+?");
        if (columns.contains(SqlColumn.FLOWS)) {
            sb.append(", flows=flows+?");
        }
        if (columns.contains(SqlColumn.TCP_FLAGS)) {
            sb.append(", tcp_flags=tcp_flags|?");
        }
        sb.append(", stamp_updated=? WHERE ");
        List<String> where = new ArrayList<>();
        for (SqlColumn c : keys) {
            where.add(c.columnName() + "=?");
        }
        if (history) {
            where.add("stamp_inserted=?");
        }
        return sb.append(String.join(" AND ", where)).toString();
    }

    private String upsertStatement() {
        if (!history) {
            return null; // without bins the key ignores stamp_inserted, which every pmacct primary key includes
        }
        List<String> adds = new ArrayList<>();
        for (SqlColumn c : List.of(SqlColumn.PACKETS, SqlColumn.BYTES, SqlColumn.FLOWS, SqlColumn.TCP_FLAGS)) {
            if (columns.contains(c)) {
                String n = c.columnName();
                adds.add(n + "=" + dialect.existing(table, n) + (c == SqlColumn.TCP_FLAGS ? "|" : "+") + dialect.proposed(n));
            }
        }
        adds.add("stamp_updated=" + dialect.proposed("stamp_updated"));
        return dialect.upsert(insert, primaryKey(), adds);
    }

    /** The primary key our UPDATE's WHERE amounts to: the key columns and stamp_inserted. */
    private List<String> primaryKey() {
        List<String> pk = new ArrayList<>();
        for (SqlColumn c : keys) {
            pk.add(c.columnName());
        }
        pk.add("stamp_inserted");
        return pk;
    }

    private String insertStatement() {
        List<String> names = new ArrayList<>();
        List<String> marks = new ArrayList<>();
        for (SqlColumn c : columns) {
            names.add(c.columnName());
            marks.add("?");
        }
        return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES (" + String.join(", ", marks) + ")";
    }

    /**
     * Connects and checks that the table takes our statements. A database that cannot be reached is not an error
     * here (the plugin keeps accounting and retries); anything else (credentials, a missing database or table, an
     * unwritable SQLite file) is, naming database and table.
     */
    void open() throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(dialect.jdbcUrl(cfg));
        if (dialect.user(cfg) != null) {
            hc.setUsername(dialect.user(cfg));
            hc.setPassword(dialect.password(cfg));
        }
        hc.setMaximumPoolSize(1);
        hc.setPoolName(cfg.id());
        hc.setInitializationFailTimeout(-1);
        hc.setConnectionTimeout(5000);
        pool = new HikariDataSource(hc);
        List<String> names = new ArrayList<>();
        for (SqlColumn col : columns) {
            names.add(col.columnName());
        }
        // drivers may prepare on the client side: a query is what proves the table and its columns exist
        String probe = "SELECT " + String.join(", ", names) + " FROM " + table + " WHERE 1 = 0";
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(probe)) {
            p.executeQuery().close();
            useUpsert = upsert != null && primaryKeyOf(c).equals(new java.util.HashSet<>(primaryKey()));
            if (useUpsert) {
                LOG.info("table {}: its primary key is the aggregation key and bin, so rows are written with one upsert each",
                        table);
            }
        } catch (SQLException e) {
            if (unreachable(e)) {
                LOG.warn("{} is not reachable ({}); accounting goes on and purges are written once it is", dialect.describe(cfg),
                        rootMessage(e));
                return;
            }
            pool.close();
            throw new SQLException(dialect.describe(cfg) + ", table " + table + ": " + rootMessage(e)
                    + " (create the table with the scripts in sql/, see sql/README.md)", e);
        }
    }

    private java.util.Set<String> primaryKeyOf(Connection c) throws SQLException {
        java.util.Set<String> pk = new java.util.HashSet<>();
        java.sql.DatabaseMetaData md = c.getMetaData();
        for (String name : List.of(table, table.toLowerCase(java.util.Locale.ROOT))) {
            try (java.sql.ResultSet rs = md.getPrimaryKeys(c.getCatalog(), null, name)) {
                while (rs.next()) {
                    pk.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                }
            }
            if (!pk.isEmpty()) {
                break;
            }
        }
        return pk;
    }

    /** A connection problem (worth retrying), as opposed to a refusal. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException se && se.getSQLState() != null && se.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : e.getMessage() + ": " + t.getMessage();
    }

    /**
     * Writes one purged cache in one transaction; false (logged) when the database is unreachable or refused it. A
     * row the database refuses as data (SQLSTATE class 22, e.g. a value too long) is skipped and logged, the rest
     * written: one bad value must not hold back a whole purge forever.
     */
    boolean write(AggregationTable t, long nowSeconds) {
        long start = System.nanoTime();
        String now = stamp(nowSeconds);
        int[] counts;
        try {
            try {
                counts = writeAll(t, now, false);
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) {
                    throw e;
                }
                counts = writeAll(t, now, true);
            }
        } catch (SQLException e) {
            failures.warn("write", "writing " + t.size() + " entries to " + dialect.describe(cfg) + ", table " + table
                    + " failed: " + e.getMessage() + "; kept for the next purge");
            return false;
        }
        LOG.info("*** Purging cache - END (QN: {}/{}, inserted {}, skipped {}, ET: {} ms) ***", t.size() - counts[1],
                t.size(), counts[0], counts[1], (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    /** Rows per JDBC batch: one round trip per batch instead of one per statement. */
    private static final int BATCH = 1000;

    /** @return rows inserted, rows skipped (only when {@code rowByRow}) */
    private int[] writeAll(AggregationTable t, String now, boolean rowByRow) throws SQLException {
        int inserted = 0;
        int skipped = 0;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement(update); PreparedStatement i = c.prepareStatement(insert)) {
                TableRow row = new TableRow(t, aggregation.layout(), aggregation.aggregator().labels(),
                        aggregation.aggregator().classes());
                if (!rowByRow && useUpsert) {
                    writeUpserts(c, row, now);
                } else if (!rowByRow && !insertFirst) {
                    inserted = writeBatched(u, i, row, now);
                } else {
                    while (row.next()) {
                        Savepoint sp = rowByRow ? c.setSavepoint() : null;
                        try {
                            inserted += writeRow(u, i, row, now) ? 1 : 0;
                        } catch (SQLException e) {
                            if (sp == null) {
                                throw e;
                            }
                            c.rollback(sp);
                            skipped++;
                            failures.warn("row", "table " + table + ": a row was refused and skipped (" + e.getMessage() + ")");
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return new int[] {inserted, skipped};
    }

    /** One INSERT-or-add statement per row, in batches (the drivers send a batch as multi-row statements). */
    private void writeUpserts(Connection c, TableRow row, String now) throws SQLException {
        try (PreparedStatement up = c.prepareStatement(upsert)) {
            int n = 0;
            while (row.next()) {
                bindInsert(up, row, now);
                up.addBatch();
                if (++n == BATCH) {
                    up.executeBatch();
                    n = 0;
                }
            }
            if (n > 0) {
                up.executeBatch();
            }
        }
    }

    /** UPDATEs in batches; the rows no UPDATE matched are INSERTed in a batch after each. */
    private int writeBatched(PreparedStatement u, PreparedStatement i, TableRow row, String now) throws SQLException {
        int[] slots = new int[BATCH];
        int inserted = 0;
        boolean more = true;
        while (more) {
            int n = 0;
            while (n < BATCH && (more = row.next())) {
                slots[n++] = row.slot();
                bindUpdate(u, row, now);
                u.addBatch();
            }
            if (n == 0) {
                break;
            }
            int[] counts = u.executeBatch();
            int inserts = 0;
            for (int k = 0; k < n; k++) {
                if (counts[k] == 0) {
                    row.moveTo(slots[k]);
                    bindInsert(i, row, now);
                    i.addBatch();
                    inserts++;
                }
            }
            if (inserts > 0) {
                i.executeBatch();
                inserted += inserts;
            }
            if (more) {
                row.moveTo(slots[n - 1]);
            }
        }
        return inserted;
    }

    /** UPDATE then INSERT (or the reverse with sql_dont_try_update); true when a row was inserted. */
    private boolean writeRow(PreparedStatement u, PreparedStatement i, TableRow row, String now) throws SQLException {
        if (insertFirst) {
            if (tryInsert(i, row, now)) {
                return true;
            }
            bindUpdate(u, row, now);
            u.executeUpdate();
            return false;
        }
        bindUpdate(u, row, now);
        if (u.executeUpdate() > 0) {
            return false;
        }
        bindInsert(i, row, now);
        i.executeUpdate();
        return true;
    }

    private boolean tryInsert(PreparedStatement i, TableRow row, String now) throws SQLException {
        bindInsert(i, row, now);
        Savepoint sp = dialect.errorAbortsTransaction() ? i.getConnection().setSavepoint() : null;
        try {
            i.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (sp != null) {
                i.getConnection().rollback(sp);
            }
            return false; // the row exists: add to it
        }
    }

    private void bindUpdate(PreparedStatement u, TableRow row, String now) throws SQLException {
        int n = 1;
        u.setLong(n++, row.packets());
        u.setLong(n++, row.bytes());
        if (columns.contains(SqlColumn.FLOWS)) {
            u.setLong(n++, row.flows());
        }
        if (columns.contains(SqlColumn.TCP_FLAGS)) {
            u.setLong(n++, row.tcpFlags());
        }
        u.setString(n++, now);
        for (SqlColumn c : keys) {
            u.setObject(n++, value(c, row));
        }
        if (history) {
            u.setString(n, stamp(row.binStart()));
        }
    }

    private void bindInsert(PreparedStatement i, TableRow row, String now) throws SQLException {
        int n = 1;
        for (SqlColumn c : columns) {
            switch (c.kind()) {
                case STAMP_UPDATED -> i.setString(n, now);
                case STAMP_INSERTED -> i.setString(n, history ? stamp(row.binStart()) : now);
                case PACKETS -> i.setLong(n, row.packets());
                case BYTES -> i.setLong(n, row.bytes());
                case FLOWS -> i.setLong(n, row.flows());
                case TCP_FLAGS -> i.setLong(n, row.tcpFlags());
                default -> i.setObject(n, value(c, row));
            }
            n++;
        }
    }

    /** A key column's value in pmacct's format. */
    private Object value(SqlColumn c, TableRow row) {
        KeyField f = c.field();
        switch (c.kind()) {
            case MAC: {
                StringBuilder sb = new StringBuilder(17);
                Addr.appendMac(sb, row.field(f));
                return sb.toString();
            }
            case IP: {
                KeyField[] all = KeyField.values();
                int family = (int) row.field(f);
                if (family == Addr.NONE) {
                    return "0.0.0.0";
                }
                return Addr.toString(family, row.field(all[f.ordinal() + 1]), row.field(all[f.ordinal() + 2]));
            }
            case PROTO: {
                int p = (int) row.field(f);
                if (numericProtos) {
                    return (long) p;
                }
                String name = Protocols.name(p);
                // what a non-strict MySQL stores in pmacct's CHAR(6), instead of refusing the whole purge
                return name.length() > protoLength ? name.substring(0, protoLength) : name;
            }
            case CLASS:
                return row.classLabel();
            case LABEL:
                return row.label();
            case HEX:
                return Long.toHexString(row.field(f));
            default:
                return row.field(f);
        }
    }

    private String stamp(long epochSeconds) {
        return STAMP.format(Instant.ofEpochSecond(epochSeconds).atZone(zone));
    }

    void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
