package jpmacct.pmacctd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The interface index {@code pcap_ifindex} gives a capturing interface: the system's, a hash of the name, or 0. */
public final class IfIndex {
    private IfIndex() {
    }

    /**
     * @param mode {@code sys}, {@code hash}, or anything else for 0 ({@code none}; {@code map} is resolved by the caller)
     */
    public static long of(String name, String mode) {
        if ("sys".equals(mode)) {
            try {
                return Long.parseLong(Files.readString(Path.of("/sys/class/net", name, "ifindex"), StandardCharsets.US_ASCII).strip());
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }
        if ("hash".equals(mode)) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            return jhash(b, b.length, 0) & 0xFFFFFFFFL;
        }
        return 0;
    }

    /** Bob Jenkins' lookup2 hash as pmacct 1.7.7 has it (src/jhash.h), so hashed indexes equal pmacct's. */
    static int jhash(byte[] k, int length, int initval) {
        int[] abc = {0x9e3779b9, 0x9e3779b9, initval};
        int i = 0;
        int len = length;
        while (len >= 12) {
            abc[0] += word(k, i);
            abc[1] += word(k, i + 4);
            abc[2] += word(k, i + 8);
            mix(abc);
            i += 12;
            len -= 12;
        }
        abc[2] += length;
        // the C switch falls through from the highest remaining byte down
        for (int j = len - 1; j >= 0; j--) {
            int v = k[i + j] & 0xFF;
            if (j >= 8) {
                abc[2] += v << (8 * (j - 7)); // byte 8 is c's second byte: c's low byte holds the length
            } else if (j >= 4) {
                abc[1] += v << (8 * (j - 4));
            } else {
                abc[0] += v << (8 * j);
            }
        }
        mix(abc);
        return abc[2];
    }

    private static int word(byte[] k, int i) {
        return (k[i] & 0xFF) | (k[i + 1] & 0xFF) << 8 | (k[i + 2] & 0xFF) << 16 | (k[i + 3] & 0xFF) << 24;
    }

    private static void mix(int[] abc) {
        int a = abc[0];
        int b = abc[1];
        int c = abc[2];
        a -= b; a -= c; a ^= c >>> 13;
        b -= c; b -= a; b ^= a << 8;
        c -= a; c -= b; c ^= b >>> 13;
        a -= b; a -= c; a ^= c >>> 12;
        b -= c; b -= a; b ^= a << 16;
        c -= a; c -= b; c ^= b >>> 5;
        a -= b; a -= c; a ^= c >>> 3;
        b -= c; b -= a; b ^= a << 10;
        c -= a; c -= b; c ^= b >>> 15;
        abc[0] = a;
        abc[1] = b;
        abc[2] = c;
    }
}
