package jpmacct.core.plugin;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.runtime.FilePermissions;

/** Everything a plugin is given: its own scoped configuration, its bit in the record mask, shared services. */
public final class PluginContext {
    private final PluginConfig config;
    private final long bit;
    private final DaemonInfo daemon;
    private final Metrics metrics;
    private final MapRegistry maps;
    private final String threadName;
    private final FilePermissions files;
    private final TagFilter tagFilter;
    private final TagFilter tag2Filter;
    private final LabelFilter labelFilter;
    private final Clock clock;

    public PluginContext(PluginConfig config, DaemonInfo daemon, Metrics metrics, MapRegistry maps,
                         String threadName, FilePermissions files) {
        this(config, daemon, metrics, maps, threadName, files, Clock.systemUTC());
    }

    /** @param clock the plugin's time (purge deadlines, file names, uptimes); tests pass one they move */
    public PluginContext(PluginConfig config, DaemonInfo daemon, Metrics metrics, MapRegistry maps,
                         String threadName, FilePermissions files, Clock clock) {
        this.config = config;
        this.bit = config.bit();
        this.daemon = daemon;
        this.metrics = metrics;
        this.maps = maps;
        this.threadName = threadName;
        this.files = files;
        this.tagFilter = config.get(CoreKeys.PRE_TAG_FILTER);
        this.tag2Filter = config.get(CoreKeys.PRE_TAG2_FILTER);
        this.labelFilter = config.get(CoreKeys.PRE_TAG_LABEL_FILTER);
        this.clock = clock;
    }

    /** The time the plugin reads instead of the system clock, so that a test can move it. */
    public Clock clock() {
        return clock;
    }

    /** Modes and owner for files the plugin creates ({@code files_umask}, {@code files_uid}, {@code files_gid}). */
    public FilePermissions files() {
        return files;
    }

    public PluginConfig config() {
        return config;
    }

    /** Position of the plugin in {@code plugins:}. */
    public int index() {
        return config.index();
    }

    /** The record is for this plugin: its bit (aggregate_filter) and the pre_tag filters. */
    public boolean accepts(FlowRecord r) {
        return (r.pluginMask & bit) != 0 && (tagFilter == null || tagFilter.accepts(r.tag))
                && (tag2Filter == null || tag2Filter.accepts(r.tag2))
                && (labelFilter == null || labelFilter.accepts(r.label));
    }

    public DaemonInfo daemon() {
        return daemon;
    }

    public Metrics metrics() {
        return metrics;
    }

    public MapRegistry maps() {
        return maps;
    }

    /** pmacct-style title of the plugin's thread: {@code Print Plugin [csv]}. */
    public String threadName() {
        return threadName;
    }

    public Logger logger(Class<?> type) {
        return LoggerFactory.getLogger(type);
    }
}
