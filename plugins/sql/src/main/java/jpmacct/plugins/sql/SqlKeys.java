package jpmacct.plugins.sql;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.History;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueType;
import jpmacct.core.config.ValueTypes;
import jpmacct.plugins.sql.schema.TableVersion;

/**
 * Keys of the SQL plugins (sql_refresh_time, sql_history, sql_history_roundoff, sql_num_protos, sql_trigger_exec,
 * sql_multi_values, sql_startup_delay, sql_history_offset, sql_trigger_exec_async, sql_preprocess and
 * sql_preprocess_type are core keys). Keys pmacct gives only some databases are accepted by all
 * three: the plugin of another database logs a note that it ignores them, as pmacct ignores them.
 */
public final class SqlKeys {
    private SqlKeys() {
    }

    static final String[] TYPES = {"sqlite3", "mysql", "pgsql"};
    private static final String[] SERVERS = {"mysql", "pgsql"};

    public static final KeyDef<String> DB = key("sql_db", ValueTypes.STRING).pluginTypes(TYPES)
            .defaultText("pmacct; /tmp/pmacct.db for sqlite3").doc("Database: for sqlite3 the database file.").build();
    public static final KeyDef<String> HOST = key("sql_host", ValueTypes.STRING).pluginTypes(SERVERS)
            .defaultValue("localhost").doc("Database server host.").build();
    public static final KeyDef<Long> PORT = key("sql_port", ValueTypes.integer(1, 65535)).pluginTypes(SERVERS)
            .defaultText("3306 (mysql), 5432 (pgsql)").doc("Database server port.").build();
    public static final KeyDef<String> USER = key("sql_user", ValueTypes.STRING).pluginTypes(SERVERS)
            .defaultValue("pmacct").doc("Database user.").build();
    public static final KeyDef<String> PASSWD = key("sql_passwd", ValueTypes.TEXT).pluginTypes(SERVERS)
            .defaultValue("arealsmartpwd").defaultText("arealsmartpwd (pmacct's)").doc("Database password.").build();
    public static final KeyDef<String> TABLE = key("sql_table", ValueTypes.STRING).pluginTypes(TYPES)
            .defaultText("acct (version 1), acct_vN (version N), acct_bgp (sql_table_type bgp)")
            .doc("Table to write to. A dynamic name takes strftime escapes (%Y%m%d, %H, %M, %s, %w, ...) and the "
                    + "variables $tag, $tag2, $peer_src_ip (the entry's, 0 or null when not aggregated), $post_tag, "
                    + "$post_tag2, $ref and $hst, resolved for each entry with the start of its sql_history bin (the "
                    + "write time without sql_history): one purge may write several tables. A resolved name must be "
                    + "at most 64 letters, digits, '_', '$' or '-' (with one '.' for schema.table); mysql quotes it "
                    + "in backquotes, the others quote it only when it has more than letters, digits, '_' and '$'. "
                    + "With sql_table_schema a table that does not exist is created on first use.")
            .differs("A name that resolves to other characters is refused at start-up, or its entries are not "
                    + "written (logged); pmacct pastes it into the statements as it is.").build();
    public static final KeyDef<String> TABLE_TYPE = key("sql_table_type", ValueTypes.oneOf("original", "bgp")).pluginTypes(TYPES)
            .defaultText("original; bgp when peer_src_ip or peer_dst_ip is aggregated")
            .doc("original: the numbered table versions. bgp: pmacct's BGP table (acct_bgp, sql/*bgp_v1*): tag (agent_id "
                    + "before version 9), as_src, as_dst, peer_as_src, peer_as_dst, peer_ip_src, peer_ip_dst, comms, "
                    + "as_path, local_pref, med; the attributes this build does not collect are written empty (0, ''), "
                    + "host, port, MAC and protocol primitives need sql_optimize_clauses.")
            .differs("In pmacct 1.7.7 original tables before version 6 hold src_as/dst_as in ip_src/ip_dst; here "
                    + "they are refused with a pointer to version 6.").build();
    public static final KeyDef<Long> TABLE_VERSION = key("sql_table_version", ValueTypes.integer(TableVersion.MIN, TableVersion.MAX))
            .pluginTypes(TYPES).defaultValue(1L)
            .doc("pmacct table version 1-9 (see sql/README.md): which columns are written.").build();
    public static final KeyDef<Boolean> OPTIMIZE_CLAUSES = key("sql_optimize_clauses", ValueTypes.BOOLEAN).pluginTypes(TYPES)
            .defaultValue(false).doc("Write only the aggregated primitives' columns (custom tables).").build();
    public static final KeyDef<Boolean> DONT_TRY_UPDATE = key("sql_dont_try_update", ValueTypes.BOOLEAN).pluginTypes(TYPES)
            .defaultValue(false).doc("Plain INSERTs (COPY with sql_use_copy) instead of UPDATE-then-INSERT or the "
                    + "upsert, for bins written once (sql_history equal to sql_refresh_time). A table without primary "
                    + "key then gets a second row for a bin written again, as in pmacct.")
            .differs("When an INSERT meets a row that exists (a unique key), that table's part of the purge is "
                    + "written again row by row, INSERT then UPDATE, so nothing is lost; pmacct loses the row.").build();
    public static final KeyDef<History> TRIGGER_TIME = key("sql_trigger_time", period()).pluginTypes(TYPES)
            .doc("How often sql_trigger_exec runs, in sql_history's syntax (or seconds); without it, after every "
                    + "purge. The trigger gets pmacct's variables: SQL_DB, SQL_TABLE, EFFECTIVE_SQL_TABLE (dynamic "
                    + "names), SQL_HOST, SQL_USER, SQL_REFRESH_TIME, SQL_HISTORY_BASETIME, SQL_HISTORY_TIMESLOT, "
                    + "SAMPLING_RATE, and after a purge without sql_trigger_time also INSERT_QUERIES_NUMBER, "
                    + "UPDATE_QUERIES_NUMBER, TOTAL_ELEM_NUMBER, EFFECTIVE_ELEM_NUMBER, ELAPSED_TIME.")
            .differs("Any number of seconds is taken; pmacct needs whole minutes.").build();
    public static final KeyDef<String> LOCKING_STYLE = key("sql_locking_style", ValueTypes.oneOf("table", "row", "none"))
            .pluginTypes(TYPES).defaultValue("table")
            .doc("mysql: table runs LOCK TABLES ... WRITE on the purge's tables for its transaction, none does not "
                    + "(row is taken as none: InnoDB locks the rows it writes). pgsql: table runs LOCK TABLE ... IN "
                    + "EXCLUSIVE MODE (readers go on), row IN ROW EXCLUSIVE MODE, none nothing; with "
                    + "sql_dont_try_update nothing, as in pmacct. sqlite3: ignored with a note (a transaction locks "
                    + "the database file).").build();
    public static final KeyDef<Boolean> USE_COPY = key("sql_use_copy", ValueTypes.BOOLEAN).pluginTypes(TYPES).defaultValue(false)
            .doc("pgsql with sql_dont_try_update: rows go with COPY ... FROM STDIN instead of INSERT (without "
                    + "sql_dont_try_update it is ignored with a note, as pmacct turns it off). mysql, sqlite3: ignored "
                    + "with a note.")
            .differs("Errors of the COPY (a row that exists, a bad value) are seen: the purge is written again with "
                    + "INSERTs; pmacct misses them.").build();
    public static final KeyDef<String> DELIMITER = key("sql_delimiter", delimiter()).pluginTypes(TYPES).defaultValue(",")
            .doc("The column delimiter of sql_use_copy's COPY; values holding it are escaped.").build();
    public static final KeyDef<Boolean> NUM_HOSTS = key("sql_num_hosts", ValueTypes.BOOLEAN).pluginTypes(TYPES).defaultValue(false)
            .doc("mysql, sqlite3: IP addresses as numbers. Into a binary column (VARBINARY, BLOB) the 4 or 16 bytes "
                    + "in network order, as MySQL's INET6_ATON gives; into a numeric column the unsigned number, as "
                    + "INET_ATON gives for IPv4 (an IPv6 address needs DECIMAL(39)). pgsql: ignored with a note (its "
                    + "tables have inet columns).")
            .differs("The plugin converts, so no INET_ATON()/INET6_ATON() is needed in the database (SQLite has "
                    + "none); pmacct 1.7.7 writes INET6_ATON() for aggregated and INET_ATON('0.0.0.0') for the "
                    + "other host columns.").build();
    public static final KeyDef<String> CONN_CA_FILE = key("sql_conn_ca_file", ValueTypes.PATH).pluginTypes(TYPES)
            .doc("mysql, pgsql: PEM file of the CA of the server's certificate: the connection uses TLS and checks "
                    + "the certificate against it (mysql sslMode=VERIFY_CA, pgsql sslmode=verify-ca); a server "
                    + "without TLS or with another CA is refused. sqlite3: ignored with a note.").build();
    public static final KeyDef<String> TABLE_SCHEMA = key("sql_table_schema", ValueTypes.PATH).pluginTypes(TYPES)
            .doc("File with a CREATE TABLE statement, run when the table sql_table names (resolved) does not exist "
                    + "yet; the name it creates, and names starting with it (a constraint acct_v9_pk), become the "
                    + "table's. Other statements of the file (DROP, GRANT, as in sql/'s scripts) are not run.")
            .differs("Only the CREATE TABLE statement runs, the table's name put in; pmacct sends the whole file "
                    + "with the variables replaced.").build();
    public static final KeyDef<Long> CACHE_ENTRIES = key("sql_cache_entries", ValueTypes.integer(1, Integer.MAX_VALUE))
            .pluginTypes(TYPES).defaultValue(32771L).doc("Initial size of the cache, in entries.")
            .differs("The cache grows as needed instead of forcing an early purge when full.").build();

