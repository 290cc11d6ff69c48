package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad configuration and bad capture: a clear message naming where and what, a non-zero exit, and
 * nothing else lost.
 */
class BadInputTest {
    private static final String BASE = "pcap_savefile: edge.pcap\nplugins: print[p]\n";
    private static final String NFPROBE = "pcap_savefile: edge.pcap\nplugins: nfprobe\n";

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("missing colon", BASE + "aggregate src_host\n",
                        new String[] {"p.conf:3", "missing ':'", "key: value"}),
                Arguments.of("unbalanced bracket", BASE + "aggregate[p: src_host\n",
                        new String[] {"p.conf:3", "unbalanced '['"}),
                Arguments.of("misspelt key", BASE + "agregate[p]: src_host\n",
                        new String[] {"p.conf:3", "unknown key 'agregate'", "did you mean 'aggregate'"}),
                Arguments.of("pmacct key not implemented", BASE + "bgp_daemon: true\n",
                        new String[] {"p.conf:3", "key 'bgp_daemon' is not supported yet"}),
                Arguments.of("later pmacct key not implemented", BASE + "bgp_daemon_ha: true\n",
                        new String[] {"p.conf:3", "key 'bgp_daemon_ha' is not supported yet (added in pmacct 1.7.9)"}),
                Arguments.of("bad writer_id_string", BASE + "writer_id_string: $proc_name/$pid\n",
                        new String[] {"p.conf:3", "key 'writer_id_string'", "unknown variable '$pid'",
                                "expected text with the variables $proc_name, $writer_pid, $pmacct_build"}),
                Arguments.of("bad boolean", BASE + "print_markers[p]: yes please\n",
                        new String[] {"p.conf:3", "print_markers[p]", "'yes please'", "true or false"}),
                Arguments.of("bad time", BASE + "print_refresh_time: soon\n",
                        new String[] {"p.conf:3", "print_refresh_time", "duration in seconds"}),
                Arguments.of("bad history", BASE + "print_history: 5x\n",
                        new String[] {"p.conf:3", "print_history", "unknown unit 'x'"}),
                Arguments.of("unknown primitive", BASE + "aggregate: src_hots\n",
                        new String[] {"p.conf:3", "unknown primitive 'src_hots'", "did you mean 'src_host'"}),
                Arguments.of("unsupported primitive", BASE + "aggregate: as_path\n",
                        new String[] {"p.conf:3", "primitive 'as_path' is not supported yet"}),
                Arguments.of("scope to unknown plugin", BASE + "aggregate[q]: src_host\n",
                        new String[] {"p.conf:3", "no plugin named 'q'", "plugins: p"}),
                Arguments.of("unknown plugin type", "pcap_savefile: edge.pcap\nplugins: printer[p]\n",
                        new String[] {"p.conf:2", "unknown plugin type 'printer'"}),
                Arguments.of("plugin type not yet supported", "pcap_savefile: edge.pcap\nplugins: mongodb[m]\n",
                        new String[] {"p.conf:2", "plugin type 'mongodb' is not supported yet"}),
                Arguments.of("plugins twice", BASE + "plugins: print[q]\n",
                        new String[] {"p.conf:3", "key 'plugins' set twice"}),
                Arguments.of("net without networks", BASE + "aggregate: src_net\n",
                        new String[] {"aggregate[p]", "neither 'networks_file' nor 'networks_mask'"}),
                Arguments.of("bad networks file", BASE + "aggregate: src_net\nnetworks_file: nets.lst\n",
                        new String[] {"nets.lst:2", "invalid mask", "network/mask"}),
                Arguments.of("missing savefile", "pcap_savefile: nope.pcap\nplugins: print\n",
                        new String[] {"nope.pcap", "no such file"}),
                Arguments.of("savefile and interface", BASE + "pcap_interface: lo\n",
                        new String[] {"mutually exclusive"}),
                Arguments.of("bad filter", BASE + "pcap_filter: port eighty\n",
                        new String[] {"pcap_filter 'port eighty'"}),
                Arguments.of("bad aggregate_filter", BASE + "aggregate_filter[p]: tcp and prot 80\n",
                        new String[] {"p.conf:3", "aggregate_filter[p]", "at position 9 ('prot 80')", "syntax error"}),
                Arguments.of("bad own filter term", BASE + "aggregate_filter[p]: udp or in_iface eth0\n",
                        new String[] {"p.conf:3", "aggregate_filter[p]", "'eth0' (position 8) is not a number"}),
                Arguments.of("bad pre_tag_map line", BASE + "pre_tag_map: tags.map\n",
                        new String[] {"tags.map:2", "unknown key 'colour'"}),
                Arguments.of("exporter key in pmacctd's map", BASE + "pre_tag_map: exporter.map\n",
                        new String[] {"exporter.map:1", "ip is about an exporter"}),
                Arguments.of("bad pre_tag_filter", BASE + "pre_tag_filter[p]: 10-x\n",
                        new String[] {"p.conf:3", "pre_tag_filter[p]", "'x' is not a tag"}),
                Arguments.of("nfprobe receiver without port", NFPROBE + "nfprobe_receiver: 127.0.0.1\n",
                        new String[] {"p.conf:3", "nfprobe_receiver", "'127.0.0.1'", "address:port or [IPv6 address]:port"}),
                Arguments.of("nfprobe receiver port out of range", NFPROBE + "nfprobe_receiver: [::1]:70000\n",
                        new String[] {"p.conf:3", "nfprobe_receiver", "port 1-65535"}),
                Arguments.of("nfprobe version", NFPROBE + "nfprobe_version: 8\n",
                        new String[] {"p.conf:3", "nfprobe_version", "'8'", "5, 9 or 10 (IPFIX)"}),
                Arguments.of("nfprobe timeouts", NFPROBE + "nfprobe_timeouts: tcp=30:maxlive=60\n",
                        new String[] {"p.conf:3", "nfprobe_timeouts", "unknown timeout 'maxlive'",
                            "tcp, tcp.rst, tcp.fin, udp, icmp, general, maxlife, expint"}),
                Arguments.of("nfprobe timeout value", NFPROBE + "nfprobe_timeouts: udp=soon\n",
                        new String[] {"p.conf:3", "nfprobe_timeouts", "'soon' is not a time"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigurationIsRefusedClearly(String name, String config, String[] expected, @TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("p.conf"), config);
        Files.writeString(dir.resolve("nets.lst"), "10.0.0.0/8\n10.1.0.0/x\n");
        Files.writeString(dir.resolve("tags.map"), "set_tag=1 filter='tcp'\nset_tag=2 colour=red\n");
        Files.writeString(dir.resolve("exporter.map"), "set_tag=10 ip=192.0.2.1 in=200\n");
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
        assertNotEquals(0, r.exit(), "must fail: " + name);
        for (String e : expected) {
            assertTrue(r.stderr().contains(e), "stderr should contain '" + e + "':\n" + r.stderr());
        }
        assertTrue(r.stderr().contains("ERROR"), r.stderr());
        assertEquals("", r.stdout(), "nothing printed as output");
    }

    /** A key of a plugin type that is not loaded is not an error (pmacct ignores it) but is named in a warning. */
    @Test
    void aKeyForAPluginTypeNotLoadedIsAWarning(@TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("p.conf"), BASE + "aggregate: proto\nprint_output: csv\nsql_table: acct\n");
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("WARN ( default/core ): p.conf:5: key 'sql_table' configures mysql/pgsql/sqlite3 "
                + "plugins and no configured plugin uses it; ignored"), r.stderr());
        assertTrue(r.stdout().startsWith("PROTOCOL,PACKETS,BYTES\n"), r.stdout());
    }

    /** pmacct 1.8's configurations set the ZeroMQ plugin pipe: accepted, and said once to have no effect here. */
    @Test
    void zeroMqKeysRunAndAreNotedOnceAtInfo(@TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        Files.writeString(dir.resolve("p.conf"), BASE + "aggregate: proto\nprint_output: csv\nplugin_pipe_zmq: true\n"
                + "plugin_pipe_zmq_retry: 60\nplugin_pipe_zmq_profile: micro\n");
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "p.conf");
        assertEquals(0, r.exit(), r.stderr());
        String line = "INFO ( default/core ): plugin_pipe_zmq, plugin_pipe_zmq_retry, plugin_pipe_zmq_profile: "
                + "pmacct's ZeroMQ transport";
        assertEquals(1, r.stderr().split(Pattern.quote(line), -1).length - 1, r.stderr());
        assertTrue(r.stdout().startsWith("PROTOCOL,PACKETS,BYTES\n"), r.stdout());
    }

    @Test
    void missingConfigFile(@TempDir Path dir) throws Exception {
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "absent.conf");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("absent.conf: configuration file not found"), r.stderr());
    }

    @Test
    void garbageFileIsNotACapture(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("junk.pcap"), "this is not a capture at all, just some text\n");
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-I", "junk.pcap", "-P", "print");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("junk.pcap: not a pcap or pcapng capture"), r.stderr());
    }

    @Test
    void unknownLinkTypeIsNamed(@TempDir Path dir) throws Exception {
        byte[] header = new byte[24];
        header[0] = (byte) 0xD4; header[1] = (byte) 0xC3; header[2] = (byte) 0xB2; header[3] = (byte) 0xA1;
        header[4] = 2; header[6] = 4;
        header[16] = (byte) 0xFF; header[17] = (byte) 0xFF;
        header[20] = (byte) 147; // LINKTYPE_USER0
        Files.write(dir.resolve("user0.pcap"), header);
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-I", "user0.pcap", "-P", "print");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("link type 147 is not supported"), r.stderr());
        assertTrue(r.stderr().contains("EN10MB (1)"), r.stderr());
    }

    @Test
    void truncatedCaptureKeepsWhatWasRead(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(E2e.root().resolve("examples/edge.pcap"));
        Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(full, full.length - 30));
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-I", "cut.pcap", "-P", "print", "-O", "csv",
                "-c", "proto");
        assertEquals(1, r.exit(), "a cut capture is an error");
        assertTrue(r.stderr().contains("cut.pcap: truncated record at offset"), r.stderr());
        assertTrue(r.stdout().startsWith("PROTOCOL,PACKETS,BYTES\n"), "what was read is still accounted:\n" + r.stdout());
        assertTrue(r.stdout().contains("\ntcp,"), r.stdout());
    }

    @Test
    void corruptRecordLengthStopsWithOffset(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(E2e.root().resolve("examples/edge.pcap"));
        // third record header: corrupt its captured length
        int off = 24;
        for (int i = 0; i < 2; i++) {
            int caplen = (full[off + 8] & 0xFF) | (full[off + 9] & 0xFF) << 8 | (full[off + 10] & 0xFF) << 16;
            off += 16 + caplen;
        }
        full[off + 11] = 0x7F;
        Files.write(dir.resolve("bad.pcap"), full);
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-I", "bad.pcap", "-P", "print", "-c", "proto");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("corrupt record at offset " + off), r.stderr());
        assertTrue(r.stdout().contains("tcp"), "the two good packets are accounted:\n" + r.stdout());
    }
}
