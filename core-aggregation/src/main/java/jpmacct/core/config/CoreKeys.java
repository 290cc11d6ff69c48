package jpmacct.core.config;

import static jpmacct.core.config.DaemonKind.PMACCTD;
import static jpmacct.core.config.KeyDef.key;

import java.util.EnumSet;
import java.util.List;

import jpmacct.core.output.WriterId;
import jpmacct.core.plugin.LabelFilter;
import jpmacct.core.plugin.Preprocess;
import jpmacct.core.plugin.TagFilter;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Primitive;

/** Keys of the core, shared by every daemon and plugin. Plugin- and daemon-specific keys live with them. */
public final class CoreKeys {
    private CoreKeys() {
    }

    // ---- daemon life (GLOBAL)
    public static final KeyDef<Boolean> DAEMONIZE = key("daemonize", ValueTypes.BOOLEAN).global()
            .defaultValue(false).doc("Run in the background, detached from the terminal.").build();
    public static final KeyDef<String> PIDFILE = key("pidfile", ValueTypes.PATH).global()
            .doc("Write the daemon's PID into this file; removed at exit.").build();
    public static final KeyDef<String> LOGFILE = key("logfile", ValueTypes.PATH).global()
            .doc("Log to this file instead of stderr; reopened on SIGHUP (log rotation).").build();
    public static final KeyDef<String> SYSLOG = key("syslog", ValueTypes.SYSLOG_FACILITY).global()
            .doc("Log to syslog with this facility.").build();
    public static final KeyDef<Boolean> DEBUG = key("debug", ValueTypes.BOOLEAN).defaultValue(false)
            .doc("Enable debug logging (per plugin when scoped).").build();
    public static final KeyDef<String> CORE_PROC_NAME = key("core_proc_name", ValueTypes.STRING).global()
            .defaultValue("default").doc("Name of the core process, as in log lines and thread names.").build();
    public static final KeyDef<List<String>> PLUGINS = key("plugins", ValueTypes.WORD_LIST).global()
            .defaultText("memory").doc("Plugins to run: type[name], ... Unnamed plugins are named default_<type>.")
            .differs("Set twice in a file is an error (pmacct uses the first); -P overrides the file.").build();
    public static final KeyDef<Long> FILES_UMASK = key("files_umask", octal()).global().defaultValue(077L)
            .defaultText("077").doc("Permission bits removed from files the daemon creates (output files, pidfile).").build();
    public static final KeyDef<String> FILES_UID = key("files_uid", ValueTypes.STRING).global()
            .doc("Owner (name or number) given to files the daemon creates.").build();
    public static final KeyDef<String> FILES_GID = key("files_gid", ValueTypes.STRING).global()
            .doc("Group (name or number) given to files the daemon creates.").build();
    public static final KeyDef<Boolean> MAPS_REFRESH = key("maps_refresh", ValueTypes.BOOLEAN).global()
            .defaultValue(true).doc("Re-read maps (networks_file, ports_file, pre_tag_map, sampling_map, ...) on SIGUSR2 "
                    + "and when their file changes (checked every 2 seconds, a file at rest for a second); a bad "
                    + "new map is refused and logged, the old one kept.")
            .differs("Changed files are also picked up without SIGUSR2.").build();
    public static final KeyDef<Boolean> MAPS_INDEX = key("maps_index", ValueTypes.BOOLEAN).global().defaultValue(false)
            .doc("Accepted for compatibility: pmacct indexes pre_tag_map and similar maps with it; here map lookups "
                    + "are indexed always.").differs("No effect.").build();
    public static final KeyDef<Long> MAPS_ENTRIES = key("maps_entries", ValueTypes.integer(1, Integer.MAX_VALUE))
            .defaultValue(384L).doc("Accepted for compatibility: pmacct's most entries per map; here a map holds "
                    + "as many entries as its file has.").differs("No limit: a map longer than this is read whole.")
            .build();
    public static final KeyDef<Long> MAPS_ROW_LEN = key("maps_row_len", ValueTypes.integer(1, Integer.MAX_VALUE))
            .defaultValue(256L).doc("Accepted for compatibility: pmacct's longest map line; here lines of any length "
                    + "are read.").differs("No limit.").build();

