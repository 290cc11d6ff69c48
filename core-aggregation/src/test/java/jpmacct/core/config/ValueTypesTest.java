package jpmacct.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void booleansAreCaseInsensitive() {
        assertEquals(true, ValueTypes.BOOLEAN.parse("TRUE"));
        assertEquals(false, ValueTypes.BOOLEAN.parse("false"));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.BOOLEAN.parse("yes"));
    }

    @Test
    void secondsUnderstandUnits() {
        assertEquals(60L, ValueTypes.SECONDS.parse("60"));
        assertEquals(30L, ValueTypes.SECONDS.parse("30s"));
        assertEquals(300L, ValueTypes.SECONDS.parse("5m"), "pmacct 1.7.7 reads '5m' as 5 seconds");
        assertEquals(7200L, ValueTypes.SECONDS.parse("2h"));
        assertEquals(86400L, ValueTypes.SECONDS.parse("1d"));
        assertEquals(604800L, ValueTypes.SECONDS.parse("1w"));
        for (String bad : List.of("", "m", "5x", "-1", "1.5m", "99999999999")) {
            assertThrows(IllegalArgumentException.class, () -> ValueTypes.SECONDS.parse(bad), bad);
        }
    }

    @Test
    void bytesUnderstandBinarySuffixes() {
        assertEquals(4194304L, ValueTypes.BYTES.parse("4194304"));
        assertEquals(65536L, ValueTypes.BYTES.parse("64k"));
        assertEquals(4L << 20, ValueTypes.BYTES.parse("4M"));
        assertEquals(1L << 30, ValueTypes.BYTES.parse("1g"));
        assertEquals(65536L, ValueTypes.BYTES.parse("64KB"));
        for (String bad : List.of("", "k", "-5", "4t", "99999999999g")) {
            assertThrows(IllegalArgumentException.class, () -> ValueTypes.BYTES.parse(bad), bad);
        }
    }

    @Test
    void integersAreRangeChecked() {
        ValueType<Long> t = ValueTypes.integer(64, 262144);
        assertEquals(128L, t.parse("128"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("63"));
        assertThrows(IllegalArgumentException.class, () -> t.parse("abc"));
    }

    @Test
    void historyPeriods() {
        assertEquals(new History(5, 'm'), ValueTypes.HISTORY.parse("5m"));
        assertEquals(300, ValueTypes.HISTORY.parse("5m").seconds());
        assertEquals(3600, ValueTypes.HISTORY.parse("1h").seconds());
        History month = ValueTypes.HISTORY.parse("1M");
        assertEquals(true, month.monthly(), "M is months, m minutes");
        for (String bad : List.of("5", "m", "0m", "5y", "xm")) {
            assertThrows(IllegalArgumentException.class, () -> ValueTypes.HISTORY.parse(bad), bad);
        }
    }

    @Test
    void roundoffLetters() {
        assertEquals("mh", ValueTypes.ROUNDOFF.parse("mh"));
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.ROUNDOFF.parse("x"));
    }

    @Test
    void oneOfAndWordLists() {
        ValueType<String> dir = ValueTypes.oneOf("in", "out");
        assertEquals("in", dir.parse("in"));
        assertThrows(IllegalArgumentException.class, () -> dir.parse("both"));
        assertEquals(List.of("print[a]", "print[b]"), ValueTypes.WORD_LIST.parse("print[a], print[b]"));
    }
}
