package jpmacct.sfacctd.decode;

import jpmacct.core.record.Addr;
import jpmacct.sfacctd.agent.CounterLog;
import jpmacct.sfacctd.agent.InterfaceCounters;

/**
 * The generic interface counters block (88 bytes, the same in v5 counter record 0:1 and the v2/v4 counter
 * sample): into the agent's interface counters, and a line of sfacctd_counter_file when there is one. One per
 * decoder: it keeps the block's values for the file.
 */
final class GenericCounters {
    static final int LENGTH = 88;

    private final CounterLog log;
    private final long[] values = new long[CounterLog.FIELDS.length];

    GenericCounters(CounterLog log) {
        this.log = log;
    }

    void read(Datagram d, int p, long counterSequence, long sourceIndex) {
        if (log != null) {
            for (int i = 0, q = p; i < values.length; i++) {
                boolean wide = i == 2 || i == 5 || i == 12; // ifSpeed, ifInOctets, ifOutOctets
                values[i] = wide ? d.b.getLong(q) : d.u32(q);
                q += wide ? 8 : 4;
            }
            log.generic(d.agent, Addr.toString(d.agent.family, d.agent.hi, d.agent.lo), d.arrivalMicros, sourceIndex,
                    d.header.sequence, counterSequence, values);
        }
        InterfaceCounters c = d.agent.iface(d.u32(p));
        if (c == null) {
            return;
        }
        c.samples++;
        c.type = d.u32(p + 4);
        c.speed = d.b.getLong(p + 8);
        c.status = d.u32(p + 20);
        c.inOctets = d.b.getLong(p + 24);
        c.inPackets = d.u32(p + 32) + d.u32(p + 36) + d.u32(p + 40);
        c.inDiscards = d.u32(p + 44);
        c.inErrors = d.u32(p + 48);
        c.outOctets = d.b.getLong(p + 56);
        c.outPackets = d.u32(p + 64) + d.u32(p + 68) + d.u32(p + 72);
        c.outDiscards = d.u32(p + 76);
        c.outErrors = d.u32(p + 80);
    }
}
