package jpmacct.nfacctd.decode;

import jpmacct.core.record.FlowRecord;

/** NetFlow v1: a 16-byte header without sequence number or engine, up to 24 records of 48 bytes, no AS or masks. */
final class NetflowV1 extends FixedFormat {
    private static final int RECORD = 48;

    NetflowV1(DecoderSettings settings, Notices notices) {
        super(settings, notices, 1, 16, RECORD, 24, false, false);
    }

    @Override
    long fill(byte[] b, int off, int pos, FlowRecord r) {
        long times = flowRecordStart(b, pos, r);
        r.tos = Bytes.u8(b, pos + 39);
        protocol(b, pos, r, Bytes.u8(b, pos + 38), Bytes.u8(b, pos + 40));
        return times;
    }
}
