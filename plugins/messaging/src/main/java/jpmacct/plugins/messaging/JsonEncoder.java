package jpmacct.plugins.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.Row;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.primitive.Primitive;

/**
 * pmacct's JSON messages: each aggregate as the print plugin writes it in JSON (jansson's spacing, pmacct 1.8's
 * encodings, stamp_inserted/stamp_updated with history) with {@code writer_id} last; the markers as pmacct's
 * purge_init and purge_close objects.
 */
final class JsonEncoder implements MessageEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(JsonEncoder.class);

    private final OutputFormat format;
    /** What closes each aggregate's object: the writer id and the brace. */
    private final String writerIdEnd;
    private final String markerId;
    private final StringBuilder sb = new StringBuilder(1024);

    JsonEncoder(EncoderContext c) {
        PluginAggregation a = c.aggregation();
        this.format = new OutputFormat(OutputFormat.Style.JSON, a.columns(), a.aggregate().custom(),
                a.aggregate().has(Primitive.FLOWS), a.outputOptions(c.plugin().config().get(CoreKeys.NUM_PROTOS), ","));
        this.writerIdEnd = ", \"writer_id\": \"" + escaped(c.writerId()) + "\"}";
        this.markerId = escaped(c.markerId());
        // pmacct 1.8's line when a plugin sets up its JSON encoding
        LOG.info("JSON: setting object handlers.");
    }

    @Override
    public void entry(Row row, long purgeTime, MessageBuffer out) {
        sb.setLength(0);
        format.appendRow(sb, row, purgeTime);
        sb.setLength(sb.length() - 2); // the row's closing brace and newline
        sb.append(writerIdEnd);
        out.append(sb);
    }

    @Override
    public void purgeInit(MessageBuffer out) {
        out.append("{\"event_type\": \"purge_init\", \"writer_id\": \"" + markerId + "\"}");
    }

    @Override
    public void purgeClose(int purgedEntries, int totalEntries, long durationSeconds, MessageBuffer out) {
        out.append("{\"event_type\": \"purge_close\", \"writer_id\": \"" + markerId + "\", \"purged_entries\": "
                + purgedEntries + ", \"total_entries\": " + totalEntries + ", \"duration\": " + durationSeconds + "}");
    }

    @Override
    public boolean joins(int heldEntries, int heldBytes, int entryBytes, long multiValues) {
        return entryBytes + 1 < multiValues - heldBytes;
    }

    @Override
    public void endOfEntry(MessageBuffer out) {
        out.write((byte) '\n');
    }

    @Override
    public boolean text() {
        return true;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    /** A string as the inside of a JSON string. */
    static String escaped(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
