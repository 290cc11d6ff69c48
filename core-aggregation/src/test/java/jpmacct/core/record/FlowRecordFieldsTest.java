package jpmacct.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

/**
 * Every primitive and string field is copied by copyFrom and reset by clear: a field added without both would leak.
 * Fields behind a flag are reset only when a writer set it.
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

    private static void writePmacct18(FlowRecord r) {
        r.pmacct18 = true;
        r.flowLabel = 0xABCDE;
        r.fwdStatus = 66;
        r.natEvent = 1;
        r.fwEvent = 2;
        r.mplsVpnRdOrigin = FlowRecord.RD_ORIGIN_FLOW;
    }

    private static void assertNoPmacct18(FlowRecord r) {
        assertFalse(r.pmacct18);
        assertEquals(0, r.flowLabel);
        assertEquals(0, r.fwdStatus);
        assertEquals(0, r.natEvent);
        assertEquals(0, r.fwEvent);
        assertEquals(FlowRecord.RD_ORIGIN_UNKNOWN, r.mplsVpnRdOrigin);
    }

    @Test
    void pmacct18FieldsReadZeroOnceTheRecordIsReused() {
        FlowRecord r = new FlowRecord();
        writePmacct18(r);
        r.clear(false);
        assertNoPmacct18(r);
        writePmacct18(r);
        r.clear();
        assertNoPmacct18(r);
        writePmacct18(r);
        r.copyFrom(new FlowRecord());
        assertNoPmacct18(r);
        FlowRecord written = new FlowRecord();
        writePmacct18(written);
        r.copyFrom(written);
        assertTrue(r.pmacct18);
        assertEquals(0xABCDE, r.flowLabel);
        assertEquals(FlowRecord.RD_ORIGIN_FLOW, r.mplsVpnRdOrigin);
    }

    /** With assertions on (the tests), clear tells a writer that set a field behind the flag without the flag. */
    @Test
    void aFieldWrittenWithoutItsFlagIsCaught() {
        assumeTrue(FlowRecord.class.desiredAssertionStatus());
        FlowRecord r = new FlowRecord();
        r.fwdStatus = 64;
        assertThrows(AssertionError.class, r::clear);
    }

    /** Inlined into a decoder, clear's stores of the fields the decoder writes next are dropped; called, not. */
    @Test
    void clearStaysSmallEnoughForTheJitToInline() throws Exception {
        int size = MethodSizes.codeLength(FlowRecord.class, "clear", "(Z)V");
        assertTrue(size <= MethodSizes.HOT_INLINE_LIMIT, "clear(boolean) is " + size + " bytes of bytecode, more than "
                + MethodSizes.HOT_INLINE_LIMIT + ": move rare fields behind a flag (clearFlagged)");
    }
}