    // ---- plugin plumbing
    public static final KeyDef<Long> PLUGIN_BUFFER_SIZE = key("plugin_buffer_size", ValueTypes.BYTES)
            .defaultValue(64L * 1024).defaultText("65536")
            .doc("Bytes of one batch handed from the core to a plugin; one record counts as 256 bytes, so the "
                    + "default batches 256 records (16 to 8192; with several plugins the smallest setting applies to "
                    + "all, as one pool of batches feeds them).")
            .differs("pmacct defaults to a single record per buffer; the batch is flushed at least every 100 ms.")
            .build();
    public static final KeyDef<Long> PLUGIN_PIPE_SIZE = key("plugin_pipe_size", ValueTypes.BYTES)
            .defaultValue(4L * 1024 * 1024).defaultText("4194304")
            .doc("Bytes queued between the core and a plugin (plugin_pipe_size / plugin_buffer_size batches). "
                    + "When the queue is full, live capture drops the batch and counts it per plugin; a savefile "
                    + "waits instead, so reading a file never loses data (and queues at most 32 batches).").build();
    private static final String NO_ZMQ = "pmacct's ZeroMQ transport between the core and its plugin processes; "
            + "here plugins run in the daemon and are fed in-process (plugin_buffer_size, plugin_pipe_size), so "
            + "these keys have no effect";
    public static final KeyDef<Boolean> PLUGIN_PIPE_ZMQ = key("plugin_pipe_zmq", ValueTypes.BOOLEAN).defaultValue(false)
            .noEffect(NO_ZMQ).doc("Accepted for compatibility: pmacct queues data to a plugin over ZeroMQ with it. "
                    + "Plugins here are fed in-process; a configuration setting it is told so once at INFO.")
            .differs("No effect.").build();
    public static final KeyDef<Long> PLUGIN_PIPE_ZMQ_RETRY = key("plugin_pipe_zmq_retry",
            ValueTypes.integer(1, Integer.MAX_VALUE)).defaultValue(60L).noEffect(NO_ZMQ)
            .doc("Accepted for compatibility: seconds before a pmacct plugin reconnects to the core's ZeroMQ queue.")
            .differs("No effect.").build();
    public static final KeyDef<String> PLUGIN_PIPE_ZMQ_PROFILE = key("plugin_pipe_zmq_profile",
            ValueTypes.oneOf("micro", "small", "medium", "large", "xlarge")).defaultValue("micro").noEffect(NO_ZMQ)
            .doc("Accepted for compatibility: pmacct's ZeroMQ buffering profile. Batches here are sized by "
                    + "plugin_buffer_size.").differs("No effect.").build();
    public static final KeyDef<Long> PLUGIN_PIPE_ZMQ_HWM = key("plugin_pipe_zmq_hwm",
            ValueTypes.integer(0, Integer.MAX_VALUE)).defaultValue(0L).noEffect(NO_ZMQ)
            .doc("Accepted for compatibility: the most messages pmacct's ZeroMQ queue holds per plugin (0: no limit).")
            .differs("No effect.").build();

