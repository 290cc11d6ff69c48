package jpmacct.plugins.sql.schema;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.runtime.FilePermissions;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.plugins.sql.SqlConfigs;
import jpmacct.plugins.sql.dialect.SqliteDialect;

/** pmacct 1.8's primitives get the columns of its sql/README.mysql; those without one are refused clearly. */
class Pmacct18ColumnsTest {

    private static List<SqlColumn> columns(String aggregate) throws Exception {
        PluginConfig cfg = SqlConfigs.of("sqlite3", "sql_db[q]: /tmp/x.db\naggregate[q]: " + aggregate + "\n");
        PluginAggregation aggregation = PluginAggregation.create(new PluginContext(cfg,
                new DaemonInfo(DaemonKind.NFACCTD, "default", false), new Metrics(), new MapRegistry(),
                "SQLite3 Plugin [q]", FilePermissions.defaults()), 64, 0);
        return WrittenColumns.of(cfg, aggregation, new SqliteDialect().columns(1), 1, false);
    }

    @Test
    void newPrimitivesWithAColumn() throws Exception {
        List<SqlColumn> c = columns("src_host, in_vlan, post_nat_src_host, post_nat_src_port, nat_event, fwd_status, "
                + "tunnel_src_host, tunnel_proto, vxlan, flow_label, sampling_direction, path_delay_avg_usec, "
                + "path_delay_min_usec, path_delay_max_usec");
        for (String name : List.of("vlan_in", "post_nat_ip_src", "post_nat_port_src", "nat_event", "fwd_status",
                "tunnel_ip_src", "tunnel_ip_proto", "vxlan", "flow_label", "sampling_direction", "path_delay_avg_usec",
                "path_delay_min_usec", "path_delay_max_usec")) {
            assertTrue(c.stream().anyMatch(x -> x.columnName().equals(name)), name);
        }
    }

    @Test
    void newPrimitivesWithoutAColumnAreRefused() {
        for (String p : List.of("mpls_label_stack", "tunnel_tcpflags", "fw_event", "timestamp_export", "nvgre",
                "mpls_pw_id", "srv6_seg_ipv6_list")) {
            ConfigException e = assertThrows(ConfigException.class, () -> columns("src_host, " + p));
            assertTrue(e.getMessage().contains("primitive '" + p + "' has no SQL column yet"), e.getMessage());
        }
    }
}
