package jpmacct.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** pmacct's keys: 1.7.7's, and those later releases added or removed, with the release. */
class KeyRegistryTest {
    private final KeyRegistry registry = new KeyRegistry(CoreKeys.all());

    @Test
    void keysOfLaterReleasesCarryTheReleaseThatAddedOrRemovedThem() {
        assertEquals("added in pmacct 1.7.8", registry.pmacctHistory("bgp_daemon_tag_map"));
        assertEquals("added in pmacct 1.7.9", registry.pmacctHistory("bgp_daemon_ha"));
        assertEquals("added in pmacct 1.8.0", registry.pmacctHistory("bmp_daemon_ha_cluster_id"));
        assertEquals("added in pmacct 1.8.1-git", registry.pmacctHistory("syslog_ident"));
        assertEquals("removed in pmacct 1.8.0", registry.pmacctHistory("mongo_host"));
        assertTrue(registry.removedByPmacct("mongo_host"));
        assertFalse(registry.removedByPmacct("bgp_daemon_ha"));
        assertNull(registry.pmacctHistory("bgp_daemon"), "1.7.7 has it, 1.8 too");
        assertNull(registry.pmacctHistory("no_such_key"));
        assertTrue(registry.isPmacctKey("bgp_daemon"));
        assertTrue(registry.isPmacctKey("bgp_daemon_ha"));
        assertFalse(registry.isPmacctKey("no_such_key"));
    }

    @Test
    void typosOfLaterKeysAreSuggested() {
        assertEquals("bgp_daemon_ha_cluster_id", registry.suggest("bgp_daemon_ha_clusterid"));
    }
}
