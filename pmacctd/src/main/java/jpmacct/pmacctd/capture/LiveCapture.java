package jpmacct.pmacctd.capture;

import jpmacct.filter.bpf.PcapLibrary;

import jpmacct.core.capture.PacketHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import jpmacct.core.decode.packet.LinkTypes;

/**
 * Live capture on one or more interfaces through libpcap, bound directly with JNA ({@link PcapNative}): each handle
 * is opened with its snaplen, promiscuous mode, kernel buffer and direction, and its filter compiled into the
 * kernel; frames are read in place with pcap_next_ex. Several interfaces are multiplexed with poll(2).
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

    /** An open pcap_t (its address, for the native calls), the interface it captures on, the descriptor to poll. */
    private record Iface(Spec spec, Pointer pcap, int linkType, int fd) {
    }

    private final List<Iface> ifaces = new ArrayList<>();
    /** Frames are read in place through a view of this size over libpcap's ring, re-based when a frame leaves it. */
    private static final int VIEW = 16 << 20;

    /** Two native words receiving pcap_next_ex's out-pointers, read through a buffer view. */
    private final Memory outs = new Memory(16);
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
        pollFds = new int[specs.size() * 2];
        try {
            for (Spec s : specs) {
                Iface f = open(s, snaplen, promisc, filter, bufferBytes);
                pollFds[2 * ifaces.size()] = f.fd();
                ifaces.add(f);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Iface open(Spec s, int snaplen, boolean promisc, String filter, int bufferBytes) throws IOException {
        byte[] err = new byte[PcapNative.ERRBUF_SIZE];
        Pointer pcap = PcapNative.pcap_create(s.name(), err);
        if (pcap == null) {
            throw cannotCapture(s, Native.toString(err));
        }
        try {
            // pcap_activate's warnings (a positive result) leave a working handle
            if (PcapNative.pcap_set_snaplen(pcap, snaplen) != 0 || PcapNative.pcap_set_promisc(pcap, promisc ? 1 : 0) != 0
                    || PcapNative.pcap_set_timeout(pcap, TIMEOUT_MILLIS) != 0
                    || PcapNative.pcap_set_buffer_size(pcap, bufferBytes) != 0 || PcapNative.pcap_activate(pcap) < 0) {
                throw cannotCapture(s, error(pcap));
            }
            if (s.direction() != Direction.BOTH && PcapNative.pcap_setdirection(pcap,
                    s.direction() == Direction.IN ? PcapNative.D_IN : PcapNative.D_OUT) < 0) {
                throw cannotCapture(s, "pcap_setdirection: " + error(pcap));
            }
            int lt = PcapNative.pcap_datalink(pcap);
            if (!LinkTypes.supported(lt)) {
                throw new IOException(s.name() + ": link type " + lt + " is not supported; supported: " + LinkTypes.supportedList());
            }
            if (filter != null && !filter.isBlank()) {
                setFilter(pcap, filter);
            }
            // non-blocking handles and poll(2): with TPACKET_V3 a blocking read may not return on an idle link
            if (PcapNative.pcap_setnonblock(pcap, 1, err) < 0) {
                throw new IOException(s.name() + ": cannot set non-blocking mode: " + Native.toString(err));
            }
            LOG.info("[{},{}] link type is: {} (libpcap, kernel buffer {} KiB, snaplen {}{})", s.name(), s.ifIndex(), lt,
                    bufferBytes / 1024, snaplen, promisc ? "" : ", not promiscuous");
            return new Iface(s, pcap, lt, PcapNative.pcap_get_selectable_fd(pcap));
        } catch (IOException | RuntimeException e) {
            PcapNative.pcap_close(pcap);
            throw e;
        }
    }

    private static IOException cannotCapture(Spec s, String why) {
        return new IOException(s.name() + ": cannot capture: " + why
                + (why.contains("ermission") ? " (run as root or grant CAP_NET_RAW)" : ""));
    }

    /** Compiles the expression (optimized, netmask unknown) and installs it in the kernel. */
    private static void setFilter(Pointer pcap, String filter) throws IOException {
        Memory program = new Memory(2L * Native.POINTER_SIZE);
        program.clear();
        try {
            if (PcapNative.pcap_compile(pcap, program, filter, 1, PcapNative.NETMASK_UNKNOWN) < 0
                    || PcapNative.pcap_setfilter(pcap, program) < 0) {
                throw new IOException("pcap_filter '" + filter + "': " + error(pcap));
            }
        } finally {
            PcapNative.pcap_freecode(program);
        }
    }

    private static String error(Pointer pcap) {
        return PcapNative.pcap_geterr(pcap).getString(0);
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
                throw new IOException(f.spec.name() + ": capture failed: " + error(f.pcap));
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
        Memory stat = new Memory(16);
        for (Iface f : ifaces) {
            stat.clear();
            if (PcapNative.pcap_stats(f.pcap, stat) < 0) {
                out.add(new long[] {-1, -1, -1});
            } else {
                out.add(new long[] {stat.getInt(0) & 0xFFFFFFFFL, stat.getInt(4) & 0xFFFFFFFFL, stat.getInt(8) & 0xFFFFFFFFL});
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Iface f : ifaces) {
            PcapNative.pcap_close(f.pcap);
        }
        ifaces.clear();
    }
}
