package jpmacct.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

/**
 * Every primitive and string field is copied by copyFrom and reset by clear: a field added without both would leak.
 */
class FlowRecordFieldsTest {

    private static void setAll(FlowRecord r) throws IllegalAccessException {
        for (Field f : FlowRecord.class.getDeclaredFields()) {
            if (!checked(f)) {
                continue;
            }
            if (f.getType() == String.class) {
                f.set(r, f.getName());
            } else if (f.getType() == long.class) {
                f.setLong(r, 7);
            } else if (f.getType() == int.class) {
                f.setInt(r, 7);
            } else if (f.getType() == boolean.class) {
                f.setBoolean(r, true);
            }
        }
        r.headerLength = 0; // the header's length goes with its bytes, set by keepHeader
        r.customUsed = 0; // so do the custom values' (putCustom)
        r.mplsLabelCount = 3;
        r.mplsLabels[2] = 99;
        byte[] segments = new byte[32];
        segments[31] = 42;
        r.putSrv6Segments(segments, 0, 2);
    }

    private static boolean checked(Field f) {
        return !Modifier.isStatic(f.getModifiers()) && (f.getType().isPrimitive() || f.getType() == String.class);
    }

    @Test
    void copyFromCopiesAndClearResetsEveryField() throws Exception {
        FlowRecord a = new FlowRecord();
        setAll(a);
        FlowRecord b = new FlowRecord();
        b.copyFrom(a);
        FlowRecord clean = new FlowRecord();
        clean.clear();
        for (Field f : FlowRecord.class.getDeclaredFields()) {
            if (!checked(f)) {
                continue;
            }
            assertEquals(f.get(a), f.get(b), "copyFrom misses " + f.getName());
        }
        assertEquals(99, b.mplsLabels[2]);
        assertEquals(42, b.srv6Segments[31]);
        a.clear();
        for (Field f : FlowRecord.class.getDeclaredFields()) {
            if (!checked(f)) {
                continue;
            }
            assertEquals(f.get(clean), f.get(a), "clear misses " + f.getName());
        }
    }
}
