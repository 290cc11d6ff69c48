package jpmacct.core.decode.packet;

import jpmacct.core.decode.Verdict;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.RecordSink;

/**
 * A decoder with its stats and one reused record, as the capture loop drives it. Frames are placed at a non-zero
 * offset in a buffer that ends exactly at the captured length, so a read outside the frame throws.
 */
final class Decoding {
    static final int PREFIX = 3;
    static final long TS = 1_700_000_000_123_456L;

    final DecodeStats stats = new DecodeStats();
    final FlowRecord r = new FlowRecord();
    final PacketDecoder decoder;

    Decoding(FragmentTable fragments, FlowTracker flows) {
        decoder = new PacketDecoder(fragments, flows, stats);
    }

    Verdict decode(int linkType, byte[] frame) {
        return decode(linkType, frame, frame.length, frame.length, TS);
    }

    Verdict decodeAt(long tsMicros, int linkType, byte[] frame) {
        return decode(linkType, frame, frame.length, frame.length, tsMicros);
    }

    Verdict decode(int linkType, byte[] frame, int caplen, int wireLen, long tsMicros) {
        r.clear();
        return decoder.decode(place(frame, caplen), PREFIX, caplen, wireLen, linkType, tsMicros, r);
    }

    /** The first {@code caplen} bytes of the frame behind {@link #PREFIX} bytes of junk, nothing after them. */
    static ByteBuffer place(byte[] frame, int caplen) {
        return place(frame, 0, caplen, PREFIX);
    }

    /** {@code caplen} bytes of {@code data} from {@code from}, behind {@code prefix} bytes of junk. */
    static ByteBuffer place(byte[] data, int from, int caplen, int prefix) {
        ByteBuffer b = ByteBuffer.allocate(prefix + caplen);
        for (int i = 0; i < prefix; i++) {
            b.put((byte) 0xA5);
        }
        b.put(data, from, caplen);
        return b;
    }

    /** The non-zero counters, e.g. {@code "frames=1 accounted=1 shortL4=1"}. */
    String counters() {
        StringJoiner j = new StringJoiner(" ");
        add(j, "frames", stats.frames);
        add(j, "accounted", stats.accounted);
        add(j, "notIp", stats.notIp);
        add(j, "truncated", stats.truncated);
        add(j, "malformed", stats.malformed);
        add(j, "unsupportedLink", stats.unsupportedLink);
        add(j, "shortL4", stats.shortL4);
        add(j, "fragments", stats.fragments);
        return j.toString();
    }

    private static void add(StringJoiner j, String name, long value) {
        if (value != 0) {
            j.add(name + "=" + value);
        }
    }

    /** Keeps a copy of every committed record. */
    static final class Sink implements RecordSink {
        final List<FlowRecord> records = new ArrayList<>();
        private FlowRecord pending;

        @Override
        public FlowRecord slot() {
            pending = new FlowRecord();
            pending.clear();
            return pending;
        }

        @Override
        public void commit() {
            records.add(pending);
            pending = null;
        }
    }
}
