package jpmacct.nfacctd.template;

import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.primitive.CustomPrimitives;

/** Chooses what the decoder does with a template field; compiled into the template once. */
@FunctionalInterface
public interface FieldMapping {
    /**
     * @param enterprise 0 for IANA (and every NetFlow v9) element
     * @param type       information element id, enterprise bit cleared
     * @param length     field length, or {@link Template#VARIABLE}
     * @return a {@link Fields} action
     */
    int action(long enterprise, int type, int length);

    /** The custom primitive (its record slot) this field also feeds, or -1. */
    default int customSlot(long enterprise, int type, int length) {
        return -1;
    }

    /** The standard actions plus the daemon's custom primitives (aggregate_primitives). */
    static FieldMapping withCustom(CustomPrimitives custom) {
        if (custom.isEmpty()) {
            return Fields.STANDARD;
        }
        return new FieldMapping() {
            @Override
            public int action(long enterprise, int type, int length) {
                return Fields.STANDARD.action(enterprise, type, length);
            }

            @Override
            public int customSlot(long enterprise, int type, int length) {
                for (CustomPrimitive c : custom.all()) {
                    // pmacct takes a value only when its length is the one the map declares
                    if (c.enterprise() == enterprise && c.type() == type && c.length() == length) {
                        return c.slot();
                    }
                }
                return -1;
            }
        };
    }
}
