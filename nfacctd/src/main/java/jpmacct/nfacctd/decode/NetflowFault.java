package jpmacct.nfacctd.decode;

import jpmacct.core.decode.FaultReason;
import jpmacct.core.decode.Verdict;

/**
 * Why a NetFlow or IPFIX datagram (or a held data set) was not wholly accounted, and the notices decoding gives
 * along the way (sequence gaps, templates redefined, data sets without a template). The wording is what log lines
 * say; numbers are filled in only when a line is written.
 */
public enum NetflowFault implements FaultReason {
    SHORTER_THAN_ANY_HEADER(Verdict.TRUNCATED, "shorter than any NetFlow header"),
    UNKNOWN_VERSION(Verdict.MALFORMED, "version %d is not NetFlow v1, v5, v7, v8, v9 or IPFIX"),
    /** The backstop: a read past the end of the array (every read is checked against the lengths before). */
    PAST_THE_DATAGRAM(Verdict.MALFORMED, "a field reaches past the datagram"),

    FIXED_HEADER_CUT_SHORT(Verdict.TRUNCATED, "NetFlow v%d header cut short (%d bytes)"),
    FIXED_COUNT_MISFIT(Verdict.MALFORMED, "NetFlow v%d count %d does not fit the datagram of %d bytes"),
    V8_UNKNOWN_SCHEME(Verdict.MALFORMED, "NetFlow v8 aggregation scheme %d is not one of 1-14"),

    V9_HEADER_CUT_SHORT(Verdict.TRUNCATED, "NetFlow v9 header cut short (%d bytes)"),
    IPFIX_HEADER_CUT_SHORT(Verdict.TRUNCATED, "IPFIX header cut short (%d bytes)"),
    IPFIX_LENGTH_MISFIT(Verdict.MALFORMED, "IPFIX message length %d does not fit the datagram of %d bytes"),
    SET_PAST_MESSAGE(Verdict.MALFORMED, "set %d length %d runs past the message (%d bytes left)"),

    TEMPLATE_WITHOUT_FIELDS(Verdict.MALFORMED, "template %d has no fields"),
    TEMPLATE_ID_RESERVED(Verdict.MALFORMED, "template id %d is reserved"),
    TEMPLATE_CUT_SHORT(Verdict.MALFORMED, "template %d cut short at field %d of %d"),
    ENTERPRISE_CUT_SHORT(Verdict.MALFORMED, "template %d cut short in the enterprise number of field %d"),
    FIELD_LENGTH(Verdict.MALFORMED, "template %d field %d has length %d"),
    OPTIONS_TEMPLATE_CUT_SHORT(Verdict.MALFORMED, "options template %d cut short"),
    OPTIONS_TEMPLATE_ID_RESERVED(Verdict.MALFORMED, "options template id %d is reserved"),
    OPTIONS_SCOPE_MISFIT(Verdict.MALFORMED, "options template %d has %d scope fields of %d"),
    OPTIONS_LENGTHS_MISFIT(Verdict.MALFORMED, "options template %d field lengths %d+%d do not fit its set"),
    TOO_MANY_TEMPLATES(Verdict.REFUSED, "more than %d templates in domain %d; template %d refused"),
    RECORD_PAST_SET(Verdict.MALFORMED, "record of template %d runs past its set"),
    OPTIONS_RECORD_PAST_SET(Verdict.MALFORMED, "options record of template %d runs past its set"),

    // notices: the datagram is fine
    FLOWS_LOST(Verdict.OK, "expected flow %d, received %d (%d lost)"),
    EXPORT_PACKETS_LOST(Verdict.OK, "expected export packet %d, received %d (%d lost)"),
    RECORDS_LOST(Verdict.OK, "expected record %d, received %d (%d lost)"),
    TEMPLATE_REDEFINED(Verdict.OK,
            "template %d redefined (%d -> %d fields); data is read with the new layout from now on"),
    NO_TEMPLATE(Verdict.OK, "data set for template %d dropped: no template (held data is bounded by "
            + "nfacctd_templates_wait_buffer and nfacctd_templates_wait_time)"),
    OPTIONS_TABLE_FULL(Verdict.OK, "options data: new VRF or interface ids are not learnt, the exporter's tables "
            + "hold %d entries");

    private final Description description;

    NetflowFault(Verdict verdict, String pattern) {
        this.description = new Description(verdict, pattern);
    }

    @Override
    public Description description() {
        return description;
    }
}
