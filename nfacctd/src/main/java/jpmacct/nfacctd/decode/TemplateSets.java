package jpmacct.nfacctd.decode;

import java.util.ArrayDeque;
import java.util.Arrays;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.template.HeldSet;
import jpmacct.nfacctd.template.RecordPlan;
import jpmacct.nfacctd.template.Template;
import jpmacct.nfacctd.template.TemplateCache;

/**
 * What NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) share inside a message: sets walked by their own lengths (never
 * by the v9 header's count, which exporters fill inconsistently), templates compiled on arrival and replacing
 * older layouts whole, data records sized exactly by their template (trailing bytes shorter than a record are
 * padding), options data feeding sampling rates and system init times, and data sets held for a late template
 * and decoded when it comes. Which set ids carry templates and how a template is written are the protocol's
 * ({@link TemplatedFormat}).
 *
 * <p>One per receiving thread. The arrays are scratch for the template or record being read, meaningless between
 * calls; everything that lasts is the exporter's ({@link Exporter}, {@link TemplateCache}).
 */
final class TemplateSets {
    private final DecoderSettings settings;
    private final Notices notices;
    private final FlowFields flowFields;
    private final OptionFields optionFields = new OptionFields();
    private final Message heldMessage = new Message();
    private final Fault heldFault = new Fault();
    private final ArrayDeque<HeldSet> released = new ArrayDeque<>();
    /** The template being read. */
    private int[] types = new int[64];
    private long[] enterprises = new long[64];
    private int[] lengths = new int[64];
    /** Where each field of the record being read starts (from the record's start) and how long it is. */
    private int[] fieldOffsets = new int[64];
    private int[] fieldLengths = new int[64];

    TemplateSets(DecoderSettings settings, Notices notices) {
        this.settings = settings;
        this.notices = notices;
        this.flowFields = new FlowFields(settings);
    }

    /**
     * The sets in {@code [pos, end)} of message {@code m}, whose header its protocol has read. Records before a
     * fault are kept; a fault ends the message.
     */
    Verdict walk(byte[] b, int pos, int end, Message m, TemplatedFormat format, RecordSink sink, Fault fault)
            throws InterruptedException {
        m.exporter.expireHeld(m.domain, settings.holdMillis(), notices);
        while (end - pos >= 4) {
            int setId = Bytes.u16(b, pos);
            int setLen = Bytes.u16(b, pos + 2);
            if (setLen < 4 || setLen > end - pos) {
                return fault.set(NetflowFault.SET_PAST_MESSAGE, setId, setLen, end - pos);
            }
            Verdict v = Verdict.OK;
            if (format.templateSet(setId)) {
                v = format.templates(format.optionsTemplateSet(setId), b, pos + 4, pos + setLen, m, sink, fault);
            } else if (setId >= 256) {
                v = data(b, pos + 4, pos + setLen, setId, m, sink, fault);
            } // other ids are reserved: skipped by length
            if (v != Verdict.OK) {
                return v;
            }
            pos += setLen;
        }
        return m.held ? Verdict.HELD : Verdict.OK;
    }

    /**
     * Reads {@code count} field specifiers of template {@code id} at {@code pos}: type and length, and with
     * {@code enterpriseBit} (IPFIX) an enterprise number after each type that has its top bit set. Returns where
     * they end, or -1 with the fault set when they run past {@code end}.
     */
    int fields(byte[] b, int pos, int end, int id, int count, boolean enterpriseBit, Fault fault) {
        if (types.length < count) {
            types = new int[count];
            enterprises = new long[count];
            lengths = new int[count];
        }
        for (int i = 0; i < count; i++) {
            if (end - pos < 4) {
                fault.set(NetflowFault.TEMPLATE_CUT_SHORT, id, i + 1, count);
                return -1;
            }
            int type = Bytes.u16(b, pos);
            lengths[i] = Bytes.u16(b, pos + 2);
            pos += 4;
            long enterprise = 0;
            if (enterpriseBit && (type & 0x8000) != 0) {
                if (end - pos < 4) {
                    fault.set(NetflowFault.ENTERPRISE_CUT_SHORT, id, i + 1);
                    return -1;
                }
                enterprise = Bytes.u32(b, pos);
                pos += 4;
                type &= 0x7FFF;
            }
            types[i] = type;
            enterprises[i] = enterprise;
        }
        return pos;
    }

