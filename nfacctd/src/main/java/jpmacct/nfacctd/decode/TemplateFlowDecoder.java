package jpmacct.nfacctd.decode;

import java.util.Iterator;


import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.HeldSet;
import jpmacct.nfacctd.template.Fields;
import jpmacct.nfacctd.template.RecordPlan;
import jpmacct.nfacctd.template.Template;

/**
 * NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) messages: sets walked by their own lengths (never by the v9 header's
 * count, which exporters fill inconsistently), templates compiled on arrival and replacing older layouts whole,
 * data records sized exactly by their template (trailing bytes shorter than a record are padding), options data
 * feeding sampling rates and system init times, and data sets waiting for a late template.
 */
final class TemplateFlowDecoder {
    static final int V9_HEADER = 20;
    static final int IPFIX_HEADER = 16;

    private final DecoderSettings settings;
    private final FlowFields fields;
    private final OptionFields options = new OptionFields();
    private final Header header = new Header();
    private final Header heldHeader = new Header();
    private RecordSink out;
    /** Data records decoded in the current message (IPFIX sequence numbers count them). */
    private int messageRecords;
    private boolean messageHeld;
    /** Read position inside the record being decoded. */
    private int cursor;
    /** Field offsets and lengths of a record of a variable-length template, found as it is read. */
    private int[] varOffsets = new int[64];
    private int[] varLengths = new int[64];

    TemplateFlowDecoder(DecoderSettings settings) {
        this.settings = settings;
        this.fields = new FlowFields(settings);
    }

