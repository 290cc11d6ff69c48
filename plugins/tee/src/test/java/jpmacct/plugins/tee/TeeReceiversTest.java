package jpmacct.plugins.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;

class TeeReceiversTest {
    private static TeeReceivers load(Path dir, String text) throws Exception {
        Path f = dir.resolve("tee_receivers.lst");
        Files.writeString(f, text);
        return TeeReceivers.load(f, 128, 32);
    }

    private static String refusal(Path dir, String text) {
        return assertThrows(ConfigException.class, () -> load(dir, text)).getMessage();
    }

    @Test
    void readsPmacctsExamples(@TempDir Path dir) throws Exception {
        TeeReceivers r = load(dir, "! comment\nid=1\tip=192.0.2.1:2100\n"
                + "id=2 ip=192.0.2.1:2100,192.0.2.2:2100 tag=105,110-120 balance-alg=rr\n"
                + "id=3 ip=[::1]:2100 tag=-150 balance-alg=hash-agent src_port=2200\n"
                + "id=4 ip=127.0.0.1:1 balance-alg=hash-tag\n");
        assertEquals(4, r.pools().size());
        TeeReceivers.Pool p1 = r.pools().get(0);
        assertEquals(TeeReceivers.Balance.ALL, p1.balance());
        assertNull(p1.tags());
        assertEquals(2, p1.line());
        TeeReceivers.Pool p2 = r.pools().get(1);
        assertEquals(2, p2.receivers().length);
        assertTrue(p2.tags().accepts(115) && p2.tags().accepts(105) && !p2.tags().accepts(106));
        TeeReceivers.Pool p3 = r.pools().get(2);
        assertEquals("[0:0:0:0:0:0:0:1]:2100", TeePlugin.describe(p3.receivers()[0]));
        assertTrue(p3.tags().accepts(1) && !p3.tags().accepts(150));
        assertEquals(2200, p3.srcPort());
        assertTrue(r.pools().get(3).needsTag() && !p1.needsTag());
    }

    @Test
    void refusalsNameFileLineAndKey(@TempDir Path dir) {
        assertTrue(refusal(dir, "id=1 ip=127.0.0.1:1\nid=2 ip=127.0.0.1:2 colour=blue\n")
                .endsWith("tee_receivers.lst:2: unknown key 'colour' (tee_receivers keys: id, ip, balance-alg, tag, "
                        + "src_port, kafka_broker, kafka_topic)"));
        assertTrue(refusal(dir, "id=1 ip=127.0.0.1\n").contains("tee_receivers.lst:1: key 'ip': '127.0.0.1' is not a "
                + "receiver"));
        assertTrue(refusal(dir, "id=1 ip=collector.example:2100\n").contains(":1: key 'ip': 'collector.example:2100'"));
        assertTrue(refusal(dir, "id=1 ip=300.0.0.1:2100\n").contains(":1: key 'ip'"));
        assertTrue(refusal(dir, "id=1 ip=[::1:2100\n").contains(":1: key 'ip'"));
        assertTrue(refusal(dir, "id=1 ip=127.0.0.1:0\n").contains(":1: key 'ip'"));
        assertTrue(refusal(dir, "ip=127.0.0.1:1\n").contains(":1: key 'id' missing"));
        assertTrue(refusal(dir, "id=0 ip=127.0.0.1:1\n").contains(":1: key 'id': '0'"));
        assertTrue(refusal(dir, "id=1 ip=127.0.0.1:1\nid=1 ip=127.0.0.1:2\n").contains(":2: key 'id': pool 1 defined twice"));
        assertTrue(refusal(dir, "id=1\n").contains(":1: key 'ip' missing"));
        assertTrue(refusal(dir, "id=1 ip=127.0.0.1:1 balance-alg=random\n").contains(":1: key 'balance-alg': 'random'"));
        assertTrue(refusal(dir, "id=1 ip=127.0.0.1:1 tag=x\n").contains(":1: key 'tag'"));
        assertTrue(refusal(dir, "id=1 ip=127.0.0.1:1 zmq_address=127.0.0.1:50000\n").contains(":1: key 'zmq_address'"));
        assertTrue(refusal(dir, "! nothing\n").contains("no receiver pool"));
    }

