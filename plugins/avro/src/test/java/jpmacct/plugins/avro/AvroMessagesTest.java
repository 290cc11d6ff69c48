package jpmacct.plugins.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.config.ConfigException;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.PrintedTable;
import jpmacct.core.output.TableRow;
import jpmacct.core.output.Timestamps;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.record.RecordBuilder;

/**
 * A message plugin's Avro output as it starts and purges: kafka_avro_schema_registry against a stand-in registry
 * (a real HTTP server: no Confluent registry can be installed here), Confluent framing, avro_schema_file, the markers
 * and multi_values batches.
 */
class AvroMessagesTest {
    private static final OutputFormat.Options OPTIONS = new OutputFormat.Options(false, ",",
            new Timestamps(true, false, ZoneOffset.UTC), false).withEncodings(AvroSchemasTest.ALL);
    private static final Aggregate AGG = Aggregate.TYPE.parse("src_host, dst_host, dst_port, proto, tcpflags");

    private static AvroRecordEncoder encoder() {
        return new AvroRecordEncoder(AGG.columns(), List.of(), false, OPTIONS, "nfacctd_kafka");
    }

    private static PrintedTable table(int rows) {
        PrintedTable t = new PrintedTable(AGG);
        for (int i = 0; i < rows; i++) {
            t.add(RecordBuilder.flow().src("10.0.0." + (i + 1)).dst("192.0.2.1").ports(1000, 53).proto("udp")
                    .packets(i + 1).bytes(100L * (i + 1)).build());
        }
        return t;
    }

    private static AvroMessages.Settings settings(AvroFormat format, String registry, long multiValues) {
        return new AvroMessages.Settings(format, null, registry, "daisy.flow", false, multiValues,
                AvroBatch.DEFAULT_BUFFER_SIZE);
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * The three schemas registered under pmacct's subjects, each record framed with its schema's id; a consumer
     * fetching the schema by that id from the registry reads the record back.
     */
    @Test
    void registeredSchemasAndFramedRecords() throws Exception {
        try (StandInRegistry registry = new StandInRegistry()) {
            AvroMessages m = AvroMessages.open(settings(AvroFormat.BINARY, registry.url() + "/", 0), encoder());
            assertEquals(List.of("daisy.flow-acct_data", "daisy.flow-acct_init", "daisy.flow-acct_close"),
                    new ArrayList<>(registry.subjects().keySet()));
            AvroMessages.SchemaIds ids = m.schemaIds();
            assertEquals(List.of(ids.data()), registry.subjects().get("daisy.flow-acct_data"));
            assertEquals(encoder().schema(), registry.schema(ids.data()));
            for (StandInRegistry.Request r : registry.requests) {
                assertEquals("POST", r.method());
                assertEquals(SchemaRegistry.CONTENT_TYPE, r.contentType());
                assertTrue(r.path().matches("/subjects/daisy\\.flow-acct_(data|init|close)/versions"), r.path());
            }
            TableRow row = table(3).cursor();
            int n = 0;
            while (row.next()) {
                byte[] message = m.record(row, 0);
                assertEquals(ConfluentWire.MAGIC, message[0]);
                int id = ConfluentWire.schemaId(message);
                assertEquals(ids.data(), id);
                Schema writer = registry.fetch(id);
                GenericRecord r = Decoded.binary(writer, message, ConfluentWire.HEADER_LENGTH,
                        message.length - ConfluentWire.HEADER_LENGTH);
                assertEquals(Decoded.plain(Decoded.binary(encoder().schema(), encoder().binary(row, 0))), Decoded.plain(r));
                assertEquals("nfacctd_kafka", r.get("writer_id").toString());
                n++;
            }
            assertEquals(3, n);
            byte[] init = m.purgeInit("nfacctd_kafka/42");
            assertEquals(ids.init(), ConfluentWire.schemaId(init));
            GenericRecord i = Decoded.binary(registry.fetch(ids.init()), init, 5, init.length - 5);
            assertEquals("{\"event_type\": \"purge_init\", \"writer_id\": \"nfacctd_kafka/42\"}", i.toString());
            byte[] close = m.purgeClose("nfacctd_kafka/42", 3, 3, 1);
            GenericRecord c = Decoded.binary(registry.fetch(ConfluentWire.schemaId(close)), close, 5, close.length - 5);
            assertEquals("{\"event_type\": \"purge_close\", \"writer_id\": \"nfacctd_kafka/42\", \"purged_entries\": 3, "
                    + "\"total_entries\": 3, \"duration\": 1}", c.toString());
            // a restart registers the same schemas again: the same ids
            AvroMessages again = AvroMessages.open(settings(AvroFormat.BINARY, registry.url(), 0), encoder());
            assertEquals(ids, again.schemaIds());
        }
    }

    /** Registry down at start-up: the start fails, naming the key, the URL and why; nothing is retried. */
    @Test
    void anUnreachableRegistryIsAClearError() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        ConfigException e = assertThrows(ConfigException.class,
                () -> AvroMessages.open(settings(AvroFormat.BINARY, url, 0), encoder()));
        assertTrue(e.getMessage().startsWith("kafka_avro_schema_registry '" + url + "': cannot register schema "
                + "subject 'daisy.flow-acct_data': " + url + ": cannot connect"), e.getMessage());
        assertNull(e.getCause(), "a message, not a stack trace");
    }

