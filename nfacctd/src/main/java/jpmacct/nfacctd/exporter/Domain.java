package jpmacct.nfacctd.exporter;

import java.util.ArrayDeque;

import jpmacct.nfacctd.template.IntMap;
import jpmacct.nfacctd.template.Template;

/**
 * What one exporter keeps per NetFlow v9 source id or IPFIX observation domain (or per v5 engine): templates,
 * sampler rates from options data, sequence state, and data sets waiting for their template. Used under the
 * exporter's lock.
 */
public final class Domain {
    public final int version;
    public final long id;
    public final IntMap<Template> templates = new IntMap<>();
    /** Sampler (or IPFIX selector) id to sampling rate, from options data. */
    public final IntMap<long[]> samplerRates = new IntMap<>();
    /** Rate from options data that named no sampler, 0 when none. */
    public long defaultRate;
    /** IPFIX systemInitTimeMilliseconds from options data: the base of sysUpTime-relative times; 0 when unknown. */
    public long systemInitMillis;
    /** The next sequence number expected, or -1 before the first (or after a message whose count is unknown). */
    public long nextSequence = -1;
    /** Data sets that arrived before their template, oldest first. */
    public final ArrayDeque<HeldSet> held = new ArrayDeque<>();

    public Domain(int version, long id) {
        this.version = version;
        this.id = id;
    }
}
