package jpmacct.plugins.sql.schema;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.primitive.Primitive;

/**
 * A column of pmacct's SQL tables: its name, the primitive(s) filling it, how its value is written, and its SQLite
 * and MySQL types (and SQLite default) as pmacct's table scripts declare them.
 */
public enum SqlColumn {
    AGENT_ID("agent_id", Kind.NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", KeyField.TAG, Primitive.TAG),
    TAG("tag", Kind.NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", KeyField.TAG, Primitive.TAG),
    CLASS_ID("class_id", Kind.CLASS, "CHAR(16)", "' '", "CHAR(16)", KeyField.CLASS, Primitive.CLASS),
    MAC_SRC("mac_src", Kind.MAC, "CHAR(17)", "'0:0:0:0:0:0'", "CHAR(17)", KeyField.SRC_MAC, Primitive.SRC_MAC, Primitive.SUM_MAC),
    MAC_DST("mac_dst", Kind.MAC, "CHAR(17)", "'0:0:0:0:0:0'", "CHAR(17)", KeyField.DST_MAC, Primitive.DST_MAC),
    VLAN("vlan", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.VLAN, Primitive.VLAN),
    AS_SRC("as_src", Kind.NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", KeyField.SRC_AS, Primitive.SRC_AS, Primitive.SUM_AS),
    AS_DST("as_dst", Kind.NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", KeyField.DST_AS, Primitive.DST_AS),
    IP_SRC("ip_src", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.SRC_FAMILY, Primitive.SRC_HOST, Primitive.SUM_HOST),
    IP_DST("ip_dst", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.DST_FAMILY, Primitive.DST_HOST),
    SRC_PORT("src_port", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.SRC_PORT, Primitive.SRC_PORT, Primitive.SUM_PORT),
    DST_PORT("dst_port", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.DST_PORT, Primitive.DST_PORT),
    PORT_SRC("port_src", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.SRC_PORT, Primitive.SRC_PORT, Primitive.SUM_PORT),
    PORT_DST("port_dst", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.DST_PORT, Primitive.DST_PORT),
    TCP_FLAGS("tcp_flags", Kind.TCP_FLAGS, "INT(4)", "0", "INT(4) UNSIGNED", null, Primitive.TCPFLAGS),
    IP_PROTO("ip_proto", Kind.PROTO, "CHAR(6)", "0", "CHAR(6)", KeyField.PROTO, Primitive.PROTO),
    TOS("tos", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.TOS, Primitive.TOS),
    // columns beyond the numbered versions, written when their primitive is aggregated
    IFACE_IN("iface_in", Kind.NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", KeyField.IN_IFACE, Primitive.IN_IFACE),
    IFACE_OUT("iface_out", Kind.NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", KeyField.OUT_IFACE, Primitive.OUT_IFACE),
    NET_SRC("net_src", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.SRC_NET_FAMILY, Primitive.SRC_NET, Primitive.SUM_NET),
    NET_DST("net_dst", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.DST_NET_FAMILY, Primitive.DST_NET),
    MASK_SRC("mask_src", Kind.NUMBER, "INT(1)", "0", "TINYINT UNSIGNED", KeyField.SRC_MASK, Primitive.SRC_MASK),
    MASK_DST("mask_dst", Kind.NUMBER, "INT(1)", "0", "TINYINT UNSIGNED", KeyField.DST_MASK, Primitive.DST_MASK),
    TAG2("tag2", Kind.NUMBER, "INT(8)", "0", "BIGINT UNSIGNED", KeyField.TAG2, Primitive.TAG2),
    LABEL("label", Kind.LABEL, "VARCHAR(255)", "''", "VARCHAR(255)", KeyField.LABEL, Primitive.LABEL),
    COS("cos", Kind.NUMBER, "INT(1)", "0", "TINYINT UNSIGNED", KeyField.COS, Primitive.COS),
    ETYPE("etype", Kind.HEX, "CHAR(5)", "'0'", "CHAR(5)", KeyField.ETYPE, Primitive.ETYPE),
    SAMPLING_RATE("sampling_rate", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.SAMPLING_RATE, Primitive.SAMPLING_RATE),
    PEER_IP_SRC("peer_ip_src", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.PEER_SRC_FAMILY, Primitive.PEER_SRC_IP),
    PEER_IP_DST("peer_ip_dst", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.PEER_DST_FAMILY, Primitive.PEER_DST_IP),
    // pmacct 1.8's (sql/README.mysql); mpls_label_stack, tunnel_tcpflags, fw_event, timestamp_export, nvgre,
    // mpls_pw_id and srv6_seg_ipv6_list are not written
    VLAN_IN("vlan_in", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.IN_VLAN, Primitive.IN_VLAN),
    VLAN_OUT("vlan_out", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.OUT_VLAN, Primitive.OUT_VLAN),
    CVLAN_IN("cvlan_in", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.IN_CVLAN, Primitive.IN_CVLAN),
    CVLAN_OUT("cvlan_out", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.OUT_CVLAN, Primitive.OUT_CVLAN),
    FLOW_LABEL("flow_label", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.FLOW_LABEL, Primitive.FLOW_LABEL),
    POST_NAT_IP_SRC("post_nat_ip_src", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.POST_NAT_SRC_FAMILY, Primitive.POST_NAT_SRC_HOST),
    POST_NAT_IP_DST("post_nat_ip_dst", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.POST_NAT_DST_FAMILY, Primitive.POST_NAT_DST_HOST),
    POST_NAT_PORT_SRC("post_nat_port_src", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.POST_NAT_SRC_PORT, Primitive.POST_NAT_SRC_PORT),
    POST_NAT_PORT_DST("post_nat_port_dst", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.POST_NAT_DST_PORT, Primitive.POST_NAT_DST_PORT),
    NAT_EVENT("nat_event", Kind.NUMBER, "INT(1)", "0", "INT(1) UNSIGNED", KeyField.NAT_EVENT, Primitive.NAT_EVENT),
    FWD_STATUS("fwd_status", Kind.NUMBER, "INT(1)", "0", "INT(1) UNSIGNED", KeyField.FWD_STATUS, Primitive.FWD_STATUS),
    TUNNEL_MAC_SRC("tunnel_mac_src", Kind.MAC, "CHAR(17)", "'0:0:0:0:0:0'", "CHAR(17)", KeyField.TUNNEL_SRC_MAC, Primitive.TUNNEL_SRC_MAC),
    TUNNEL_MAC_DST("tunnel_mac_dst", Kind.MAC, "CHAR(17)", "'0:0:0:0:0:0'", "CHAR(17)", KeyField.TUNNEL_DST_MAC, Primitive.TUNNEL_DST_MAC),
    TUNNEL_IP_SRC("tunnel_ip_src", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.TUNNEL_SRC_FAMILY, Primitive.TUNNEL_SRC_HOST),
    TUNNEL_IP_DST("tunnel_ip_dst", Kind.IP, "CHAR(45)", "'0.0.0.0'", "CHAR(45)", KeyField.TUNNEL_DST_FAMILY, Primitive.TUNNEL_DST_HOST),
    TUNNEL_IP_PROTO("tunnel_ip_proto", Kind.PROTO, "CHAR(6)", "0", "CHAR(6)", KeyField.TUNNEL_PROTO, Primitive.TUNNEL_PROTO),
    TUNNEL_TOS("tunnel_tos", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.TUNNEL_TOS, Primitive.TUNNEL_TOS),
    TUNNEL_PORT_SRC("tunnel_port_src", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.TUNNEL_SRC_PORT, Primitive.TUNNEL_SRC_PORT),
    TUNNEL_PORT_DST("tunnel_port_dst", Kind.NUMBER, "INT(4)", "0", "INT(2) UNSIGNED", KeyField.TUNNEL_DST_PORT, Primitive.TUNNEL_DST_PORT),
    TUNNEL_FLOW_LABEL("tunnel_flow_label", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.TUNNEL_FLOW_LABEL, Primitive.TUNNEL_FLOW_LABEL),
    VXLAN("vxlan", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.VXLAN, Primitive.VXLAN),
    SAMPLING_DIRECTION("sampling_direction", Kind.DIRECTION, "CHAR(1)", "' '", "CHAR(1)", KeyField.SAMPLING_DIRECTION,
            Primitive.SAMPLING_DIRECTION),
    PATH_DELAY_AVG_USEC("path_delay_avg_usec", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.PATH_DELAY_AVG,
            Primitive.PATH_DELAY_AVG_USEC),
    PATH_DELAY_MIN_USEC("path_delay_min_usec", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.PATH_DELAY_MIN,
            Primitive.PATH_DELAY_MIN_USEC),
    PATH_DELAY_MAX_USEC("path_delay_max_usec", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.PATH_DELAY_MAX,
            Primitive.PATH_DELAY_MAX_USEC),
    EXPORT_PROTO_SEQNO("export_proto_seqno", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.EXPORT_SEQNO, Primitive.EXPORT_PROTO_SEQNO),
    EXPORT_PROTO_VERSION("export_proto_version", Kind.NUMBER, "INT(2)", "0", "SMALLINT(2) UNSIGNED", KeyField.EXPORT_VERSION, Primitive.EXPORT_PROTO_VERSION),
    EXPORT_PROTO_SYSID("export_proto_sysid", Kind.NUMBER, "INT(4)", "0", "INT(4) UNSIGNED", KeyField.EXPORT_SYSID, Primitive.EXPORT_PROTO_SYSID),
    // BGP attributes of pmacct's acct_bgp table that this build does not collect: written as pmacct's empty values
    PEER_AS_SRC("peer_as_src", Kind.NO_VALUE_NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", null),
    PEER_AS_DST("peer_as_dst", Kind.NO_VALUE_NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", null),
    COMMS("comms", Kind.NO_VALUE_TEXT, "CHAR(24)", "' '", "CHAR(24)", null),
    AS_PATH("as_path", Kind.NO_VALUE_TEXT, "CHAR(21)", "' '", "CHAR(21)", null),
    LOCAL_PREF("local_pref", Kind.NO_VALUE_NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", null),
    MED("med", Kind.NO_VALUE_NUMBER, "INT(8)", "0", "INT(4) UNSIGNED", null),
    // nfacctd_stitching's times (sql/README.timestamp of pmacct), part of the row's key as in pmacct
    TIMESTAMP_MIN("timestamp_min", Kind.TIME_MIN, "DATETIME", "'0000-00-00 00:00:00'", "DATETIME", null),
    TIMESTAMP_MIN_RESIDUAL("timestamp_min_residual", Kind.TIME_MIN_RESIDUAL, "INT", "0", "INT UNSIGNED", null),
    TIMESTAMP_MAX("timestamp_max", Kind.TIME_MAX, "DATETIME", "'0000-00-00 00:00:00'", "DATETIME", null),
    TIMESTAMP_MAX_RESIDUAL("timestamp_max_residual", Kind.TIME_MAX_RESIDUAL, "INT", "0", "INT UNSIGNED", null),
    // counters and stamps
    PACKETS("packets", Kind.PACKETS, "INT", null, "INT UNSIGNED", null),
    BYTES("bytes", Kind.BYTES, "BIGINT", null, "BIGINT UNSIGNED", null),
    FLOWS("flows", Kind.FLOWS, "INT", "0", "INT UNSIGNED", null, Primitive.FLOWS),
    STAMP_INSERTED("stamp_inserted", Kind.STAMP_INSERTED, "DATETIME", "'0000-00-00 00:00:00'", "DATETIME", null),
    STAMP_UPDATED("stamp_updated", Kind.STAMP_UPDATED, "DATETIME", null, "DATETIME", null);

    /** How a column's value is produced; DIRECTION is pmacct's sampling direction letter (u, i, e). */
    public enum Kind {
        NUMBER, HEX, MAC, IP, PROTO, CLASS, LABEL, TCP_FLAGS, PACKETS, BYTES, FLOWS, STAMP_INSERTED, STAMP_UPDATED,
        DIRECTION,
        /** A column no primitive of this build fills: always 0, or '' for text, as pmacct writes them unaggregated. */
        NO_VALUE_NUMBER, NO_VALUE_TEXT,
        /** timestamp_min and timestamp_max (nfacctd_stitching): the time to the second, and its microseconds. */
        TIME_MIN, TIME_MIN_RESIDUAL, TIME_MAX, TIME_MAX_RESIDUAL
    }

    private final String columnName;
    private final Kind kind;
    private final String sqliteType;
    private final String sqliteDefault;
    private final String mysqlType;
    private final KeyField field;
    private final Primitive[] primitives;

    SqlColumn(String columnName, Kind kind, String sqliteType, String sqliteDefault, String mysqlType, KeyField field,
              Primitive... primitives) {
        this.columnName = columnName;
        this.kind = kind;
        this.sqliteType = sqliteType;
        this.sqliteDefault = sqliteDefault;
        this.mysqlType = mysqlType;
        this.field = field;
        this.primitives = primitives;
    }

    public String columnName() {
        return columnName;
    }

    public Kind kind() {
        return kind;
    }

    String sqliteType() {
        return sqliteType;
    }

    /** The DEFAULT of pmacct's SQLite scripts, or null for none. */
    String sqliteDefault() {
        return sqliteDefault;
    }

    /** The type of pmacct's MySQL scripts (which set no defaults). */
    String mysqlType() {
        return mysqlType;
    }

    /** The type (and default) of pmacct's PostgreSQL scripts. */
    String pgsqlType() {
        return switch (this) {
            case AGENT_ID, TAG, AS_SRC, AS_DST, IFACE_IN, IFACE_OUT, TAG2, SAMPLING_RATE, EXPORT_PROTO_SEQNO,
                    EXPORT_PROTO_SYSID, PEER_AS_SRC, PEER_AS_DST, LOCAL_PREF, MED -> "BIGINT NOT NULL DEFAULT 0";
            case COMMS -> "CHAR(24) NOT NULL DEFAULT ' '";
            case AS_PATH -> "CHAR(21) NOT NULL DEFAULT ' '";
            case CLASS_ID -> "CHAR(16) NOT NULL DEFAULT ' '";
            case MAC_SRC, MAC_DST -> "macaddr NOT NULL DEFAULT '0:0:0:0:0:0'";
            case IP_SRC, IP_DST, NET_SRC, NET_DST, PEER_IP_SRC, PEER_IP_DST -> "inet NOT NULL DEFAULT '0.0.0.0'";
            case VLAN, SRC_PORT, DST_PORT, PORT_SRC, PORT_DST, TOS, EXPORT_PROTO_VERSION, VLAN_IN, VLAN_OUT, CVLAN_IN,
                    CVLAN_OUT, FLOW_LABEL, POST_NAT_PORT_SRC, POST_NAT_PORT_DST, TUNNEL_TOS, TUNNEL_PORT_SRC,
                    TUNNEL_PORT_DST, TUNNEL_FLOW_LABEL, VXLAN, PATH_DELAY_AVG_USEC, PATH_DELAY_MIN_USEC,
                    PATH_DELAY_MAX_USEC -> "INT NOT NULL DEFAULT 0";
            case SAMPLING_DIRECTION -> "CHAR(1) NOT NULL DEFAULT ' '";
            case NAT_EVENT, FWD_STATUS, TUNNEL_IP_PROTO -> "SMALLINT NOT NULL DEFAULT 0";
            case TUNNEL_MAC_SRC, TUNNEL_MAC_DST -> "macaddr NOT NULL DEFAULT '0:0:0:0:0:0'";
            case POST_NAT_IP_SRC, POST_NAT_IP_DST, TUNNEL_IP_SRC, TUNNEL_IP_DST -> "inet NOT NULL DEFAULT '0.0.0.0'";
            case TCP_FLAGS, IP_PROTO, MASK_SRC, MASK_DST, COS -> "SMALLINT NOT NULL DEFAULT 0";
            case LABEL -> "VARCHAR(255) NOT NULL DEFAULT ''";
            case ETYPE -> "CHAR(5) NOT NULL DEFAULT '0'";
            case PACKETS -> "INT NOT NULL";
            case BYTES -> "BIGINT NOT NULL";
            case FLOWS -> "INT NOT NULL DEFAULT 0";
            case STAMP_INSERTED -> "timestamp without time zone NOT NULL DEFAULT '0001-01-01 00:00:00'";
            case STAMP_UPDATED -> "timestamp without time zone";
            case TIMESTAMP_MIN, TIMESTAMP_MAX -> "timestamp without time zone NOT NULL DEFAULT '0001-01-01 00:00:00'";
            case TIMESTAMP_MIN_RESIDUAL, TIMESTAMP_MAX_RESIDUAL -> "INT NOT NULL DEFAULT 0";
        };
    }

    /** The key field read for this column (for IP columns, the family field; hi and lo follow it). */
    public KeyField field() {
        return field;
    }

    public Primitive[] primitives() {
        return primitives;
    }

    /** Part of a row's identity (WHERE of the UPDATE, primary key), as opposed to counters and stamps. */
    public boolean isKey() {
        return kind != Kind.PACKETS && kind != Kind.BYTES && kind != Kind.FLOWS && kind != Kind.STAMP_UPDATED
                && kind != Kind.STAMP_INSERTED && kind != Kind.TCP_FLAGS;
    }

    /** The column an aggregated primitive outside the numbered versions is written to, or null. */
    public static SqlColumn extraFor(Primitive p) {
        for (SqlColumn c : values()) {
            if (c.ordinal() >= IFACE_IN.ordinal() && c.ordinal() <= EXPORT_PROTO_SYSID.ordinal()) {
                for (Primitive q : c.primitives) {
                    if (q == p) {
                        return c;
                    }
                }
            }
        }
        return null;
    }
}
