package jpmacct.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyRegistry;

/** redis_host, redis_passwd, redis_db, cluster_name, cluster_id as a configuration sets them, and what is refused. */
class RedisSettingsTest {
    private static DaemonConfig resolve(String... lines) throws ConfigException {
        List<String> all = new ArrayList<>(List.of("plugins: print[p]"));
        all.addAll(List.of(lines));
        return new ConfigResolver(DaemonKind.NFACCTD, new KeyRegistry(CoreKeys.all()), Set.of("print"))
                .resolve(ConfigParser.parse("x.conf", all), List.of(), true);
    }

    private static RedisSettings settings(String... lines) throws ConfigException {
        return RedisSettings.of(resolve(lines));
    }

    private static String refusal(String... lines) {
        return assertThrows(ConfigException.class, () -> settings(lines)).getMessage();
    }

    @Test
    void everyKey() throws Exception {
        assertNull(settings("cluster_name: c"));
        assertEquals(new RedisSettings("127.0.0.1", 6379, null, 0, "nfacctd", 0),
                settings("cluster_name: nfacctd", "redis_host: 127.0.0.1:6379"));
        assertEquals(new RedisSettings("redis.example", 6380, "pw", 2, "c", 3), settings("redis_host: redis.example:6380",
                "redis_passwd: pw", "redis_db: 2", "cluster_name: c", "cluster_id: 3"));
        assertEquals(new RedisSettings("::1", 6379, null, 0, "c", 0), settings("redis_host: [::1]:6379", "cluster_name: c"));
    }

    @Test
    void aPluginScopeIsIgnoredWithAWarning() throws Exception {
        DaemonConfig c = resolve("redis_host[p]: 127.0.0.1:6379", "cluster_name: c");
        assertEquals(List.of("x.conf:2: key 'redis_host' is global; '[p]' ignored"), c.warnings());
        assertEquals(6379, RedisSettings.of(c).port());
    }

    @Test
    void refusalsNameTheKeyAndTheForm() {
        assertEquals("x.conf:2: key 'redis_host': invalid value '127.0.0.1' (no port); expected host:port, e.g. "
                + "127.0.0.1:6379 (IPv6: [address]:port)", refusal("redis_host: 127.0.0.1", "cluster_name: c"));
        assertEquals("x.conf:2: key 'redis_host': invalid value 'localhost:0' ('localhost:0': needs an address and a "
                + "port 1-65535); expected host:port, e.g. 127.0.0.1:6379 (IPv6: [address]:port)",
                refusal("redis_host: localhost:0", "cluster_name: c"));
        assertEquals("x.conf:2: key 'redis_host' requires cluster_name, the cluster the daemon's keys are written "
                + "under; expected e.g. 'cluster_name: nfacctd'", refusal("redis_host: 127.0.0.1:6379"));
        assertEquals("x.conf:4: key 'cluster_id': invalid value '-1' (out of range); expected an integer from 0 to "
                + "2147483647", refusal("redis_host: 127.0.0.1:6379", "cluster_name: c", "cluster_id: -1"));
        assertEquals("x.conf:2: key 'redis_db': invalid value 'one' (not an integer); expected an integer from 0 to "
                + "2147483647", refusal("redis_db: one"));
    }
}