    // ---- aggregation
    public static final KeyDef<Aggregate> AGGREGATE = key("aggregate", Aggregate.TYPE)
            .defaultValue(new Aggregate(EnumSet.of(Primitive.SRC_HOST))).defaultText("src_host")
            .doc("Primitives to aggregate on, see -a.").build();
    public static final KeyDef<String> AGGREGATE_PRIMITIVES = key("aggregate_primitives", ValueTypes.PATH).global()
            .doc("Custom primitives over NetFlow v9/IPFIX information elements, usable in aggregate: lines "
                    + "'name=NAME field_type=[PEN:]ID len=BYTES|vlen semantics=u_int|hex|str|ip|mac|raw', up to 63.")
            .differs("They carry data in nfacctd only (packet_ptr is refused); a value is cut at 1024 bytes.")
            .build();
    public static final KeyDef<String> AGGREGATE_FILTER = key("aggregate_filter", ValueTypes.TEXT)
            .doc("This plugin's filter, in libpcap syntax: pmacctd runs it on each packet, nfacctd and sfacctd on a "
                    + "packet built from each flow's fields. Also: in_iface N, out_iface N, peer_src_ip ADDR[/LEN], "
                    + "tag N[-M], tag2 N[-M], label NAME, combined with the rest by and, or, not and parentheses.")
            .differs("The in_iface, out_iface, peer_src_ip, tag, tag2 and label terms are this project's.").build();
    public static final KeyDef<String> PRE_TAG_MAP = key("pre_tag_map", ValueTypes.PATH).global()
            .doc("Map setting tag, tag2 and label on records: rules 'set_tag=N ip=... in=... filter=\'...\' ...', "
                    + "first match wins, jeq/label/stack as pmacct; re-read on SIGUSR2 and, with maps_refresh, when "
                    + "the file changes.").build();
    public static final KeyDef<TagFilter> PRE_TAG_FILTER = key("pre_tag_filter",
            TagFilter.TYPE)
            .doc("Only records whose tag matches reach this plugin: tags, ranges, 0 for untagged, -N negations.").build();
    public static final KeyDef<TagFilter> PRE_TAG2_FILTER = key("pre_tag2_filter",
            TagFilter.TYPE)
            .doc("As pre_tag_filter, on tag2.").build();
    public static final KeyDef<LabelFilter> PRE_TAG_LABEL_FILTER = key("pre_tag_label_filter",
            LabelFilter.TYPE)
            .doc("Only records whose label matches reach this plugin: labels, null for unlabelled, -label negations.")
            .build();
    public static final KeyDef<Long> POST_TAG = key("post_tag", ValueTypes.integer(1, Long.MAX_VALUE))
            .doc("Tag given to every record of this plugin, after its filters.").build();
    public static final KeyDef<Long> POST_TAG2 = key("post_tag2", ValueTypes.integer(1, Long.MAX_VALUE))
            .doc("tag2 given to every record of this plugin, after its filters.").build();
    public static final KeyDef<String> NETWORKS_FILE = key("networks_file", ValueTypes.PATH)
            .doc("Networks (and optional next hop, peer AS, AS) for src_net/dst_net, masks and ASNs: "
                    + "[label,][next_hop,][[peer_as_]as,]network/mask per line, IPv4 and IPv6, longest match wins.")
            .differs("A malformed line stops the daemon at start-up and is refused (old map kept) on reload; "
                    + "pmacct skips it. IPv6 lookups are exact (pmacct 1.7.7 returns wrong prefixes for some).")
            .build();
    public static final KeyDef<Boolean> NETWORKS_FILE_FILTER = key("networks_file_filter", ValueTypes.BOOLEAN)
            .defaultValue(false).doc("Zero host addresses that no network in networks_file covers.").build();
    public static final KeyDef<Long> NETWORKS_MASK = key("networks_mask", ValueTypes.integer(0, 128))
            .doc("Static prefix length applied to hosts for src_net/dst_net and reported as src_mask/dst_mask.").build();
    public static final KeyDef<Boolean> NETWORKS_NO_MASK_IF_ZERO = key("networks_no_mask_if_zero", ValueTypes.BOOLEAN)
            .defaultValue(false).doc("A zero mask leaves src_net/dst_net as the full address instead of 0.").build();
    public static final KeyDef<Long> NETWORKS_CACHE_ENTRIES = key("networks_cache_entries", ValueTypes.integer(0, Integer.MAX_VALUE))
            .doc("Accepted for compatibility; lookups need no cache here.").differs("No effect.").build();
    public static final KeyDef<String> PORTS_FILE = key("ports_file", ValueTypes.PATH)
            .doc("Ports to account; other ports are accounted as 0. One port per line.").build();

