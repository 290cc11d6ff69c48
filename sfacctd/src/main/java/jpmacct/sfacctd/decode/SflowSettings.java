package jpmacct.sfacctd.decode;

import java.util.function.Supplier;

import jpmacct.collector.CollectorKeys;
import jpmacct.collector.FlowToRdMap;
import jpmacct.collector.SamplingMap;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.output.Timestamps;
import jpmacct.sfacctd.SfacctdKeys;
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
 * @param flowToRdMap      flow_to_rd_map (the sample's route distinguisher), or null
 */
public record SflowSettings(Supplier<SamplingMap> samplingMap, long extSamplingRate, boolean useIpNextHop,
                            boolean sequenceWarnings, CounterLog counterLog, Supplier<FlowToRdMap> flowToRdMap) {

    public static final SflowSettings DEFAULTS = new SflowSettings(null, 0, false, false);

    public SflowSettings(Supplier<SamplingMap> samplingMap, long extSamplingRate, boolean useIpNextHop,
                         boolean sequenceWarnings) {
        this(samplingMap, extSamplingRate, useIpNextHop, sequenceWarnings, null, null);
    }

    /** sfacctd's decoding keys. */
    public static SflowSettings from(DaemonConfig config, MapRegistry maps) throws ConfigException {
        Long ext = config.get(CollectorKeys.EXT_SAMPLING_RATE);
        String counterFile = config.get(SfacctdKeys.COUNTER_FILE);
        CounterLog counters = counterFile == null ? null : new CounterLog(counterFile, Timestamps.configured(
                config.get(CoreKeys.TIMESTAMPS_SINCE_EPOCH), config.get(CoreKeys.TIMESTAMPS_RFC3339),
                config.get(CoreKeys.TIMESTAMPS_RFC9557), config.get(CoreKeys.TIMESTAMPS_UTC)));
        return new SflowSettings(SamplingMap.configured(config, maps), ext == null ? 0 : ext,
                config.get(CollectorKeys.USE_IP_NEXT_HOP), !config.get(CollectorKeys.DISABLE_CHECKS), counters,
                FlowToRdMap.configured(config, maps, false));
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
