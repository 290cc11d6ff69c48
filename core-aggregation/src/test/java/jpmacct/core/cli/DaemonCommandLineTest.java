package jpmacct.core.cli;

import static jpmacct.core.config.DaemonKind.NFACCTD;
import static jpmacct.core.config.DaemonKind.PMACCTD;
import static jpmacct.core.config.DaemonKind.SFACCTD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jpmacct.core.cli.DaemonOption.Action;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigLine;
import jpmacct.core.config.DaemonKind;

/** The daemons' command line reads as pmacct's getopt reads it. */
class DaemonCommandLineTest {

    /** The options as "-x=argument" (flags "-x"), then the operands as "word". */
    private static List<String> parsed(DaemonKind daemon, String... args) throws ConfigException {
        DaemonCommandLine c = DaemonCommandLine.parse(daemon, args);
        List<String> out = new ArrayList<>();
        for (DaemonCommandLine.Given g : c.options()) {
            out.add(g.option().display() + (g.argument() == null ? "" : "=" + g.argument()));
        }
        out.addAll(c.operands());
        return out;
    }

    private static String error(DaemonKind daemon, String... args) {
        return assertThrows(ConfigException.class, () -> DaemonCommandLine.parse(daemon, args)).getMessage();
    }

    /** The directives as "where: key: value". */
    private static List<String> directives(DaemonKind daemon, String operandsKey, String... args) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (ConfigLine l : DaemonCommandLine.parse(daemon, args).directives(operandsKey)) {
            out.add(l.where() + ": " + l.displayKey() + ": " + l.value());
        }
        return out;
    }

    @Test
    void flagsClusterAndArgumentsAttachOrFollow() throws Exception {
        assertEquals(List.of("-d", "-D", "-P=print", "-c=src_host", "-c=proto"),
                parsed(PMACCTD, "-dD", "-Pprint", "-c", "src_host", "-cproto"));
        assertEquals(List.of("-d", "-P=print", "-O=csv"), parsed(PMACCTD, "-dPprint", "-Ocsv"));
        assertEquals(List.of("-c=d", "x"), parsed(PMACCTD, "-cd", "x"));
    }

    @Test
    void theNextWordIsTheArgumentWhateverItLooksLike() throws Exception {
        assertEquals(List.of("-E=-"), parsed(PMACCTD, "-E", "-"));
        assertEquals(List.of("-E=-d"), parsed(PMACCTD, "-E", "-d"));
        assertEquals(List.of("-c=--", "x"), parsed(PMACCTD, "-c", "--", "x"));
        assertEquals(List.of("-Z=-1"), parsed(PMACCTD, "-Z", "-1"));
        assertEquals(List.of("-E="), parsed(PMACCTD, "-E", ""));
        // no -c=value syntax and no @files in getopt
        assertEquals(List.of("-c==src_host"), parsed(PMACCTD, "-c=src_host"));
        assertEquals(List.of("-c=@x", "@y"), parsed(PMACCTD, "-c", "@x", "@y"));
    }

    @Test
    void wordsAnywhereAreOperandsAndDoubleDashEndsTheOptions() throws Exception {
        assertEquals(List.of("-i=eth0", "-c=proto", "not", "port", "22"),
                parsed(PMACCTD, "-i", "eth0", "-c", "proto", "not", "port", "22"));
        assertEquals(List.of("-c=proto", "udp", "and", "not", "port", "53"),
                parsed(PMACCTD, "udp", "and", "-c", "proto", "not", "port", "53"));
        assertEquals(List.of("-d", "-", "x", "-q", "--", "-1"), parsed(PMACCTD, "-d", "-", "x", "--", "-q", "--", "-1"));
    }

    @Test
    void unknownOptionsAndMissingArgumentsInGetoptWords() {
        assertEquals("invalid option -- 'q'", error(PMACCTD, "-q"));
        assertEquals("invalid option -- 'q'", error(PMACCTD, "-dq"));
        assertEquals("invalid option -- 'q'", error(PMACCTD, "-dqc", "x"));
        assertEquals("invalid option -- '-'", error(PMACCTD, "--foo"));
        assertEquals("invalid option -- '-'", error(PMACCTD, "-w-q"));
        assertEquals("invalid option -- '1'", error(PMACCTD, "-1"));
        assertEquals("invalid option -- '1'", error(PMACCTD, "-c", "--", "-1"));
        assertEquals("option requires an argument -- 'c'", error(PMACCTD, "-c"));
        assertEquals("option requires an argument -- 'c'", error(PMACCTD, "-dc"));
        // the first problem on the line is the one reported
        assertEquals("invalid option -- 'q'", error(PMACCTD, "-q", "-c"));
        assertEquals("invalid option -- 'q'", error(PMACCTD, "-q", "-1"));
        assertEquals("invalid option -- '1'", error(PMACCTD, "-1", "-q"));
        // letters of another daemon
        assertEquals("invalid option -- 'l'", error(PMACCTD, "-l", "2100"));
        assertEquals("invalid option -- 'i'", error(NFACCTD, "-i", "eth0"));
        assertEquals("invalid option -- 'N'", error(SFACCTD, "-N"));
    }

    @Test
    void optionsStandForTheirDirectivesInOrder() throws Exception {
        assertEquals(List.of("command line (-c): aggregate: proto", "command line (-P): plugins: print",
                        "command line (-O): print_output: csv", "command line (-N): promisc: false",
                        "command line (-L): snaplen: 96", "command line (-c): aggregate: src_host",
                        "command line (filter): pcap_filter: not port 22"),
                directives(PMACCTD, "pcap_filter", "-c", "proto", "-Pprint", "-O", "csv", "not", "-N", "-L", "96",
                        "port", "-csrc_host", "22"));
        assertEquals(List.of("command line (-L): nfacctd_ip: ::1", "command line (-l): nfacctd_port: 2100"),
                directives(NFACCTD, null, "-L", "::1", "-l2100"));
        assertEquals(List.of("command line (-L): sfacctd_ip: ::1", "command line (-R): sfacctd_renormalize: true"),
                directives(SFACCTD, null, "-L", "::1", "-R"));
        // -f, -h, -V and -a are no directives
        assertEquals(List.of("command line (-d): debug: true"), directives(NFACCTD, null, "-f", "x.conf", "-d", "-hVa"));
        assertEquals("unexpected argument 'x' (nfacctd takes no filter)",
                assertThrows(ConfigException.class, () -> DaemonCommandLine.parse(NFACCTD, new String[] {"-d", "x"})
                        .directives(null)).getMessage());
    }

    @Test
    void actions() throws Exception {
        DaemonCommandLine c = DaemonCommandLine.parse(PMACCTD, new String[] {"-f", "a.conf", "-hf", "b.conf"});
        assertTrue(c.has(Action.HELP));
        assertFalse(c.has(Action.VERSION));
        assertEquals("b.conf", c.last(Action.CONFIG_FILE));
        assertNull(DaemonCommandLine.parse(PMACCTD, new String[0]).last(Action.CONFIG_FILE));
    }

    @Test
    void eachDaemonHasPmacctsLettersOnce() {
        assertEquals(letters("n:NdDhP:b:f:F:c:i:I:m:p:r:s:S:o:t:O:MuwWZ:Y:L:RVazAE:"), declared(PMACCTD));
        String collectors = "n:dDhP:b:f:F:c:m:p:r:s:S:L:l:o:O:uRVaMAE:I:WZ:Y:t:";
        assertEquals(letters(collectors), declared(NFACCTD));
        assertEquals(letters(collectors), declared(SFACCTD));
    }

    /** pmacct's getopt string as "-x" and "-x:" entries. */
    private static Set<String> letters(String getopt) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < getopt.length(); i++) {
            boolean takes = i + 1 < getopt.length() && getopt.charAt(i + 1) == ':';
            out.add("-" + getopt.charAt(i) + (takes ? ":" : ""));
            i += takes ? 1 : 0;
        }
        return out;
    }

    private static Set<String> declared(DaemonKind daemon) {
        Set<String> out = new HashSet<>();
        List<DaemonOption> options = DaemonOptions.of(daemon);
        for (DaemonOption o : options) {
            out.add(o.display() + (o.takesArgument() ? ":" : ""));
        }
        assertEquals(options.size(), out.size(), "a letter declared twice for " + daemon);
        return out;
    }

    @Test
    void usageInPmacctsLayout() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DaemonCommandLine.usage(new PrintStream(bytes, true, StandardCharsets.UTF_8), PMACCTD, "pmacctd 1.7.7", true,
                List.of("memory", "print"));
        String page = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(page.startsWith("pmacctd 1.7.7\n"
                + "Usage: pmacctd [ -D | -d ] [ -i interface ] [ -c primitive [ , ... ] ] [ -P plugin [ , ... ] ] [ filter ]\n"
                + "       pmacctd [ -f config_file ]\n"
                + "       pmacctd [ -h ]\n\n"
                + "General options:\n"
                + "  -h  \tShow this page\n"), page);
        assertTrue(page.contains("\n  -P  \t[ memory | print ] \n\tActivate plugin\n"), page);
        assertTrue(page.contains("\n  -u  \tLeave IP protocols in numerical format\n\n"
                + "Memory plugin (-P memory) options:\n  -p  \t"), page);
        assertTrue(page.contains("\n\nPrint plugin (-P print) options:\n  -r  \tRefresh time (in seconds)\n"), page);
        bytes.reset();
        DaemonCommandLine.usage(new PrintStream(bytes, true, StandardCharsets.UTF_8), SFACCTD, "sfacctd", false,
                List.of("print"));
        page = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(page.startsWith("sfacctd\nUsage: sfacctd [ -D | -d ] [ -L IP address ] [ -l port ] "
                + "[ -c primitive [ , ... ] ] [ -P plugin [ , ... ] ]\n"), page);
        assertTrue(page.contains("\n  -V  \tShow version and build details, then exit\n"
                + "  -L  \tBind to the specified IP address\n  -l  \tListen on the specified UDP port\n"), page);
    }
}
