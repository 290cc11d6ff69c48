package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.plugin.PluginRegistry;
import jpmacct.kafkabroker.BrokerProcess;

/** The commands README.md gives a new user, run exactly as written. */
class ReadmeCommandsTest {
    private static final Pattern PACKETS = Pattern.compile("\"packets\": (\\d+)");

    @Test
    void bundledExampleShowsATable() throws Exception {
        E2e.Result r = E2e.run(E2e.root(), 120, E2e.bin("pmacctd").toString(), "-f", "examples/pmacctd-print.conf");
        assertEquals(0, r.exit(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertTrue(lines[0].startsWith("SRC_IP                                         DST_IP"), lines[0]);
        assertTrue(lines[0].endsWith("PACKETS               BYTES"), lines[0]);
        long packets = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            packets += Long.parseLong(f[f.length - 2]);
        }
        assertEquals(3000, packets, "every packet of examples/traffic.pcap is accounted");
    }

    /**
     * README's Kafka commands: examples/pmacctd-kafka.conf (pointed at the tests' broker, on a topic of its own) puts
     * every packet of the capture on the topic, and bin/kafka-broker consume prints the messages.
     */
    @Test
    void bundledKafkaExamplePublishesTheCapture(@TempDir Path dir) throws Exception {
        BrokerProcess broker = BrokerProcess.shared();
        String topic = "readme" + System.nanoTime() + ".acct";
        String conf = Files.readString(E2e.root().resolve("examples/pmacctd-kafka.conf"))
                .replace("examples/traffic.pcap", E2e.root().resolve("examples/traffic.pcap").toString())
                .replace("127.0.0.1", broker.host()).replace("9092", Integer.toString(broker.port()))
                .replace("pmacct.acct", topic);
        Files.writeString(dir.resolve("kafka.conf"), conf);
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-f", "kafka.conf");
        assertEquals(0, r.exit(), r.stderr());
        E2e.Result read = E2e.run(dir, 180, E2e.bin("kafka-broker").toString(), "consume", topic.replace(".", "\\."),
                "--bootstrap", broker.bootstrap(), "--idle", "10");
        assertEquals(0, read.exit(), read.stderr());
        long packets = 0;
        Matcher m = PACKETS.matcher(read.stdout());
        while (m.find()) {
            packets += Long.parseLong(m.group(1));
        }
        assertTrue(read.stdout().startsWith("{\"event_type\": \"purge_init\""), read.stdout());
        assertEquals(3000, packets, "every packet of examples/traffic.pcap is in a message");
    }

    @Test
    void bundledZonesExampleFiltersAndTags() throws Exception {
        E2e.Result r = E2e.run(E2e.root(), 120, E2e.bin("pmacctd").toString(), "-f", "examples/pmacctd-zones.conf");
        assertEquals(0, r.exit(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertTrue(lines[0].startsWith("TAG         LABEL "), lines[0]);
        long packets = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            packets += Long.parseLong(f[f.length - 2]);
        }
        // tcpdump -r examples/traffic.pcap 'src net 192.168.1.0/24 and not dst net ...' | wc -l
        assertEquals(1221, packets, "the zone filter keeps what libpcap keeps");
        assertTrue(r.stdout().contains("\n20                                            tcp         599 "), r.stdout());
        String web = Files.readString(Path.of("/tmp/jpmacct-zones-web.csv"));
        assertTrue(web.startsWith("TAG,SRC_IP,PACKETS,BYTES\n20,192.168.1."), web);
    }

    /** Runs a collector's bundled example; the packets and flows of its table. */
    private static long[] packetsAndFlows(String daemon, String conf) throws Exception {
        E2e.Result r = E2e.run(E2e.root(), 120, E2e.bin(daemon).toString(), "-f", conf);
        assertEquals(0, r.exit(), r.stderr());
        String[] lines = r.stdout().split("\n");
        assertTrue(lines[0].startsWith("PEER_SRC_IP "), lines[0]);
        long packets = 0;
        long flows = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            packets += Long.parseLong(f[f.length - 3]);
            flows += Long.parseLong(f[f.length - 2]);
        }
        return new long[] {packets, flows};
    }

    @Test
    void bundledNetflowExampleShowsATable() throws Exception {
        long[] t = packetsAndFlows("nfacctd", "examples/nfacctd-print.conf");
        assertEquals(10000, t[0], "every packet the 480 flow records stand for");
        assertEquals(480, t[1]);
    }

    @Test
    void bundledSflowExampleShowsATable() throws Exception {
        long[] t = packetsAndFlows("sfacctd", "examples/sfacctd-print.conf");
        assertEquals(9880, t[0], "988 samples of 1 in 10 packets, renormalized");
        assertEquals(988, t[1]);
    }

    @Test
    void commandLineOverridesAsInPmacct(@TempDir Path dir) throws Exception {
        E2e.copy(E2e.root().resolve("examples/edge.pcap"), dir);
        E2e.Result r = E2e.run(dir, 120, E2e.bin("pmacctd").toString(), "-I", "edge.pcap", "-c", "src_host,dst_host",
                "-P", "print");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().startsWith("SRC_IP                                         DST_IP                                         PACKETS               BYTES\n"),
                r.stdout());
        assertTrue(r.stdout().contains("\n10.1.1.1                                       10.2.2.2                                       8                     680\n"),
                r.stdout());
    }

    /** README names every plugin this build has (it said "on the way" for two that had shipped). */
    @Test
    void readmeNamesEveryPluginOfTheBuild() throws Exception {
        String readme = Files.readString(E2e.root().resolve("README.md"));
        for (String type : PluginRegistry.discover().keySet()) {
            assertTrue(readme.contains("**`" + type + "`**"), "README.md does not name the " + type + " plugin");
        }
        assertTrue(!readme.contains("on the way"), "README.md announces as coming what the build has");
    }
}
