package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jpmacct.core.record.MethodSizes;

/**
 * The steps of a data record's decoding that run for most templates stay small enough for C2 to inline them into
 * {@code FlowFields.decode}: grown past its limit, each becomes a call on every record (as extras did once).
 */
class FlowFieldsSizeTest {
    @Test
    void commonStepsStaySmallEnoughForTheJitToInline() throws Exception {
        for (String step : new String[] {"addresses", "extras", "times", "labels", "vlan"}) {
            int size = MethodSizes.codeLength(FlowFields.class, step);
            assertTrue(size <= MethodSizes.HOT_INLINE_LIMIT, "FlowFields." + step + " is " + size
                    + " bytes of bytecode, more than " + MethodSizes.HOT_INLINE_LIMIT + ": move a rare part out");
        }
    }
}