    /** pmacct's Kafka pools: broker list and topic, tags; what pmacct would ignore with a warning is refused. */
    @Test
    void kafkaPools(@TempDir Path dir) throws Exception {
        TeeReceivers r = load(dir, "id=1 kafka_broker=127.0.0.1:19092 kafka_topic=pmacct.tee tag=10\n"
                + "id=2 kafka_broker=k1,[::1]:9093 kafka_topic=flows\n"
                + "id=3 ip=127.0.0.1:2100\n");
        TeeReceivers.Pool p1 = r.pools().get(0);
        assertEquals(new TeeReceivers.KafkaTarget("127.0.0.1:19092", "pmacct.tee"), p1.kafka());
        assertEquals(0, p1.receivers().length);
        assertTrue(p1.tags().accepts(10) && !p1.tags().accepts(11));
        assertEquals("kafka k1:9092,[::1]:9093/flows", r.pools().get(1).kafka().describe());
        assertNull(r.pools().get(2).kafka());

        assertTrue(refusal(dir, "id=1 kafka_broker=127.0.0.1:9092\n").contains(":1: key 'kafka_topic' missing"));
        assertTrue(refusal(dir, "id=1 kafka_topic=flows\n").contains(":1: key 'kafka_broker' missing"));
        assertTrue(refusal(dir, "id=1 kafka_broker=127.0.0.1:9092 kafka_topic=flows ip=127.0.0.1:2100\n")
                .contains(":1: key 'ip': a pool sends to Kafka (kafka_broker, kafka_topic) or to UDP receivers"));
        assertTrue(refusal(dir, "id=1 kafka_broker=127.0.0.1:9092 kafka_topic=flows balance-alg=rr\n")
                .contains(":1: key 'balance-alg'"));
        assertTrue(refusal(dir, "id=1 kafka_broker=127.0.0.1:9092 kafka_topic=flows src_port=2000\n")
                .contains(":1: key 'src_port'"));
        assertTrue(refusal(dir, "id=1 kafka_broker=127.0.0.1:9092 kafka_topic=a/b\n")
                .contains(":1: key 'kafka_topic': 'a/b' is not a Kafka topic name"));
        assertTrue(refusal(dir, "id=1 kafka_broker=broker;rm kafka_topic=flows\n")
                .contains(":1: key 'kafka_broker': 'broker;rm' is not a broker list"));
    }

    @Test
    void limitsFromTheConfiguration(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("l.lst");
        Files.writeString(f, "id=1 ip=127.0.0.1:1,127.0.0.1:2,127.0.0.1:3\n");
        assertTrue(assertThrows(ConfigException.class, () -> TeeReceivers.load(f, 128, 2)).getMessage()
                .contains(":1: key 'ip': 3 receivers, more than tee_max_receivers (2)"));
        Files.writeString(f, "id=1 ip=127.0.0.1:1\nid=2 ip=127.0.0.1:2\n");
        assertTrue(assertThrows(ConfigException.class, () -> TeeReceivers.load(f, 1, 32)).getMessage()
                .contains(":2: more than tee_max_receiver_pools (1)"));
    }

    /** The headers of transparent packets: checksums as RFC 791 / RFC 768 define them (sum over all = 0xFFFF). */
    @Test
    void checksums() {
        int src = 0x7F000005;
        int dst = 0x7F000001;
        byte[] payload = "hello, collector".getBytes(StandardCharsets.US_ASCII);
        int udp = RawIpv4Sender.udpChecksum(src, dst, 40000, 2100, payload, payload.length);
        long sum = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 17 + 8 + payload.length
                + 40000 + 2100 + 8 + payload.length + udp;
        for (int i = 0; i < payload.length; i += 2) {
            sum += ((payload[i] & 0xFF) << 8) | (i + 1 < payload.length ? payload[i + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        assertEquals(0xFFFF, sum);
        int ip = RawIpv4Sender.ipChecksum(src, dst, 28 + payload.length, 7);
        long h = 0x4500L + 28 + payload.length + 7 + (64 << 8 | 17) + (src >>> 16) + (src & 0xFFFF)
                + (dst >>> 16) + (dst & 0xFFFF) + ip;
        while ((h >>> 16) != 0) {
            h = (h & 0xFFFF) + (h >>> 16);
        }
        assertEquals(0xFFFF, h);
    }
}