    /** Several URLs, as libserdes takes them: the next is tried when one does not answer. */
    @Test
    void theNextRegistryWhenOneDoesNotAnswer() throws Exception {
        try (StandInRegistry registry = new StandInRegistry()) {
            String urls = "http://127.0.0.1:" + closedPort() + ", " + registry.url();
            AvroMessages m = AvroMessages.open(settings(AvroFormat.BINARY, urls, 0), encoder());
            assertEquals(3, registry.subjects().size());
            assertEquals(m.schemaIds().data(), registry.subjects().get("daisy.flow-acct_data").get(0));
        }
    }

    /** A registry that answers with an error (an incompatible schema): its own message is in ours. */
    @Test
    void aRefusalCarriesTheRegistrysMessage() throws Exception {
        try (StandInRegistry registry = new StandInRegistry()) {
            registry.refuseWith = 409;
            registry.refusal = "Schema being registered is incompatible with an earlier schema";
            ConfigException e = assertThrows(ConfigException.class,
                    () -> AvroMessages.open(settings(AvroFormat.BINARY, registry.url(), 0), encoder()));
            assertEquals("kafka_avro_schema_registry '" + registry.url() + "': schema subject 'daisy.flow-acct_data' "
                    + "refused by " + registry.url() + ": HTTP 409 (Schema being registered is incompatible with an "
                    + "earlier schema)", e.getMessage());
        }
    }

    /** user:password@ in the URL is sent as basic authentication (libserdes lets curl do the same). */
    @Test
    void credentialsInTheUrl() throws Exception {
        try (StandInRegistry registry = new StandInRegistry()) {
            String url = registry.url().replace("http://", "http://pm%40acct:s3cr%3At@");
            new SchemaRegistry(url).register("t-acct_init", AvroSchemas.acctInit());
            assertEquals("Basic " + Base64.getEncoder().encodeToString("pm@acct:s3cr:t".getBytes(StandardCharsets.UTF_8)),
                    registry.requests.get(0).authorization());
        }
    }

    @Test
    void registryValuesAreChecked() {
        for (String bad : List.of("", "localhost:8081", "ftp://registry", "http://", "http://a b")) {
            assertThrows(IllegalArgumentException.class, () -> SchemaRegistry.check(bad), bad);
        }
        assertEquals(2, SchemaRegistry.check("http://a:8081/, https://b").size());
    }

