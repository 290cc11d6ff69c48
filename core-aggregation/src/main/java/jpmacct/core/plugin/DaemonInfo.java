package jpmacct.core.plugin;

import jpmacct.core.config.DaemonKind;

/**
 * What a plugin may need to know about the daemon running it.
 *
 * @param kind     which daemon
 * @param coreName {@code core_proc_name}
 * @param savefile input is a finite file read as fast as possible (no real-time pacing)
 */
public record DaemonInfo(DaemonKind kind, String coreName, boolean savefile) {
}
