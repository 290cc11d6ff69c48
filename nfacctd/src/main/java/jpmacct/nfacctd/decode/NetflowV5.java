package jpmacct.nfacctd.decode;

import jpmacct.core.record.FlowRecord;

/**
 * NetFlow v5: a 24-byte header with flow sequence number, engine type and id, and the sampling interval (its low
 * 14 bits); up to 30 records of 48 bytes with AS numbers and masks.
 */
final class NetflowV5 extends FixedFormat {
    private static final int RECORD = 48;

    NetflowV5(DecoderSettings settings, Notices notices) {
        super(settings, notices, 5, 24, RECORD, 30, true, true);
    }

    @Override
    long sampling(byte[] b, int off) {
        return Bytes.u16(b, off + 22) & 0x3FFF;
    }

    @Override
    long fill(byte[] b, int off, int pos, FlowRecord r) {
        return record(this, b, pos, r);
    }

    /** A v5 record, which v7's records begin with. */
    static long record(FixedFormat format, byte[] b, int pos, FlowRecord r) {
        long times = format.flowRecordStart(b, pos, r);
        r.tos = Bytes.u8(b, pos + 39);
        r.srcAs = Bytes.u16(b, pos + 40);
        r.dstAs = Bytes.u16(b, pos + 42);
        r.srcMask = Bytes.u8(b, pos + 44);
        r.dstMask = Bytes.u8(b, pos + 45);
        protocol(b, pos, r, Bytes.u8(b, pos + 38), Bytes.u8(b, pos + 37));
        return times;
    }
}
