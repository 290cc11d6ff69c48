package jpmacct.plugins.sql.schema;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.primitive.Primitive;
import jpmacct.plugins.sql.SqlKeys;

/** The columns a plugin writes, from its table version and its aggregate. */
public final class WrittenColumns {
    private WrittenColumns() {
    }

    /**
     * Every column of the table version (pmacct fills those not aggregated with zero values), or with
     * {@code sql_optimize_clauses} only the aggregated ones; plus a column for each aggregated primitive the version
     * lacks, and with nfacctd_stitching its times (pmacct writes them whatever the version). A primitive no column
     * takes is refused, naming the version or table type that would take it.
     */
    public static List<SqlColumn> of(PluginConfig cfg, PluginAggregation aggregation, List<SqlColumn> versionColumns,
                                     int version, boolean bgp) throws ConfigException {
        boolean optimize = cfg.get(SqlKeys.OPTIMIZE_CLAUSES);
        EnumSet<Primitive> aggregated = EnumSet.noneOf(Primitive.class);
        aggregated.addAll(aggregation.aggregate().primitives());
        List<SqlColumn> out = new ArrayList<>();
        EnumSet<Primitive> covered = EnumSet.noneOf(Primitive.class);
        for (SqlColumn c : versionColumns) {
            boolean mine = c.primitives().length == 0 && c.kind() != SqlColumn.Kind.NO_VALUE_NUMBER
                    && c.kind() != SqlColumn.Kind.NO_VALUE_TEXT;
            for (Primitive p : c.primitives()) {
                if (aggregated.contains(p)) {
                    mine = true;
                    covered.add(p);
                }
            }
            if (mine || !optimize) {
                out.add(c);
            }
        }
        for (Primitive p : aggregated) {
            if (covered.contains(p)) {
                continue;
            }
            SqlColumn extra = SqlColumn.extraFor(p);
            if (extra == null) {
                throw cfg.error(CoreKeys.AGGREGATE, noColumn(p, version, bgp));
            }
            out.add(out.indexOf(SqlColumn.PACKETS), extra);
        }
        if (aggregation.stitching()) {
            out.addAll(out.indexOf(SqlColumn.PACKETS), stitching(cfg.get(CoreKeys.TIMESTAMPS_SECS)));
        }
        return out;
    }

    /** nfacctd_stitching's columns: timestamp_min and timestamp_max, with their microseconds unless timestamps_secs. */
    static List<SqlColumn> stitching(boolean secondsOnly) {
        return secondsOnly ? List.of(SqlColumn.TIMESTAMP_MIN, SqlColumn.TIMESTAMP_MAX)
                : List.of(SqlColumn.TIMESTAMP_MIN, SqlColumn.TIMESTAMP_MIN_RESIDUAL, SqlColumn.TIMESTAMP_MAX,
                        SqlColumn.TIMESTAMP_MAX_RESIDUAL);
    }

    private static String noColumn(Primitive p, int version, boolean bgp) {
        int needed = TableVersion.firstWith(p);
        if (bgp && needed > 0) {
            return "sql_table_type bgp has no column for '" + p.configName() + "'; use sql_table_type "
                    + "original, or a custom table with sql_optimize_clauses";
        }
        if (needed > 0) {
            return "sql_table_version " + version + " has no column for '" + p.configName() + "'; use "
                    + "version " + needed + " or later, or a custom table with sql_optimize_clauses";
        }
        return "primitive '" + p.configName() + "' has no SQL column yet; remove it from aggregate or "
                + "use the print or memory plugin";
    }
}