    // ---- timestamps
    public static final KeyDef<Boolean> TIMESTAMPS_SECS = key("timestamps_secs", ValueTypes.BOOLEAN).defaultValue(false)
            .doc("timestamp_* primitives with whole-second resolution.").build();
    public static final KeyDef<Boolean> TIMESTAMPS_RFC3339 = key("timestamps_rfc3339", ValueTypes.BOOLEAN).defaultValue(false)
            .doc("Print timestamps in RFC 3339 form.").build();
    public static final KeyDef<Boolean> TIMESTAMPS_RFC9557 = key("timestamps_rfc9557", ValueTypes.BOOLEAN)
            .defaultValue(false).doc("Print timestamps in RFC 9557 form: as timestamps_rfc3339, but a zero UTC "
                    + "offset is written +00:00 instead of Z.")
            .differs("pmacct 1.8 has it and makes timestamps_rfc3339 an alias of it; here timestamps_rfc3339 keeps "
                    + "1.7.7's Z.").build();
    public static final KeyDef<Boolean> TIMESTAMPS_UTC = key("timestamps_utc", ValueTypes.BOOLEAN).defaultValue(false)
            .doc("Print timestamps and round time bins in UTC instead of local time.").build();
    public static final KeyDef<Boolean> TIMESTAMPS_SINCE_EPOCH = key("timestamps_since_epoch", ValueTypes.BOOLEAN)
            .defaultValue(false).doc("Print timestamps as seconds since the epoch. The SQL plugins write "
                    + "stamp_inserted and stamp_updated as integer seconds, into integer columns (MySQL INT UNSIGNED, "
                    + "PostgreSQL bigint, SQLite INT) instead of the scripts' date types.").build();

    // ---- pmacct 1.8's JSON encodings
    public static final KeyDef<Boolean> TCPFLAGS_ENCODE_AS_ARRAY = key("tcpflags_encode_as_array", ValueTypes.BOOLEAN)
            .global().defaultValue(false)
            .doc("JSON: tcp_flags (and tunnel_tcp_flags) as an array of flag names, e.g. [\"SYN\", \"ACK\"] "
                    + "(pmacct 1.8); else a number in a string.")
            .differs("pmacct 1.8's key. As pmacct, flags above the low six bits (ECE, CWR) give [].").build();
    public static final KeyDef<Boolean> FWD_STATUS_ENCODE_AS_STRING = key("fwd_status_encode_as_string",
            ValueTypes.BOOLEAN).global().defaultValue(false)
            .doc("JSON: fwd_status as its RFC 7270 name, e.g. \"FORWARDED Unknown\" (pmacct 1.8); else a number in a "
                    + "string.").differs("pmacct 1.8's key.").build();
    public static final KeyDef<Boolean> MPLS_LABEL_STACK_ENCODE_AS_ARRAY = key("mpls_label_stack_encode_as_array",
            ValueTypes.BOOLEAN).global().defaultValue(false)
            .doc("JSON: mpls_label_stack as an array of \"index-label\" strings, e.g. [\"0-69\", \"1-24305\"] "
                    + "(pmacct 1.8); else the labels joined by '_'.").differs("pmacct 1.8's key.").build();
    public static final KeyDef<Boolean> PRE_TAG_LABEL_ENCODE_AS_MAP = key("pre_tag_label_encode_as_map",
            ValueTypes.BOOLEAN).global().defaultValue(false)
            .doc("JSON: a pre_tag_map label written as key%value pairs (set_label=k1%v1,k2%v2) as an object, "
                    + "{\"k1\": \"v1\", \"k2\": \"v2\"} (pmacct 1.8).")
            .differs("pmacct 1.8's key. Setting any of the four *_encode_as_* keys also writes mpls_vpn_rd_origin "
                    + "after mpls_vpn_rd in JSON, as pmacct 1.8 does (1.7.7 has no such field). Labels without a "
                    + "'%' are not refused at map load as pmacct 1.8 refuses them; they give {}.").build();

