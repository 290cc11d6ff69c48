package jpmacct.pmacctd.capture;

import jpmacct.core.capture.PacketHandler;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import jpmacct.core.decode.packet.LinkTypes;

/**
 * Linux live capture straight from the kernel's TPACKET_V3 ring: an AF_PACKET socket whose receive ring is mapped
 * into the process and walked in Java through a direct buffer, so a frame costs no native call at all (a
 * poll(2) only when the ring is empty). VLAN tags the kernel took off the frame are put back in place, as libpcap
 * does, so frames look as they did on the wire. Only Ethernet-like devices; others use {@link LiveCapture}.
 */
public final class PacketRing implements LiveSource {
    private static final Logger LOG = LoggerFactory.getLogger(PacketRing.class);

    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int ETH_P_ALL_BE = 0x0300; // htons(ETH_P_ALL)
    private static final int SOL_PACKET = 263;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int PACKET_ADD_MEMBERSHIP = 1;
    private static final int PACKET_RX_RING = 5;
    private static final int PACKET_STATISTICS = 6;
    private static final int PACKET_VERSION = 10;
    private static final int TPACKET_V3 = 2;
    private static final int PACKET_MR_PROMISC = 1;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_SHARED = 1;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_VLAN_VALID = 1 << 4;
    private static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    private static final int PACKET_OUTGOING = 4;
    private static final int POLLIN = 0x001;
    private static final int BLOCK_SIZE = 1 << 20;
    private static final int FRAME_SIZE = 1 << 11;
    private static final int BLOCK_TIMEOUT_MILLIS = 50;
    private static final int POLL_MILLIS = 100;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** libc, bound by direct mapping. */
    static final class LibC {
        static {
            Native.register(NativeLibrary.getInstance("c"));
        }

        private LibC() {
        }

        static native int socket(int domain, int type, int protocol);

        static native int setsockopt(int fd, int level, int name, Pointer value, int length);

        static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

        static native int bind(int fd, Pointer address, int length);

        static native Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

        static native int munmap(Pointer address, long length);

        static native int close(int fd);

        static native int if_nametoindex(String name);

        static native int poll(int[] fds, long nfds, int timeout);
    }

    private static final class Ring {
        final LiveCapture.Spec spec;
        final int fd;
        final Pointer map;
        final long mapLength;
        /** Frames, big-endian as on the wire. */
        final ByteBuffer buf;
        /** The same memory in native order, for the kernel's ring headers. */
        final ByteBuffer hdr;
        final int blocks;
        int block;
        /** Within the current block: packets left, offset of the next packet. */
        int left;
        int next;
        long received;
        long dropped;

        Ring(LiveCapture.Spec spec, int fd, Pointer map, long mapLength, int blocks) {
            this.spec = spec;
            this.fd = fd;
            this.map = map;
            this.mapLength = mapLength;
            this.blocks = blocks;
            this.buf = map.getByteBuffer(0, mapLength).order(ByteOrder.BIG_ENDIAN);
            this.hdr = buf.duplicate().order(ByteOrder.nativeOrder());
        }
    }

    private final List<Ring> rings = new ArrayList<>();
    private final int[] pollFds;
    private int turn;

