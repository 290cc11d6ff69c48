package jpmacct.sfacctd.decode;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.collector.DatagramHandler;
import jpmacct.core.decode.Fault;
import jpmacct.core.decode.FaultLog;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.Addr;
import jpmacct.core.record.RecordSink;
import jpmacct.sfacctd.agent.Agent;
import jpmacct.sfacctd.agent.AgentTable;

/**
 * One receiving thread's sFlow datagrams (v2, v4, v5): reads the header, finds the agent by the address inside
 * the datagram, and under the agent's lock counts the datagram and its sequence and hands it to the decoder of
 * its version ({@link SflowV5}, {@link SflowV4}), whose records go into the thread's batch.
 *
 * <p>A fault is counted against the agent (a datagram whose header is unusable: against its sender) and logged
 * through the thread's own {@link FaultLog}: at most once a minute per agent and reason. Nothing throws.
 */
public final class SflowDecoder implements DatagramHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SflowDecoder.class);
    private static final long LOG_INTERVAL_MILLIS = 60_000;
    private static final String REFUSED_AS = "sFlow agents past the first " + AgentTable.MAX_AGENTS;

    private final AgentTable.Lookup agents;
    private final SflowSettings settings;
    private final RecordSink out;
    private final SflowHeader header = new SflowHeader();
    private final SflowV5 v5;
    private final SflowV4 v4;
    private final Fault fault = new Fault();
    private final FaultLog faults = new FaultLog(LOG, LOG_INTERVAL_MILLIS);

    /** @param out where records go: the thread's batch writer, or any sink in tests */
    public SflowDecoder(AgentTable agents, SflowSettings settings, RecordSink out) {
        this.agents = agents.lookup();
        this.settings = settings;
        this.out = out;
        this.v5 = new SflowV5(settings);
        this.v4 = new SflowV4(settings);
    }

    @Override
    public void onDatagram(byte[] datagram, int length, InetAddress sender, long arrivalMicros)
            throws InterruptedException {
        fault.clear();
        if (header.read(datagram, 0, length, fault) < 0) {
            Agent a = bySender(sender);
            countRefused(a);
            faults.info(a, a.logNameAsSender, "malformed datagram", length, fault, System.nanoTime());
            return;
        }
        Address address = header.agent;
        Agent a = agents.get(address.family, address.hi, address.lo, header.subAgentId);
        if (a.family == Addr.NONE) { // the table is full: every new agent shares the overflow entry
            fault.set(SflowFault.TOO_MANY_AGENTS, AgentTable.MAX_AGENTS);
            countRefused(a);
            faults.warn(a, REFUSED_AS, "datagram refused", length, fault, System.nanoTime());
            return;
        }
        Verdict verdict;
        synchronized (a) {
            a.counters.common.datagrams.inc();
            if (a.sequence(header.sequence) > 0 && settings.sequenceWarnings()) {
                fault.set(SflowFault.SEQUENCE_GAP, header.sequence);
                faults.info(a, a.logName, "sequence gap", -1, fault, System.nanoTime());
            }
            verdict = (header.version == 5 ? v5 : v4).decode(header, a, arrivalMicros, out, fault);
            if (verdict != Verdict.OK) {
                a.counters.common.malformed.inc();
            }
        }
        if (verdict != Verdict.OK) {
            faults.info(a, a.logName, "malformed datagram", length, fault, System.nanoTime());
        }
    }

    /** A datagram none of which is read: counted as received and malformed. */
    private static void countRefused(Agent a) {
        synchronized (a) {
            a.counters.common.datagrams.inc();
            a.counters.common.malformed.inc();
        }
    }

    private Agent bySender(InetAddress sender) {
        byte[] a = sender.getAddress();
        if (sender instanceof Inet4Address) {
            return agents.get(Addr.V4, 0, ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8)
                    | (a[3] & 0xFFL), 0);
        }
        ByteBuffer w = ByteBuffer.wrap(a);
        return agents.get(Addr.V6, w.getLong(0), w.getLong(8), 0);
    }
}
