package jpmacct.nfacctd.exporter;

/** Told of each data set given up on for want of its template (already counted); called under the exporter's lock. */
@FunctionalInterface
public interface HeldSetDrops {
    void dropped(Exporter from, int templateId);
}