    public static final KeyDef<String> JOURNAL = key("sql_journal", ValueTypes.PATH).pluginTypes(TYPES)
            .defaultText("<tmpdir>/jpmacct-sql-<type>-<db>-<table>-<name>.journal")
            .doc("Recovery journal: purges the database cannot take are kept in memory up to sql_journal_threshold "
                    + "entries, then appended here; written to the database, then removed, once it is reachable "
                    + "(also after a restart). At exit with the database away, what is pending goes here. A journal "
                    + "written for another aggregate is moved aside (.rejected-<time>) with an error.")
            .differs("Not in pmacct 1.7.7, which loses purges while the database is away.").build();
    public static final KeyDef<Long> JOURNAL_THRESHOLD = key("sql_journal_threshold", ValueTypes.integer(0, Integer.MAX_VALUE))
            .pluginTypes(TYPES).defaultValue(1_000_000L)
            .doc("Entries of failed purges kept in memory before they go to sql_journal (about 150 bytes each).")
            .differs("Not in pmacct 1.7.7.").build();

    public static List<KeyDef<?>> all() {
        return List.of(DB, HOST, PORT, USER, PASSWD, TABLE, TABLE_VERSION, TABLE_TYPE, OPTIMIZE_CLAUSES, DONT_TRY_UPDATE,
                CACHE_ENTRIES, TRIGGER_TIME, LOCKING_STYLE,
                USE_COPY, DELIMITER, NUM_HOSTS, CONN_CA_FILE, TABLE_SCHEMA, JOURNAL, JOURNAL_THRESHOLD);
    }

    /** sql_history's syntax, or a number of seconds. */
    private static ValueType<History> period() {
        return new ValueType<>() {
            @Override
            public History parse(String text) {
                String t = text.strip();
                return t.chars().allMatch(Character::isDigit) && !t.isEmpty() ? History.parse(t + "s") : History.parse(t);
            }

            @Override
            public String expected() {
                return ValueTypes.HISTORY.expected() + ", or seconds";
            }
        };
    }

    /** One character COPY takes as delimiter in its text format. */
    private static ValueType<String> delimiter() {
        return new ValueType<>() {
            @Override
            public String parse(String text) {
                if (text.length() != 1) {
                    throw new IllegalArgumentException("not one character");
                }
                char c = text.charAt(0);
                if (c > 127 || "\\.\r\n".indexOf(c) >= 0 || Character.isLowerCase(c) || Character.isDigit(c)) {
                    throw new IllegalArgumentException("COPY cannot use it as delimiter");
                }
                return text;
            }

            @Override
            public String expected() {
                return "one ASCII character other than a lower-case letter, a digit, '.' or '\\'";
            }
        };
    }
}