    /** Whether a device can be captured with the ring (Ethernet-like link on Linux). */
    public static boolean supports(String ifname) {
        try {
            String type = Files.readString(Path.of("/sys/class/net", ifname, "type"), StandardCharsets.US_ASCII).strip();
            return type.equals("1") || type.equals("772"); // ARPHRD_ETHER, ARPHRD_LOOPBACK
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public PacketRing(List<LiveCapture.Spec> specs, int bufferBytes, boolean promisc, int snaplen) throws IOException {
        try {
            for (LiveCapture.Spec s : specs) {
                rings.add(open(s, bufferBytes, promisc, snaplen));
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            close();
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
        pollFds = new int[rings.size() * 2];
        for (int i = 0; i < rings.size(); i++) {
            pollFds[2 * i] = rings.get(i).fd;
        }
    }

    private static Ring open(LiveCapture.Spec s, int bufferBytes, boolean promisc, int snaplen) throws IOException {
        int ifindex = LibC.if_nametoindex(s.name());
        if (ifindex == 0) {
            throw new IOException(s.name() + ": no such interface");
        }
        // protocol 0: the socket takes no frame until it is bound to the interface with ETH_P_ALL below; opened with
        // ETH_P_ALL it would queue every interface's frames meanwhile (loopback traffic in a bridge's capture)
        int fd = LibC.socket(AF_PACKET, SOCK_RAW, 0);
        if (fd < 0) {
            throw new IOException(s.name() + ": cannot open a packet socket (errno " + Native.getLastError()
                    + "; run as root or grant CAP_NET_RAW)");
        }
        try {
            Memory v = new Memory(4);
            v.setInt(0, TPACKET_V3);
            check(LibC.setsockopt(fd, SOL_PACKET, PACKET_VERSION, v, 4), s, "PACKET_VERSION");
            int blocks = Math.max(4, bufferBytes / BLOCK_SIZE);
            Memory req = new Memory(28);
            req.setInt(0, BLOCK_SIZE);
            req.setInt(4, blocks);
            req.setInt(8, FRAME_SIZE);
            req.setInt(12, (int) ((long) BLOCK_SIZE * blocks / FRAME_SIZE));
            req.setInt(16, BLOCK_TIMEOUT_MILLIS);
            req.setInt(20, 0);
            req.setInt(24, 0);
            check(LibC.setsockopt(fd, SOL_PACKET, PACKET_RX_RING, req, 28), s, "PACKET_RX_RING");
            long length = (long) BLOCK_SIZE * blocks;
            Pointer map = LibC.mmap(null, length, PROT_READ_WRITE, MAP_SHARED, fd, 0);
            if (map == null || Pointer.nativeValue(map) == -1L) {
                throw new IOException(s.name() + ": cannot map the capture ring (errno " + Native.getLastError() + ")");
            }
            Memory sll = new Memory(20);
            sll.clear();
            sll.setShort(0, (short) AF_PACKET);
            sll.setShort(2, (short) ETH_P_ALL_BE);
            sll.setInt(4, ifindex);
            // the ring has no snaplen of its own: a one-instruction filter returning it truncates in the kernel
            Memory insn = new Memory(8);
            insn.setShort(0, (short) 0x06); // BPF_RET | BPF_K
            insn.setByte(2, (byte) 0);
            insn.setByte(3, (byte) 0);
            insn.setInt(4, snaplen);
            Memory prog = new Memory(16);
            prog.clear();
            prog.setShort(0, (short) 1);
            prog.setPointer(8, insn);
            check(LibC.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, 16), s, "snaplen filter");
            check(LibC.bind(fd, sll, 20), s, "bind");
            if (promisc) {
                Memory mreq = new Memory(16);
                mreq.clear();
                mreq.setInt(0, ifindex);
                mreq.setShort(4, (short) PACKET_MR_PROMISC);
                check(LibC.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, 16), s, "promiscuous mode");
            }
            LOG.info("[{},{}] link type is: {} (kernel ring {} x {} KiB, snaplen {}{})", s.name(), s.ifIndex(),
                    LinkTypes.ETHERNET, blocks, BLOCK_SIZE / 1024, snaplen, promisc ? "" : ", not promiscuous");
            return new Ring(s, fd, map, length, blocks);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static void check(int rc, LiveCapture.Spec s, String what) throws IOException {
        if (rc < 0) {
            throw new IOException(s.name() + ": " + what + " failed (errno " + Native.getLastError() + ")");
        }
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Ring r : rings) {
            sb.append(sb.length() > 0 ? "," : "").append(r.spec.name());
        }
        return sb.toString();
    }

    @Override
    public LiveCapture.Spec spec(int index) {
        return rings.get(index).spec;
    }

    @Override
    public List<LiveCapture.Spec> specs() {
        List<LiveCapture.Spec> out = new ArrayList<>();
        for (Ring r : rings) {
            out.add(r.spec);
        }
        return out;
    }

    @Override
    public int poll(PacketHandler handler, int max) throws IOException, InterruptedException {
        int total = 0;
        for (int round = 0; round < rings.size() && total < max; round++) {
            int i = turn;
            turn = (turn + 1) % rings.size();
            total += drain(rings.get(i), i, handler, max - total);
        }
        if (total == 0) {
            for (int i = 0; i < rings.size(); i++) {
                pollFds[2 * i + 1] = POLLIN;
            }
            LibC.poll(pollFds, rings.size(), POLL_MILLIS);
        }
        return total;
    }

    /** Delivers up to {@code max} frames of one ring, handing finished blocks back to the kernel. */
    private int drain(Ring r, int index, PacketHandler handler, int max) throws InterruptedException {
        ByteBuffer b = r.buf;
        ByteBuffer h = r.hdr;
        int n = 0;
        while (n < max) {
            int blockBase = r.block * BLOCK_SIZE;
            if (r.left == 0) {
                int status = (int) INT.getAcquire(h, blockBase + 8);
                if ((status & TP_STATUS_USER) == 0) {
                    return n;
                }
                r.left = h.getInt(blockBase + 12);
                r.next = blockBase + h.getInt(blockBase + 16);
                if (r.left == 0) {
                    release(r, h, blockBase);
                    continue;
                }
            }
            int p = r.next;
            int nextOffset = h.getInt(p);
            long sec = h.getInt(p + 4) & 0xFFFFFFFFL;
            long nsec = h.getInt(p + 8) & 0xFFFFFFFFL;
            int snaplen = h.getInt(p + 12);
            int len = h.getInt(p + 16);
            int status = h.getInt(p + 20);
            int mac = h.getShort(p + 24) & 0xFFFF;
            int tci = h.getInt(p + 32);
            int tpid = h.getShort(p + 36) & 0xFFFF;
            int pkttype = h.get(p + 58) & 0xFF;
            r.next = p + nextOffset;
            r.left--;
            boolean wanted = r.spec.direction() == LiveCapture.Direction.BOTH
                    || (r.spec.direction() == LiveCapture.Direction.OUT) == (pkttype == PACKET_OUTGOING);
            if (wanted) {
                int frame = p + mac;
                if ((status & TP_STATUS_VLAN_VALID) != 0 && mac >= 48 + 20 + 4 && snaplen >= 12) {
                    // put the stripped 802.1Q/802.1ad tag back after the MAC addresses (the ring leaves headroom)
                    for (int i = 0; i < 12; i++) {
                        b.put(frame - 4 + i, b.get(frame + i));
                    }
                    frame -= 4;
                    b.putShort(frame + 12, (short) ((status & TP_STATUS_VLAN_TPID_VALID) != 0 && tpid != 0 ? tpid : 0x8100));
                    b.putShort(frame + 14, (short) tci);
                    snaplen += 4;
                    len += 4;
                }
                handler.onPacket(b, frame, snaplen, Math.max(len, snaplen), sec * 1_000_000L + nsec / 1000,
                        LinkTypes.ETHERNET, index);
                n++;
            }
            if (r.left == 0) {
                release(r, h, blockBase);
            }
        }
        return n;
    }

    private static void release(Ring r, ByteBuffer b, int blockBase) {
        INT.setRelease(b, blockBase + 8, 0);
        r.block = (r.block + 1) % r.blocks;
    }

    /** Per interface: packets the kernel passed to the ring and dropped for lack of room, since start. */
    @Override
    public List<long[]> stats() {
        List<long[]> out = new ArrayList<>();
        Memory st = new Memory(12);
        Memory len = new Memory(4);
        for (Ring r : rings) {
            len.setInt(0, 12);
            if (LibC.getsockopt(r.fd, SOL_PACKET, PACKET_STATISTICS, st, len) == 0) {
                // reading resets the kernel's counters: accumulate; tp_packets includes the drops
                long packets = st.getInt(0) & 0xFFFFFFFFL;
                long drops = st.getInt(4) & 0xFFFFFFFFL;
                r.received += packets - drops;
                r.dropped += drops;
            }
            out.add(new long[] {r.received + r.dropped, r.dropped, 0});
        }
        return out;
    }

    @Override
    public void close() {
        for (Ring r : rings) {
            LibC.munmap(r.map, r.mapLength);
            LibC.close(r.fd);
        }
        rings.clear();
    }
}
