package jpmacct.sfacctd.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.Addr;

/**
 * Every agent seen, shared by the receiving threads. Each thread looks agents up through its own {@link Lookup},
 * which finds a known agent without allocating (a reused probe key), so decoding a datagram costs no garbage.
 * The agent address is whatever a datagram says, so the table is bounded: past {@link #MAX_AGENTS}, new agents
 * all get the one {@link #overflow()} entry, whose datagrams are refused.
 */
public final class AgentTable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentTable.class);
    public static final int MAX_AGENTS = 16384;

    private final ConcurrentHashMap<Key, Agent> agents = new ConcurrentHashMap<>();
    private final Metrics metrics;
    private volatile Agent overflow;

    public AgentTable(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The entry standing for every agent past the limit (created on first use). */
    public synchronized Agent overflow() {
        if (overflow == null) {
            String name = "agents past the first " + MAX_AGENTS;
            LOG.warn("more than {} sFlow agents: the datagrams of new ones are refused and counted under '{}'",
                    MAX_AGENTS, name);
            overflow = new Agent(Addr.NONE, 0, 0, 0, name, new AgentCounters(metrics, name));
        }
        return overflow;
    }

    public Lookup lookup() {
        return new Lookup();
    }

    /** Every agent, the overflow entry last when there is one. */
    public List<Agent> all() {
        List<Agent> l = new ArrayList<>(agents.values());
        if (overflow != null) {
            l.add(overflow);
        }
        return l;
    }

    private Agent register(Key k) {
        if (agents.size() >= MAX_AGENTS && !agents.containsKey(k)) {
            return overflow();
        }
        return agents.computeIfAbsent(k, key -> {
            String address = Addr.toString(key.family, key.hi, key.lo);
            String name = key.subAgentId == 0 ? address : address + " sub-agent " + key.subAgentId;
            LOG.info("new sFlow agent {}", name);
            return new Agent(key.family, key.hi, key.lo, key.subAgentId, name, new AgentCounters(metrics, name));
        });
    }

    /** One thread's view of the table. */
    public final class Lookup {
        private final HashMap<Key, Agent> seen = new HashMap<>();
        private final Key probe = new Key();

        public Agent get(int family, long hi, long lo, long subAgentId) {
            probe.set(family, hi, lo, subAgentId);
            Agent a = seen.get(probe);
            if (a == null) {
                Key k = new Key();
                k.set(family, hi, lo, subAgentId);
                a = register(k);
                if (a != overflow) { // not remembered: this map stays as bounded as the table
                    seen.put(k, a);
                }
            }
            return a;
        }
    }

    private static final class Key {
        int family;
        long hi;
        long lo;
        long subAgentId;

        void set(int f, long h, long l, long sub) {
            family = f;
            hi = h;
            lo = l;
            subAgentId = sub;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.family == family && k.hi == hi && k.lo == lo && k.subAgentId == subAgentId;
        }

        @Override
        public int hashCode() {
            long h = hi * 31 + lo;
            h = h * 31 + subAgentId;
            return (int) (h ^ (h >>> 32)) * 31 + family;
        }
    }
}
