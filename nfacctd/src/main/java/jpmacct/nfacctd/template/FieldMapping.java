package jpmacct.nfacctd.template;

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

    /** The daemon's custom primitives (aggregate_primitives), whose fields a template looks up once. */
    default CustomPrimitives custom() {
        return CustomPrimitives.NONE;
    }

    /** The standard actions plus the daemon's custom primitives. */
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
            public CustomPrimitives custom() {
                return custom;
            }
        };
    }
}
