package jpmacct.nfacctd;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

import static jpmacct.core.config.DaemonKind.NFACCTD;
import static jpmacct.core.config.KeyDef.key;

/** nfacctd's own keys (the collectors' shared ones are in CollectorKeys). */
public final class NfacctdKeys {
    private NfacctdKeys() {
    }

    public static final KeyDef<Boolean> TIME_SECS = key("nfacctd_time_secs", ValueTypes.BOOLEAN).global()
            .daemons(NFACCTD).defaultValue(false)
            .doc("The exporter sends NetFlow v5/v9 first/last switched times in seconds instead of milliseconds.").build();
    public static final KeyDef<String> TEMPLATES_FILE = key("nfacctd_templates_file", ValueTypes.PATH).global()
            .daemons(NFACCTD)
            .doc("File (JSON) the NetFlow v9/IPFIX templates are kept in: read at start-up, so data arriving "
                    + "after a restart decodes at once, and rewritten (atomically) when templates change.")
            .differs("Written whenever a template changes and at exit, never partially (a temporary file renamed "
                    + "into place); a damaged file is reported and ignored.").build();
    public static final KeyDef<Long> TEMPLATES_WAIT_BUFFER = key("nfacctd_templates_wait_buffer", ValueTypes.BYTES)
            .global().daemons(NFACCTD).defaultValue(4L * 1024 * 1024).defaultText("4194304")
            .doc("Per exporter, bytes of NetFlow v9/IPFIX data sets kept while their template has not arrived; "
                    + "they are decoded when it does. 0 keeps none. Past the bound the oldest are dropped, counted "
                    + "and logged.")
            .differs("Not in pmacct, which drops data that arrives before its template.").build();
    public static final KeyDef<Long> TEMPLATES_WAIT_TIME = key("nfacctd_templates_wait_time", ValueTypes.SECONDS)
            .global().daemons(NFACCTD).defaultValue(1800L)
            .doc("How long a data set waits for its template before it is dropped (counted and logged).")
            .differs("Not in pmacct.").build();

    public static final KeyDef<Boolean> PRE_PROCESSING_CHECKS = key("nfacctd_pre_processing_checks", ValueTypes.BOOLEAN)
            .global().daemons(NFACCTD).defaultValue(false)
            .doc("Discard a NetFlow v9/IPFIX data set whose padding (the bytes after its last whole record) is not "
                    + "all zero, as a sign of a wrong template or a buggy exporter; counted per exporter "
                    + "(exporter_sets_bad_padding). From pmacct 1.7.9.").build();
    public static final KeyDef<Boolean> PRO_RATING = key("nfacctd_pro_rating", ValueTypes.FALSE_ONLY)
            .daemons(NFACCTD).defaultValue(false)
            .doc("pmacct spreads a flow's counters over the time bins it spans when true. Only false, the default, "
                    + "is accepted: true is refused as not supported yet.").build();

    public static List<KeyDef<?>> all() {
        return List.of(TIME_SECS, TEMPLATES_FILE, TEMPLATES_WAIT_BUFFER, TEMPLATES_WAIT_TIME, PRE_PROCESSING_CHECKS,
                PRO_RATING);
    }
}
