package jpmacct.nfacctd.decode;

import jpmacct.nfacctd.template.Fields;
import jpmacct.nfacctd.template.TemplateCache;

/**
 * Reads options data records for what accounting needs: sampler (or IPFIX selector) id and its rate, in any of
 * the ways exporters state it (v9 random interval, sampling interval, RFC 5477 interval/space or size/population),
 * and IPFIX systemInitTimeMilliseconds, the base of sysUpTime-relative flow times.
 */
final class OptionFields {
    private int samplerId;
    private long randomInterval;
    private long interval;
    private long packetInterval;
    private long packetSpace;
    private long size;
    private long population;
    private long systemInit;

    void begin() {
        samplerId = -1;
        randomInterval = 0;
        interval = 0;
        packetInterval = 0;
        packetSpace = -1;
        size = 0;
        population = 0;
        systemInit = 0;
    }

    void apply(int action, byte[] b, int pos, int len) {
        switch (action) {
            case Fields.SAMPLER_ID:
            case Fields.SELECTOR_ID:
                samplerId = (int) Values.uint(b, pos, len);
                break;
            case Fields.SAMPLER_RANDOM_INTERVAL: randomInterval = Values.uint(b, pos, len); break;
            case Fields.SAMPLING_INTERVAL: interval = Values.uint(b, pos, len); break;
            case Fields.SAMPLING_PACKET_INTERVAL: packetInterval = Values.uint(b, pos, len); break;
            case Fields.SAMPLING_PACKET_SPACE: packetSpace = Values.uint(b, pos, len); break;
            case Fields.SAMPLING_SIZE: size = Values.uint(b, pos, len); break;
            case Fields.SAMPLING_POPULATION: population = Values.uint(b, pos, len); break;
            case Fields.SYSTEM_INIT_MILLIS: systemInit = Values.uint(b, pos, len); break;
            default: break;
        }
    }

    /** What the record said goes to the domain's learnt state. */
    void finish(TemplateCache learnt) {
        if (systemInit > 0) {
            learnt.systemInitMillis(systemInit);
        }
        long rate = rate();
        if (rate <= 0) {
            return;
        }
        if (samplerId >= 0) {
            learnt.samplerRate(samplerId, rate);
        } else {
            learnt.defaultRate(rate);
        }
    }

    /** One packet in N, or 0 when this record states no rate. */
    long rate() {
        if (randomInterval > 0) {
            return randomInterval;
        }
        if (interval > 0) {
            return interval;
        }
        if (packetSpace >= 0 && packetInterval > 0) {
            return (packetInterval + packetSpace) / packetInterval;
        }
        if (population > 0 && size > 0) {
            return population / size;
        }
        return 0;
    }
}
