package jpmacct.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import jpmacct.plugins.avro.Decoded;
import jpmacct.plugins.avro.StandInRegistry;

/**
 * pmacct's test framework's consumer (library/py/kafka_consumer.py) of a case's topic: messages from the beginning,
 * each one JSON object (kafka_output json) or one Avro record in Confluent's wire format, read with the schema the
 * registry gives for the id in its frame (avro), as plain JSON values the way the framework's json.dumps sees them.
 */
final class UpstreamTopic implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final StandInRegistry registry;
    private final String output;
    private final Map<Integer, Schema> schemas = new HashMap<>();
    private long read;

    /** {@code registry} decodes framed Avro; {@code output} is the case's kafka_output. */
    UpstreamTopic(String bootstrap, String topic, String output, StandInRegistry registry) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "smoke_test." + topic); // the framework's group, per run
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.consumer.subscribe(List.of(topic));
        this.registry = registry;
        this.output = output;
    }

    /** How many messages were read so far. */
    long read() {
        return read;
    }

    /**
     * The next messages up to {@code total} read in all (the number the daemon says it sent), each as the rows it
     * holds; stops short after {@code patienceSeconds} without them (the framework waits 120 s).
     */
    List<Map<String, Object>> readUpTo(long total, long patienceSeconds) throws IOException, InterruptedException {
        List<Map<String, Object>> rows = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(patienceSeconds);
        while (read < total && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                rows.addAll(rows(r.value()));
                read++;
            }
        }
        return rows;
    }

    private List<Map<String, Object>> rows(byte[] value) throws IOException, InterruptedException {
        if (output.equals("json")) {
            return UpstreamJson.rows(new String(value, StandardCharsets.UTF_8));
        }
        if (!output.startsWith("avro") || value.length < 5 || value[0] != 0) {
            throw new IOException("kafka_output " + output + ": not a message in Confluent's wire format ("
                    + value.length + " bytes)");
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        Schema schema = schemas.get(id);
        if (schema == null) {
            schema = registry.fetch(id);
            schemas.put(id, schema);
        }
        String json = Decoded.mapper().writeValueAsString(Decoded.plain(Decoded.binary(schema, value, 5, value.length - 5)));
        return List.of(UpstreamJson.object(json));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
