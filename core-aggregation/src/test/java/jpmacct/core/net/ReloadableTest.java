package jpmacct.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;
import jpmacct.core.runtime.LogCapture;

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

    @Test
    void eachLoadIsLoggedInPmacctsWords(@TempDir Path dir) throws Exception {
        Path sampling = Files.writeString(dir.resolve("sampling.map"), "id=10 ip=192.0.2.1\nid=20 ip=192.0.2.2\n");
        Path networks = Files.writeString(dir.resolve("networks.lst"), "10.0.0.0/8\n");
        try (LogCapture log = new LogCapture(MapLoadLog.class)) {
            MapRegistry maps = new MapRegistry();
            maps.map("sampling_map", sampling, ReloadableTest::lines, List::size);
            maps.networks(networks);
            maps.reloadAll();
            String s = "[" + sampling + "] ";
            String n = "[" + networks + "] ";
            assertEquals(List.of(
                    "INFO ( - ): " + s + "(re)loading map.",
                    "INFO ( - ): " + s + "map successfully (re)loaded with 2 entries.",
                    "INFO ( - ): " + n + "map successfully (re)loaded.",
                    "INFO ( - ): " + s + "(re)loading map.",
                    "INFO ( - ): " + s + "map successfully (re)loaded with 2 entries.",
                    "INFO ( - ): " + n + "map successfully (re)loaded."), log.lines());
        }
    }

    @Test
    void reloadsFollowPmacctsOrder(@TempDir Path dir) throws Exception {
        MapRegistry maps = new MapRegistry();
        for (String kind : List.of("pre_tag_map", "sampling_map", "flow_to_rd_map")) {
            maps.map(kind, Files.writeString(dir.resolve(kind), "x\n"), ReloadableTest::lines, List::size);
        }
        try (LogCapture log = new LogCapture(MapLoadLog.class)) {
            maps.reloadAll();
            // nfacctd reloads flow_to_rd_map, then sampling_map, then the plugins' maps
            assertEquals(List.of("flow_to_rd_map", "sampling_map", "pre_tag_map"), log.matching("(re)loading").stream()
                    .map(l -> l.substring(l.lastIndexOf('/') + 1, l.indexOf("] "))).toList());
        }
    }

    private static List<String> lines(Path file) throws ConfigException {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
