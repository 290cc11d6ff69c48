package jpmacct.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.primitive.Column;

class OutputFormatTest {

    private static Row row(String label, long proto, long packets, long bytes) {
        return row(label, proto, packets, bytes, 0, 0);
    }

    private static Row row(String label, long proto, long packets, long bytes, long timestampMin, long timestampMax) {
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
            public long timestampMin() {
                return timestampMin;
            }

            @Override
            public long timestampMax() {
                return timestampMax;
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

    /** A tcp row with nfacctd_stitching's times: 09:46:39.25 to 09:48:45 UTC on 2023-02-28. */
    private static Row stitched() {
        return row("", 6, 53, 4324, 1_677_577_599_250_000L, 1_677_577_725_000_000L);
    }

    /**
     * TIMESTAMP_MIN and TIMESTAMP_MAX as pmacct 1.7.7's print plugin writes them with nfacctd_stitching (recorded
     * with its nfacctd: after the other columns' timestamps, 30 wide plus a blank, always with microseconds).
     */
    @Test
    void stitchingTimesInEveryStyle() {
        List<Column> columns = List.of(Column.PROTOCOL, Column.TIMESTAMP_MIN, Column.TIMESTAMP_MAX);
        OutputFormat.Options utc = new OutputFormat.Options(false, ",", new Timestamps(false, false, ZoneOffset.UTC),
                false);
        StringBuilder sb = new StringBuilder();
        OutputFormat formatted = new OutputFormat(OutputFormat.Style.FORMATTED, columns, false, utc);
        sb.append(formatted.header());
        formatted.appendRow(sb, stitched(), 0);
        assertEquals("PROTOCOL    TIMESTAMP_MIN                  TIMESTAMP_MAX                  PACKETS               BYTES\n"
                + "tcp         2023-02-28 09:46:39.250000     2023-02-28 09:48:45.000000     53                    4324\n",
                sb.toString());

        sb.setLength(0);
        OutputFormat csv = new OutputFormat(OutputFormat.Style.CSV, columns, false, utc);
        sb.append(csv.header());
        csv.appendRow(sb, stitched(), 0);
        assertEquals("PROTOCOL,TIMESTAMP_MIN,TIMESTAMP_MAX,PACKETS,BYTES\n"
                + "tcp,2023-02-28 09:46:39.250000,2023-02-28 09:48:45.000000,53,4324\n", sb.toString());

        sb.setLength(0);
        OutputFormat.Options epoch = new OutputFormat.Options(false, ",", new Timestamps(true, false, ZoneOffset.UTC),
                false);
        new OutputFormat(OutputFormat.Style.JSON, columns, false, epoch).appendRow(sb, stitched(), 0);
        assertEquals("{\"event_type\": \"purge\", \"ip_proto\": \"tcp\", \"timestamp_min\": \"1677577599.250000\", "
                + "\"timestamp_max\": \"1677577725.000000\", \"packets\": 53, \"bytes\": 4324}\n", sb.toString());
    }

    /** The pmacct client's orders never have them: pmacct's memory plugin keeps no stitching times. */
    @Test
    void clientOrderLeavesStitchingTimesOut() {
        List<Column> all = Column.clientOrder(List.of(Column.values()));
        assertEquals(Column.values().length - 2, all.size());
        assertFalse(all.contains(Column.TIMESTAMP_MIN) || all.contains(Column.TIMESTAMP_MAX));
    }
}
