package jpmacct.plugins.sql.write;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.Protocols;
import jpmacct.core.output.TableRow;
import jpmacct.core.record.Addr;
import jpmacct.plugins.sql.SqlKeys;
import jpmacct.plugins.sql.dialect.Dialect;
import jpmacct.plugins.sql.schema.SqlColumn;

/** The values of the row under a cursor, in pmacct's formats, bound to the parameters of the statements. */
final class ValueBinder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Long ZERO = 0L;
    private static final byte[] NO_ADDRESS = new byte[4];

    private final List<SqlColumn> columns;
    /** Index in {@link #columns} of each key column. */
    private final int[] keyIndex;
    private final boolean flows;
    private final boolean tcpFlags;
    private final boolean history;
    private final boolean numericProtos;
    private final int protoLength;
    private final boolean numericHosts;
    private final boolean sinceEpoch;
    private final ZoneId zone;
    // the last few stamps formatted: rows of one purge share a handful of bins
    private final long[] stampSeconds = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    private final Object[] stampValues = new Object[4];
    private int stampNext;

    ValueBinder(Dialect dialect, PluginConfig cfg, List<SqlColumn> columns, boolean history, ZoneId zone) {
        this.columns = columns;
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).isKey()) {
                idx.add(i);
            }
        }
        this.keyIndex = idx.stream().mapToInt(Integer::intValue).toArray();
        this.flows = columns.contains(SqlColumn.FLOWS);
        this.tcpFlags = columns.contains(SqlColumn.TCP_FLAGS);
        this.history = history;
        this.numericProtos = dialect.numericProtocols() || cfg.get(CoreKeys.NUM_PROTOS);
        this.protoLength = dialect.protocolNameLength();
        this.numericHosts = dialect.takesMultiValuesAndNumericHosts() && cfg.get(SqlKeys.NUM_HOSTS);
        this.sinceEpoch = cfg.get(CoreKeys.TIMESTAMPS_SINCE_EPOCH);
        this.zone = zone;
    }

    /** Stamps are seconds (timestamps_since_epoch), not text. */
    boolean sinceEpoch() {
        return sinceEpoch;
    }

    /** The parameters of {@link TableStatements#update}: the counters, the stamp, the key, the bin. */
    void bindUpdate(PreparedStatement u, TableStatements ts, TableRow row, Object now) throws SQLException {
        int n = 1;
        u.setLong(n++, row.packets());
        u.setLong(n++, row.bytes());
        if (flows) {
            u.setLong(n++, row.flows());
        }
        if (tcpFlags) {
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

    /** Binds one row's values of an INSERT from parameter {@code first}; returns the next parameter. */
    int bindInsert(PreparedStatement i, int first, TableStatements ts, TableRow row, Object now) throws SQLException {
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

    /** A key column's or stamp's value for COPY (which formats the counters itself). */
    Object copyValue(int k, TableRow row, TableStatements ts, Object now) {
        return switch (columns.get(k).kind()) {
            case STAMP_UPDATED -> now;
            case STAMP_INSERTED -> history ? stamp(row.binStart()) : now;
            default -> value(k, row, ts);
        };
    }

    /** pmacct's sampling_direction letters, by FlowRecord.DIRECTION_*. */
    private static final String[] SAMPLING_DIRECTIONS = {"u", "i", "e"};

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
            case DIRECTION:
                return SAMPLING_DIRECTIONS[(int) row.field(f) % SAMPLING_DIRECTIONS.length];
            case NO_VALUE_NUMBER:
                return ZERO;
            case NO_VALUE_TEXT:
                return "";
            case TIME_MIN:
                return time(row.timestampMin());
            case TIME_MAX:
                return time(row.timestampMax());
            case TIME_MIN_RESIDUAL:
                return Math.floorMod(row.timestampMin(), 1_000_000L);
            case TIME_MAX_RESIDUAL:
                return Math.floorMod(row.timestampMax(), 1_000_000L);
            default:
                return row.field(f);
        }
    }

    /** sql_num_hosts: network-order bytes (as INET6_ATON gives) or the unsigned number (as INET_ATON gives). */
    static Object numericHost(int family, long hi, long lo, boolean binary) {
        if (family == Addr.NONE) {
            return binary ? NO_ADDRESS : ZERO;
        }
        if (family == Addr.V4) {
            if (!binary) {
                return lo & 0xFFFFFFFFL;
            }
            return ByteBuffer.allocate(4).putInt((int) lo).array();
        }
        byte[] b = ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
        return binary ? b : new BigDecimal(new BigInteger(1, b));
    }

    /** A time in microseconds to the second, as {@link #stamp} writes it (not cached: every row has its own). */
    private Object time(long micros) {
        return stampValue(Math.floorDiv(micros, 1_000_000L));
    }

    private Object stampValue(long epochSeconds) {
        return sinceEpoch ? (Object) epochSeconds : STAMP.format(Instant.ofEpochSecond(epochSeconds).atZone(zone));
    }

    /** A stamp as the columns take it: text in the plugin's time zone, or seconds (timestamps_since_epoch). */
    Object stamp(long epochSeconds) {
        for (int i = 0; i < stampSeconds.length; i++) {
            if (stampSeconds[i] == epochSeconds) {
                return stampValues[i];
            }
        }
        Object v = stampValue(epochSeconds);
        stampSeconds[stampNext] = epochSeconds;
        stampValues[stampNext] = v;
        stampNext = (stampNext + 1) % stampSeconds.length;
        return v;
    }
}
