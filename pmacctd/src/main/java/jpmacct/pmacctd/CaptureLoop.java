package jpmacct.pmacctd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.capture.PacketHandler;
import jpmacct.core.capture.PacketSource;
import jpmacct.core.decode.Verdict;
import jpmacct.core.decode.packet.FragmentTable;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.decode.packet.PacketDecoder;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.runtime.BatchWriter;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.filter.bpf.BpfCompiler;
import jpmacct.filter.bpf.BpfProgram;
import jpmacct.pmacctd.capture.LiveCapture;
import jpmacct.pmacctd.capture.LiveSource;

/**
 * The core process of pmacctd: frames from a source, optional savefile filter, decoder into batch slots, and the
 * periodic chores (publishing partly filled batches, expiring IP fragments).
 */
final class CaptureLoop implements PacketHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureLoop.class);
    private static final long FRAGMENT_SWEEP_MICROS = 1_000_000L;
    private static final long DRAIN_MAX_NANOS = 1_000_000_000L;

    private final PacketDecoder decoder;
    private final BatchWriter writer;
    private final RateLimitedLog problems = new RateLimitedLog(LOG, 60_000);
    private final String filterExpression;
    private final int snaplen;
    private final Map<Integer, BpfProgram> filters = new HashMap<>();
    private LiveSource live;
    private long lastTs;
    private long lastSweep;
    private long framesAtSweep;
    private long filteredOut;
    private final boolean staged;
    private long frames;
    /** Bytes of each frame copied into the record for plugins that export packets (sfprobe); 0 for none. */
    private int headerBytes;

    /**
     * @param filterExpression pcap_filter to run in Java (savefiles, kernel ring), or null when libpcap filters
     */
    CaptureLoop(PacketDecoder decoder, BatchWriter writer, String filterExpression, int snaplen) {
        this.decoder = decoder;
        this.writer = writer;
        this.filterExpression = filterExpression == null || filterExpression.isBlank() ? null : filterExpression;
        this.staged = writer.staged();
        this.snaplen = snaplen;
    }

    /** Plugins want the first {@code bytes} of every frame in its record. */
    void keepHeaders(int bytes) {
        this.headerBytes = bytes;
    }

    void attach(LiveSource capture) {
        this.live = capture;
    }

    /** Compiles the savefile filter for a link type up front, so a bad expression fails at start-up. */
    void prepareFilter(int linkType) {
        if (filterExpression != null && linkType >= 0) {
            filterFor(linkType);
        }
    }

    private BpfProgram filterFor(int linkType) {
        BpfProgram p = filters.get(linkType);
        if (p == null) {
            try {
                p = BpfCompiler.compile(filterExpression, linkType, Math.max(snaplen, 65535));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pcap_filter '" + filterExpression + "' for link type "
                        + LinkTypes.name(linkType) + ": " + e.getMessage(), e);
            }
            filters.put(linkType, p);
        }
        return p;
    }

    @Override
    public void onPacket(ByteBuffer buf, int offset, int caplen, int wireLen, long tsMicros, int linkType, int ifIndex)
            throws InterruptedException {
        frames++;
        if (filterExpression != null && !filterFor(linkType).matches(buf, offset, caplen, wireLen)) {
            filteredOut++;
            return;
        }
        FlowRecord r = writer.slot();
        r.pluginMask = -1L;
        r.inIface = 0;
        r.outIface = 0;
        r.direction = FlowRecord.DIRECTION_UNKNOWN;
        if (live != null) {
            LiveCapture.Spec s = live.spec(ifIndex);
            if (s.direction() == LiveCapture.Direction.IN) {
                r.inIface = s.ifIndex();
                r.direction = FlowRecord.DIRECTION_INGRESS;
            } else if (s.direction() == LiveCapture.Direction.OUT) {
                r.outIface = s.ifIndex();
                r.direction = FlowRecord.DIRECTION_EGRESS;
            }
        }
        if (staged) { // filters and pre_tag_map rules read this very frame
            writer.frame(buf, offset, caplen, wireLen, linkType);
        }
        if (headerBytes > 0) { // before decoding: a held fragment keeps its own bytes
            r.keepHeader(buf, offset, caplen, wireLen, linkType, headerBytes);
        }
        Verdict v = decoder.decode(buf, offset, caplen, wireLen, linkType, tsMicros, r);
        if (v == Verdict.OK) {
            writer.commit();
        } else if (v == Verdict.TRUNCATED || v == Verdict.MALFORMED || v == Verdict.UNSUPPORTED_LINK) {
            problems.warn(v.name(), v.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + " frame (captured " + caplen + " of " + wireLen + " bytes, link type " + linkType + "): not accounted");
        }
        if (staged) {
            writer.noFrame(); // held fragments are committed later, from their fields
        }
        lastTs = tsMicros;
    }

    /** Reads the source until its end or until {@code stop} says so; returns false if the source ended. */
    boolean run(PacketSource source, BooleanSupplier stop) throws IOException, InterruptedException {
        while (!stop.getAsBoolean()) {
            int n = source.poll(this, 512);
            chores();
            if (n == PacketSource.END) {
                return false;
            }
        }
        return true;
    }

    /**
     * At a stop: reads what the kernel already captured (a ring block is handed over when full or after its
     * timeout, so until two polls in a row find nothing), for at most a second.
     */
    void drain(PacketSource source) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DRAIN_MAX_NANOS;
        for (int idle = 0; idle < 2 && System.nanoTime() < deadline; ) {
            int n = source.poll(this, 512);
            if (n == PacketSource.END) {
                return;
            }
            idle = n > 0 ? 0 : idle + 1;
        }
    }

    /**
     * Publishes a batch that waited too long and expires stale fragments (by packet time). A sweep scans the
     * fragment table, so it also waits for enough packets to amortise it: a savefile spanning hours of capture
     * time is read in seconds.
     */
    void chores() throws InterruptedException {
        writer.flushIfDue(System.nanoTime());
        FragmentTable f = decoder.fragments();
        if (f != null && f.size() > 0 && lastTs - lastSweep >= FRAGMENT_SWEEP_MICROS
                && frames - framesAtSweep >= f.capacity() / 4) {
            f.expire(lastTs, writer);
            lastSweep = lastTs;
            framesAtSweep = frames;
        }
    }

    /** End of input or shutdown: accounts held fragments and publishes the last batch. */
    void finish() throws InterruptedException {
        if (decoder.fragments() != null) {
            decoder.fragments().flush(writer);
        }
        writer.flush();
    }

    long filteredOut() {
        return filteredOut;
    }

    long frames() {
        return frames;
    }
}