    // ---- purging plugins (print now, sql later share these)
    public static final KeyDef<Long> REFRESH_TIME = key("print_refresh_time", ValueTypes.SECONDS)
            .aliases("sql_refresh_time", "amqp_refresh_time", "kafka_refresh_time").defaultValue(60L)
            .doc("Seconds between purges of the cache to the output.")
            .differs("Units are accepted (5m = 300 s); pmacct reads '5m' as 5 seconds.").build();
    public static final KeyDef<History> HISTORY = key("print_history", ValueTypes.HISTORY)
            .aliases("sql_history", "amqp_history", "kafka_history")
            .doc("Time bins: entries carry the start of their bin (e.g. 5m, 1h, 1d, 1M).")
            .differs("A timestamp exactly on a bin boundary and older than the daemon's start opens the new "
                    + "bin; pmacct 1.7.7 puts it in the previous one.").build();
    public static final KeyDef<String> HISTORY_ROUNDOFF = key("print_history_roundoff", ValueTypes.ROUNDOFF)
            .aliases("sql_history_roundoff", "amqp_history_roundoff", "amqp_time_roundoff", "kafka_history_roundoff")
            .doc("Align bins by zeroing fields of the first timestamp: m (minutes), h (hours), d (to the 1st of "
                    + "the month), w (to Monday), M (to January).")
            .differs("The alignment anchor is the first record's time rather than the plugin's start time, so "
                    + "a savefile gives the same bins whenever it is read.").build();
    public static final KeyDef<Long> HISTORY_OFFSET = key("print_history_offset", ValueTypes.SECONDS)
            .aliases("sql_history_offset", "amqp_history_offset", "kafka_history_offset").defaultValue(0L)
            .doc("Seconds the history bins start before their aligned times, as in pmacct: with 30m bins aligned on "
                    + "the hour (roundoff h) and 900, bins start at 10:15, 10:45, ...; with 1h bins and 900 at 09:45, "
                    + "10:45, ... (back, not forward). Monthly bins start that many seconds before the 1st. Must be "
                    + "less than one bin (for months: 28 days times the count), else the daemon does not start; "
                    + "without *_history it is ignored with a warning.")
            .differs("Units are accepted (15m = 900 s); pmacct reads '15m' as 15 seconds and ignores the key "
                    + "silently without history.").build();
    public static final KeyDef<String> TRIGGER_EXEC = key("print_trigger_exec", ValueTypes.PATH)
            .aliases("sql_trigger_exec", "amqp_trigger_exec", "kafka_trigger_exec")
            .doc("Executable run after each purge; the SQL plugins run it every sql_trigger_time instead when that "
                    + "is set, with pmacct's SQL variables in its environment (see sql_trigger_time).")
            .differs("Its exit status and stderr are logged; pmacct discards them. The SQL plugins also run it after "
                    + "the last purge at exit.").build();
    public static final KeyDef<Boolean> TRIGGER_EXEC_ASYNC = key("print_trigger_exec_async", ValueTypes.BOOLEAN)
            .aliases("sql_trigger_exec_async", "amqp_trigger_exec_async", "kafka_trigger_exec_async")
            .defaultValue(false)
            .doc("false: a plugin's triggers run one at a time: a trigger due while the previous one still runs "
                    + "starts when it ends (the purge does not wait for either); at exit the daemon waits up to 10 s "
                    + "for them. true: each trigger starts at once, several may run together, detached from the "
                    + "daemon (no input, output and error discarded, not waited for at exit; it may outlive the "
                    + "daemon); a failure to start and a non-zero exit status are still logged.")
            .differs("pmacct 1.8's key. pmacct's default mode does not wait for a trigger either, so its triggers "
                    + "can overlap despite its documentation; here they run one at a time, as documented.").build();
    public static final KeyDef<Preprocess> PREPROCESS = key("sql_preprocess", Preprocess.TYPE)
            .aliases("print_preprocess", "amqp_preprocess", "kafka_preprocess")
            .pluginTypes("sqlite3", "mysql", "pgsql", "print", "amqp", "kafka")
            .doc("Checks an entry passes to be written at a purge: minp, minb, minf (at least that many packets, "
                    + "bytes, flows), maxp, maxb, maxf (fewer), minbpp (bytes per packet), minppf (packets per flow, "
                    + "with the flows primitive); entries that fail are not written, and the purge's figures (QN in "
                    + "the log, purged_entries in purge_close markers) count the entries written. The SQL plugins "
                    + "also take maxbpp, maxppf, qnum=N (checks only purges of more than N entries), usrf=N "
                    + "(bytes times N, packets following at the same bytes per packet) and adjb=N (N bytes added per "
                    + "packet); print, amqp and kafka refuse those.")
            .differs("fss, fsrc and recover are refused (not supported yet); an unknown or malformed check, or one "
                    + "of the SQL plugins' given to print, amqp or kafka, stops the daemon: pmacct ignores it with a "
                    + "warning.").build();
    public static final KeyDef<String> PREPROCESS_TYPE = key("sql_preprocess_type", ValueTypes.oneOf("any", "all"))
            .aliases("print_preprocess_type", "amqp_preprocess_type", "kafka_preprocess_type")
            .pluginTypes("sqlite3", "mysql", "pgsql", "print", "amqp", "kafka").defaultValue("any")
            .doc("Whether an entry passes *_preprocess when one check says so (any) or every one (all).").build();
    public static final KeyDef<WriterId> WRITER_ID_STRING = key("writer_id_string", WriterId.TYPE)
            .pluginTypes("kafka", "amqp").defaultValue(WriterId.parse(WriterId.DEFAULT))
            .doc("The writer_id field a message-broker plugin adds to what it sends: text with $proc_name (the "
                    + "plugin's name), $writer_pid (the process id) and $pmacct_build (this build's version).")
            .differs("$writer_pid is the daemon's process id: plugins write from its threads, where pmacct forks a "
                    + "writer process per purge. The result is not cut at 64 characters.").build();
    public static final KeyDef<Boolean> NUM_PROTOS = key("print_num_protos", ValueTypes.BOOLEAN)
            .aliases("sql_num_protos", "amqp_num_protos", "kafka_num_protos").defaultValue(false)
            .doc("Print IP protocols as numbers instead of names.").build();
    public static final KeyDef<Long> CACHE_ENTRIES = key("print_cache_entries", ValueTypes.integer(1, Integer.MAX_VALUE))
            .aliases("amqp_cache_entries", "kafka_cache_entries").pluginTypes("print", "amqp", "kafka")
            .defaultValue(16411L).doc("Initial size of the cache, in entries.")
            .differs("The cache grows as needed instead of forcing an early purge when full.").build();
    public static final KeyDef<Boolean> MARKERS = key("print_markers", ValueTypes.BOOLEAN)
            .aliases("amqp_markers", "kafka_markers").pluginTypes("print", "amqp", "kafka").defaultValue(false)
            .doc("Mark each purge: print writes start/end lines (JSON: purge_init and purge_close objects) around "
                    + "its rows, amqp and kafka send a purge_init message before the purge's messages and a "
                    + "purge_close one (purged_entries, total_entries, duration) after them.").build();
    public static final KeyDef<Long> MAX_WRITERS = key("print_max_writers", ValueTypes.integer(1, 1000))
            .aliases("amqp_max_writers", "kafka_max_writers").pluginTypes("print", "amqp", "kafka")
            .defaultValue(10L).doc("Purges that may be written concurrently; beyond it a purge waits for the next "
                    + "refresh.").build();
    public static final KeyDef<Long> MULTI_VALUES = key("sql_multi_values", ValueTypes.BYTES)
            .aliases("amqp_multi_values", "kafka_multi_values").pluginTypes("sqlite3", "mysql", "pgsql", "amqp", "kafka")
            .defaultValue(0L)
            .doc("mysql, sqlite3: bytes of one multi-row INSERT (rows per statement: this size over the size of a "
                    + "row as text); 0 sends JDBC batches, which mysql's driver turns into multi-row INSERTs itself. "
                    + "pgsql: ignored with a note (its driver sends batches as multi-row INSERTs). amqp, kafka: "
                    + "bytes of one message carrying several JSON objects, each followed by a newline; 0 sends one "
                    + "object per message.").build();
    public static final KeyDef<Long> STARTUP_DELAY = key("sql_startup_delay", ValueTypes.SECONDS)
            .aliases("print_startup_delay", "amqp_startup_delay", "kafka_startup_delay")
            .pluginTypes("sqlite3", "mysql", "pgsql", "print", "amqp", "kafka").defaultValue(0L)
            .doc("Delays the first purge, and so every later one and sql_trigger_time, by this many seconds: "
                    + "plugins with the same refresh time spread their writes.").build();

