package jpmacct.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.record.Addr;

class NetworksTableTest {
    private static final Path FILE = Path.of("networks.lst");

    private static NetworksTable table(String... lines) throws ConfigException {
        return NetworksTable.parse(FILE, List.of(lines));
    }

    /** Mask length of the longest prefix covering {@code addr}, or -1. */
    private static int match(NetworksTable t, String addr) {
        Addr.Parsed a = Addr.parse(addr);
        int i = t.lookup(a.family(), a.hi(), a.lo());
        return i < 0 ? -1 : t.entry(i).maskLength();
    }

    @Test
    void longestIpv4PrefixWins() throws Exception {
        NetworksTable t = table("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "0.0.0.0/1");
        assertEquals(24, match(t, "10.1.2.3"));
        assertEquals(16, match(t, "10.1.3.3"));
        assertEquals(8, match(t, "10.200.0.1"));
        assertEquals(1, match(t, "11.0.0.1"));
        assertEquals(-1, match(t, "192.168.1.1"));
    }

    /** D6: pmacct 1.7.7 gave every IPv6 address a /32, also uncovered ones. */
    @Test
    void ipv6LookupsAreExact() throws Exception {
        NetworksTable t = table("2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64");
        assertEquals(48, match(t, "2001:db8:1::10"));
        assertEquals(64, match(t, "2001:db8:1:2::1"));
        assertEquals(32, match(t, "2001:db8:ffff::1"));
        assertEquals(-1, match(t, "fe80::1"), "an address no prefix covers has no network");
        assertEquals(-1, match(t, "10.0.0.1"), "families do not mix");
    }

    @Test
    void optionalFieldsAreParsed() throws Exception {
        NetworksTable t = table("lbl,192.0.2.1,65001_65002,10.0.0.0/8", "65003,172.16.0.0/12", "! comment", "");
        NetworksTable.Entry e = t.entry(t.lookup(Addr.V4, 0, Addr.parse("10.9.9.9").lo()));
        assertEquals("lbl", e.label());
        assertEquals(65001, e.peerAs());
        assertEquals(65002, e.as());
        assertEquals(Addr.V4, e.nextHopFamily());
        assertEquals(65003, t.entry(t.lookup(Addr.V4, 0, Addr.parse("172.16.1.1").lo())).as());
        assertEquals(2, t.v4Prefixes());
    }

    @Test
    void hostBitsOfTheNetworkAreCleared() throws Exception {
        NetworksTable t = table("10.1.2.3/16");
        assertEquals(16, match(t, "10.1.255.255"));
    }

    @Test
    void malformedLinesNameFileAndLine() {
        for (String bad : List.of("10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "x,y,z,w,10.0.0.0/8", "abc,10.0.0.0/8",
                "10.0.0.0/x", "2001:db8::/129")) {
            ConfigException e = assertThrows(ConfigException.class, () -> table("10.9.0.0/16", bad), bad);
            assertTrue(e.getMessage().startsWith("networks.lst:2: "), e.getMessage());
        }
    }

    /** Agrees with a linear scan over random prefixes, nested and overlapping. */
    @Test
    void matchesALinearScan() throws Exception {
        Random rnd = new Random(7);
        String[] lines = new String[300];
        int[] nets = new int[lines.length];
        int[] masks = new int[lines.length];
        for (int i = 0; i < lines.length; i++) {
            masks[i] = 8 + rnd.nextInt(25);
            nets[i] = (rnd.nextInt(4) << 24 | rnd.nextInt()) & (masks[i] == 32 ? -1 : ~(-1 >>> masks[i]));
            lines[i] = (nets[i] >>> 24) + "." + (nets[i] >>> 16 & 255) + "." + (nets[i] >>> 8 & 255) + "."
                    + (nets[i] & 255) + "/" + masks[i];
        }
        NetworksTable t = table(lines);
        for (int n = 0; n < 20000; n++) {
            int addr = rnd.nextInt(4) << 24 | rnd.nextInt(1 << 24);
            int best = -1;
            for (int i = 0; i < lines.length; i++) {
                int m = masks[i] == 32 ? -1 : ~(-1 >>> masks[i]);
                if ((addr & m) == nets[i] && masks[i] > best) {
                    best = masks[i];
                }
            }
            int i = t.lookupV4(addr);
            assertEquals(best, i < 0 ? -1 : t.entry(i).maskLength(), Integer.toHexString(addr));
        }
    }
}
