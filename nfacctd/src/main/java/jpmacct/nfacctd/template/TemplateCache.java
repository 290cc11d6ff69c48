package jpmacct.nfacctd.template;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * What one domain (a NetFlow v9 source id, an IPFIX observation domain) has learnt from its exporter: templates by
 * id, sampler rates and systemInitTime from options data, and the data sets still waiting for their template,
 * oldest first. Used under the exporter's lock; the bound on held bytes is the exporter's (it spans domains).
 */
public final class TemplateCache {
    private final IntMap<Template> templates = new IntMap<>();
    /** Sampler (or IPFIX selector) id to sampling rate; a one-element array so an update boxes nothing. */
    private final IntMap<long[]> samplerRates = new IntMap<>();
    private long defaultRate;
    private long systemInitMillis;
    private final ArrayDeque<HeldSet> held = new ArrayDeque<>();

    /** The template of this id, or null. */
    public Template get(int id) {
        return templates.get(id);
    }

    public int size() {
        return templates.size();
    }

    /** Learns (or replaces) a template; returns the one it replaced, or null. */
    public Template put(Template t) {
        return templates.put(t.id(), t);
    }

    /** Forgets a template (an IPFIX withdrawal). */
    public void remove(int id) {
        templates.remove(id);
    }

    /** Forgets every options template, or every other one (IPFIX's withdraw-all ids 3 and 2). */
    public void removeAll(boolean options) {
        int[] ids = new int[templates.size()];
        int[] n = {0};
        templates.forEachValue(t -> {
            if (t.options() == options) {
                ids[n[0]++] = t.id();
            }
        });
        for (int i = 0; i < n[0]; i++) {
            templates.remove(ids[i]);
        }
    }

    public void forEach(Consumer<Template> action) {
        templates.forEachValue(action);
    }

    /** The rate options data gave this sampler, 0 when none. */
    public long samplerRate(int samplerId) {
        long[] rate = samplerRates.get(samplerId);
        return rate == null ? 0 : rate[0];
    }

    public void samplerRate(int samplerId, long rate) {
        long[] known = samplerRates.get(samplerId);
        if (known == null) {
            samplerRates.put(samplerId, new long[] {rate});
        } else {
            known[0] = rate;
        }
    }

    /** The rate of options data that named no sampler, 0 when none. */
    public long defaultRate() {
        return defaultRate;
    }

    public void defaultRate(long rate) {
        defaultRate = rate;
    }

    /** IPFIX systemInitTimeMilliseconds from options data, the base of sysUpTime-relative times; 0 when unknown. */
    public long systemInitMillis() {
        return systemInitMillis;
    }

    public void systemInitMillis(long millis) {
        systemInitMillis = millis;
    }

    public boolean hasHeld() {
        return !held.isEmpty();
    }

    /** Appends a held set (the newest). */
    public void hold(HeldSet s) {
        held.addLast(s);
    }

    /** The oldest held set, or null. */
    public HeldSet oldestHeld() {
        return held.peekFirst();
    }

    /** Removes and returns the oldest held set, or null. */
    public HeldSet pollOldestHeld() {
        return held.pollFirst();
    }

    /** Moves the sets held for this template, oldest first, to {@code into}; returns their cost. */
    public long takeHeld(int templateId, ArrayDeque<HeldSet> into) {
        long cost = 0;
        for (Iterator<HeldSet> it = held.iterator(); it.hasNext(); ) {
            HeldSet s = it.next();
            if (s.templateId() == templateId) {
                it.remove();
                into.addLast(s);
                cost += s.cost();
            }
        }
        return cost;
    }
}