    // ---- sampling
    public static final KeyDef<Long> SAMPLING_RATE = key("sampling_rate", ValueTypes.integer(1, Integer.MAX_VALUE))
            .daemons(PMACCTD).doc("Account one packet out of N, chosen at random (per plugin).").build();
    public static final KeyDef<Boolean> STITCHING = key("nfacctd_stitching", ValueTypes.BOOLEAN)
            .aliases("sfacctd_stitching", "pmacctd_stitching", "uacctd_stitching")
            .pluginTypes("print", "sqlite3", "mysql", "pgsql", "kafka", "amqp").defaultValue(false)
            .doc("Adds timestamp_min and timestamp_max to every entry: the earliest start and the latest end of the "
                    + "flows (sFlow samples, packets) accounted in it; a flow without a start or an end, and every "
                    + "flow with nfacctd_time_new, gives its arrival at the collector. The print plugin shows them "
                    + "after the other timestamps (TIMESTAMP_MIN, TIMESTAMP_MAX; JSON timestamp_min, timestamp_max), "
                    + "the SQL plugins write the columns timestamp_min and timestamp_max, with timestamp_min_residual "
                    + "and timestamp_max_residual for the microseconds unless timestamps_secs; as in pmacct these are "
                    + "part of a row's key (put them in the table's primary key, and set sql_dont_try_update: an "
                    + "UPDATE only finds a row with the same times). The memory plugin has none, as in pmacct.")
            .differs("timestamp_min is the earliest start and timestamp_max the latest end of the entry's flows; "
                    + "pmacct keeps the first flow's start and moves timestamp_max only when both the seconds and the "
                    + "microseconds of an end are larger (never, with whole-second times). Where pmacct takes the "
                    + "plugin's clock (pmacctd's timestamp_max, nfacctd_time_new, flows without times) the packet's "
                    + "or datagram's arrival is used, so a savefile gives its own times; timestamps_secs cuts every "
                    + "time to the second.").build();
    public static final KeyDef<Boolean> RENORMALIZE = key("sfacctd_renormalize", ValueTypes.BOOLEAN)
            .aliases("pmacctd_renormalize", "nfacctd_renormalize", "uacctd_renormalize").defaultValue(false)
            .doc("Multiply sampled counters by the sampling rate.").build();

