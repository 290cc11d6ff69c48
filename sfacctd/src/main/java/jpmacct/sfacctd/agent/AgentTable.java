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
 */
public final class AgentTable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentTable.class);

    private final ConcurrentHashMap<Key, Agent> agents = new ConcurrentHashMap<>();
    private final Metrics metrics;

    public AgentTable(Metrics metrics) {
        this.metrics = metrics;
    }

    public Lookup lookup() {
        return new Lookup();
    }

    public List<Agent> all() {
        return new ArrayList<>(agents.values());
    }

    private Agent register(Key k) {
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
                seen.put(k, a);
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
