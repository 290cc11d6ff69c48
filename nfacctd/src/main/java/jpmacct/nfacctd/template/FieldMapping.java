package jpmacct.nfacctd.template;

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
}
