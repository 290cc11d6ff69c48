package jpmacct.nfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.HeldSetDrops;

/**
 * What decoding notices besides a datagram's verdict, told as it happens (under the exporter's lock) to the
 * receiving thread, which logs it; counters are already updated. A decoder logs nothing itself.
 */
public interface Notices extends HeldSetDrops {
    /** Sequence numbers were skipped; {@code unit} is {@link NetflowFault#FLOWS_LOST} or one of its kind. */
    void sequenceGap(Domain d, NetflowFault unit, long expected, long received, long lost);

    /** A known template id came with another layout. */
    void templateRedefined(Domain d, int templateId, int oldFields, int newFields);

    /** Options data named a VRF or interface id not learnt: the exporter's tables are full (counted). */
    void optionsTableFull(Exporter from);

    /** A held data set, decoded when its template came, was malformed ({@code why}: only valid during the call). */
    void heldSetFailed(Exporter from, Fault why);
}
