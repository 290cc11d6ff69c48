package jpmacct.filter;

/** Where a daemon's records come from; a few pre_tag_map keys mean different things per source. */
public enum RecordSource {
    /** pmacctd: captured packets. */
    PACKETS,
    /** nfacctd: NetFlow and IPFIX records. */
    NETFLOW,
    /** sfacctd: sFlow samples. */
    SFLOW
}
