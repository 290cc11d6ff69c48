package jpmacct.plugins.sql.schema;

import static jpmacct.plugins.sql.schema.SqlColumn.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jpmacct.core.primitive.Primitive;

/** pmacct's SQL table versions 1 to 9: which columns each has, in its scripts' order. */
public final class TableVersion {
    public static final int MIN = 1;
    public static final int MAX = 9;

    private TableVersion() {
    }

    /** The columns of version {@code v} in PostgreSQL, whose tables name the ports port_src/port_dst in every version. */
    public static List<SqlColumn> pgsqlColumns(int v) {
        List<SqlColumn> c = columns(v);
        c.replaceAll(x -> x == SRC_PORT ? PORT_SRC : x == DST_PORT ? PORT_DST : x);
        return c;
    }

    /** The columns of version {@code v}, keys first, then counters and stamps. */
    public static List<SqlColumn> columns(int v) {
        List<SqlColumn> c = new ArrayList<>();
        if (v >= 2) {
            c.add(v >= 9 ? TAG : AGENT_ID);
        }
        if (v >= 5) {
            c.add(CLASS_ID);
        }
        c.add(MAC_SRC);
        c.add(MAC_DST);
        if (v >= 2) {
            c.add(VLAN);
        }
        if (v >= 6) {
            c.add(AS_SRC);
            c.add(AS_DST);
        }
        c.add(IP_SRC);
        c.add(IP_DST);
        c.add(v >= 8 ? PORT_SRC : SRC_PORT);
        c.add(v >= 8 ? PORT_DST : DST_PORT);
        if (v >= 7) {
            c.add(TCP_FLAGS);
        }
        c.add(IP_PROTO);
        if (v >= 3) {
            c.add(TOS);
        }
        c.add(PACKETS);
        c.add(BYTES);
        if (v >= 4) {
            c.add(FLOWS);
        }
        c.add(STAMP_INSERTED);
        c.add(STAMP_UPDATED);
        return c;
    }

    /** The first version with a column for {@code p}, or 0 when none has one. */
    public static int firstWith(Primitive p) {
        for (int v = MIN; v <= MAX; v++) {
            for (SqlColumn c : columns(v)) {
                if (Arrays.asList(c.primitives()).contains(p)) {
                    return v;
                }
            }
        }
        return 0;
    }

    /**
     * The columns of pmacct's BGP table ({@code sql_table_type: bgp}); as in pmacct the version still decides how
     * the tag column is named. pmacct's SQLite script alone has a flows column.
     */
    public static List<SqlColumn> bgpColumns(int v, boolean withFlows) {
        List<SqlColumn> c = new ArrayList<>(List.of(v >= 9 ? TAG : AGENT_ID, AS_SRC, AS_DST, PEER_AS_SRC, PEER_AS_DST,
                PEER_IP_SRC, PEER_IP_DST, COMMS, AS_PATH, LOCAL_PREF, MED, PACKETS, BYTES));
        if (withFlows) {
            c.add(FLOWS);
        }
        c.add(STAMP_INSERTED);
        c.add(STAMP_UPDATED);
        return c;
    }

    /** pmacct's default table name of a version. */
    public static String defaultTable(int v) {
        return v == 1 ? "acct" : "acct_v" + v;
    }

    /** pmacct's BGP table. */
    public static final String BGP_TABLE = "acct_bgp";
}
