package jpmacct.core.plugin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.PluginConfig;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.runtime.FilePermissions;

/** Everything a plugin is given: its own scoped configuration, its bit in the record mask, shared services. */
public final class PluginContext {
    private final PluginConfig config;
    private final int index;
    private final long bit;
    private final DaemonInfo daemon;
    private final Metrics metrics;
    private final MapRegistry maps;
    private final String threadName;
    private final FilePermissions files;
    private final TagFilter tagFilter;
    private final TagFilter tag2Filter;
    private final LabelFilter labelFilter;

    public PluginContext(PluginConfig config, int index, DaemonInfo daemon, Metrics metrics, MapRegistry maps,
                         String threadName, FilePermissions files) {
        this.config = config;
        this.index = index;
        this.bit = 1L << index;
        this.daemon = daemon;
        this.metrics = metrics;
        this.maps = maps;
        this.threadName = threadName;
        this.files = files;
        this.tagFilter = config.get(jpmacct.core.config.CoreKeys.PRE_TAG_FILTER);
        this.tag2Filter = config.get(jpmacct.core.config.CoreKeys.PRE_TAG2_FILTER);
        this.labelFilter = config.get(jpmacct.core.config.CoreKeys.PRE_TAG_LABEL_FILTER);
    }

    /** Modes and owner for files the plugin creates ({@code files_umask}, {@code files_uid}, {@code files_gid}). */
    public FilePermissions files() {
        return files;
    }

    public PluginConfig config() {
        return config;
    }

    /** Position of the plugin in {@code plugins:}; its bit in {@link FlowRecord#pluginMask}. */
    public int index() {
        return index;
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
