package jpmacct.pmacctd.capture;

import jpmacct.filter.bpf.PcapLibrary;

import jpmacct.core.capture.PacketHandler;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.NotOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Pointer;

import jpmacct.core.decode.packet.LinkTypes;

/**
 * Live capture on one or more interfaces: pcap4j opens each handle (snaplen, promiscuous mode, kernel buffer,
 * direction, filter compiled into the kernel by libpcap); frames are then read with pcap_next_ex through a JNA
 * direct binding into one reusable buffer. Several interfaces are multiplexed with poll(2).
 */
public final class LiveCapture implements LiveSource {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCapture.class);
    private static final int POLLIN = 0x001;
    private static final int TIMEOUT_MILLIS = 100;

    /** How to open one interface. */
    public record Spec(String name, long ifIndex, Direction direction) {
    }

    /** Capture direction (pcap_setdirection) and which iface primitive the index fills. */
    public enum Direction { BOTH, IN, OUT }

    private static final class Iface {
        final Spec spec;
        final PcapHandle handle;
        final Pointer pcap;
        final int linkType;

        Iface(Spec spec, PcapHandle handle, Pointer pcap, int linkType) {
            this.spec = spec;
            this.handle = handle;
            this.pcap = pcap;
            this.linkType = linkType;
        }
    }

    private final List<Iface> ifaces = new ArrayList<>();
    /** Frames are read in place through a view of this size over libpcap's ring, re-based when a frame leaves it. */
    private static final int VIEW = 16 << 20;

    /** Two native words receiving pcap_next_ex's out-pointers, read through a buffer view. */
    private final com.sun.jna.Memory outs = new com.sun.jna.Memory(16);
    private final Pointer hdrOut = outs.share(0);
    private final Pointer dataOut = outs.share(8);
    private final ByteBuffer outView = outs.getByteBuffer(0, 16).order(ByteOrder.nativeOrder());
    private long headerAddress;
    private ByteBuffer header;
    private long viewBase;
    private ByteBuffer view;
    private final int[] pollFds;
    private int next;

    public LiveCapture(List<Spec> specs, int snaplen, boolean promisc, String filter, int bufferBytes) throws IOException {
        PcapLibrary.ensureLoaded();
        try {
            for (Spec s : specs) {
                ifaces.add(open(s, snaplen, promisc, filter, bufferBytes));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        // non-blocking handles and poll(2): with TPACKET_V3 a blocking read may not return on an idle link
        pollFds = new int[ifaces.size() * 2];
        {
            byte[] err = new byte[256];
            for (int i = 0; i < ifaces.size(); i++) {
                Iface f = ifaces.get(i);
                if (PcapNative.pcap_setnonblock(f.pcap, 1, err) < 0) {
                    throw new IOException(f.spec.name() + ": cannot set non-blocking mode");
                }
                pollFds[2 * i] = PcapNative.pcap_get_selectable_fd(f.pcap);
            }
        }
    }

    private static Iface open(Spec s, int snaplen, boolean promisc, String filter, int bufferBytes) throws IOException {
        PcapHandle h;
        try {
            PcapHandle.Builder b = new PcapHandle.Builder(s.name()).snaplen(snaplen)
                    .promiscuousMode(promisc ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(TIMEOUT_MILLIS).bufferSize(bufferBytes);
            if (s.direction() == Direction.IN) {
                b.direction(PcapHandle.PcapDirection.IN);
            } else if (s.direction() == Direction.OUT) {
                b.direction(PcapHandle.PcapDirection.OUT);
            }
            h = b.build();
        } catch (PcapNativeException e) {
            throw new IOException(s.name() + ": cannot capture: " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("ermission") ? " (run as root or grant CAP_NET_RAW)" : ""));
        }
        int lt = h.getDlt().value();
        if (!LinkTypes.supported(lt)) {
            h.close();
            throw new IOException(s.name() + ": link type " + lt + " is not supported; supported: " + LinkTypes.supportedList());
        }
        if (filter != null && !filter.isBlank()) {
            try {
                h.setFilter(filter, BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                h.close();
                throw new IOException("pcap_filter '" + filter + "': " + e.getMessage());
            }
        }
        LOG.info("[{},{}] link type is: {} (libpcap, kernel buffer {} KiB, snaplen {}{})", s.name(), s.ifIndex(), lt,
                bufferBytes / 1024, snaplen, promisc ? "" : ", not promiscuous");
        return new Iface(s, h, pointerOf(h), lt);
    }

    private static Pointer pointerOf(PcapHandle h) throws IOException {
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return (Pointer) f.get(h);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot reach the pcap handle inside pcap4j", e);
        }
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Iface f : ifaces) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.spec.name());
        }
        return sb.toString();
    }

    @Override
    public List<Spec> specs() {
        List<Spec> out = new ArrayList<>();
        for (Iface f : ifaces) {
            out.add(f.spec);
        }
        return out;
    }

    @Override
    public int poll(PacketHandler handler, int max) throws IOException, InterruptedException {
        int total = 0;
        for (int round = 0; round < ifaces.size() && total < max; round++) {
            int i = next;
            next = (next + 1) % ifaces.size();
            int n = readSome(ifaces.get(i), i, handler, max - total);
            if (n > 0) {
                total += n;
            }
        }
        if (total == 0) {
            for (int i = 0; i < ifaces.size(); i++) {
                pollFds[2 * i + 1] = POLLIN;
            }
            PcapNative.LibC.poll(pollFds, ifaces.size(), TIMEOUT_MILLIS);
        }
        return total;
    }

    private int readSome(Iface f, int index, PacketHandler handler, int max) throws IOException, InterruptedException {
        int n = 0;
        while (n < max) {
            int rc = PcapNative.pcap_next_ex(f.pcap, hdrOut, dataOut);
            if (rc == 1) {
                // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen, len; } lives in the pcap_t, at a
                // stable address; the frame lives in the kernel ring libpcap maps: both are read in place
                long headerAt = outView.getLong(0);
                if (headerAt != headerAddress) {
                    headerAddress = headerAt;
                    header = new Pointer(headerAddress).getByteBuffer(0, 24).order(ByteOrder.nativeOrder());
                }
                long sec = header.getLong(0);
                long usec = header.getLong(8);
                int caplen = header.getInt(16);
                int len = header.getInt(20);
                long data = outView.getLong(8);
                if (view == null || data < viewBase || data + caplen > viewBase + VIEW) {
                    viewBase = data;
                    view = new Pointer(data).getByteBuffer(0, VIEW).order(ByteOrder.BIG_ENDIAN);
                }
                handler.onPacket(view, (int) (data - viewBase), caplen, Math.max(len, caplen), sec * 1_000_000L + usec,
                        f.linkType, index);
                n++;
            } else if (rc == 0) {
                return n;
            } else if (rc == -2) {
                return n == 0 ? END : n;
            } else {
                throw new IOException(f.spec.name() + ": capture failed: " + PcapNative.pcap_geterr(f.pcap).getString(0));
            }
        }
        return n;
    }

    /** The spec of the interface with this index. */
    @Override
    public Spec spec(int index) {
        return ifaces.get(index).spec;
    }

    /** pcap statistics of each interface: received, dropped by the kernel buffer, dropped by the interface. */
    @Override
    public List<long[]> stats() {
        List<long[]> out = new ArrayList<>();
        for (Iface f : ifaces) {
            try {
                PcapStat s = f.handle.getStats();
                out.add(new long[] {s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf()});
            } catch (PcapNativeException | NotOpenException e) {
                out.add(new long[] {-1, -1, -1});
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Iface f : ifaces) {
            f.handle.close();
        }
        ifaces.clear();
    }
}
