package jpmacct.sfacctd.decode;

import java.util.function.Supplier;

import jpmacct.collector.SamplingMap;
import jpmacct.sfacctd.agent.Agent;
import jpmacct.sfacctd.agent.CounterLog;

/**
 * How sfacctd decodes, from its configuration; shared by the receiving threads.
 *
 * @param samplingMap      sampling_map, or null
 * @param extSamplingRate  sfacctd_ext_sampling_rate for samples that announce no rate, 0 when unset
 * @param useIpNextHop     peer_dst_ip may come from the extended router next hop when no BGP next hop is given
 * @param sequenceWarnings log every datagram sequence gap (sfacctd_disable_checks: false); gaps are counted regardless
 * @param counterLog       sfacctd_counter_file, or null
 */
public record SflowSettings(Supplier<SamplingMap> samplingMap, long extSamplingRate, boolean useIpNextHop,
                            boolean sequenceWarnings, CounterLog counterLog) {

    public static final SflowSettings DEFAULTS = new SflowSettings(null, 0, false, false);

    public SflowSettings(Supplier<SamplingMap> samplingMap, long extSamplingRate, boolean useIpNextHop,
                         boolean sequenceWarnings) {
        this(samplingMap, extSamplingRate, useIpNextHop, sequenceWarnings, null);
    }

    /** The rate a sample stands for: sampling_map first, then what the sample says, then the fallback. */
    long samplingRate(Agent agent, long in, long out, long announced) {
        if (samplingMap != null) {
            long mapped = samplingMap.get().rate(agent.family, agent.hi, agent.lo, in, out);
            if (mapped > 0) {
                return mapped;
            }
        }
        return announced > 0 ? announced : extSamplingRate;
    }
}
