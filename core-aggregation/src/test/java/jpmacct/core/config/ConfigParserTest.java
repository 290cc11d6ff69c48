package jpmacct.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigParserTest {

    private static ConfigLine line(String text) throws ConfigException {
        return ConfigParser.parseLine("p.conf", 7, null, text);
    }

    @Test
    void keyValueAndScope() throws Exception {
        ConfigLine l = line("  Aggregate[csv] :  src_host, dst_host ");
        assertEquals("aggregate", l.key(), "keys are case-insensitive");
        assertEquals("csv", l.scope());
        assertEquals("src_host, dst_host", l.value());
        assertEquals("p.conf:7", l.where());
        assertEquals("aggregate[csv]", l.displayKey());
    }

    @Test
    void blanksInsideTheKeyAreDroppedAsPmacctDoes() throws Exception {
        ConfigLine l = line("print_output [p]: csv");
        assertEquals("print_output", l.key());
        assertEquals("p", l.scope());
    }

    @Test
    void commentsAndBlankLinesAreSkipped() throws Exception {
        List<ConfigLine> lines = ConfigParser.parse("p.conf", List.of("! a comment", "   # another", "", "daemonize: true"));
        assertEquals(1, lines.size());
        assertEquals(4, lines.get(0).line());
    }

    @Test
    void trailingCommentAfterABlank() throws Exception {
        assertEquals("br0", line("interface: br0   ! uplink").value());
        assertEquals("br0", line("interface: br0 # uplink").value());
        assertEquals("a!b", line("logfile: a!b").value(), "no blank before '!': part of the value");
    }

    @Test
    void filterNegationIsNotAComment() throws Exception {
        assertEquals("not port 22 and ! icmp", line("pcap_filter: not port 22 and ! icmp").value());
        assertEquals("! icmp", line("pcap_filter: ! icmp").value(), "a leading '!' negates");
        assertEquals("tcp", line("pcap_filter: tcp  ! only tcp").value(), "two blanks start a comment");
        assertEquals("tcp", line("pcap_filter: tcp # only tcp").value());
    }

    @Test
    void commandLineValuesAreTakenVerbatim() throws Exception {
        ConfigLine l = ConfigParser.parseLine("command line", 0, "-c", "aggregate: src_host ! x");
        assertEquals("src_host ! x", l.value());
        assertEquals("command line (-c)", l.where());
        assertTrue(l.fromCommandLine());
    }

    @Test
    void emptyValueIsKeptForTheKeyToJudge() throws Exception {
        ConfigLine l = line("pidfile:");
        assertEquals("", l.value());
        assertNull(l.scope());
    }

    @Test
    void syntaxErrorsNameFileLineAndExpectedForm() {
        assertError("missing ':'", "p.conf:7", "daemonize true");
        assertError("unbalanced '['", "expected 'key[plugin_name]: value'", "aggregate[csv: src_host");
        assertError("']' without '['", "expected", "aggregate]csv: src_host");
        assertError("nested '['", "expected", "aggregate[[csv]]: src_host");
        assertError("text after ']'", "expected", "aggregate[csv]x: src_host");
        assertError("empty plugin name", "p.conf:7", "aggregate[]: src_host");
        assertError("missing key", "p.conf:7", ": value");
    }

    private static void assertError(String what, String alsoContains, String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> line(text));
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertTrue(e.getMessage().contains(alsoContains), e.getMessage());
        assertTrue(e.getMessage().startsWith("p.conf:7: "), e.getMessage());
    }
}
