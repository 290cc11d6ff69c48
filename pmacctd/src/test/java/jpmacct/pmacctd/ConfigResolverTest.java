package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigLine;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.output.WriterId;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.runtime.DaemonCli;

/** pmacct's key[name] scoping and precedence, resolved with pmacctd's real keys and plugins. */
class ConfigResolverTest {
    private static final Map<String, PluginFactory> FACTORIES = PluginRegistry.discover();

    private static DaemonConfig resolve(List<String> file, String... cli) throws ConfigException {
        List<ConfigLine> cliLines = new ArrayList<>();
        for (int i = 0; i < cli.length; i += 2) {
            cliLines.add(ConfigParser.parseLine("command line", 0, cli[i], cli[i + 1]));
        }
        return new ConfigResolver(DaemonKind.PMACCTD, DaemonCli.registry(Pmacctd.keys(), FACTORIES),
                FACTORIES.keySet()).resolve(ConfigParser.parse("p.conf", file), cliLines, true);
    }

    private static PluginConfig plugin(DaemonConfig c, String name) {
        return c.plugins().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void interfaceIsAnAliasOfPcapInterface() throws Exception {
        DaemonConfig c = resolve(List.of("interface: br0", "plugins: print"));
        assertEquals("br0", c.get(PmacctdKeys.PCAP_INTERFACE));
    }

    @Test
    void scopedBeatsUnscopedWhateverTheOrder() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a], print[b]", "aggregate[a]: src_host",
                "aggregate: dst_host", "print_refresh_time: 10", "print_refresh_time[b]: 5m"));
        assertEquals("src_host", plugin(c, "a").get(CoreKeys.AGGREGATE).toString());
        assertEquals("dst_host", plugin(c, "b").get(CoreKeys.AGGREGATE).toString());
        assertEquals(10L, plugin(c, "a").get(CoreKeys.REFRESH_TIME));
        assertEquals(300L, plugin(c, "b").get(CoreKeys.REFRESH_TIME));
        assertEquals("p.conf:5", plugin(c, "b").whereSet(CoreKeys.REFRESH_TIME));
    }

    @Test
    void lastLineWinsWithinALevelAndDefaultsFillTheRest() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print", "print_refresh_time: 10", "print_refresh_time: 20"));
        PluginConfig p = plugin(c, "default_print");
        assertEquals(20L, p.get(CoreKeys.REFRESH_TIME));
        assertEquals(false, p.get(CoreKeys.NUM_PROTOS));
        assertEquals("default", p.whereSet(CoreKeys.NUM_PROTOS));
    }

    /** pmacct appends options to the file, so an unscoped -c loses to aggregate[name]; here options win. */
    @Test
    void commandLineOverridesScopedLines() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a]", "aggregate[a]: src_host"), "-c", "aggregate: proto");
        assertEquals("proto", plugin(c, "a").get(CoreKeys.AGGREGATE).toString());
    }

    @Test
    void commandLinePluginsReplaceTheFileAndAreNamedByType() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a]"), "-P", "plugins: print");
        assertEquals(List.of("default_print"), c.plugins().stream().map(PluginConfig::name).toList());
    }

    @Test
    void aScopeOnAGlobalKeyIsIgnoredWithAWarning() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a]", "daemonize[a]: false"));
        assertTrue(c.warnings().get(0).contains("p.conf:2: key 'daemonize' is global; '[a]' ignored"), c.warnings().toString());
    }

    /** pmacct ignores a key of a plugin type that is not loaded without a word; here it is named. */
    @Test
    void aKeyNoConfiguredPluginUsesIsNamedInAWarning() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a], print[b]", "imt_buckets: 65537", "print_markers: true"),
                "-p", "imt_path: /tmp/x.pipe");
        assertEquals(List.of("p.conf:2: key 'imt_buckets' configures memory plugins and no configured "
                + "plugin uses it; ignored", "command line (-p): key 'imt_path' configures memory plugins and no "
                + "configured plugin uses it; ignored"), c.warnings(), "print_markers, used by both, raises none");
    }

    @Test
    void errorsNameLineKeyAndExpectedForm() {
        assertError("p.conf:2: key 'print_refresh_time[a]': invalid value 'soon'", List.of("plugins: print[a]",
                "print_refresh_time[a]: soon"));
        assertError("expected a duration in seconds", List.of("plugins: print[a]", "print_refresh_time[a]: soon"));
        assertError("p.conf:2: unknown key 'agregate' (did you mean 'aggregate'?)", List.of("plugins: print", "agregate: proto"));
        assertError("p.conf:2: key 'bgp_daemon' is not supported yet", List.of("plugins: print", "bgp_daemon: true"));
        assertError("p.conf:2: key 'aggregate[x]': no plugin named 'x' (plugins: a)", List.of("plugins: print[a]",
                "aggregate[x]: proto"));
        assertError("p.conf:2: key 'plugins' set twice (first at p.conf:1)", List.of("plugins: print[a]", "plugins: print[b]"));
        assertError("plugin type 'kafka' is not supported yet", List.of("plugins: kafka"));
        assertError("unknown plugin type 'prnt'", List.of("plugins: prnt"));
        assertError("two plugins named 'a'", List.of("plugins: print[a], print[a]"));
    }

    /** A pmacct key this build lacks says which release added it, or removed it, after 1.7.7. */
    @Test
    void keysOfLaterReleasesNameTheRelease() {
        assertLineRefused("bgp_daemon_ha: true",
                "p.conf:2: key 'bgp_daemon_ha' is not supported yet (added in pmacct 1.7.9)");
        assertLineRefused("tos_encode_as_dscp: true",
                "p.conf:2: key 'tos_encode_as_dscp' is not supported yet (added in pmacct 1.7.8)");
        assertLineRefused("mongo_host: localhost",
                "p.conf:2: key 'mongo_host' is not supported (removed in pmacct 1.8.0)");
        assertLineRefused("bgp_daemon: true", "p.conf:2: key 'bgp_daemon' is not supported yet");
        assertLineRefused("bgp_daemon_ha_clusterid: 1",
                "p.conf:2: unknown key 'bgp_daemon_ha_clusterid' (did you mean 'bgp_daemon_ha_cluster_id'?)");
    }

    /** maps_index, maps_entries, maps_row_len: validated, no effect (maps are indexed and unbounded here). */
    @Test
    void mapsKeysAreAcceptedWithoutEffect() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a]", "maps_index: true", "maps_entries: 100000",
                "maps_row_len[a]: 1024"));
        assertEquals(true, c.get(CoreKeys.MAPS_INDEX));
        assertEquals(100000L, plugin(c, "a").get(CoreKeys.MAPS_ENTRIES));
        assertEquals(1024L, plugin(c, "a").get(CoreKeys.MAPS_ROW_LEN));
        assertEquals(List.of(), c.notes(), "documented, not logged");
        assertLineRefused("maps_index: yes",
                "p.conf:2: key 'maps_index': invalid value 'yes' (not a boolean); expected true or false");
        assertLineRefused("maps_entries: 0", "p.conf:2: key 'maps_entries': invalid value '0' (out of range); "
                + "expected an integer from 1 to " + Integer.MAX_VALUE);
        assertErrorIs("p.conf:2: key 'maps_row_len[a]': invalid value 'long' (not an integer); expected an integer "
                + "from 1 to " + Integer.MAX_VALUE, List.of("plugins: print[a]", "maps_row_len[a]: long"));
    }

    /** pmacct's ZeroMQ plugin pipe: values validated, and one INFO line says the keys have no effect here. */
    @Test
    void zeroMqKeysAreAcceptedAndNotedOnce() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a], print[b]", "plugin_pipe_zmq: true",
                "plugin_pipe_zmq_retry: 60", "plugin_pipe_zmq_profile[a]: MICRO", "plugin_pipe_zmq_profile[b]: xlarge",
                "plugin_pipe_zmq_hwm: 0"));
        assertEquals("micro", plugin(c, "a").get(CoreKeys.PLUGIN_PIPE_ZMQ_PROFILE));
        assertEquals("xlarge", plugin(c, "b").get(CoreKeys.PLUGIN_PIPE_ZMQ_PROFILE));
        assertEquals(1, c.notes().size(), c.notes().toString());
        assertTrue(c.notes().get(0).startsWith("plugin_pipe_zmq, plugin_pipe_zmq_retry, plugin_pipe_zmq_profile, "
                + "plugin_pipe_zmq_hwm: pmacct's ZeroMQ transport"), c.notes().get(0));
        assertEquals(List.of(), c.warnings());
        assertEquals(List.of(), resolve(List.of("plugins: print")).notes());
        assertLineRefused("plugin_pipe_zmq_profile: huge", "p.conf:2: key 'plugin_pipe_zmq_profile': invalid value "
                + "'huge' (not one of micro, small, medium, large, xlarge); expected one of micro, small, medium, "
                + "large, xlarge");
        assertLineRefused("plugin_pipe_zmq_retry: 0", "p.conf:2: key 'plugin_pipe_zmq_retry': invalid value '0' "
                + "(out of range); expected an integer from 1 to " + Integer.MAX_VALUE);
        assertLineRefused("plugin_pipe_zmq: on",
                "p.conf:2: key 'plugin_pipe_zmq': invalid value 'on' (not a boolean); expected true or false");
        assertLineRefused("plugin_pipe_zmq_hwm: -1", "p.conf:2: key 'plugin_pipe_zmq_hwm': invalid value '-1' "
                + "(out of range); expected an integer from 0 to " + Integer.MAX_VALUE);
    }

    /** writer_id_string configures the broker plugins: checked here, named in a warning when none is loaded. */
    @Test
    void writerIdStringIsCheckedAndConfiguresTheBrokerPlugins() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print", "writer_id_string: $proc_name-$pmacct_build"));
        assertEquals("$proc_name-$pmacct_build", c.get(CoreKeys.WRITER_ID_STRING).toString());
        assertEquals(List.of("p.conf:2: key 'writer_id_string' configures amqp/kafka plugins and no configured plugin "
                + "uses it; ignored"), c.warnings());
        assertEquals(WriterId.DEFAULT, resolve(List.of("plugins: print")).get(CoreKeys.WRITER_ID_STRING).toString());
        assertLineRefused("writer_id_string: $proc_name_$writer_pid", "p.conf:2: key 'writer_id_string': invalid "
                + "value '$proc_name_$writer_pid' (unknown variable '$proc_name_'); expected text with the variables "
                + "$proc_name, $writer_pid, $pmacct_build (e.g. $proc_name/$writer_pid)");
    }

    /**
     * nfacctd_stitching (pmacctd_stitching here) configures the plugins that keep a cache, as in pmacct: not the
     * memory plugin, which a scoped line names.
     */
    @Test
    void timestampsRfc9557AndStitchingValuesAreChecked() throws Exception {
        DaemonConfig c = resolve(List.of("plugins: print[a], memory[m]", "timestamps_rfc9557: true",
                "pmacctd_stitching: true"));
        assertEquals(true, plugin(c, "a").get(CoreKeys.TIMESTAMPS_RFC9557));
        assertEquals(true, plugin(c, "a").get(CoreKeys.STITCHING));
        assertEquals(false, plugin(c, "m").get(CoreKeys.STITCHING));
        assertEquals(List.of(), c.warnings());
        c = resolve(List.of("plugins: print[a], memory[m]", "pmacctd_stitching[m]: true"));
        assertEquals(false, plugin(c, "m").get(CoreKeys.STITCHING));
        assertEquals(List.of("p.conf:2: key 'pmacctd_stitching' does not apply to plugin 'm' of type 'memory'; ignored"),
                c.warnings());
        assertLineRefused("timestamps_rfc9557: utc",
                "p.conf:2: key 'timestamps_rfc9557': invalid value 'utc' (not a boolean); expected true or false");
        assertLineRefused("nfacctd_stitching: maybe",
                "p.conf:2: key 'nfacctd_stitching': invalid value 'maybe' (not a boolean); expected true or false");
    }

    /** The message refusing {@code line}, the second line of a file whose first is {@code plugins: print}. */
    private static void assertLineRefused(String line, String expected) {
        assertErrorIs(expected, List.of("plugins: print", line));
    }

    private static void assertErrorIs(String expected, List<String> file) {
        assertEquals(expected, assertThrows(ConfigException.class, () -> resolve(file)).getMessage());
    }

    private static void assertError(String expected, List<String> file) {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
