package jpmacct.plugins.sql.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.plugins.sql.dialect.Dialect;

/**
 * Checks that a table takes the plugin's columns, creating it from sql_table_schema when it is missing, and reads
 * what the statements depend on: which columns store bytes, and the table's primary key.
 */
public final class TableProbe {
    private static final Logger LOG = LoggerFactory.getLogger(TableProbe.class);

    private final Dialect dialect;
    private final int columnCount;
    private final String columnList;
    /** sql_table_schema, or null. */
    private final TableSchema schema;

    public TableProbe(Dialect dialect, List<SqlColumn> columns, TableSchema schema) {
        this.dialect = dialect;
        this.columnCount = columns.size();
        this.columnList = String.join(", ", columns.stream().map(SqlColumn::columnName).toList());
        this.schema = schema;
    }

    /**
     * Checks table {@code name} ({@code quoted} as the statements name it), first creating it when it is missing
     * and there is a schema; returns per column whether it stores bytes (sql_num_hosts into VARBINARY or BLOB).
     */
    public boolean[] check(Connection c, String name, String quoted) throws SQLException {
        try {
            return binaryColumns(c, quoted);
        } catch (SQLException missing) {
            if (schema == null || dialect.unreachable(missing)) {
                throw missing;
            }
            String create = schema.createFor(name, dialect);
            try (Statement s = c.createStatement()) {
                s.execute(create);
                LOG.info("table {} created from {}", name, schema.file());
            } catch (SQLException e) {
                LOG.debug("CREATE of {} failed ({}); checking whether another writer created it", name, e.getMessage());
            }
            return binaryColumns(c, quoted);
        }
    }

    /** Drivers may prepare on the client side: a query is what proves the table and its columns exist. */
    private boolean[] binaryColumns(Connection c, String quoted) throws SQLException {
        String probe = "SELECT " + columnList + " FROM " + quoted + " WHERE 1 = 0";
        boolean[] binary = new boolean[columnCount];
        try (PreparedStatement p = c.prepareStatement(probe); ResultSet rs = p.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 0; i < columnCount; i++) {
                String type = String.valueOf(md.getColumnTypeName(i + 1)).toUpperCase(Locale.ROOT);
                int t = md.getColumnType(i + 1);
                binary[i] = type.contains("BINARY") || type.contains("BLOB") || t == Types.BINARY
                        || t == Types.VARBINARY || t == Types.LONGVARBINARY || t == Types.BLOB;
            }
        }
        return binary;
    }

    /** The columns of {@code table}'s primary key, in lower case; none when it has none. */
    public static Set<String> primaryKey(Connection c, String table) throws SQLException {
        Set<String> pk = new HashSet<>();
        DatabaseMetaData md = c.getMetaData();
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
}
