package jpmacct.core.config;

import java.util.List;

import static jpmacct.core.config.DaemonKind.NFACCTD;
import static jpmacct.core.config.DaemonKind.PMACCTD;
import static jpmacct.core.config.DaemonKind.SFACCTD;
import static jpmacct.core.config.KeyDef.key;

/** Reading a pcap savefile instead of live input: pmacctd reads packets, nfacctd and sfacctd the export datagrams in it. */
public final class SavefileKeys {
    private SavefileKeys() {
    }

    public static final KeyDef<String> PCAP_SAVEFILE = key("pcap_savefile", ValueTypes.PATH).global()
            .daemons(PMACCTD, NFACCTD, SFACCTD)
            .doc("Read a pcap or pcapng savefile instead of an interface (pmacctd) or socket (nfacctd, sfacctd: the "
                    + "UDP datagrams in it, the IP source as exporter); exit at its end.").build();
    public static final KeyDef<Boolean> PCAP_SAVEFILE_WAIT = key("pcap_savefile_wait", ValueTypes.BOOLEAN).global()
            .daemons(PMACCTD, NFACCTD, SFACCTD).defaultValue(false)
            .doc("After the savefile, keep running (plugins keep their data) until SIGINT/SIGTERM.").build();
    public static final KeyDef<Long> PCAP_SAVEFILE_DELAY = key("pcap_savefile_delay", ValueTypes.SECONDS).global()
            .daemons(PMACCTD, NFACCTD, SFACCTD).defaultValue(0L)
            .doc("Seconds to sleep before reading the savefile and between replays.").build();
    public static final KeyDef<Long> PCAP_SAVEFILE_REPLAY = key("pcap_savefile_replay", ValueTypes.integer(0, Integer.MAX_VALUE))
            .global().daemons(PMACCTD, NFACCTD, SFACCTD).defaultValue(1L)
            .doc("Times to read the savefile; 0 replays until stopped.").build();

    public static List<KeyDef<?>> all() {
        return List.of(PCAP_SAVEFILE, PCAP_SAVEFILE_WAIT, PCAP_SAVEFILE_DELAY, PCAP_SAVEFILE_REPLAY);
    }
}
