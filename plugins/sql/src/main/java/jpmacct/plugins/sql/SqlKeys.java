package jpmacct.plugins.sql;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

/** Keys of the SQL plugins (sql_refresh_time, sql_history, sql_history_roundoff, sql_num_protos, sql_trigger_exec are core keys). */
final class SqlKeys {
    private SqlKeys() {
    }

    static final String[] TYPES = {"sqlite3", "mysql", "pgsql"};
    static final String[] SERVERS = {"mysql", "pgsql"};

    static final KeyDef<String> DB = key("sql_db", ValueTypes.STRING).pluginTypes(TYPES)
            .defaultText("pmacct; /tmp/pmacct.db for sqlite3").doc("Database: for sqlite3 the database file.").build();
    static final KeyDef<String> HOST = key("sql_host", ValueTypes.STRING).pluginTypes(SERVERS)
            .defaultValue("localhost").doc("Database server host.").build();
    static final KeyDef<Long> PORT = key("sql_port", ValueTypes.integer(1, 65535)).pluginTypes(SERVERS)
            .defaultText("3306 (mysql), 5432 (pgsql)").doc("Database server port.").build();
    static final KeyDef<String> USER = key("sql_user", ValueTypes.STRING).pluginTypes(SERVERS)
            .defaultValue("pmacct").doc("Database user.").build();
    static final KeyDef<String> PASSWD = key("sql_passwd", ValueTypes.TEXT).pluginTypes(SERVERS)
            .defaultValue("arealsmartpwd").defaultText("arealsmartpwd (pmacct's)").doc("Database password.").build();
    static final KeyDef<String> TABLE = key("sql_table", ValueTypes.STRING).pluginTypes(TYPES)
            .defaultText("acct (version 1), acct_vN (version N)").doc("Table to write to.").build();
    static final KeyDef<Long> TABLE_VERSION = key("sql_table_version", ValueTypes.integer(TableVersion.MIN, TableVersion.MAX))
            .pluginTypes(TYPES).defaultValue(1L)
            .doc("pmacct table version 1-9 (see sql/README.md): which columns are written.").build();
    static final KeyDef<Boolean> OPTIMIZE_CLAUSES = key("sql_optimize_clauses", ValueTypes.BOOLEAN).pluginTypes(TYPES)
            .defaultValue(false).doc("Write only the aggregated primitives' columns (custom tables).").build();
    static final KeyDef<Boolean> DONT_TRY_UPDATE = key("sql_dont_try_update", ValueTypes.BOOLEAN).pluginTypes(TYPES)
            .defaultValue(false).doc("INSERT first and UPDATE only when the row exists (fewer statements when bins "
                    + "are written once).").build();
    static final KeyDef<Long> CACHE_ENTRIES = key("sql_cache_entries", ValueTypes.integer(1, Integer.MAX_VALUE))
            .pluginTypes(TYPES).defaultValue(32771L).doc("Initial size of the cache, in entries.")
            .differs("The cache grows as needed instead of forcing an early purge when full.").build();

    static final KeyDef<String> JOURNAL = key("sql_journal", ValueTypes.PATH).pluginTypes(TYPES)
            .defaultText("<tmpdir>/jpmacct-sql-<type>-<db>-<table>-<name>.journal")
            .doc("Recovery journal: purges the database cannot take are kept in memory up to sql_journal_threshold "
                    + "entries, then appended here; written to the database, then removed, once it is reachable "
                    + "(also after a restart). At exit with the database away, what is pending goes here. A journal "
                    + "written for another aggregate is moved aside (.rejected-<time>) with an error.")
            .differs("Not in pmacct 1.7.7, which loses purges while the database is away.").build();
    static final KeyDef<Long> JOURNAL_THRESHOLD = key("sql_journal_threshold", ValueTypes.integer(0, Integer.MAX_VALUE))
            .pluginTypes(TYPES).defaultValue(1_000_000L)
            .doc("Entries of failed purges kept in memory before they go to sql_journal (about 150 bytes each).")
            .differs("Not in pmacct 1.7.7.").build();

    static List<KeyDef<?>> all() {
        return List.of(DB, HOST, PORT, USER, PASSWD, TABLE, TABLE_VERSION, OPTIMIZE_CLAUSES, DONT_TRY_UPDATE, CACHE_ENTRIES, JOURNAL,
                JOURNAL_THRESHOLD);
    }
}
