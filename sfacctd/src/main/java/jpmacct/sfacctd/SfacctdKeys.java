package jpmacct.sfacctd;

import static jpmacct.core.config.DaemonKind.SFACCTD;
import static jpmacct.core.config.KeyDef.key;

import java.util.List;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueTypes;

/** sfacctd's own keys (the collectors' shared ones are in CollectorKeys). */
public final class SfacctdKeys {
    private SfacctdKeys() {
    }

    public static final KeyDef<String> COUNTER_FILE = key("sfacctd_counter_file", ValueTypes.PATH).global()
            .daemons(SFACCTD)
            .doc("File the generic interface counters of counter samples are appended to, one JSON object a line "
                    + "(pmacct's fields: seq, timestamp, peer_ip_src, event_type, source_id_index, sflow_seq, "
                    + "sflow_cnt_seq, sf_cnt_type, ifIndex ... ifPromiscuousMode); $peer_src_ip in the path gives "
                    + "each agent its own file. A file that cannot be written is reported and reopened at the next line.")
            .differs("Generic interface counters (0:1 and the v2/v4 block) only; Ethernet and VLAN counter records "
                    + "are not written. The timestamp is the datagram's arrival (a savefile: its frame's time), pmacct's "
                    + "the wall clock.").build();
    public static final KeyDef<String> COUNTER_OUTPUT = key("sfacctd_counter_output", ValueTypes.oneOf("json"))
            .global().daemons(SFACCTD).defaultValue("json")
            .doc("Format of sfacctd_counter_file.").build();

    public static List<KeyDef<?>> all() {
        return List.of(COUNTER_FILE, COUNTER_OUTPUT);
    }
}