    /** What pmacct refuses with a registry: avro_json, kafka_multi_values, a dynamic topic. */
    @Test
    void settingsPmacctRefusesWithARegistry() {
        String url = "http://127.0.0.1:1";
        assertEquals("kafka_avro_schema_registry is not compatible with avro_json output",
                assertThrows(ConfigException.class,
                        () -> AvroMessages.open(settings(AvroFormat.JSON, url, 0), encoder())).getMessage());
        assertEquals("kafka_avro_schema_registry is not compatible with kafka_multi_values",
                assertThrows(ConfigException.class,
                        () -> AvroMessages.open(settings(AvroFormat.BINARY, url, 10), encoder())).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> AvroMessages.open(new AvroMessages.Settings(
                AvroFormat.BINARY, null, url, "flows.$peer_src_ip", true, 0, 8192), encoder())).getMessage()
                .contains("dynamic kafka_topic"));
    }

    /** Without a registry: the bare datum per message (what pmacct sends), or the avro_json line; schema files. */
    @Test
    void bareRecordsAndSchemaFiles(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("nfacctd.avsc");
        AvroMessages m = AvroMessages.open(new AvroMessages.Settings(AvroFormat.BINARY, base, null, "t", true, 0,
                8192), encoder());
        assertNull(m.schemaIds());
        assertNull(m.newBatch());
        assertEquals(encoder().schema().toString(), Files.readString(dir.resolve("nfacctd.avsc-acct_data")));
        TableRow row = table(1).cursor();
        row.next();
        assertTrue(Arrays.equals(encoder().binary(row, 0), m.record(row, 0)));
        GenericRecord init = Decoded.binary(AvroSchemas.acctInit(), m.purgeInit("p/1"));
        assertEquals("purge_init", init.get("event_type").toString());
        AvroMessages j = AvroMessages.open(settings(AvroFormat.JSON, null, 0), encoder());
        assertEquals(encoder().json(row, 0), new String(j.record(row, 0), StandardCharsets.US_ASCII));
        assertEquals("{\"event_type\": \"purge_close\", \"writer_id\": \"p/1\", \"purged_entries\": 1, "
                + "\"total_entries\": 2, \"duration\": 3}", new String(j.purgeClose("p/1", 1, 2, 3), StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("file"), "");
        ConfigException e = assertThrows(ConfigException.class, () -> AvroMessages.open(new AvroMessages.Settings(
                AvroFormat.BINARY, dir.resolve("file/x.avsc"), null, "t", false, 0, 8192), encoder()));
        assertTrue(e.getMessage().startsWith("avro_schema_file: cannot write the Avro schemas"), e.getMessage());
    }

    /** multi_values: records per message up to the count, within avro_buffer_size; read back one after the other. */
    @Test
    void batchesByCountAndBufferSize() throws Exception {
        TableRow row = table(10).cursor();
        AvroRecordEncoder enc = encoder();
        for (AvroFormat format : AvroFormat.values()) {
            int longest = 0;
            row.moveTo(-1);
            while (row.next()) {
                longest = Math.max(longest, enc.encode(format, row, 0));
            }
            // room for three records (and their newlines), never four; at most four per message
            AvroMessages m = AvroMessages.open(new AvroMessages.Settings(format, null, null, "t", false, 4,
                    3 * longest + 2), encoder());
            AvroBatch batch = m.newBatch();
            List<byte[]> messages = new ArrayList<>();
            row.moveTo(-1);
            int records = 0;
            while (row.next()) {
                if (!m.add(batch, row, 0)) {
                    messages.add(batch.toByteArray());
                    batch.clear();
                    assertTrue(m.add(batch, row, 0));
                }
                records++;
                if (batch.full()) {
                    messages.add(batch.toByteArray());
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                messages.add(batch.toByteArray());
            }
            List<GenericRecord> read = new ArrayList<>();
            for (byte[] message : messages) {
                List<GenericRecord> in = new ArrayList<>();
                if (format == AvroFormat.BINARY) {
                    in.addAll(Decoded.binaryAll(enc.schema(), message));
                } else {
                    for (String line : new String(message, StandardCharsets.US_ASCII).split("\n")) {
                        in.add(Decoded.json(enc.schema(), line));
                    }
                }
                assertTrue(in.size() <= 3, format + ": " + in.size() + " records in a message");
                read.addAll(in);
            }
            assertEquals(10, records);
            assertEquals(10, read.size(), format.toString());
            assertEquals(4, messages.size(), format + ": 3 + 3 + 3 + 1");
        }
        // the count bounds a message too
        AvroBatch byCount = new AvroBatch(AvroFormat.BINARY, 1 << 20, 2);
        row.moveTo(-1);
        row.next();
        int n = enc.encodeBinary(row, 0);
        assertTrue(byCount.add(enc.buffer(), n));
        assertFalse(byCount.full());
        assertTrue(byCount.add(enc.buffer(), n));
        assertTrue(byCount.full());
        // a record larger than the buffer goes alone
        AvroBatch tiny = new AvroBatch(AvroFormat.BINARY, 4, 10);
        assertTrue(tiny.add(enc.buffer(), n));
        assertFalse(tiny.add(enc.buffer(), n));
        assertEquals(1, tiny.records());
    }

    @Test
    void outputValues() {
        assertEquals(AvroFormat.BINARY, AvroFormat.of("avro"));
        assertEquals(AvroFormat.BINARY, AvroFormat.of("AVRO_BIN"));
        assertEquals(AvroFormat.JSON, AvroFormat.of("avro_json"));
        assertNull(AvroFormat.of("json"));
    }
}
