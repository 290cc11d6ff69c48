package jpmacct.nfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.template.HeldSet;
import jpmacct.nfacctd.template.Template;
import jpmacct.nfacctd.template.TemplateCache;

/**
 * IPFIX (RFC 7011): a 16-byte header with the message's own length and an observation domain, no sysUpTime
 * (record times relative to it need the exporter's systemInitTime); templates in set 2 and options templates in
 * set 3 (with a scope field count), sets 4-255 reserved; enterprise-specific fields, variable-length fields, and
 * withdrawals (a template of no fields); sequence numbers count data records.
 */
final class Ipfix extends TemplatedFormat {
    static final int VERSION = 10;
    static final int HEADER = 16;
    private static final int TEMPLATE_SET = 2;
    private static final int OPTIONS_TEMPLATE_SET = 3;
    /** A field type with its top bit set is followed by an enterprise number. */
    private static final boolean ENTERPRISE_BIT = true;
    /** Withdrawing template id 2 (3) withdraws every template (options template) of the domain. */
    private static final int WITHDRAW_ALL = 2;
    private static final int WITHDRAW_ALL_OPTIONS = 3;

    Ipfix(TemplateSets sets, Notices notices) {
        super(sets, notices, VERSION, TEMPLATE_SET, OPTIONS_TEMPLATE_SET, ENTERPRISE_BIT, Template.VARIABLE,
                NetflowFault.RECORDS_LOST);
    }

    /** As {@link TemplatedFormat#decode}; bytes after the message's length are not read. */
    @Override
    Verdict decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros, RecordSink sink, Fault fault)
            throws InterruptedException {
        if (len < HEADER) {
            return fault.set(NetflowFault.IPFIX_HEADER_CUT_SHORT, len);
        }
        int messageLength = Bytes.u16(b, off + 2);
        if (messageLength < HEADER || messageLength > len) {
            return fault.set(NetflowFault.IPFIX_LENGTH_MISFIT, messageLength, len);
        }
        Message m = begin(ex, Bytes.u32(b, off + 12), Bytes.u32(b, off + 4), HeldSet.NO_UPTIME,
                Bytes.u32(b, off + 8), arrivalMicros);
        return walk(b, off + HEADER, off + messageLength, m, sink, fault);
    }

    /** Held sets' records are not counted yet: after a message that held one, the next number is unknown. */
    @Override
    long nextSequence(Message m) {
        return m.held ? -1 : m.sequence + m.records;
    }

    /** Sets 2 and 3: id, field count, (options: scope field count), then field specifiers. */
    @Override
    Verdict templates(boolean options, byte[] b, int pos, int end, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        while (end - pos >= 4) {
            int id = Bytes.u16(b, pos);
            int count = Bytes.u16(b, pos + 2);
            pos += 4;
            int scope = 0;
            if (options) {
                if (end - pos < 2) {
                    return fault.set(NetflowFault.OPTIONS_TEMPLATE_CUT_SHORT, id);
                }
                scope = Bytes.u16(b, pos);
                pos += 2;
            }
            if (count == 0) {
                withdraw(m.domain.templates(), id);
                continue;
            }
            if (id < 256) {
                return fault.set(NetflowFault.TEMPLATE_ID_RESERVED, id);
            }
            if (options && (scope == 0 || scope > count)) {
                return fault.set(NetflowFault.OPTIONS_SCOPE_MISFIT, id, scope, count);
            }
            pos = template(b, pos, end, id, count, options, scope, m, sink, fault);
            if (pos < 0) {
                return fault.reason().verdict();
            }
        }
        return Verdict.OK;
    }

    private void withdraw(TemplateCache templates, int id) {
        if (id == WITHDRAW_ALL || id == WITHDRAW_ALL_OPTIONS) {
            templates.removeAll(id == WITHDRAW_ALL_OPTIONS);
        } else {
            templates.remove(id);
        }
        sets.templatesChanged();
    }
}
