package jpmacct.nfacctd.decode;

import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.OptionTables;
import jpmacct.nfacctd.template.Fields;
import jpmacct.nfacctd.template.TemplateCache;

/**
 * Reads options data records for what accounting needs: sampler (or IPFIX selector) id and its rate, in any of
 * the ways exporters state it (v9 random interval, sampling interval, RFC 5477 interval/space or size/population),
 * IPFIX systemInitTimeMilliseconds, the base of sysUpTime-relative flow times, and as pmacct 1.8 does the VRF
 * and interface tables: ingressVRFID (4 bytes) with mplsVpnRouteDistinguisher (8 bytes) gives the RD of that VRF
 * (and of egressVRFID's, when set), with VRFname its name; ingressInterface (4 bytes) with interfaceName an
 * interface's name. Each element counts at its first occurrence in the record, as pmacct reads it.
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
    // VRF and interface tables: a value's place in the record, -1 when absent
    private byte[] record;
    private int ingressVrf;
    private int egressVrf;
    private int rd;
    private int vrfName;
    private int vrfNameLength;
    private int ifIndex;
    private int ifaceName;
    private int ifaceNameLength;

    void begin(byte[] b) {
        samplerId = -1;
        randomInterval = 0;
        interval = 0;
        packetInterval = 0;
        packetSpace = -1;
        size = 0;
        population = 0;
        systemInit = 0;
        record = b;
        ingressVrf = -1;
        egressVrf = -1;
        rd = -1;
        vrfName = -1;
        ifIndex = -1;
        ifaceName = -1;
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
            case Fields.INGRESS_VRF: ingressVrf = first(ingressVrf, pos, len == 4); break;
            case Fields.EGRESS_VRF: egressVrf = first(egressVrf, pos, len == 4); break;
            case Fields.MPLS_VPN_RD: rd = first(rd, pos, len == 8); break;
            case Fields.IN_IFACE: ifIndex = first(ifIndex, pos, len == 4); break;
            case Fields.VRF_NAME:
                if (vrfName < 0 && len > 0) {
                    vrfName = pos;
                    vrfNameLength = len;
                }
                break;
            case Fields.IFACE_NAME:
                if (ifaceName < 0 && len > 0) {
                    ifaceName = pos;
                    ifaceNameLength = len;
                }
                break;
            default: break;
        }
    }

    /** The place of an element's first occurrence of the length pmacct wants; a later one does not count. */
    private static int first(int known, int pos, boolean usable) {
        return known >= 0 || !usable ? known : pos;
    }

    /**
     * What the record said goes to the domain's learnt state, or to the exporter's for options scoped to the
     * whole system. Returns false when a VRF or interface id was not learnt because the tables are full.
     */
    boolean finish(Domain domain, boolean systemScope) {
        TemplateCache learnt = domain.templates();
        if (systemInit > 0) {
            learnt.systemInitMillis(systemInit);
        }
        long rate = rate();
        if (rate > 0) {
            if (samplerId >= 0) {
                learnt.samplerRate(samplerId, rate);
            } else {
                learnt.defaultRate(rate);
            }
        }
        OptionTables tables = systemScope ? domain.exporter().options() : domain.options();
        boolean kept = true;
        if (ingressVrf >= 0 && rd >= 0) {
            long in = Bytes.u32(record, ingressVrf);
            long out = egressVrf >= 0 ? Bytes.u32(record, egressVrf) : 0;
            long value = Bytes.i64(record, rd);
            if (in != 0) {
                kept &= tables.ingressRd(in, value);
            }
            if (out != 0) {
                kept &= tables.egressRd(out, value);
            }
        }
        if (ingressVrf >= 0 && vrfName >= 0) {
            kept &= tables.vrfName(Bytes.u32(record, ingressVrf), record, vrfName, vrfNameLength);
        }
        if (ifIndex >= 0 && ifaceName >= 0) {
            kept &= tables.ifaceName(Bytes.u32(record, ifIndex), record, ifaceName, ifaceNameLength);
        }
        return kept;
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
