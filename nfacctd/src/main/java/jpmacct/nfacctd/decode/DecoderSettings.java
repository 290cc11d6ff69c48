package jpmacct.nfacctd.decode;

import java.util.function.Supplier;

import jpmacct.collector.CollectorKeys;
import jpmacct.collector.FlowToRdMap;
import jpmacct.collector.SamplingMap;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.NfacctdKeys;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.template.FieldMapping;

/**
 * How nfacctd decodes, from its configuration; shared by the receiving threads.
 *
 * @param timeSecs         v5 first/last in seconds (nfacctd_time_secs)
 * @param timeNew          time bins by arrival (nfacctd_time_new)
 * @param sequenceWarnings log every sequence gap (nfacctd_disable_checks: false); gaps are counted regardless
 * @param mapping          template fields to decoder actions (custom primitives included)
 * @param holdBytes        bytes of data sets held per exporter while their template is missing; 0 holds none
 * @param holdMillis       how long a held set waits for its template
 * @param maxTemplates     templates per domain; more are refused (a template flood must not eat the heap)
 * @param samplingMap      sampling_map, or null
 * @param extSamplingRate  nfacctd_ext_sampling_rate for exporters that announce none, 0 when unset
 * @param templatesChanged called (under an exporter's lock) when a template is learnt, redefined or withdrawn
 * @param useIpNextHop     peer_dst_ip may come from the IP next hop (15/62) when no BGP next hop is given
 * @param paddingChecks    data sets with non-zero padding are discarded (nfacctd_pre_processing_checks)
 * @param flowToRdMap      flow_to_rd_map, or null
 */
public record DecoderSettings(boolean timeSecs, boolean timeNew, boolean sequenceWarnings, FieldMapping mapping,
                              long holdBytes, long holdMillis, int maxTemplates, Supplier<SamplingMap> samplingMap,
                              long extSamplingRate, Runnable templatesChanged, boolean useIpNextHop,
                              boolean paddingChecks, Supplier<FlowToRdMap> flowToRdMap) {

    /** Without nfacctd_pre_processing_checks (its default) and without flow_to_rd_map. */
    public DecoderSettings(boolean timeSecs, boolean timeNew, boolean sequenceWarnings, FieldMapping mapping,
                           long holdBytes, long holdMillis, int maxTemplates, Supplier<SamplingMap> samplingMap,
                           long extSamplingRate, Runnable templatesChanged, boolean useIpNextHop) {
        this(timeSecs, timeNew, sequenceWarnings, mapping, holdBytes, holdMillis, maxTemplates, samplingMap,
                extSamplingRate, templatesChanged, useIpNextHop, false, null);
    }

    /** Templates per domain; more are refused (a template flood must not eat the heap). */
    private static final int MAX_TEMPLATES_PER_DOMAIN = 4096;

    /** nfacctd's decoding keys. */
    public static DecoderSettings from(DaemonConfig config, MapRegistry maps, FieldMapping mapping,
                                       Runnable templatesChanged) throws ConfigException {
        Long ext = config.get(CollectorKeys.EXT_SAMPLING_RATE);
        return new DecoderSettings(config.get(NfacctdKeys.TIME_SECS), config.get(CollectorKeys.TIME_NEW),
                !config.get(CollectorKeys.DISABLE_CHECKS), mapping, config.get(NfacctdKeys.TEMPLATES_WAIT_BUFFER),
                config.get(NfacctdKeys.TEMPLATES_WAIT_TIME) * 1000L, MAX_TEMPLATES_PER_DOMAIN,
                SamplingMap.configured(config, maps), ext == null ? 0 : ext, templatesChanged,
                config.get(CollectorKeys.USE_IP_NEXT_HOP), config.get(NfacctdKeys.PRE_PROCESSING_CHECKS),
                FlowToRdMap.configured(config, maps, true));
    }

    /** The rate a record carries: sampling_map first, then what the exporter announced, then the fallback. */
    long samplingRate(Exporter exporter, FlowRecord r, long announced) {
        if (samplingMap != null) {
            long mapped = samplingMap.get().rate(exporter.family(), exporter.hi(), exporter.lo(), r.inIface, r.outIface);
            if (mapped > 0) {
                return mapped;
            }
        }
        return announced > 0 ? announced : extSamplingRate;
    }
}
