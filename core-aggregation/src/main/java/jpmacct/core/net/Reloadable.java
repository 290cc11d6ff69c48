package jpmacct.core.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;

/**
 * A map loaded from a file and replaced whole on reload: readers always see either the old or the new version;
 * a file that fails to load leaves the old version in place and says why.
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
    private volatile T current;
    private volatile long loadedMtime;

    Reloadable(String kind, Path file, Loader<T> loader) throws ConfigException {
        this.kind = kind;
        this.file = file;
        this.loader = loader;
        this.loadedMtime = mtime();
        this.current = loader.load(file);
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
            T next = loader.load(file);
            current = next;
            loadedMtime = mtime;
            LOG.info("[{}] {} (re)loaded", file, kind);
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
