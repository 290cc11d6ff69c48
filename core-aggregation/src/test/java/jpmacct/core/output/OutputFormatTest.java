package jpmacct.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.primitive.Column;

class OutputFormatTest {

    private static Row row(String label, long proto, long packets, long bytes) {
        return new Row() {
            @Override
            public long field(KeyField f) {
                return f == KeyField.PROTO ? proto : 0;
            }

            @Override
            public long packets() {
                return packets;
            }

            @Override
            public long bytes() {
                return bytes;
            }

            @Override
            public long flows() {
                return 0;
            }

            @Override
            public int tcpFlags() {
                return 0;
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public String classLabel() {
                return "unknown";
            }
        };
    }

    private static String render(OutputFormat.Style style, OutputFormat.Options options, Row row) {
        OutputFormat f = new OutputFormat(style, List.of(Column.LABEL, Column.PROTOCOL), false, options);
        StringBuilder sb = new StringBuilder();
        String header = f.header();
        if (header != null) {
            sb.append(header);
        }
        f.appendRow(sb, row, 0);
        return sb.toString();
    }

    /** pmacct 1.7.7's print plugin exits on label with formatted output; here it is a 32-character column. */
    @Test
    void labelIsAFormattedColumn() {
        String out = render(OutputFormat.Style.FORMATTED, OutputFormat.Options.defaults(), row("office", 6, 3, 180));
        String[] lines = out.split("\n");
        assertEquals(String.format("%-34s%-12s%-22s%s", "LABEL", "PROTOCOL", "PACKETS", "BYTES"), lines[0]);
        assertEquals(String.format("%-34s%-12s%-22s%s", "office", "tcp", "3", "180"), lines[1]);
    }

    @Test
    void csvUsesTheSeparatorAndNumericProtocolsOnRequest() {
        OutputFormat.Options o = new OutputFormat.Options(true, ";", Timestamps.defaults(), false);
        assertEquals("LABEL;PROTOCOL;PACKETS;BYTES\noffice;17;1;60\n",
                render(OutputFormat.Style.CSV, o, row("office", 17, 1, 60)));
    }

    @Test
    void jsonEscapesTextAndHasNoHeader() {
        OutputFormat f = new OutputFormat(OutputFormat.Style.JSON, List.of(Column.LABEL), false,
                OutputFormat.Options.defaults());
        assertNull(f.header());
        StringBuilder sb = new StringBuilder();
        f.appendRow(sb, row("a\"b\\c", 6, 1, 2), 0);
        assertEquals("{\"event_type\": \"purge\", \"label\": \"a\\\"b\\\\c\", \"packets\": 1, \"bytes\": 2}\n",
                sb.toString());
    }

    @Test
    void longValuesAreNeverCut() {
        String label = "x".repeat(40);
        String out = render(OutputFormat.Style.FORMATTED, OutputFormat.Options.defaults(), row(label, 6, 1, 1));
        assertEquals(label + "  tcp", out.split("\n")[1].substring(0, 45));
    }
}
