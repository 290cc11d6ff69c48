package jpmacct.plugins.sql.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The scripts in sql/ are generated from the table versions the plugin writes; regenerate with
 * {@code mvn -pl plugins/sql test -Dtest=SchemaScriptsTest -Djpmacct.updateDocs=true}.
 */
class SchemaScriptsTest {

    @Test
    void scriptsInSqlAreUpToDate() throws Exception {
        Path dir = Path.of(System.getProperty("jpmacct.root", "../..")).resolve("sql");
        for (String[] s : SchemaScripts.all()) {
            Path f = dir.resolve(s[0]);
            if (Boolean.getBoolean("jpmacct.updateDocs")) {
                Files.writeString(f, s[1], StandardCharsets.UTF_8);
            }
            assertEquals(s[1], Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "", f + " is stale");
        }
    }

    @Test
    void versionsFollowPmacct() {
        assertEquals("[mac_src, mac_dst, ip_src, ip_dst, src_port, dst_port, ip_proto, packets, bytes, stamp_inserted, "
                + "stamp_updated]", names(1));
        assertEquals("[tag, class_id, mac_src, mac_dst, vlan, as_src, as_dst, ip_src, ip_dst, port_src, port_dst, "
                + "tcp_flags, ip_proto, tos, packets, bytes, flows, stamp_inserted, stamp_updated]", names(9));
    }

    private static String names(int v) {
        return TableVersion.columns(v).stream().map(SqlColumn::columnName).toList().toString();
    }
}
