package jpmacct.core.net;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines pmacct 1.8 logs for each load of a map, the first one and every reload, in its words: operators grep
 * for them ({@code [file] (re)loading map.}, {@code [file] map successfully (re)loaded with N entries.}).
 */
public final class MapLoadLog {
    private static final Logger LOG = LoggerFactory.getLogger(MapLoadLog.class);

    private MapLoadLog() {
    }

    public static void loading(Path file) {
        LOG.info("[{}] (re)loading map.", file);
    }

    public static void loaded(Path file, int entries) {
        LOG.info("[{}] map successfully (re)loaded with {} entries.", file, entries);
    }

    /** A map pmacct counts no entries of (networks_file, ports_file): it logs neither the count nor the start. */
    public static void loaded(Path file) {
        LOG.info("[{}] map successfully (re)loaded.", file);
    }
}
