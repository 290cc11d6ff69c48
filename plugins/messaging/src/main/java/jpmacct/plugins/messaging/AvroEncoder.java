package jpmacct.plugins.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.ConfigException;
import jpmacct.core.output.Row;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.primitive.Primitive;
import jpmacct.plugins.avro.AvroFormat;
import jpmacct.plugins.avro.AvroMessages;
import jpmacct.plugins.avro.AvroRecordEncoder;
import jpmacct.plugins.avro.AvroSchemas;
import jpmacct.plugins.avro.ConfluentWire;

/**
 * {@code kafka_output}/{@code amqp_output: avro | avro_bin | avro_json}: each aggregate as pmacct's acct_data
 * record (binary, framed with the registry's schema id when {@code kafka_avro_schema_registry} is set, or Avro's
 * JSON), the markers as acct_init/acct_close records; with {@code *_multi_values}, that many records per message
 * within {@code avro_buffer_size} bytes.
 */
final class AvroEncoder implements MessageEncoder {
    private final AvroMessages messages;
    private final AvroRecordEncoder records;
    private final AvroFormat format;
    /** Confluent's header of every record under a registry (the schema id is fixed for the plugin's life); null without. */
    private final byte[] recordHeader;
    private final String markerId;
    private final int bufferSize;

    private AvroEncoder(AvroMessages messages, String markerId, int bufferSize) {
        this.messages = messages;
        this.records = messages.records();
        this.format = messages.format();
        this.recordHeader = messages.schemaIds() == null ? null : ConfluentWire.header(messages.schemaIds().data());
        this.markerId = markerId;
        this.bufferSize = bufferSize;
    }

    /** Writes the schema files and registers the schemas, as pmacct does when the plugin starts. */
    static AvroEncoder open(AvroFormat format, EncoderContext c) throws ConfigException {
        PluginAggregation a = c.aggregation();
        AvroRecordEncoder records = new AvroRecordEncoder(a.columns(), a.aggregate().custom(),
                a.aggregate().has(Primitive.FLOWS), a.outputOptions(c.plugin().config().get(CoreKeys.NUM_PROTOS), ","),
                c.writerId());
        AvroMessages.Settings settings = AvroMessages.Settings.of(c.plugin().config(), format, c.destination(),
                c.dynamic(), c.multiValues());
        return new AvroEncoder(AvroMessages.open(settings, records), c.markerId(), settings.bufferSize());
    }

    @Override
    public void entry(Row row, long purgeTime, MessageBuffer out) {
        int n = records.encode(format, row, purgeTime);
        if (recordHeader != null) {
            out.write(recordHeader, 0, recordHeader.length);
        }
        out.write(records.buffer(), 0, n);
    }

    @Override
    public void purgeInit(MessageBuffer out) {
        byte[] m = messages.purgeInit(markerId);
        out.write(m, 0, m.length);
    }

    @Override
    public void purgeClose(int purgedEntries, int totalEntries, long durationSeconds, MessageBuffer out) {
        byte[] m = messages.purgeClose(markerId, purgedEntries, totalEntries, (int) durationSeconds);
        out.write(m, 0, m.length);
    }

    /** pmacct's Avro multi-values count records; a message also stays within avro_buffer_size (one record always fits). */
    @Override
    public boolean joins(int heldEntries, int heldBytes, int entryBytes, long multiValues) {
        int separator = format == AvroFormat.JSON ? 1 : 0;
        return heldEntries < multiValues && heldBytes + separator + entryBytes <= bufferSize;
    }

    @Override
    public void endOfEntry(MessageBuffer out) {
        if (format == AvroFormat.JSON) {
            out.write((byte) '\n');
        }
    }

    @Override
    public boolean text() {
        return format == AvroFormat.JSON;
    }

    @Override
    public String contentType() {
        return format == AvroFormat.JSON ? "application/json" : "application/octet-stream";
    }

    /** acct_data's, acct_init's and acct_close's schemas, each in pmacct's purge_schema event. */
    @Override
    public List<byte[]> schemaMessages(String pluginName) {
        List<byte[]> out = new ArrayList<>();
        for (Schema schema : List.of(records.schema(), AvroSchemas.acctInit(), AvroSchemas.acctClose())) {
            out.add(AvroSchemas.purgeSchemaMessage(schema, pluginName).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
