package jpmacct.sfacctd.agent;

/**
 * The latest generic interface counters (sFlow v5 counters record 0:1, the same block in v2/v4) an agent sent for
 * one ifIndex. Values are the agent's own running totals, kept as they came.
 */
public final class InterfaceCounters {
    public final long ifIndex;
    public long type;
    public long speed;
    public long status;
    public long inOctets;
    public long inPackets;
    public long inDiscards;
    public long inErrors;
    public long outOctets;
    public long outPackets;
    public long outDiscards;
    public long outErrors;
    /** Counter samples received for this interface. */
    public long samples;

    public InterfaceCounters(long ifIndex) {
        this.ifIndex = ifIndex;
    }

    /** As the stats line shows it. */
    public String describe() {
        return "ifIndex " + ifIndex + " (" + ((status & 2) != 0 ? "up" : "down") + (speed > 0 ? ", " + speed + " bps" : "")
                + "): in " + inPackets + " pkts / " + inOctets + " bytes (" + inDiscards + " discards, " + inErrors
                + " errors), out " + outPackets + " pkts / " + outOctets + " bytes (" + outDiscards + " discards, "
                + outErrors + " errors)";
    }
}
