package jpmacct.plugins.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.Protocols;
import jpmacct.core.output.TableRow;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.record.Addr;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * Writes purged caches in one transaction per purge, over every table its entries go to: per entry an UPDATE adding
 * the counters and an INSERT when no row matched; one upsert per entry when the table's primary key is the
 * aggregation key and bin; or INSERTs (COPY) first with sql_dont_try_update.
 */
final class SqlWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SqlWriter.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Rows per JDBC batch: one round trip per batch instead of one per statement. */
    private static final int BATCH = 1000;
    /** Placeholders of one multi-row statement at most (SQLite takes 32766, MySQL 65535). */
    private static final int MAX_PARAMETERS = 30_000;
    /** Checked tables remembered; a dynamic name per day needs few, per tag more. */
    private static final int REMEMBERED_TABLES = 256;
    private static final Long ZERO = 0L;
    private static final byte[] NO_ADDRESS = new byte[4];

    private final Dialect dialect;
    private final PluginConfig cfg;
    private final TableName tableName;
    private final TableSchema schema;
    private final List<SqlColumn> columns;
    private final List<String> columnNames = new ArrayList<>();
    private final List<SqlColumn> keys = new ArrayList<>();
    /** Index in {@link #columns} of each key column. */
    private final int[] keyIndex;
    private final PluginAggregation aggregation;
    private final boolean history;
    private final boolean numericProtos;
    private final int protoLength;
    private final boolean insertFirst;
    private final boolean sinceEpoch;
    private final boolean numericHosts;
    private final Dialect.LockingStyle locking;
    private final PgCopy copy;
    /** Rows per multi-row INSERT (sql_multi_values), 0 for JDBC batches. */
    private final int rowsPerInsert;
    private final ZoneId zone;
    private final RateLimitedLog failures;
    private final Map<String, TableStatements> tables = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TableStatements> eldest) {
            return size() > REMEMBERED_TABLES;
        }
    };
    // the last few stamps formatted: rows of one purge share a handful of bins
    private final long[] stampSeconds = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    private final Object[] stampValues = new Object[4];
    private int stampNext;
    private HikariDataSource pool;
    private Outcome last = new Outcome(0, 0, 0, 0, 0, null);

    /** What the last successful write did, for the trigger's variables. */
    record Outcome(int written, int inserted, int updated, int skipped, long millis, String lastTable) {
    }

    SqlWriter(Dialect dialect, PluginConfig cfg, TableName tableName, TableSchema schema, List<SqlColumn> columns,
              PluginAggregation aggregation, Dialect.LockingStyle locking, long failureLogMillis) {
        this.dialect = dialect;
        this.cfg = cfg;
        this.tableName = tableName;
        this.schema = schema;
        this.columns = columns;
        this.aggregation = aggregation;
        this.locking = locking;
        this.history = aggregation.bins() != null;
        this.numericProtos = dialect.numericProtocols() || cfg.get(CoreKeys.NUM_PROTOS);
        this.protoLength = dialect.protocolNameLength();
        this.insertFirst = cfg.get(SqlKeys.DONT_TRY_UPDATE);
        this.sinceEpoch = cfg.get(CoreKeys.TIMESTAMPS_SINCE_EPOCH);
        this.numericHosts = dialect.takesMultiValuesAndNumericHosts() && cfg.get(SqlKeys.NUM_HOSTS);
        this.copy = dialect.hasCopy() && insertFirst && cfg.get(SqlKeys.USE_COPY) ? new PgCopy(cfg.get(SqlKeys.DELIMITER).charAt(0)) : null;
        this.zone = aggregation.timestamps().zone();
        this.failures = new RateLimitedLog(LOG, failureLogMillis);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            SqlColumn c = columns.get(i);
            columnNames.add(c.columnName());
            if (c.isKey()) {
                keys.add(c);
                idx.add(i);
            }
        }
        this.keyIndex = idx.stream().mapToInt(Integer::intValue).toArray();
        long multiValues = dialect.takesMultiValuesAndNumericHosts() ? cfg.get(SqlKeys.MULTI_VALUES) : 0;
        int rowBytes = rowTextBytes();
        this.rowsPerInsert = multiValues == 0 ? 0
                : (int) Math.max(1, Math.min(multiValues / rowBytes, MAX_PARAMETERS / columns.size()));
        if (multiValues > 0 && multiValues < rowBytes) {
            LOG.warn("sql_multi_values {} is smaller than one row (about {} bytes): one row per INSERT", multiValues, rowBytes);
        } else if (multiValues > 0) {
            LOG.info("sql_multi_values {}: INSERTs of up to {} rows", multiValues, rowsPerInsert);
        }
    }

    /** About the bytes of one row in a VALUES list, as pmacct fills its multi-values buffer. */
    private int rowTextBytes() {
        int n = 2;
        for (SqlColumn c : columns) {
            n += 2 + switch (c.kind()) {
                case IP -> 17;
                case MAC -> 19;
                case STAMP_INSERTED, STAMP_UPDATED -> sinceEpoch ? 10 : 21;
                case CLASS, LABEL -> 18;
                case PACKETS, BYTES, FLOWS -> 10;
                default -> 5;
            };
        }
        return n;
    }

    /** The statements of one table, built once it is checked to exist and take them. */
    private final class TableStatements {
        final String name;
        final String quoted;
        final String update;
        final String insertHead;
        final String rowMarks;
        /** The ON CONFLICT / ON DUPLICATE KEY part of the upsert, or null. */
        final String upsertTail;
        boolean useUpsert;
        /** Per column: it stores bytes (sql_num_hosts into VARBINARY/BLOB). */
        final boolean[] binary = new boolean[columns.size()];
        final Map<Integer, String> multiRow = new HashMap<>();

        TableStatements(String name) {
            this.name = name;
            this.quoted = dialect.quoteTable(name);
            StringBuilder sb = new StringBuilder("UPDATE ").append(quoted).append(" SET packets=packets+?, bytes=bytes+?");
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
            this.update = sb.append(String.join(" AND ", where)).toString();
            this.insertHead = "INSERT INTO " + quoted + " (" + String.join(", ", columnNames) + ") VALUES ";
            this.rowMarks = "(" + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
            this.upsertTail = upsertTail();
        }

        private String upsertTail() {
            if (!history) {
                return null; // without bins the key ignores stamp_inserted, which every pmacct primary key includes
            }
            List<String> adds = new ArrayList<>();
            for (SqlColumn c : List.of(SqlColumn.PACKETS, SqlColumn.BYTES, SqlColumn.FLOWS, SqlColumn.TCP_FLAGS)) {
                if (columns.contains(c)) {
                    String n = c.columnName();
                    adds.add(n + "=" + dialect.existing(quoted, n) + (c == SqlColumn.TCP_FLAGS ? "|" : "+") + dialect.proposed(n));
                }
            }
            adds.add("stamp_updated=" + dialect.proposed("stamp_updated"));
            String insert = insertHead + rowMarks;
            String upsert = dialect.upsert(insert, primaryKey(), adds);
            return upsert == null ? null : upsert.substring(insert.length());
        }

        /** INSERT (or upsert) of {@code rows} rows in one statement. */
        String insert(int rows, boolean upsert) {
            return multiRow.computeIfAbsent(upsert ? -rows : rows, k -> {
                StringBuilder sb = new StringBuilder(insertHead);
                for (int r = 0; r < rows; r++) {
                    sb.append(r == 0 ? "" : ", ").append(rowMarks);
                }
                return upsert ? sb.append(upsertTail).toString() : sb.toString();
            });
        }
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

    /**
     * Connects and checks that the table takes our statements (creating it from sql_table_schema when missing); with
     * a dynamic name, that the database takes the credentials. A database that cannot be reached is not an error
     * here (the plugin keeps accounting and retries); anything else (credentials, a missing database, table or
     * column, an unwritable SQLite file) is, naming database and table.
     */
    void open() throws ConfigException {
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
        hc.setTransactionIsolation(dialect.transactionIsolation());
        pool = new HikariDataSource(hc);
        String table = tableName.isDynamic() ? null : tableName.template();
        try (Connection c = pool.getConnection()) {
            if (table == null) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
            } else {
                checkedTable(c, table);
            }
        } catch (SQLException e) {
            if (unreachable(e)) {
                LOG.warn("{} is not reachable ({}); accounting goes on and purges are written once it is", dialect.describe(cfg),
                        rootMessage(e));
                return;
            }
            pool.close();
            pool = null;
            throw new ConfigException(dialect.describe(cfg) + (table == null ? "" : ", table " + table) + ": "
                    + rootMessage(e) + (table == null ? "" : " (create the table with the scripts in sql/, see "
                    + "sql/README.md, or name a CREATE TABLE file in sql_table_schema)"));
        }
    }

    /** The statements of {@code name}, checking (and creating) the table on first use; autocommit must be on. */
    private TableStatements checkedTable(Connection c, String name) throws SQLException {
        TableStatements ts = tables.get(name);
        if (ts != null) {
            return ts;
        }
        ts = new TableStatements(name);
        try {
            probe(c, ts);
        } catch (SQLException missing) {
            if (schema == null || unreachable(missing)) {
                throw missing;
            }
            String create = schema.createFor(name, dialect);
            try (Statement s = c.createStatement()) {
                s.execute(create);
                LOG.info("table {} created from {}", name, schema.file());
            } catch (SQLException e) {
                LOG.debug("CREATE of {} failed ({}); checking whether another writer created it", name, e.getMessage());
            }
            probe(c, ts);
        }
        ts.useUpsert = !insertFirst && ts.upsertTail != null && primaryKeyOf(c, name).equals(new HashSet<>(primaryKey()));
        if (ts.useUpsert) {
            LOG.info("table {}: its primary key is the aggregation key and bin, so rows are written with one upsert each",
                    name);
        }
        tables.put(name, ts);
        return ts;
    }

    /** Drivers may prepare on the client side: a query is what proves the table and its columns exist. */
    private void probe(Connection c, TableStatements ts) throws SQLException {
        String probe = "SELECT " + String.join(", ", columnNames) + " FROM " + ts.quoted + " WHERE 1 = 0";
        try (PreparedStatement p = c.prepareStatement(probe); ResultSet rs = p.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 0; i < columns.size(); i++) {
                String type = String.valueOf(md.getColumnTypeName(i + 1)).toUpperCase(Locale.ROOT);
                int t = md.getColumnType(i + 1);
                ts.binary[i] = type.contains("BINARY") || type.contains("BLOB") || t == java.sql.Types.BINARY
                        || t == java.sql.Types.VARBINARY || t == java.sql.Types.LONGVARBINARY || t == java.sql.Types.BLOB;
            }
        }
    }

    private static Set<String> primaryKeyOf(Connection c, String table) throws SQLException {
        Set<String> pk = new HashSet<>();
        java.sql.DatabaseMetaData md = c.getMetaData();
        int dot = table.indexOf('.');
        String schemaName = dot < 0 ? null : table.substring(0, dot);
        String bare = table.substring(dot + 1);
        for (String name : List.of(table, bare, bare.toLowerCase(Locale.ROOT))) {
            try (ResultSet rs = md.getPrimaryKeys(c.getCatalog(), schemaName, name)) {
                while (rs.next()) {
                    pk.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (!pk.isEmpty()) {
                break;
            }
        }
        return pk;
    }

    /** A connection problem (worth retrying), as opposed to a refusal (also of the server's TLS certificate). */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    // a server without TLS while sql_conn_ca_file asks for it (Connector/J, pgJDBC)
                    || m.contains("SSL Connection required") || m.contains("does not support SSL")) {
                return false;
            }
        }
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

    /** A row that exists already: SQLSTATE class 23, or SQLite's SQLITE_CONSTRAINT (19), also inside a batch. */
    private static boolean duplicate(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            for (Throwable t = s; t != null; t = t.getCause()) {
                if (t instanceof SQLException se && (se.getSQLState() != null && se.getSQLState().startsWith("23")
                        || (se.getErrorCode() & 0xFF) == 19 && se.getClass().getName().startsWith("org.sqlite")
                        || String.valueOf(se.getMessage()).contains("SQLITE_CONSTRAINT_PRIMARYKEY")
                        || String.valueOf(se.getMessage()).contains("SQLITE_CONSTRAINT_UNIQUE"))) {
                    return true;
                }
            }
            if (s.getNextException() == s) {
                break;
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

    Outcome lastOutcome() {
        return last;
    }

    /**
     * Writes one purged cache in one transaction; false (logged at most once per interval) when the database is
     * unreachable or refused it. A row the database refuses as data (SQLSTATE class 22, e.g. a value too long) is
     * skipped and logged, the rest written: one bad value must not hold back a whole purge forever.
     */
    boolean write(AggregationTable t, long nowSeconds) {
        long start = System.nanoTime();
        Object now = stamp(nowSeconds);
        int[] counts;
        String lastTable;
        TableRow row = newRow(t);
        try {
            List<TableName.Group> groups = groups(t, row, nowSeconds);
            lastTable = groups.isEmpty() ? null : groups.get(groups.size() - 1).table;
            try {
                counts = writeAll(groups, row, now, false);
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) {
                    throw e;
                }
                counts = writeAll(groups, row, now, true);
            }
        } catch (SQLException e) {
            tables.clear(); // checked again at the next attempt: a table dropped meanwhile is created again
            failures.warn("write", "writing " + t.size() + " entries to " + dialect.describe(cfg) + ", table "
                    + tableName.template() + " failed: " + rootMessage(e) + "; kept and retried");
            return false;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        last = new Outcome(t.size() - counts[2], counts[0], counts[1], counts[2], millis, lastTable);
        LOG.info("*** Purging cache - END (QN: {}/{}, inserted {}, updated {}, skipped {}, ET: {} ms) ***",
                t.size() - counts[2], t.size(), counts[0], counts[1], counts[2], millis);
        return true;
    }

    /** The purge's entries by table; those whose table name cannot be used are dropped, logged. */
    private List<TableName.Group> groups(AggregationTable t, TableRow row, long nowSeconds) {
        List<TableName.Group> groups = new ArrayList<>(tableName.group(t, row, nowSeconds));
        groups.removeIf(g -> {
            String why = TableName.invalid(g.table);
            if (why != null) {
                LOG.error("{} entries not written: table name '{}' (from '{}') has {}", g.size, g.table,
                        tableName.template(), why);
            }
            return why != null;
        });
        return groups;
    }

    private TableRow newRow(AggregationTable t) {
        return new TableRow(t, aggregation.layout(), aggregation.aggregator().labels(), aggregation.aggregator().classes());
    }

    /** @return rows inserted, rows updated, rows skipped (only when {@code rowByRow}) */
    private int[] writeAll(List<TableName.Group> groups, TableRow row, Object now, boolean rowByRow) throws SQLException {
        int[] counts = new int[3];
        if (groups.isEmpty()) {
            return counts;
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            List<TableStatements> targets = new ArrayList<>();
            List<String> quoted = new ArrayList<>();
            for (TableName.Group g : groups) {
                TableStatements ts = checkedTable(c, g.table);
                targets.add(ts);
                quoted.add(ts.quoted);
            }
            c.setAutoCommit(false);
            String lock = dialect.lock(quoted, locking, insertFirst);
            try {
                if (lock != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(lock);
                    }
                }
                for (int i = 0; i < groups.size(); i++) {
                    writeGroup(c, targets.get(i), groups.get(i), row, now, rowByRow, counts);
                }
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                if (lock != null && dialect.unlock() != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(dialect.unlock());
                    } catch (SQLException e) {
                        LOG.debug("unlock: {}", e.getMessage());
                    }
                }
            }
        }
        return counts;
    }

    private void writeGroup(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, boolean rowByRow,
                            int[] counts) throws SQLException {
        if (rowByRow) {
            writeRowByRow(c, ts, g, row, now, counts);
        } else if (insertFirst) {
            writeInsertsFirst(c, ts, g, row, now, counts);
        } else if (ts.useUpsert) {
            insertSlots(c, ts, true, g.slots, 0, g.size, row, now);
            counts[0] += g.size;
        } else {
            writeBatched(c, ts, g, row, now, counts);
        }
    }

    /** One row at a time, each under a savepoint: a row refused as data is skipped and logged. */
    private void writeRowByRow(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, int[] counts)
            throws SQLException {
        try (PreparedStatement u = c.prepareStatement(ts.update); PreparedStatement i = c.prepareStatement(ts.insert(1, false))) {
            for (int k = 0; k < g.size; k++) {
                row.moveTo(g.slots[k]);
                Savepoint sp = c.setSavepoint();
                try {
                    counts[writeRow(u, i, ts, row, now) ? 0 : 1]++;
                    c.releaseSavepoint(sp);
                } catch (SQLException e) {
                    c.rollback(sp);
                    counts[2]++;
                    failures.warn("row", "table " + ts.name + ": a row was refused and skipped (" + e.getMessage() + ")");
                }
            }
        }
    }

    /**
     * sql_dont_try_update: the rows as INSERTs (or COPY); when one exists already, this table's part is written again
     * row by row, INSERT then UPDATE, instead of being lost.
     */
    private void writeInsertsFirst(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now,
                                   int[] counts) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            if (copy != null) {
                long copied = copy.copy(c, ts.quoted, columns, g.slots, g.size, row, (col, r) -> copyValue(col, r, ts, now));
                LOG.debug("COPY of {} rows into {}", copied, ts.name);
            } else {
                insertSlots(c, ts, false, g.slots, 0, g.size, row, now);
            }
            c.releaseSavepoint(sp);
            counts[0] += g.size;
        } catch (SQLException e) {
            if (!duplicate(e)) {
                throw e;
            }
            c.rollback(sp);
            LOG.info("table {}: some rows exist already; writing this purge's {} rows INSERT then UPDATE", ts.name, g.size);
            try (PreparedStatement u = c.prepareStatement(ts.update); PreparedStatement i = c.prepareStatement(ts.insert(1, false))) {
                for (int k = 0; k < g.size; k++) {
                    row.moveTo(g.slots[k]);
                    counts[writeRow(u, i, ts, row, now) ? 0 : 1]++;
                }
            }
        }
    }

    /**
     * INSERTs (or upserts) of the rows at {@code slots[from..from+n)}: JDBC batches, which the drivers send as
     * multi-row statements, or with sql_multi_values statements of {@link #rowsPerInsert} rows.
     */
    private void insertSlots(Connection c, TableStatements ts, boolean upsert, int[] slots, int from, int n, TableRow row,
                             Object now) throws SQLException {
        if (rowsPerInsert == 0) {
            try (PreparedStatement p = c.prepareStatement(ts.insert(1, upsert))) {
                int pending = 0;
                for (int k = from; k < from + n; k++) {
                    row.moveTo(slots[k]);
                    bindInsert(p, 1, ts, row, now);
                    p.addBatch();
                    if (++pending == BATCH) {
                        p.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    p.executeBatch();
                }
            }
            return;
        }
        int k = from;
        int end = from + n;
        while (k < end) {
            int rows = Math.min(rowsPerInsert, end - k);
            try (PreparedStatement p = c.prepareStatement(ts.insert(rows, upsert))) {
                int param = 1;
                for (int r = 0; r < rows; r++) {
                    row.moveTo(slots[k++]);
                    param = bindInsert(p, param, ts, row, now);
                }
                p.executeUpdate();
            }
        }
    }

    /** UPDATEs in batches; the rows no UPDATE matched are INSERTed after each batch. */
    private void writeBatched(Connection c, TableStatements ts, TableName.Group g, TableRow row, Object now, int[] counts)
            throws SQLException {
        int[] misses = new int[Math.min(BATCH, g.size)];
        try (PreparedStatement u = c.prepareStatement(ts.update)) {
            for (int from = 0; from < g.size; from += BATCH) {
                int n = Math.min(BATCH, g.size - from);
                for (int k = from; k < from + n; k++) {
                    row.moveTo(g.slots[k]);
                    bindUpdate(u, ts, row, now);
                    u.addBatch();
                }
                int[] updated = u.executeBatch();
                int missed = 0;
                for (int k = 0; k < n; k++) {
                    if (updated[k] == 0) {
                        misses[missed++] = g.slots[from + k];
                    }
                }
                if (missed > 0) {
                    insertSlots(c, ts, false, misses, 0, missed, row, now);
                }
                counts[0] += missed;
                counts[1] += n - missed;
            }
        } catch (BatchUpdateException e) {
            throw e.getNextException() != null ? e.getNextException() : e;
        }
    }

    /** UPDATE then INSERT (or the reverse with sql_dont_try_update); true when a row was inserted. */
    private boolean writeRow(PreparedStatement u, PreparedStatement i, TableStatements ts, TableRow row, Object now)
            throws SQLException {
        if (insertFirst) {
            if (tryInsert(i, ts, row, now)) {
                return true;
            }
            bindUpdate(u, ts, row, now);
            u.executeUpdate();
            return false;
        }
        bindUpdate(u, ts, row, now);
        if (u.executeUpdate() > 0) {
            return false;
        }
        bindInsert(i, 1, ts, row, now);
        i.executeUpdate();
        return true;
    }

    /** An INSERT that may meet an existing row; false then, and the transaction is still usable. */
    private boolean tryInsert(PreparedStatement i, TableStatements ts, TableRow row, Object now) throws SQLException {
        bindInsert(i, 1, ts, row, now);
        Savepoint sp = dialect.errorAbortsTransaction() ? i.getConnection().setSavepoint() : null;
        try {
            i.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (sp != null) {
                i.getConnection().rollback(sp);
            }
            if (!duplicate(e)) {
                throw e;
            }
            return false; // the row exists: add to it
        }
    }

    private void bindUpdate(PreparedStatement u, TableStatements ts, TableRow row, Object now) throws SQLException {
        int n = 1;
        u.setLong(n++, row.packets());
        u.setLong(n++, row.bytes());
        if (columns.contains(SqlColumn.FLOWS)) {
            u.setLong(n++, row.flows());
        }
        if (columns.contains(SqlColumn.TCP_FLAGS)) {
            u.setLong(n++, row.tcpFlags());
        }
        u.setObject(n++, now);
        for (int k : keyIndex) {
            u.setObject(n++, value(k, row, ts));
        }
        if (history) {
            u.setObject(n, stamp(row.binStart()));
        }
    }

    /** Binds one row's values from parameter {@code first}; returns the next parameter. */
    private int bindInsert(PreparedStatement i, int first, TableStatements ts, TableRow row, Object now) throws SQLException {
        int n = first;
        for (int k = 0; k < columns.size(); k++) {
            switch (columns.get(k).kind()) {
                case STAMP_UPDATED -> i.setObject(n, now);
                case STAMP_INSERTED -> i.setObject(n, history ? stamp(row.binStart()) : now);
                case PACKETS -> i.setLong(n, row.packets());
                case BYTES -> i.setLong(n, row.bytes());
                case FLOWS -> i.setLong(n, row.flows());
                case TCP_FLAGS -> i.setLong(n, row.tcpFlags());
                default -> i.setObject(n, value(k, row, ts));
            }
            n++;
        }
        return n;
    }

    /** Column {@code k}'s value for the row under the cursor, in pmacct's format. */
    private Object value(int k, TableRow row, TableStatements ts) {
        SqlColumn c = columns.get(k);
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
                long hi = family == Addr.NONE ? 0 : row.field(all[f.ordinal() + 1]);
                long lo = family == Addr.NONE ? 0 : row.field(all[f.ordinal() + 2]);
                if (numericHosts) {
                    return numericHost(family, hi, lo, ts.binary[k]);
                }
                return family == Addr.NONE ? "0.0.0.0" : Addr.toString(family, hi, lo);
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
            case NO_VALUE_NUMBER:
                return ZERO;
            case NO_VALUE_TEXT:
                return "";
            default:
                return row.field(f);
        }
    }

    /** A key column's or stamp's value for COPY (which formats the counters itself). */
    private Object copyValue(int k, TableRow row, TableStatements ts, Object now) {
        return switch (columns.get(k).kind()) {
            case STAMP_UPDATED -> now;
            case STAMP_INSERTED -> history ? stamp(row.binStart()) : now;
            default -> value(k, row, ts);
        };
    }

    /** sql_num_hosts: network-order bytes (as INET6_ATON gives) or the unsigned number (as INET_ATON gives). */
    private static Object numericHost(int family, long hi, long lo, boolean binary) {
        if (family == Addr.NONE) {
            return binary ? NO_ADDRESS : ZERO;
        }
        if (family == Addr.V4) {
            if (!binary) {
                return lo & 0xFFFFFFFFL;
            }
            return java.nio.ByteBuffer.allocate(4).putInt((int) lo).array();
        }
        byte[] b = java.nio.ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
        return binary ? b : new BigDecimal(new BigInteger(1, b));
    }

    /** A stamp as the columns take it: text in the plugin's time zone, or seconds (timestamps_since_epoch). */
    private Object stamp(long epochSeconds) {
        for (int i = 0; i < stampSeconds.length; i++) {
            if (stampSeconds[i] == epochSeconds) {
                return stampValues[i];
            }
        }
        Object v = sinceEpoch ? (Object) epochSeconds : STAMP.format(Instant.ofEpochSecond(epochSeconds).atZone(zone));
        stampSeconds[stampNext] = epochSeconds;
        stampValues[stampNext] = v;
        stampNext = (stampNext + 1) % stampSeconds.length;
        return v;
    }

    void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