    // ---- Redis: each process of the daemon announces itself in a cluster (jpmacct.core.redis)
    public static final KeyDef<String> REDIS_HOST = key("redis_host", hostPort()).global()
            .doc("Redis server to announce this daemon in, as host:port (the port is required): the core and each "
                    + "plugin keep a key of their own there (cluster_name+cluster_id+process+name+type, the core also "
                    + "+daemon_type), written every second with a 3-second expiry, each over its own connection; a lost "
                    + "server is warned about once per outage and retried with a back-off, accounting goes on. Needs "
                    + "cluster_name.")
            .differs("A failed connection is logged once per outage and then once a minute (pmacct: every second); "
                    + "a wrong password or database is an ERROR and retried (pmacct exits on a wrong password).")
            .build();
    public static final KeyDef<String> REDIS_PASSWD = key("redis_passwd", ValueTypes.STRING).global()
            .doc("Password sent with AUTH on every connection to redis_host.")
            .differs("pmacct documents it but its key table lacks it, so pmacct ignores it as an unknown key.").build();
    public static final KeyDef<Long> REDIS_DB = key("redis_db", ValueTypes.integer(0, Integer.MAX_VALUE)).global()
            .defaultValue(0L).doc("Redis database the keys are written to (SELECT on every connection).")
            .differs("pmacct reads it but never selects the database: its keys always go to database 0.").build();
    public static final KeyDef<String> CLUSTER_NAME = key("cluster_name", ValueTypes.STRING).global()
            .doc("Name of the cluster this daemon is part of: the first part of its Redis keys (see redis_host).")
            .build();
    public static final KeyDef<Long> CLUSTER_ID = key("cluster_id", ValueTypes.integer(0, Integer.MAX_VALUE)).global()
            .defaultValue(0L).doc("This daemon's id inside its cluster, unique per daemon: the second part of its "
                    + "Redis keys (see redis_host).").build();

