package jpmacct.nfacctd.decode;

import jpmacct.core.record.FlowRecord;

/**
 * NetFlow v7 (Catalyst switches): v5's header without engine or sampling, up to 28 records of 52 bytes: a v5
 * record and the router shortcut address (not accounted).
 */
final class NetflowV7 extends FixedFormat {
    private static final int RECORD = 52;

    NetflowV7(DecoderSettings settings, Notices notices) {
        super(settings, notices, 7, 24, RECORD, 28, true, false);
    }

    @Override
    long fill(byte[] b, int off, int pos, FlowRecord r) {
        return NetflowV5.record(this, b, pos, r);
    }
}
