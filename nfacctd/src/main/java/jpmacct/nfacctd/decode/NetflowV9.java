package jpmacct.nfacctd.decode;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.record.RecordSink;
import jpmacct.nfacctd.exporter.Exporter;

/**
 * NetFlow v9 (RFC 3954): a 20-byte header with the exporter's sysUpTime (the base of record times) and a source
 * id naming the domain; templates in set 0, options templates in set 1 (scope and option fields given as byte
 * lengths), sets 2-255 reserved; no enterprise fields and no variable-length ones; sequence numbers count export
 * packets.
 */
final class NetflowV9 extends TemplatedFormat {
    static final int VERSION = 9;
    static final int HEADER = 20;
    private static final int TEMPLATE_SET = 0;
    private static final int OPTIONS_TEMPLATE_SET = 1;
    /** Type numbers of 32768 and more are just types: v9 has no enterprise numbers. */
    private static final boolean ENTERPRISE_BIT = false;
    /** 65535 is IPFIX's variable-length marker, not a length v9 has. */
    private static final int LONGEST_FIELD = 0xFFFE;

    NetflowV9(TemplateSets sets, Notices notices) {
        super(sets, notices, VERSION, TEMPLATE_SET, OPTIONS_TEMPLATE_SET, ENTERPRISE_BIT, LONGEST_FIELD,
                NetflowFault.EXPORT_PACKETS_LOST);
    }

    @Override
    Verdict decode(byte[] b, int off, int len, Exporter ex, long arrivalMicros, RecordSink sink, Fault fault)
            throws InterruptedException {
        if (len < HEADER) {
            return fault.set(NetflowFault.V9_HEADER_CUT_SHORT, len);
        }
        Message m = begin(ex, Bytes.u32(b, off + 16), Bytes.u32(b, off + 8), Bytes.u32(b, off + 4),
                Bytes.u32(b, off + 12), arrivalMicros);
        return walk(b, off + HEADER, off + len, m, sink, fault);
    }

    @Override
    long nextSequence(Message m) {
        return m.sequence + 1;
    }

    @Override
    Verdict templates(boolean options, byte[] b, int pos, int end, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        return options ? optionsTemplates(b, pos, end, m, sink, fault) : templates(b, pos, end, m, sink, fault);
    }

    /** Set 0: id, field count, then (type, length) per field. */
    private Verdict templates(byte[] b, int pos, int end, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        while (end - pos >= 4) {
            int id = Bytes.u16(b, pos);
            int count = Bytes.u16(b, pos + 2);
            pos += 4;
            if (count == 0) {
                return fault.set(NetflowFault.TEMPLATE_WITHOUT_FIELDS, id);
            }
            if (id < 256) {
                return fault.set(NetflowFault.TEMPLATE_ID_RESERVED, id);
            }
            pos = template(b, pos, end, id, count, false, 0, m, sink, fault);
            if (pos < 0) {
                return fault.reason().verdict();
            }
        }
        return Verdict.OK;
    }

    /** Set 1: id, scope bytes, option bytes, then (type, length) per field; what is left under 6 bytes is padding. */
    private Verdict optionsTemplates(byte[] b, int pos, int end, Message m, RecordSink sink, Fault fault)
            throws InterruptedException {
        while (end - pos >= 6) {
            int id = Bytes.u16(b, pos);
            int scopeBytes = Bytes.u16(b, pos + 2);
            int optionBytes = Bytes.u16(b, pos + 4);
            pos += 6;
            if (id < 256) {
                return fault.set(NetflowFault.OPTIONS_TEMPLATE_ID_RESERVED, id);
            }
            if (scopeBytes % 4 != 0 || optionBytes % 4 != 0 || scopeBytes + optionBytes == 0
                    || scopeBytes + optionBytes > end - pos) {
                return fault.set(NetflowFault.OPTIONS_LENGTHS_MISFIT, id, scopeBytes, optionBytes);
            }
            pos = template(b, pos, end, id, (scopeBytes + optionBytes) / 4, true, scopeBytes / 4, m, sink, fault);
            if (pos < 0) {
                return fault.reason().verdict();
            }
        }
        return Verdict.OK;
    }
}
