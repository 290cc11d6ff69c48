package jpmacct.core.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import jpmacct.core.config.ConfigException;

/**
 * The maps of a daemon, shared by every plugin that names the same file and reloaded together on SIGUSR2: in
 * pmacct's order, the collector's flow_to_rd_map and sampling_map first, then the others in the order they were
 * first loaded (pmacct's plugins reload theirs after its core).
 */
public final class MapRegistry {
    /** The kinds pmacct's nfacctd and sfacctd reload first, in this order. */
    private static final List<String> RELOADED_FIRST = List.of("flow_to_rd_map", "sampling_map");

    private final Map<String, Reloadable<?>> maps = new LinkedHashMap<>();

    public synchronized Reloadable<NetworksTable> networks(Path file) throws ConfigException {
        return get("networks_file", file, NetworksTable::load, null);
    }

    public synchronized Reloadable<PortsTable> ports(Path file) throws ConfigException {
        return get("ports_file", file, PortsTable::load, null);
    }

    /**
     * Any other map (sampling_map, pre_tag_map, ...): loaded once per file, reloaded with the others.
     *
     * @param entries how many entries a loaded map has, for its load's log line
     */
    public synchronized <T> Reloadable<T> map(String kind, Path file, Reloadable.Loader<T> loader,
                                              ToIntFunction<T> entries) throws ConfigException {
        return get(kind, file, loader, entries);
    }

    @SuppressWarnings("unchecked")
    private <T> Reloadable<T> get(String kind, Path file, Reloadable.Loader<T> loader, ToIntFunction<T> entries)
            throws ConfigException {
        String key = kind + ":" + file.toAbsolutePath().normalize();
        Reloadable<?> existing = maps.get(key);
        if (existing != null) {
            return (Reloadable<T>) existing;
        }
        Reloadable<T> r = new Reloadable<>(kind, file, loader, entries);
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

    /** The maps in reload order. */
    private synchronized List<Reloadable<?>> snapshot() {
        List<Reloadable<?>> out = new ArrayList<>(maps.values());
        out.sort(Comparator.comparingInt(r -> {
            int rank = RELOADED_FIRST.indexOf(r.kind());
            return rank < 0 ? RELOADED_FIRST.size() : rank;
        }));
        return out;
    }
}
