package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import jpmacct.core.plugin.PluginFactory;
import jpmacct.core.plugin.PluginRegistry;
import jpmacct.core.runtime.DaemonCli;

/** pmacct's key[name] scoping and precedence, resolved with pmacctd's real keys and plugins. */
class ConfigResolverTest {
    private static final Map<String, PluginFactory> FACTORIES = PluginRegistry.discover();

    private static DaemonConfig resolve(List<String> file, String... cli) throws ConfigException {
        List<ConfigLine> cliLines = new java.util.ArrayList<>();
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

    private static void assertError(String expected, List<String> file) {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
