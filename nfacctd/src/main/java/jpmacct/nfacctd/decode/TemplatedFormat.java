package jpmacct.nfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;

/**
 * What NetFlow v9 and IPFIX share around their sets: a header naming the domain, sets walked by
 * {@link TemplateSets}, then the sequence number checked. Each protocol has its header, its template set ids and
 * template format, and what its sequence numbers count (subclasses).
 */
abstract class TemplatedFormat {
    final TemplateSets sets;
    private final Notices notices;
    private final int version;
    private final int templateSet;
    private final int optionsTemplateSet;
    private final boolean enterpriseBit;
    private final int longestField;
    private final NetflowFault lost;
    private final Message message = new Message();

    /**
     * @param templateSet        the set id of templates
     * @param optionsTemplateSet the set id of options templates
     * @param enterpriseBit      whether a field type with its top bit set is followed by an enterprise number
     * @param longestField       the longest field length a template may give (a variable-length marker included)
     * @param lost               the notice of a sequence gap, named by what the numbers count
     */
    TemplatedFormat(TemplateSets sets, Notices notices, int version, int templateSet, int optionsTemplateSet,
                    boolean enterpriseBit, int longestField, NetflowFault lost) {
        this.sets = sets;
        this.notices = notices;
        this.version = version;
        this.templateSet = templateSet;
        this.optionsTemplateSet = optionsTemplateSet;
        this.enterpriseBit = enterpriseBit;
        this.longestField = longestField;
        this.lost = lost;
    }

    /**
     * Decodes one message into {@code sink}, learning templates into the exporter's domain; records before a
     * fault are kept. The caller holds the exporter's lock.
     */
    abstract Verdict decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros, RecordSink sink, Fault fault)
            throws InterruptedException;

    /** Reads the (options) templates of a set, each through {@link #template}. */
    abstract Verdict templates(boolean options, byte[] b, int pos, int end, Message m, RecordSink sink, Fault fault)
            throws InterruptedException;

    /** The sequence number the next message should carry after {@code m}, or -1 when it cannot be known. */
    abstract long nextSequence(Message m);

    /**
     * Reads the {@code count} field specifiers of template {@code id} at {@code pos} and learns the template;
     * returns where they end, or -1 with the fault set.
     */
    final int template(byte[] b, int pos, int end, int id, int count, boolean options, int scopeCount, Message m,
                       RecordSink sink, Fault fault) throws InterruptedException {
        pos = sets.fields(b, pos, end, id, count, enterpriseBit, fault);
        if (pos < 0 || sets.learn(version, id, options, scopeCount, count, longestField, m, sink, fault) != Verdict.OK) {
            return -1;
        }
        return pos;
    }

    /** Whether sets of this id carry (options) templates; ids from 256 are data, the others reserved. */
    final boolean templateSet(int setId) {
        return setId == templateSet || setId == optionsTemplateSet;
    }

    final boolean optionsTemplateSet(int setId) {
        return setId == optionsTemplateSet;
    }

    /**
     * Starts a message whose header said these (the domain found or created); {@link #walk} goes on.
     *
     * @param sysUptimeMillis the header's sysUpTime, or {@code HeldSet.NO_UPTIME} when it has none
     */
    final Message begin(Exporter ex, long domainId, long exportSecs, long sysUptimeMillis, long sequence,
                        long arrivalMicros) {
        message.begin(ex, ex.domain(version, domainId), version, exportSecs, sysUptimeMillis, sequence, arrivalMicros);
        return message;
    }

    /** The sets of {@code m} in {@code [pos, end)}, then its sequence number checked. */
    final Verdict walk(byte[] b, int pos, int end, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        Verdict v = sets.walk(b, pos, end, m, this, sink, fault);
        Domain d = m.domain;
        Sequences.check(d, m.sequence, lost, notices);
        long next = nextSequence(m);
        if (next < 0) {
            d.expectAnySequence();
        } else {
            d.expectSequence(next);
        }
        return v;
    }
}
