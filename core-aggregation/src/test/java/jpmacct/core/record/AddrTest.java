package jpmacct.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** IPv6 text as inet_ntop prints it (RFC 5952), on chosen cases and on random addresses with runs of zeros. */
class AddrTest {

    private static String v6(String hex) {
        long hi = Long.parseUnsignedLong(hex.substring(0, 16), 16);
        long lo = Long.parseUnsignedLong(hex.substring(16), 16);
        return Addr.toString(Addr.V6, hi, lo);
    }

    @Test
    void chosenCases() {
        assertEquals("::", v6("00000000000000000000000000000000"));
        assertEquals("::1", v6("00000000000000000000000000000001"));
        assertEquals("1::", v6("00010000000000000000000000000000"));
        assertEquals("2001:db8::1", v6("20010db8000000000000000000000001"));
        assertEquals("2001:db8::1:0:0:1", v6("20010db8000000000001000000000001"));
        assertEquals("1:0:0:2::3", v6("00010000000000020000000000000003"));
        assertEquals("2001:db8:0:1:1:1:1:1", v6("20010db8000000010001000100010001"));
        assertEquals("1:2:3:4:5:6:7:8", v6("00010002000300040005000600070008"));
        assertEquals("fe80::abcd:ef01:2345:6789", v6("fe80000000000000abcdef0123456789"));
        assertEquals("::ffff:1.2.3.4", v6("00000000000000000000ffff01020304"));
        assertEquals("::1.2.3.4", v6("00000000000000000000000001020304"));
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", v6("ffffffffffffffffffffffffffffffff"));
    }

    /** Random groups, many of them zero: the text equals a plain rendering of the same rules. */
    @Test
    void randomAddresses() {
        Random random = new Random(5952);
        for (int n = 0; n < 100_000; n++) {
            int[] g = new int[8];
            for (int i = 0; i < 8; i++) {
                g[i] = random.nextInt(3) == 0 ? random.nextInt(0x10000) >> random.nextInt(16) : 0;
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 4; i++) {
                hi = (hi << 16) | g[i];
                lo = (lo << 16) | g[i + 4];
            }
            assertEquals(reference(g), Addr.toString(Addr.V6, hi, lo));
        }
    }

    /** RFC 5952 spelt out: longest zero run of two or more as "::" (first on ties), the IPv4 forms of inet_ntop. */
    private static String reference(int[] g) {
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestLen = j - i;
                bestStart = i;
            }
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        if (bestStart == 0 && (bestLen == 6 || bestLen == 5 && g[5] == 0xFFFF)) {
            return (bestLen == 6 ? "::" : "::ffff:") + (g[6] >> 8) + "." + (g[6] & 0xFF) + "." + (g[7] >> 8) + "."
                    + (g[7] & 0xFF);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
