package jpmacct.pmacctd.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import jpmacct.pmacctd.capture.DefaultDevice.Device;

/** The default capture device comes from libpcap's device list, read through the project's own binding. */
class DefaultDeviceTest {
    private static final int UP = PcapNative.IF_UP;
    private static final int LOOPBACK = PcapNative.IF_LOOPBACK;
    /** "4: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ..." (a veth shows as "name@peer") */
    private static final Pattern IP_LINK = Pattern.compile("^\\d+: ([^:@ ]+)(?:@\\S+)?: <([^>]*)>", Pattern.MULTILINE);

    /** Interface name to its flags, as `ip -o link show` lists them. */
    private static Map<String, List<String>> ipLink() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-o", "link", "show").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Map<String, List<String>> links = new HashMap<>();
        Matcher m = IP_LINK.matcher(out);
        while (m.find()) {
            links.put(m.group(1), List.of(m.group(2).split(",")));
        }
        assertFalse(links.isEmpty(), out);
        return links;
    }

    @Test
    void theDefaultDeviceIsAnUpInterfaceTheSystemLists() throws Exception {
        String name = DefaultDevice.find();
        assertTrue(name.matches("[A-Za-z0-9._:-]+"), "a plain ASCII interface name: " + name);
        Map<String, List<String>> links = ipLink();
        boolean anyUp = links.values().stream().anyMatch(f -> f.contains("UP") && !f.contains("LOOPBACK"));
        if (!anyUp) {
            // only the loopback is up: libpcap's pseudo-device that captures on all interfaces comes first
            assertEquals("any", name);
            return;
        }
        assertTrue(links.containsKey(name), name + " is not in " + links);
        assertTrue(links.get(name).contains("UP") && !links.get(name).contains("LOOPBACK"), name + ": " + links.get(name));
    }

    @Test
    void theListCarriesNamesAndFlags() throws Exception {
        Map<String, List<String>> links = ipLink();
        List<Device> devices = DefaultDevice.list();
        for (Device d : devices) {
            assertTrue(d.name().matches("[A-Za-z0-9._:-]+"), d.name());
            List<String> flags = links.get(d.name());
            if (flags != null) {
                assertEquals(flags.contains("LOOPBACK"), (d.flags() & LOOPBACK) != 0, d + " " + flags);
                assertEquals(flags.contains("UP"), (d.flags() & UP) != 0, d + " " + flags);
            }
        }
        assertTrue(devices.stream().anyMatch(d -> links.containsKey(d.name())), devices + " vs " + links);
    }

    @Test
    void theFirstUpDeviceThatIsNotALoopbackIsChosen() throws IOException {
        assertEquals("eth0", DefaultDevice.choose(List.of(new Device("lo", UP | LOOPBACK), new Device("ifb0", 0),
                new Device("eth0", UP), new Device("any", UP))));
        assertEquals("any", DefaultDevice.choose(List.of(new Device("any", UP), new Device("lo", UP | LOOPBACK))));
    }

    @Test
    void withoutAnUpDeviceLibpcapsAnswerIsTaken() throws IOException {
        assertEquals("ifb0", DefaultDevice.choose(List.of(new Device("ifb0", 0), new Device("ifb1", 0))));
        IOException e = assertThrows(IOException.class,
                () -> DefaultDevice.choose(List.of(new Device("lo", UP | LOOPBACK), new Device("ifb0", 0))));
        assertEquals("no suitable device found", e.getMessage());
        assertThrows(IOException.class, () -> DefaultDevice.choose(List.of()));
    }
}
