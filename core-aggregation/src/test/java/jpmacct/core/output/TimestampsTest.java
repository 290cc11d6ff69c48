package jpmacct.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** timestamps_rfc3339 (pmacct 1.7.7: Z for UTC) and timestamps_rfc9557 (pmacct 1.8: +00:00). */
class TimestampsTest {
    private static final long MICROS = 1_700_000_000_123_456L;

    private static String text(Timestamps t, long micros, boolean withMicros) {
        StringBuilder sb = new StringBuilder();
        t.append(sb, micros, withMicros);
        return sb.toString();
    }

    @Test
    void rfc3339WritesZuluAndRfc9557AZeroOffset() {
        assertEquals("2023-11-14T22:13:20Z", text(Timestamps.configured(false, true, false, true), MICROS, false));
        assertEquals("2023-11-14T22:13:20.123456+00:00",
                text(Timestamps.configured(false, false, true, true), MICROS, true));
        assertEquals("2023-11-14T22:13:20+00:00", text(Timestamps.configured(false, true, true, true), MICROS, false),
                "both set: rfc9557's offset");
        assertEquals("0000-00-00T00:00:00+00:00", text(Timestamps.configured(false, false, true, true), 0, false));
        assertEquals("2023-11-14 22:13:20", text(Timestamps.configured(false, false, false, true), MICROS, false));
    }

    @Test
    void otherOffsetsAreWrittenAlikeByBoth() {
        Timestamps rfc3339 = new Timestamps(false, true, ZoneOffset.ofHours(2));
        Timestamps rfc9557 = new Timestamps(false, true, ZoneOffset.ofHours(2), true);
        assertEquals("2023-11-15T00:13:20+02:00", text(rfc3339, MICROS, false));
        assertEquals(text(rfc3339, MICROS, false), text(rfc9557, MICROS, false));
    }
}
