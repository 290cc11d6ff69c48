package jpmacct.plugins.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.KeyRegistry;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.plugin.DaemonInfo;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.runtime.FilePermissions;

class TeePluginTest {
    /** With its sender not started, the queue fills: the receiving thread drops, counts, and never waits. */
    @Test
    void fullQueueDropsAndCounts(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("r.lst");
        Files.writeString(list, "id=1 ip=127.0.0.1:9\n");
        List<KeyDef<?>> keys = new ArrayList<>(CoreKeys.all());
        keys.addAll(TeeKeys.all());
        DaemonConfig config = new ConfigResolver(DaemonKind.NFACCTD, new KeyRegistry(keys), Set.of("tee"))
                .resolve(ConfigParser.parse("d.conf", List.of("plugins: tee[t]", "tee_receivers: " + list,
                        "plugin_pipe_size: 1")), List.of(), true);
        Metrics metrics = new Metrics();
        PluginContext ctx = new PluginContext(config.plugins().get(0),
                new DaemonInfo(DaemonKind.NFACCTD, "default", false), metrics, new MapRegistry(), "Tee Plugin [t]",
                FilePermissions.defaults());
        TeePlugin tee = new TeePlugin(ctx);
        assertFalse(tee.wantsRecords());
        InetAddress from = InetAddress.getByName("127.0.0.2");
        byte[] d = {1, 2, 3};
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (tee.offer((dst, n) -> System.arraycopy(d, 0, dst, 0, n), d.length, from, 2055)) {
                accepted++;
            }
        }
        assertEquals(64, accepted, "the smallest queue holds 64 datagrams");
        tee.close();
        long dropped = metrics.snapshot().stream().filter(s -> s.name().equals("tee_queue_dropped_datagrams"))
                .mapToLong(Metrics.Sample::value).sum();
        assertEquals(36, dropped);
        assertTrue(metrics.snapshot().stream().anyMatch(s -> s.name().equals("tee_queue_capacity") && s.value() == 64));
    }
}
