package jpmacct.plugins.memory;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

/** Keys of the memory plugin. */
final class MemoryKeys {
    private MemoryKeys() {
    }

    /** Bytes one entry counts for when pools are turned into an entry limit. */
    static final int ENTRY_BYTES = 64;

    static final KeyDef<String> PATH = key("imt_path", ValueTypes.PATH).pluginTypes("memory")
            .defaultValue("/tmp/collect.pipe").doc("UNIX socket the pmacct client queries.")
            .differs("Created with mode imt_perms (0600) through a private directory and renamed into place; a stale "
                    + "socket of a dead daemon is replaced, a live one, or a path that is not a socket (pmacct unlinks "
                    + "whatever is there), makes start-up fail.").build();
    static final KeyDef<Long> BUCKETS = key("imt_buckets", ValueTypes.integer(1, 1 << 28))
            .pluginTypes("memory").defaultValue(32771L)
            .doc("Initial size of the table, in entries; it grows as needed.").build();
    static final KeyDef<Long> POOLS_NUMBER = key("imt_mem_pools_number", ValueTypes.integer(0, Integer.MAX_VALUE))
            .pluginTypes("memory").defaultText("unlimited")
            .doc("With imt_mem_pools_size, a limit on entries: pools x size / " + ENTRY_BYTES + " bytes per entry; "
                    + "0 means unlimited. At the limit new keys are dropped, counted and logged; existing keys keep "
                    + "counting.")
            .differs("Unset or 0 is unlimited (pmacct 1.7.7 stops at about 21,846 entries, even with 0, and drops "
                    + "new keys silently).").build();
    static final KeyDef<Long> POOLS_SIZE = key("imt_mem_pools_size", ValueTypes.BYTES).pluginTypes("memory")
            .defaultValue(8192L).doc("Bytes per memory pool (see imt_mem_pools_number).").build();
    static final KeyDef<Long> PERMS = key("imt_perms", CoreKeys.octal()).pluginTypes("memory").defaultValue(0600L)
            .doc("Permissions of the socket file (octal).")
            .differs("Not in pmacct, whose socket follows the umask.").build();

    static List<KeyDef<?>> all() {
        return List.of(PATH, BUCKETS, POOLS_NUMBER, POOLS_SIZE, PERMS);
    }
}
