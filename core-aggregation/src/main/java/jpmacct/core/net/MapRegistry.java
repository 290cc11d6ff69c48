package jpmacct.core.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jpmacct.core.config.ConfigException;

/**
 * The maps of a daemon, shared by every plugin that names the same file and reloaded together on SIGUSR2.
 */
public final class MapRegistry {
    private final Map<String, Reloadable<?>> maps = new LinkedHashMap<>();

    public synchronized Reloadable<NetworksTable> networks(Path file) throws ConfigException {
        return get("networks_file", file, NetworksTable::load);
    }

    public synchronized Reloadable<PortsTable> ports(Path file) throws ConfigException {
        return get("ports_file", file, PortsTable::load);
    }

    /** Any other map (sampling_map, pre_tag_map, ...): loaded once per file, reloaded with the others. */
    public synchronized <T> Reloadable<T> map(String kind, Path file, Reloadable.Loader<T> loader) throws ConfigException {
        return get(kind, file, loader);
    }

    @SuppressWarnings("unchecked")
    private <T> Reloadable<T> get(String kind, Path file, Reloadable.Loader<T> loader) throws ConfigException {
        String key = kind + ":" + file.toAbsolutePath().normalize();
        Reloadable<?> existing = maps.get(key);
        if (existing != null) {
            return (Reloadable<T>) existing;
        }
        Reloadable<T> r = new Reloadable<>(kind, file, loader);
        maps.put(key, r);
        return r;
    }

    /** Re-reads every map (SIGUSR2). */
    public void reloadAll() {
        for (Reloadable<?> r : snapshot()) {
            r.reload();
        }
    }

    /** Re-reads the maps whose files changed ({@code maps_refresh}). */
    public void reloadChanged() {
        for (Reloadable<?> r : snapshot()) {
            r.reloadIfChanged();
        }
    }

    private synchronized List<Reloadable<?>> snapshot() {
        return new ArrayList<>(maps.values());
    }
}
