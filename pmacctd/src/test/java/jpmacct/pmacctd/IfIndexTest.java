package jpmacct.pmacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** pcap_ifindex: the indexes pmacct 1.7.7 gives an interface name. */
class IfIndexTest {

    /** Expected values printed by pmacct's own jhash() (src/jhash.h compiled with gcc) for the same names. */
    @Test
    void hashIsPmacctsJenkinsHash() {
        assertEquals(2142326192L, IfIndex.of("eth0", "hash"));
        assertEquals(847086712L, IfIndex.of("br0", "hash"));
        assertEquals(2529615826L, IfIndex.of("lo", "hash"));
        assertEquals(1822905228L, IfIndex.of("jpva12345", "hash"));
        assertEquals(2998897520L, IfIndex.of("enp0s31f6", "hash"), "9 bytes: the tail reaches c");
        assertEquals(612823551L, IfIndex.of("wlan0-long-name123", "hash"), "18 bytes: one full 12-byte round");
    }

    @Test
    void sysIsTheKernelsIndexAndNoneIsZero() throws Exception {
        Path lo = Path.of("/sys/class/net/lo/ifindex");
        if (Files.exists(lo)) {
            assertEquals(Long.parseLong(Files.readString(lo).strip()), IfIndex.of("lo", "sys"));
        }
        assertEquals(0, IfIndex.of("no-such-interface", "sys"));
        assertEquals(0, IfIndex.of("lo", "none"));
        assertEquals(0, IfIndex.of("lo", null));
    }
}
