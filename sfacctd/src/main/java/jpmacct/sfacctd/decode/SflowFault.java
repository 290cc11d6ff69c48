package jpmacct.sfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.FaultReason;
import jpmacct.core.decode.Verdict;

/** Why an sFlow datagram (or part of it) was not accounted; the texts are the ones sfacctd has always logged. */
public enum SflowFault implements FaultReason {
    // the datagram header (counted against the sender: no agent address to trust)
    SHORTER_THAN_HEADER(Verdict.TRUNCATED, "shorter than any sFlow header"),
    VERSION(Verdict.MALFORMED, "version %d is not sFlow v2, v4 or v5"),
    HEADER_CUT(Verdict.TRUNCATED, "header cut short (%d bytes)"),
    AGENT_TYPE_UNKNOWN(Verdict.MALFORMED, "the agent address has type 0 (unknown)"),
    HEADER_PAST_DATAGRAM(Verdict.TRUNCATED, "the header reaches past the datagram"),
    TOO_MANY_AGENTS(Verdict.REFUSED, "a new agent is one too many (at most %d agents are kept)"),
    // an address, in the header or in a record
    ADDRESS_CUT(Verdict.TRUNCATED, "an address cut short"),
    IPV4_ADDRESS_CUT(Verdict.TRUNCATED, "an IPv4 address cut short"),
    IPV6_ADDRESS_CUT(Verdict.TRUNCATED, "an IPv6 address cut short"),
    ADDRESS_TYPE(Verdict.MALFORMED, "address type %d is neither IPv4 (1) nor IPv6 (2)"),
    // the samples of a datagram
    SAMPLES_MISSING(Verdict.TRUNCATED, "it declares %d samples but carries %d"),
    FIELD_PAST_DATAGRAM(Verdict.TRUNCATED, "a field reaches past the datagram"),
    // v5 framing: samples and records by length
    SAMPLE_HEADER_CUT(Verdict.TRUNCATED, "sample %d of %d: its header is cut short"),
    SAMPLE_PAST_DATAGRAM(Verdict.MALFORMED, "sample length %d reaches past the datagram (%d bytes left)"),
    FLOW_SAMPLE_SHORT(Verdict.TRUNCATED, "shorter (%d bytes) than a flow sample"),
    RECORD_CUT(Verdict.TRUNCATED, "record %d of %d is cut short"),
    RECORD_PAST_SAMPLE(Verdict.MALFORMED, "record length %d reaches past the sample (%d bytes left)"),
    COUNTER_SAMPLE_SHORT(Verdict.TRUNCATED, "shorter (%d bytes) than a counter sample"),
    COUNTER_RECORD_CUT(Verdict.TRUNCATED, "counter record %d of %d is cut short"),
    COUNTER_RECORD_PAST_SAMPLE(Verdict.MALFORMED, "counter record length %d reaches past the sample (%d bytes left)"),
    // v5 flow and counter records
    HEADER_RECORD_SHORT(Verdict.TRUNCATED, "a sampled header record of %d bytes"),
    HEADER_LONGER_THAN_RECORD(Verdict.MALFORMED, "header length %d is larger than its record (%d bytes)"),
    ETHERNET_RECORD_SHORT(Verdict.TRUNCATED, "a sampled Ethernet record of %d bytes"),
    IPV4_RECORD_SHORT(Verdict.TRUNCATED, "a sampled IPv4 record of %d bytes"),
    IPV6_RECORD_SHORT(Verdict.TRUNCATED, "a sampled IPv6 record of %d bytes"),
    SWITCH_RECORD_SHORT(Verdict.TRUNCATED, "an extended switch record of %d bytes"),
    GENERIC_COUNTERS_SHORT(Verdict.TRUNCATED, "a generic interface counters record of %d bytes"),
    // extended router and gateway data (v5 records, v2/v4 extended data)
    ROUTER_CUT(Verdict.TRUNCATED, "an extended router record cut short"),
    GATEWAY_CUT(Verdict.TRUNCATED, "an extended gateway record cut short"),
    AS_SEGMENT_CUT(Verdict.TRUNCATED, "AS path segment %d of %d is cut short"),
    AS_SEGMENT_PAST_RECORD(Verdict.MALFORMED, "AS path segment of %d ASNs reaches past the record"),
    COMMUNITIES_CUT(Verdict.TRUNCATED, "the communities of an extended gateway record are cut short"),
    COMMUNITIES_PAST_RECORD(Verdict.MALFORMED, "%d communities reach past the record"),
    AS_PATH_PAST_DATAGRAM(Verdict.MALFORMED, "an AS path of %d ASNs reaches past the datagram"),
    // extended MPLS data (v5 records 1006 and 1009)
    MPLS_STACK_CUT(Verdict.TRUNCATED, "the label stack of an extended MPLS record is cut short"),
    MPLS_STACK_PAST_RECORD(Verdict.MALFORMED, "a label stack of %d labels reaches past the record"),
    MPLS_VC_CUT(Verdict.TRUNCATED, "an extended MPLS VC record cut short"),
    // v2/v4: no lengths, so the first fault ends the datagram
    V4_SAMPLE_CUT(Verdict.TRUNCATED, "sample %d of %d is cut short"),
    V4_SAMPLE_TYPE(Verdict.MALFORMED, "sample type %d is unknown and v%d gives no length to skip it"),
    V4_FLOW_SAMPLE_CUT(Verdict.TRUNCATED, "a flow sample cut short"),
    V4_HEADER_CUT(Verdict.TRUNCATED, "a sampled header cut short"),
    V4_HEADER_PAST_DATAGRAM(Verdict.MALFORMED, "header length %d reaches past the datagram"),
    V4_IPV4_CUT(Verdict.TRUNCATED, "a sampled IPv4 record cut short"),
    V4_IPV6_CUT(Verdict.TRUNCATED, "a sampled IPv6 record cut short"),
    V4_DATA_TYPE(Verdict.MALFORMED, "packet data type %d is unknown"),
    V4_EXTENDED_COUNT_CUT(Verdict.TRUNCATED, "the extended data count is cut short"),
    V4_EXTENDED_CUT(Verdict.TRUNCATED, "extended data %d of %d is cut short"),
    V4_EXTENDED_TYPE(Verdict.MALFORMED, "extended data type %d is unknown and v%d gives no length to skip it"),
    V4_SWITCH_CUT(Verdict.TRUNCATED, "an extended switch record cut short"),
    V4_URL_CUT(Verdict.TRUNCATED, "an extended URL record cut short"),
    V4_STRING_PAST_DATAGRAM(Verdict.MALFORMED, "a string reaches past the datagram"),
    V4_COUNTER_SAMPLE_CUT(Verdict.TRUNCATED, "a counter sample cut short"),
    V4_COUNTERS_VERSION(Verdict.MALFORMED, "counters version %d is unknown and v%d gives no length to skip it"),
    // not faults of the datagram: a version decoder handed another version's datagram, a sequence gap
    NOT_V5(Verdict.MALFORMED, "version %d is not sFlow v5"),
    NOT_V2_OR_V4(Verdict.MALFORMED, "version %d is not sFlow v2 or v4"),
    SEQUENCE_GAP(Verdict.OK, "datagrams missing before sequence %d");

    private final Description description;

    SflowFault(Verdict verdict, String pattern) {
        this.description = new Description(verdict, pattern);
    }

    @Override
    public Description description() {
        return description;
    }

    /**
     * Notes this fault unless the datagram already has one (its first fault is the one logged) and returns -1,
     * what a reader returns instead of the offset after what it read: {@code return RECORD_CUT.note(fault, j, n);}.
     */
    int note(Fault fault) {
        return note(fault, 0, 0);
    }

    int note(Fault fault, long a) {
        return note(fault, a, 0);
    }

    int note(Fault fault, long a, long b) {
        if (!fault.present()) {
            fault.set(this, a, b);
        }
        return -1;
    }
}