    public static List<KeyDef<?>> all() {
        return List.of(AGGREGATE_FILTER, PRE_TAG_MAP, PRE_TAG_FILTER, PRE_TAG2_FILTER, PRE_TAG_LABEL_FILTER, POST_TAG, POST_TAG2, AGGREGATE_PRIMITIVES, DAEMONIZE, PIDFILE, LOGFILE, SYSLOG, DEBUG, CORE_PROC_NAME, PLUGINS, FILES_UMASK, FILES_UID,
                FILES_GID, MAPS_REFRESH, PLUGIN_BUFFER_SIZE, PLUGIN_PIPE_SIZE, AGGREGATE, NETWORKS_FILE,
                NETWORKS_FILE_FILTER, NETWORKS_MASK, NETWORKS_NO_MASK_IF_ZERO, NETWORKS_CACHE_ENTRIES, PORTS_FILE,
                TIMESTAMPS_SECS, TIMESTAMPS_RFC3339, TIMESTAMPS_UTC, TIMESTAMPS_SINCE_EPOCH, REFRESH_TIME, HISTORY,
                HISTORY_ROUNDOFF, TRIGGER_EXEC, NUM_PROTOS, SAMPLING_RATE, RENORMALIZE, TCPFLAGS_ENCODE_AS_ARRAY,
                FWD_STATUS_ENCODE_AS_STRING, MPLS_LABEL_STACK_ENCODE_AS_ARRAY, PRE_TAG_LABEL_ENCODE_AS_MAP,
                // keys pmacct 1.8's own configurations use
                MAPS_INDEX, MAPS_ENTRIES, MAPS_ROW_LEN, PLUGIN_PIPE_ZMQ, PLUGIN_PIPE_ZMQ_RETRY, PLUGIN_PIPE_ZMQ_PROFILE,
                PLUGIN_PIPE_ZMQ_HWM, TIMESTAMPS_RFC9557, WRITER_ID_STRING, STITCHING,
                REDIS_HOST, REDIS_PASSWD, REDIS_DB, CLUSTER_NAME, CLUSTER_ID,
                // keys of purging plugins that pmacct shares between print, sql, amqp and kafka
                CACHE_ENTRIES, MARKERS, MAX_WRITERS, MULTI_VALUES, STARTUP_DELAY, HISTORY_OFFSET, TRIGGER_EXEC_ASYNC,
                PREPROCESS, PREPROCESS_TYPE);
    }

    /** host:port with the port required, or [IPv6]:port; the text as written (resolved at each connection). */
    public static ValueType<String> hostPort() {
        return new ValueType<>() {
            @Override
            public String parse(String text) {
                if (text.indexOf(':') < 0) {
                    throw new IllegalArgumentException("no port");
                }
                HostPort.split(text);
                return text;
            }

            @Override
            public String expected() {
                return "host:port, e.g. 127.0.0.1:6379 (IPv6: [address]:port)";
            }
        };
    }

    public static ValueType<Long> octal() {
        return new ValueType<>() {
            @Override
            public Long parse(String text) {
                try {
                    long v = Long.parseLong(text, 8);
                    if (v < 0 || v > 0777) {
                        throw new IllegalArgumentException("out of range");
                    }
                    return v;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an octal number");
                }
            }

            @Override
            public String expected() {
                return "an octal permission mask, e.g. 077";
            }

            @Override
            public String render(Long value) {
                return String.format("%03o", value);
            }
        };
    }
}
