package jpmacct.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.sun.management.OperatingSystemMXBean;

/**
 * The Java producer alone, as the kafka plugin configures it (byte arrays, batch.size 1000000, a callback per
 * message): how many messages of a given size per second it delivers to a broker on this machine, and its CPU per
 * million. The ceiling of the plugin's rate, measured apart from decoding, aggregation and encoding.
 *
 * <p>usage: KafkaProduce BOOTSTRAP TOPIC MESSAGES BYTES [PROPERTY=VALUE ...] (producer properties to try)
 */
public final class KafkaProduce {
    private KafkaProduce() {
    }

    /** Messages shaped like the plugin's (a flow's JSON object, its addresses and ports varying), padded to size. */
    private static byte[][] jsonLike(int size) {
        Random random = new Random(7);
        byte[][] out = new byte[4096][];
        for (int i = 0; i < out.length; i++) {
            String json = String.format("{\"event_type\": \"purge\", \"ip_src\": \"10.%d.%d.%d\", \"ip_dst\": "
                    + "\"192.168.%d.%d\", \"port_src\": %d, \"port_dst\": %d, \"ip_proto\": \"tcp\", \"packets\": 1, "
                    + "\"bytes\": %d, \"writer_id\": \"nfacctd_kafka/%d\"}", random.nextInt(256), random.nextInt(256),
                    random.nextInt(256), random.nextInt(256), random.nextInt(256), 1024 + random.nextInt(60000),
                    random.nextInt(1024), 40 + random.nextInt(1460), 4000 + random.nextInt(1000));
            StringBuilder sb = new StringBuilder(json);
            while (sb.length() < size) {
                sb.insert(sb.length() - 1, ' ');
            }
            out[i] = sb.toString().getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long messages = Long.parseLong(args[2]);
        byte[][] payloads = jsonLike(Integer.parseInt(args[3]));
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        Map<String, Object> props = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "batch.size", "1000000",
                "client.id", "bench-produce"));
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            props.put(kv[0], kv[1]);
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicLong delivered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata first: not part of the measured span
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (long i = 0; i < messages; i++) {
                producer.send(new ProducerRecord<>(topic, null, null, payloads[(int) (i % payloads.length)].clone()), (m, e) -> {
                    if (e == null) {
                        delivered.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            System.out.printf("%d delivered, %d failed in %.2f s: %.0f messages/s, CPU %.2f s per 1M%n",
                    delivered.get(), failed.get(), secs, delivered.get() / secs, cpu * 1e6 / messages);
        }
    }
}
