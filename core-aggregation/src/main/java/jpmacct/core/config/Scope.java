package jpmacct.core.config;

/** Where a key may be set. */
public enum Scope {
    /** Daemon-wide (pmacct's [GLOBAL]): a {@code [name]} on it is ignored with a warning, as pmacct does. */
    GLOBAL,
    /** Per plugin: unscoped lines apply to every plugin, {@code key[name]} to one and takes precedence. */
    PLUGIN
}
