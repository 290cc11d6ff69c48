package jpmacct.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;

class ReloadableTest {

    @Test
    void aBadFileAtStartUpIsAnError(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("networks.lst"), "10.0.0.0/8\nnot a network\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new MapRegistry().networks(f));
        assertTrue(e.getMessage().contains("networks.lst:2"), e.getMessage());
    }

    @Test
    void aBadReloadKeepsThePreviousMap(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("networks.lst"), "10.0.0.0/8\n");
        MapRegistry maps = new MapRegistry();
        Reloadable<NetworksTable> r = maps.networks(f);
        NetworksTable first = r.get();
        assertEquals(1, first.size());

        Files.writeString(f, "10.0.0.0/8\n10.1.0.0/33\n");
        assertFalse(r.reload());
        assertSame(first, r.get(), "the old map stays in place");

        Files.writeString(f, "10.0.0.0/8\n10.1.0.0/16\n");
        maps.reloadAll();
        assertEquals(2, r.get().size());
    }

    @Test
    void pluginsNamingTheSameFileShareOneMap(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("networks.lst"), "10.0.0.0/8\n");
        MapRegistry maps = new MapRegistry();
        assertSame(maps.networks(f), maps.networks(dir.resolve(".").resolve("networks.lst")));
    }

    @Test
    void reloadIfChangedFollowsTheModificationTime(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("networks.lst"), "10.0.0.0/8\n");
        Reloadable<NetworksTable> r = new MapRegistry().networks(f);
        assertFalse(r.reloadIfChanged(), "unchanged file");
        Files.writeString(f, "10.0.0.0/8\n192.168.0.0/16\n");
        // at rest for longer than the second maps_refresh waits for
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 5000));
        assertTrue(r.reloadIfChanged());
        assertEquals(2, r.get().size());
    }
}