    /**
     * Learns the template just read by {@link #fields}: nothing to do when it is the one known (exporters resend
     * templates every few datagrams: nothing is allocated then); else it replaces the old layout whole and the
     * data sets held for it are decoded.
     *
     * @param longestField the longest field length the protocol allows (IPFIX's variable-length marker included)
     */
    Verdict learn(int version, int id, boolean options, int scopeCount, int count, int longestField, Message m,
                  RecordSink sink, Fault fault) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            if (lengths[i] == 0 || lengths[i] > longestField) {
                return fault.set(NetflowFault.FIELD_LENGTH, id, i + 1, lengths[i]);
            }
        }
        Domain d = m.domain;
        TemplateCache cache = d.templates();
        Template known = cache.get(id);
        if (known != null && known.sameLayout(version, options, scopeCount, types, enterprises, lengths, count)) {
            return Verdict.OK;
        }
        if (known == null && cache.size() >= settings.maxTemplates()) {
            return fault.set(NetflowFault.TOO_MANY_TEMPLATES, settings.maxTemplates(), d.id(), id);
        }
        Template t = new Template(version, id, options, scopeCount, Arrays.copyOf(types, count),
                Arrays.copyOf(enterprises, count), Arrays.copyOf(lengths, count), settings.mapping());
        cache.put(t);
        m.exporter.counters().templates.inc();
        if (known != null) {
            notices.templateRedefined(d, id, known.fieldCount(), count);
        }
        templatesChanged();
        release(d, t, sink);
        return Verdict.OK;
    }

    /** Tells the templates file (if any) that it is due. */
    void templatesChanged() {
        Runnable changed = settings.templatesChanged();
        if (changed != null) {
            changed.run();
        }
    }

    /** A data set: decoded with its template, or held for one. */
    private Verdict data(byte[] b, int pos, int end, int setId, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        Template t = m.domain.templates().get(setId);
        if (t == null) {
            m.held = true;
            m.exporter.hold(m.domain, setId, b, pos, end, m.unixSecs, m.sysUptimeMillis, m.sequence,
                    m.arrivalMicros, settings.holdBytes(), notices);
            return Verdict.OK;
        }
        return records(b, pos, end, t, m, sink, fault);
    }

    private Verdict records(byte[] b, int pos, int end, Template t, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        if (fieldOffsets.length < t.fieldCount()) {
            fieldOffsets = new int[t.fieldCount()];
            fieldLengths = new int[t.fieldCount()];
        }
        return t.options() ? optionRecords(b, pos, end, t, m, fault) : flowRecords(b, pos, end, t, m, sink, fault);
    }

    private Verdict flowRecords(byte[] b, int pos, int end, Template t, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        if (settings.paddingChecks() && !zeroPadding(b, pos, end, t)) {
            m.exporter.counters().setsBadPadding.inc();
            return Verdict.OK;
        }
        RecordPlan plan = t.plan(settings.useIpNextHop());
        int customSlots = settings.mapping().custom().all().size();
        int n = 0;
        Verdict v = Verdict.OK;
        int fixed = t.fixedLength();
        if (fixed > 0) {
            int[] off = t.offsets();
            int[] lens = t.lengths();
            for (; end - pos >= fixed; pos += fixed) {
                FlowRecord r = sink.slot();
                flowFields.decode(b, pos, off, lens, plan, m, r, customSlots);
                sink.commit();
                n++;
            }
        } else {
            int min = Math.max(1, t.minLength());
            while (end - pos >= min) {
                int next = place(b, pos, end, t);
                if (next < 0) {
                    v = fault.set(NetflowFault.RECORD_PAST_SET, t.id());
                    break;
                }
                FlowRecord r = sink.slot();
                flowFields.decode(b, pos, fieldOffsets, fieldLengths, plan, m, r, customSlots);
                sink.commit();
                n++;
                pos = next;
            }
        }
        m.records += n;
        m.exporter.counters().records.add(n);
        return v;
    }

    /**
     * nfacctd_pre_processing_checks (pmacct 1.7.9): whether the bytes after the set's last whole record are all zero,
     * as IPFIX requires of padding (NetFlow v9 only recommends it). A set whose records run past it is left to the
     * decoding, which reports it.
     */
    private boolean zeroPadding(byte[] b, int pos, int end, Template t) {
        int fixed = t.fixedLength();
        if (fixed > 0) {
            pos = end - (end - pos) % fixed;
        } else {
            int min = Math.max(1, t.minLength());
            while (end - pos >= min) {
                pos = place(b, pos, end, t);
                if (pos < 0) {
                    return true;
                }
            }
        }
        for (; pos < end; pos++) {
            if (b[pos] != 0) {
                return false;
            }
        }
        return true;
    }

    private Verdict optionRecords(byte[] b, int pos, int end, Template t, Message m, Fault fault) {
        int min = Math.max(1, t.minLength());
        while (end - pos >= min) {
            int next = place(b, pos, end, t);
            if (next < 0) {
                return fault.set(NetflowFault.OPTIONS_RECORD_PAST_SET, t.id());
            }
            optionFields.begin(b);
            for (int i = 0; i < t.fieldCount(); i++) {
                optionFields.apply(t.action(i), b, pos + fieldOffsets[i], fieldLengths[i]);
            }
            if (!optionFields.finish(m.domain, t.systemScope())) {
                notices.optionsTableFull(m.exporter);
            }
            m.records++;
            m.exporter.counters().optionRecords.inc();
            pos = next;
        }
        return Verdict.OK;
    }

    /**
     * Places each field of the record at {@code pos}: its length is the template's, or for IPFIX's
     * variable-length fields a prefix (one byte, or 255 and two more). Returns where the record ends, or -1 when
     * a field runs past {@code end}.
     */
    private int place(byte[] b, int pos, int end, Template t) {
        int cursor = pos;
        for (int i = 0; i < t.fieldCount(); i++) {
            int len = t.length(i);
            if (len == Template.VARIABLE) {
                len = Bytes.u8(b, cursor++);
                if (len == 255) {
                    len = Bytes.u16(b, cursor);
                    cursor += 2;
                }
            }
            if (len > end - cursor) {
                return -1;
            }
            fieldOffsets[i] = cursor - pos;
            fieldLengths[i] = len;
            cursor += len;
        }
        return cursor;
    }

    /**
     * The template just learnt unlocks the sets held for it: decoded in arrival order, each with its own message's
     * header, as if it arrived now. A malformed one is told, not the current datagram's fault.
     */
    private void release(Domain d, Template t, RecordSink sink) throws InterruptedException {
        Exporter ex = d.exporter();
        released.clear();
        ex.takeHeld(d, t.id(), released);
        HeldSet s;
        while ((s = released.pollFirst()) != null) {
            heldMessage.begin(ex, d, t.version(), s.unixSecs(), s.sysUptimeMillis(), s.sequence(), s.arrivalMicros());
            heldFault.clear();
            Verdict v = records(s.body(), 0, s.body().length, t, heldMessage, sink, heldFault);
            ex.counters().setsReleased.inc();
            ex.counters().recordsReleased.add(heldMessage.records);
            if (v != Verdict.OK) {
                notices.heldSetFailed(ex, heldFault);
            }
        }
    }
}
