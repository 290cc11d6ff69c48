package jpmacct.core.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;

/**
 * A map loaded from a file and replaced whole on reload: readers always see either the old or the new version;
 * a file that fails to load leaves the old version in place and says why. Each load, the first one included, is
 * logged as pmacct 1.8 logs it ({@link MapLoadLog}).
 *
 * @param <T> the immutable loaded form
 */
public final class Reloadable<T> implements Supplier<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Reloadable.class);

    /** Loads a file into its immutable form. */
    @FunctionalInterface
    public interface Loader<T> {
        T load(Path file) throws ConfigException;
    }

    private final String kind;
    private final Path file;
    private final Loader<T> loader;
    /** The entries a loaded map has, as its lines say; null for the maps pmacct logs without a count. */
    private final ToIntFunction<T> entries;
    private volatile T current;
    private volatile long loadedMtime;

    Reloadable(String kind, Path file, Loader<T> loader, ToIntFunction<T> entries) throws ConfigException {
        this.kind = kind;
        this.file = file;
        this.loader = loader;
        this.entries = entries;
        this.loadedMtime = mtime();
        this.current = load();
    }

    String kind() {
        return kind;
    }

    private T load() throws ConfigException {
        if (entries != null) {
            MapLoadLog.loading(file);
        }
        T loaded = loader.load(file);
        if (entries != null) {
            MapLoadLog.loaded(file, entries.applyAsInt(loaded));
        } else {
            MapLoadLog.loaded(file);
        }
        return loaded;
    }

    @Override
    public T get() {
        return current;
    }

    public Path file() {
        return file;
    }

    /** Re-reads the file; keeps the old map (and logs) when the new one is bad. Returns whether it changed. */
    public boolean reload() {
        long mtime = mtime();
        try {
            current = load();
            loadedMtime = mtime;
            return true;
        } catch (ConfigException e) {
            LOG.error("{}; keeping the previous {}", e.getMessage(), kind);
            loadedMtime = mtime;
            return false;
        }
    }

    /**
     * Reloads when the file's modification time changed since the last load ({@code maps_refresh}) and the file
     * has been at rest for a second, so an editor's or script's write in several steps is not read halfway.
     */
    public boolean reloadIfChanged() {
        long m = mtime();
        return m != loadedMtime && System.currentTimeMillis() - m >= 1000 && reload();
    }

    private long mtime() {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }
}