    /** @return null when well formed, else what is wrong (records before the fault are kept) */
    String decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros, RecordSink sink) throws InterruptedException {
        out = sink;
        int version = Bytes.u16(b, off);
        int end;
        int pos;
        Domain d;
        if (version == 9) {
            if (len < V9_HEADER) {
                return "NetFlow v9 header cut short (" + len + " bytes)";
            }
            long sourceId = Bytes.u32(b, off + 16);
            d = ex.domain(9, sourceId);
            header.set(ex, d, 9, Bytes.u32(b, off + 8), Bytes.u32(b, off + 4), Bytes.u32(b, off + 12),
                    sourceId, arrivalMicros);
            pos = off + V9_HEADER;
            end = off + len;
        } else {
            if (len < IPFIX_HEADER) {
                return "IPFIX header cut short (" + len + " bytes)";
            }
            int msgLen = Bytes.u16(b, off + 2);
            if (msgLen < IPFIX_HEADER || msgLen > len) {
                return "IPFIX message length " + msgLen + " does not fit the datagram of " + len + " bytes";
            }
            long domainId = Bytes.u32(b, off + 12);
            d = ex.domain(10, domainId);
            header.set(ex, d, 10, Bytes.u32(b, off + 4), 0, Bytes.u32(b, off + 8), domainId, arrivalMicros);
            pos = off + IPFIX_HEADER;
            end = off + msgLen;
        }
        expireHeld(ex, d);
        messageRecords = 0;
        messageHeld = false;
        String problem = null;
        while (end - pos >= 4) {
            int setId = Bytes.u16(b, pos);
            int setLen = Bytes.u16(b, pos + 2);
            if (setLen < 4 || setLen > end - pos) {
                problem = "set " + setId + " length " + setLen + " runs past the message (" + (end - pos) + " bytes left)";
                break;
            }
            int body = pos + 4;
            int setEnd = pos + setLen;
            if (version == 9 ? setId == 0 : setId == 2) {
                problem = templates(b, body, setEnd, header, false);
            } else if (version == 9 ? setId == 1 : setId == 3) {
                problem = version == 9 ? v9OptionsTemplates(b, body, setEnd, header) : templates(b, body, setEnd, header, true);
            } else if (setId >= 256) {
                problem = data(b, body, setEnd, setId, header);
            } // ids 4-255 (2-255 in v9) are reserved: skipped by length
            if (problem != null) {
                break;
            }
            pos = setEnd;
        }
        sequence(ex, d, version);
        return problem;
    }

    private void sequence(Exporter ex, Domain d, int version) {
        long seq = header.sequence;
        Sequences.check(settings, ex, d, seq, version == 9 ? "export packet" : "record");
        if (version == 9) {
            d.nextSequence = (seq + 1) & 0xFFFFFFFFL;
        } else {
            // held sets were not counted yet: the next message's number cannot be checked
            d.nextSequence = messageHeld ? -1 : (seq + messageRecords) & 0xFFFFFFFFL;
        }
    }

    /** Template sets (v9 set 0, IPFIX sets 2 and 3). */
    private String templates(byte[] b, int pos, int end, Header h, boolean ipfixOptions) throws InterruptedException {
        boolean ipfix = h.version == 10;
        while (end - pos >= 4) {
            int id = Bytes.u16(b, pos);
            int count = Bytes.u16(b, pos + 2);
            pos += 4;
            int scope = 0;
            if (ipfixOptions) {
                if (end - pos < 2) {
                    return "options template " + id + " cut short";
                }
                scope = Bytes.u16(b, pos);
                pos += 2;
            }
            if (count == 0) {
                if (!ipfix) {
                    return "template " + id + " has no fields";
                }
                withdraw(h, id, ipfixOptions);
                continue;
            }
            if (id < 256) {
                return "template id " + id + " is reserved";
            }
            if (ipfixOptions && (scope == 0 || scope > count)) {
                return "options template " + id + " has " + scope + " scope fields of " + count;
            }
            int refreshed = refreshEnd(b, pos, end, h.domain.templates.get(id), count, ipfix, ipfixOptions, scope);
            if (refreshed > 0) {
                pos = refreshed; // the template we have, sent again: nothing to build
                continue;
            }
            int[] types = new int[count];
            long[] ents = new long[count];
            int[] lens = new int[count];
            for (int i = 0; i < count; i++) {
                if (end - pos < 4) {
                    return "template " + id + " cut short at field " + (i + 1) + " of " + count;
                }
                int type = Bytes.u16(b, pos);
                int flen = Bytes.u16(b, pos + 2);
                pos += 4;
                if (ipfix && (type & 0x8000) != 0) {
                    if (end - pos < 4) {
                        return "template " + id + " cut short in the enterprise number of field " + (i + 1);
                    }
                    ents[i] = Bytes.u32(b, pos);
                    pos += 4;
                    type &= 0x7FFF;
                }
                types[i] = type;
                lens[i] = flen;
            }
            String bad = checkLengths(id, lens, ipfix);
            if (bad != null) {
                return bad;
            }
            String p = install(h, new Template(h.version, id, ipfixOptions, scope, types, ents, lens, settings.mapping()));
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /**
     * Exporters resend their templates every few datagrams: when the fields at {@code pos} are exactly the known
     * template's, returns where they end (so nothing is allocated); otherwise 0.
     */
    private static int refreshEnd(byte[] b, int pos, int end, Template known, int count, boolean ipfix, boolean options,
                                  int scope) {
        if (known == null || known.fieldCount() != count || known.options() != options || known.scopeCount() != scope) {
            return 0;
        }
        for (int i = 0; i < count; i++) {
            if (end - pos < 4) {
                return 0;
            }
            int type = Bytes.u16(b, pos);
            int len = Bytes.u16(b, pos + 2);
            pos += 4;
            long ent = 0;
            if (ipfix && (type & 0x8000) != 0) {
                if (end - pos < 4) {
                    return 0;
                }
                ent = Bytes.u32(b, pos);
                pos += 4;
                type &= 0x7FFF;
            }
            if (type != known.type(i) || len != known.length(i) || ent != known.enterprise(i)) {
                return 0;
            }
        }
        return pos;
    }

    /** v9 options templates (set 1): scope and option fields given as byte lengths. */
    private String v9OptionsTemplates(byte[] b, int pos, int end, Header h) throws InterruptedException {
        while (end - pos >= 6) {
            int id = Bytes.u16(b, pos);
            int scopeBytes = Bytes.u16(b, pos + 2);
            int optionBytes = Bytes.u16(b, pos + 4);
            pos += 6;
            if (id < 256) {
                return "options template id " + id + " is reserved";
            }
            if (scopeBytes % 4 != 0 || optionBytes % 4 != 0 || scopeBytes + optionBytes == 0
                    || scopeBytes + optionBytes > end - pos) {
                return "options template " + id + " field lengths " + scopeBytes + "+" + optionBytes
                        + " do not fit its set";
            }
            int count = (scopeBytes + optionBytes) / 4;
            int refreshed = refreshEnd(b, pos, end, h.domain.templates.get(id), count, false, true, scopeBytes / 4);
            if (refreshed > 0) {
                pos = refreshed;
                if (end - pos < 6) {
                    break;
                }
                continue;
            }
            int[] types = new int[count];
            long[] ents = new long[count];
            int[] lens = new int[count];
            for (int i = 0; i < count; i++) {
                types[i] = Bytes.u16(b, pos);
                lens[i] = Bytes.u16(b, pos + 2);
                pos += 4;
            }
            String bad = checkLengths(id, lens, false);
            if (bad != null) {
                return bad;
            }
            String p = install(h, new Template(9, id, true, scopeBytes / 4, types, ents, lens, settings.mapping()));
            if (p != null) {
                return p;
            }
            if (end - pos < 6) {
                break; // padding to a 4-byte boundary
            }
        }
        return null;
    }

    private static String checkLengths(int id, int[] lens, boolean ipfix) {
        for (int i = 0; i < lens.length; i++) {
            if (lens[i] == 0 || (!ipfix && lens[i] == Template.VARIABLE)) {
                return "template " + id + " field " + (i + 1) + " has length " + lens[i];
            }
        }
        return null;
    }

    private String install(Header h, Template t) throws InterruptedException {
        Domain d = h.domain;
        Template old = d.templates.get(t.id());
        if (t.sameLayout(old)) {
            return null;
        }
        if (old == null && d.templates.size() >= settings.maxTemplates()) {
            return "more than " + settings.maxTemplates() + " templates in domain " + d.id + "; template " + t.id()
                    + " refused";
        }
        d.templates.put(t.id(), t);
        h.exporter.counters.templates.inc();
        if (old != null) {
            NetflowDecoder.TEMPLATE_LOG.info(h.exporter.name + "/" + t.id(), "exporter " + h.exporter.name + " domain "
                    + d.id + ": template " + t.id() + " redefined (" + old.fieldCount() + " -> " + t.fieldCount()
                    + " fields); data is read with the new layout from now on");
        }
        if (settings.templatesChanged() != null) {
            settings.templatesChanged().run();
        }
        release(h.exporter, d, t);
        return null;
    }

    private void withdraw(Header h, int id, boolean options) {
        Domain d = h.domain;
        if (id == 2 || id == 3) { // withdraw all (options) templates
            java.util.List<Integer> ids = new java.util.ArrayList<>();
            d.templates.forEachValue(t -> {
                if (t.options() == (id == 3)) {
                    ids.add(t.id());
                }
            });
            for (int i : ids) {
                d.templates.remove(i);
            }
        } else {
            d.templates.remove(id);
        }
        if (settings.templatesChanged() != null) {
            settings.templatesChanged().run();
        }
    }

    /** A data set: decoded with its template, or held for one. */
    private String data(byte[] b, int pos, int end, int setId, Header h) throws InterruptedException {
        Template t = h.domain.templates.get(setId);
        if (t == null) {
            hold(b, pos, end, setId, h);
            return null;
        }
        return t.options() ? optionRecords(b, pos, end, t, h) : flowRecords(b, pos, end, t, h);
    }

    private String flowRecords(byte[] b, int pos, int end, Template t, Header h) throws InterruptedException {
        RecordPlan plan = t.plan(settings.useIpNextHop());
        boolean clearCustom = settings.mapping() != Fields.STANDARD;
        int n = 0;
        String problem = null;
        if (t.fixedLength() > 0) {
            int len = t.fixedLength();
            int[] off = t.offsets();
            int[] lens = t.lengths();
            for (; end - pos >= len; pos += len) {
                FlowRecord r = out.slot();
                fields.decode(b, pos, off, lens, plan, h, r, clearCustom);
                out.commit();
                n++;
            }
        } else {
            int count = t.fieldCount();
            if (varOffsets.length < count) {
                varOffsets = new int[count];
                varLengths = new int[count];
            }
            int min = Math.max(1, t.minLength());
            while (end - pos >= min) {
                cursor = pos;
                for (int i = 0; i < count; i++) {
                    int len = nextLength(b, t.length(i));
                    if (len > end - cursor) {
                        problem = "record of template " + t.id() + " runs past its set";
                        break;
                    }
                    varOffsets[i] = cursor - pos;
                    varLengths[i] = len;
                    cursor += len;
                }
                if (problem != null) {
                    break;
                }
                FlowRecord r = out.slot();
                fields.decode(b, pos, varOffsets, varLengths, plan, h, r, clearCustom);
                out.commit();
                n++;
                pos = cursor;
            }
        }
        messageRecords += n;
        h.exporter.counters.records.add(n);
        return problem;
    }

    private String optionRecords(byte[] b, int pos, int end, Template t, Header h) {
        int min = Math.max(1, t.minLength());
        int count = t.fieldCount();
        while (end - pos >= min) {
            options.begin();
            cursor = pos;
            for (int i = 0; i < count; i++) {
                int len = nextLength(b, t.length(i));
                if (len > end - cursor) {
                    return "options record of template " + t.id() + " runs past its set";
                }
                options.apply(t.action(i), b, cursor, len);
                cursor += len;
            }
            options.finish(h.domain);
            messageRecords++;
            h.exporter.counters.optionRecords.inc();
            pos = cursor;
        }
        return null;
    }

    /**
     * A field's length in the record at {@link #cursor}: the template's, or IPFIX's variable-length prefix (one
     * byte, or 255 and two more), which the cursor then moves past.
     */
    private int nextLength(byte[] b, int declared) {
        if (declared != Template.VARIABLE) {
            return declared;
        }
        int len = Bytes.u8(b, cursor++);
        if (len == 255) {
            len = Bytes.u16(b, cursor);
            cursor += 2;
        }
        return len;
    }

    private void hold(byte[] b, int pos, int end, int setId, Header h) {
        Exporter ex = h.exporter;
        Domain d = h.domain;
        messageHeld = true;
        int bytes = end - pos;
        if (settings.holdBytes() <= 0 || bytes + 64 > settings.holdBytes()) {
            noTemplate(ex, d, setId, 1, bytes);
            return;
        }
        byte[] copy = new byte[bytes];
        System.arraycopy(b, pos, copy, 0, bytes);
        HeldSet s = new HeldSet(setId, copy, h.unixSecs, h.sysUptimeMillis, h.sequence, h.arrivalMicros, System.nanoTime());
        d.held.addLast(s);
        ex.heldBytes += s.cost();
        ex.counters.setsHeld.inc();
        while (ex.heldBytes > settings.holdBytes()) {
            HeldSet oldest = oldestHeld(ex);
            dropHeld(ex, oldest);
        }
    }

    private static HeldSet oldestHeld(Exporter ex) {
        HeldSet oldest = null;
        Domain from = null;
        for (Domain d : ex.domains()) {
            HeldSet s = d.held.peekFirst();
            if (s != null && (oldest == null || s.heldAtNanos() < oldest.heldAtNanos())) {
                oldest = s;
                from = d;
            }
        }
        if (from != null) {
            from.held.pollFirst();
        }
        return oldest;
    }

    private void dropHeld(Exporter ex, HeldSet s) {
        ex.heldBytes -= s.cost();
        noTemplate(ex, null, s.templateId(), 1, s.body().length);
    }

    private void noTemplate(Exporter ex, Domain d, int setId, int sets, int bytes) {
        ex.counters.setsNoTemplate.add(sets);
        ex.counters.bytesNoTemplate.add(bytes);
        NetflowDecoder.TEMPLATE_LOG.warn(ex.name + "/missing", "exporter " + ex.name + ": data set for template "
                + setId + " dropped: no template (held data is bounded by nfacctd_templates_wait_buffer and "
                + "nfacctd_templates_wait_time)");
    }

    /** Held sets older than the wait time are given up on. */
    private void expireHeld(Exporter ex, Domain d) {
        if (d.held.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        long limit = settings.holdMillis() * 1_000_000L;
        while (!d.held.isEmpty() && now - d.held.peekFirst().heldAtNanos() > limit) {
            dropHeld(ex, d.held.pollFirst());
        }
    }

    /** The template just learnt unlocks held sets: decode them in arrival order, as if they arrived now. */
    private void release(Exporter ex, Domain d, Template t) throws InterruptedException {
        if (d.held.isEmpty()) {
            return;
        }
        Iterator<HeldSet> it = d.held.iterator();
        while (it.hasNext()) {
            HeldSet s = it.next();
            if (s.templateId() != t.id()) {
                continue;
            }
            it.remove();
            ex.heldBytes -= s.cost();
            heldHeader.set(ex, d, t.version(), s.unixSecs(), s.sysUptimeMillis(), s.sequence(), d.id, s.arrivalMicros());
            byte[] body = s.body();
            int before = messageRecords;
            String problem = t.options() ? optionRecords(body, 0, s.body().length, t, heldHeader)
                    : flowRecords(body, 0, s.body().length, t, heldHeader);
            ex.counters.setsReleased.inc();
            ex.counters.recordsReleased.add(messageRecords - before);
            messageRecords = before; // they belong to their own (earlier) message
            if (problem != null) {
                ex.counters.malformed.inc();
                NetflowDecoder.MALFORMED_LOG.warn(ex.name, "exporter " + ex.name + ": held set dropped: " + problem);
            }
        }
    }

    /** At shutdown: what still waits for a template is lost; count and say so. */
    void dropAllHeld(Exporter ex) {
        for (Domain d : ex.domains()) {
            while (!d.held.isEmpty()) {
                dropHeld(ex, d.held.pollFirst());
            }
        }
    }
}
