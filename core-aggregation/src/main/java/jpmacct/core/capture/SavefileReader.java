package jpmacct.core.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import jpmacct.core.decode.packet.LinkTypes;

/**
 * Reads pcap (micro- and nanosecond, either byte order) and pcapng savefiles straight from a large reusable buffer:
 * no per-packet objects, frames handed to the decoder in place. Corruption and truncation are reported with the
 * byte offset after every good frame before them was delivered.
 */
public final class SavefileReader implements PacketSource {
    private static final int PCAP_MAGIC_US = 0xA1B2C3D4;
    private static final int PCAP_MAGIC_NS = 0xA1B23C4D;
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_BOM = 0x1A2B3C4D;
    /** libpcap's largest accepted frame. */
    private static final int MAX_FRAME = 262_144;
    private static final int MAX_BLOCK = 16 * 1024 * 1024;

    /** Read in L2-sized chunks: a frame is decoded while the kernel's copy of it is still in cache. */
    private static final int CHUNK = 256 * 1024;

    private final Path path;
    private final FileChannel channel;
    private ByteBuffer buf;
    private int pos;
    private int limit;
    private long fileOffset; // file offset of buf[0]
    private boolean eof;

    private final boolean pcapng;
    private ByteOrder order;
    private boolean nanos;
    private int linkType;
    private final List<Integer> interfaces = new ArrayList<>(); // link type per pcapng interface
    private final List<Long> tsUnitsPerSec = new ArrayList<>();
    private long frames;

    public SavefileReader(Path path) throws IOException {
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SavefileException(path + ": no such file");
        }
        this.buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.BIG_ENDIAN);
        try {
            if (!ensure(4)) {
                throw new SavefileException(path + ": empty file, not a pcap or pcapng capture");
            }
            int magic = buf.getInt(pos);
            if (magic == PCAPNG_SHB) {
                pcapng = true;
            } else {
                pcapng = false;
                readPcapHeader(magic);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Link type of a pcap file, or of the first interface of a pcapng file (-1 before it is known). */
    public int linkType() {
        if (!pcapng) {
            return linkType;
        }
        return interfaces.isEmpty() ? -1 : interfaces.get(0);
    }

    public boolean isPcapng() {
        return pcapng;
    }

    public long frames() {
        return frames;
    }

    @Override
    public String describe() {
        return path.toString();
    }

    private void readPcapHeader(int magicBe) throws IOException {
        int magic = magicBe;
        if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(magic) == PCAP_MAGIC_US || Integer.reverseBytes(magic) == PCAP_MAGIC_NS) {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = Integer.reverseBytes(magic);
        } else {
            throw new SavefileException(path + ": not a pcap or pcapng capture (magic 0x"
                    + String.format("%08x", magicBe) + ")");
        }
        nanos = magic == PCAP_MAGIC_NS;
        if (!ensure(24)) {
            throw new SavefileException(path + ": truncated pcap file header (" + (limit - pos) + " of 24 bytes)");
        }
        int major = u16(pos + 4);
        if (major != 2) {
            throw new SavefileException(path + ": unsupported pcap version " + major + "." + u16(pos + 6));
        }
        linkType = i32(pos + 20) & 0x0FFFFFFF;
        pos += 24;
        if (!LinkTypes.supported(linkType)) {
            throw new SavefileException(path + ": link type " + linkType + " is not supported; supported: "
                    + LinkTypes.supportedList());
        }
    }

    private int u16(int at) {
        short v = buf.getShort(at);
        return (order == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v)) & 0xFFFF;
    }

    private int i32(int at) {
        int v = buf.getInt(at);
        return order == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    /** Makes at least {@code n} bytes available from {@code pos}; false at end of file. */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        int rest = limit - pos;
        if (n > buf.capacity() || rest > pos) {
            // a record larger than the buffer, or a tail that would overlap itself when moved down
            int size = n > buf.capacity() ? Math.max(n, buf.capacity() * 2) : buf.capacity();
            ByteBuffer fresh = ByteBuffer.allocateDirect(size).order(ByteOrder.BIG_ENDIAN);
            fresh.put(0, buf, pos, rest);
            buf = fresh;
        } else if (rest > 0) {
            buf.put(0, buf, pos, rest);
        }
        fileOffset += pos;
        limit = rest;
        pos = 0;
        while (limit < n && !eof) {
            buf.limit(buf.capacity()).position(limit);
            int r = channel.read(buf);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit >= n;
    }

    @Override
    public int poll(PacketHandler handler, int max) throws IOException, InterruptedException {
        int n = 0;
        while (n < max) {
            int r = pcapng ? nextPcapng(handler) : nextPcap(handler);
            if (r < 0) {
                return n == 0 ? END : n;
            }
            n += r;
        }
        return n;
    }

    private int nextPcap(PacketHandler handler) throws IOException, InterruptedException {
        if (!ensure(16)) {
            if (limit - pos > 0) {
                throw new SavefileException(path + ": truncated record header at offset " + (fileOffset + pos)
                        + " after " + frames + " packets (file cut short?)");
            }
            return -1;
        }
        long sec = i32(pos) & 0xFFFFFFFFL;
        long frac = i32(pos + 4) & 0xFFFFFFFFL;
        int caplen = i32(pos + 8);
        int len = i32(pos + 12);
        if (caplen < 0 || caplen > MAX_FRAME || len < 0) {
            throw new SavefileException(path + ": corrupt record at offset " + (fileOffset + pos) + " (captured length "
                    + Integer.toUnsignedString(caplen) + ") after " + frames + " packets");
        }
        if (!ensure(16 + caplen)) {
            throw new SavefileException(path + ": truncated record at offset " + (fileOffset + pos) + " ("
                    + (limit - pos - 16) + " of " + caplen + " bytes) after " + frames + " packets (file cut short?)");
        }
        long micros = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
        int at = pos + 16;
        pos = at + caplen;
        frames++;
        handler.onPacket(buf, at, caplen, Math.max(len, caplen), micros, linkType, 0);
        return 1;
    }

    private int nextPcapng(PacketHandler handler) throws IOException, InterruptedException {
        while (true) {
            if (!ensure(12)) {
                if (limit - pos > 0) {
                    throw new SavefileException(path + ": truncated block at offset " + (fileOffset + pos)
                            + " after " + frames + " packets (file cut short?)");
                }
                return -1;
            }
            int type = buf.getInt(pos);
            if (type == PCAPNG_SHB) {
                readSectionHeader();
                continue;
            }
            if (order == null) {
                throw new SavefileException(path + ": pcapng block before the section header");
            }
            int type2 = i32(pos);
            int total = i32(pos + 4);
            if (total < 12 || (total & 3) != 0 || total > MAX_BLOCK) {
                throw new SavefileException(path + ": corrupt pcapng block at offset " + (fileOffset + pos)
                        + " (length " + Integer.toUnsignedString(total) + ") after " + frames + " packets");
            }
            if (!ensure(total)) {
                throw new SavefileException(path + ": truncated pcapng block at offset " + (fileOffset + pos) + " ("
                        + (limit - pos) + " of " + total + " bytes) after " + frames + " packets (file cut short?)");
            }
            int body = pos + 8;
            int blockEnd = pos + total;
            if (i32(blockEnd - 4) != total) {
                throw new SavefileException(path + ": corrupt pcapng block at offset " + (fileOffset + pos)
                        + " (trailing length differs) after " + frames + " packets");
            }
            int delivered = 0;
            switch (type2) {
                case 1:
                    readInterface(body, blockEnd - 4);
                    break;
                case 6:
                    delivered = enhancedPacket(handler, body, blockEnd - 4);
                    break;
                case 3:
                    delivered = simplePacket(handler, body, blockEnd - 4);
                    break;
                case 2:
                    delivered = obsoletePacket(handler, body, blockEnd - 4);
                    break;
                default:
                    break; // statistics, name resolution, custom: skipped by length
            }
            pos = blockEnd;
            if (delivered > 0) {
                return delivered;
            }
        }
    }

    private void readSectionHeader() throws IOException {
        if (!ensure(12)) {
            throw new SavefileException(path + ": truncated pcapng section header");
        }
        int bom = buf.getInt(pos + 8);
        if (bom == PCAPNG_BOM) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(bom) == PCAPNG_BOM) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new SavefileException(path + ": corrupt pcapng section header (byte-order magic 0x"
                    + String.format("%08x", bom) + ")");
        }
        int total = i32(pos + 4);
        if (total < 28 || (total & 3) != 0 || total > MAX_BLOCK) {
            throw new SavefileException(path + ": corrupt pcapng section header (length " + total + ")");
        }
        if (!ensure(total)) {
            throw new SavefileException(path + ": truncated pcapng section header");
        }
        int major = u16(pos + 12);
        if (major != 1) {
            throw new SavefileException(path + ": unsupported pcapng version " + major);
        }
        interfaces.clear();
        tsUnitsPerSec.clear();
        pos += total;
    }

    private void readInterface(int body, int end) throws SavefileException {
        if (end - body < 8) {
            throw new SavefileException(path + ": corrupt pcapng interface block");
        }
        int lt = u16(body);
        long units = 1_000_000L;
        int opt = body + 8;
        while (opt + 4 <= end) {
            int code = u16(opt);
            int len = u16(opt + 2);
            if (code == 0) {
                break;
            }
            if (code == 9 && len >= 1 && opt + 5 <= end) {
                int res = buf.get(opt + 4) & 0xFF;
                int exp = res & 0x7F;
                if ((res & 0x80) != 0) {
                    units = exp >= 63 ? Long.MAX_VALUE : 1L << exp;
                } else {
                    units = 1;
                    for (int i = 0; i < exp && units < Long.MAX_VALUE / 10; i++) {
                        units *= 10;
                    }
                }
            }
            opt += 4 + ((len + 3) & ~3);
        }
        if (!LinkTypes.supported(lt)) {
            throw new SavefileException(path + ": link type " + lt + " (interface " + interfaces.size()
                    + ") is not supported; supported: " + LinkTypes.supportedList());
        }
        interfaces.add(lt);
        tsUnitsPerSec.add(units);
    }

    private long micros(int iface, long ts) {
        long units = tsUnitsPerSec.get(iface);
        if (units == 1_000_000L) {
            return ts;
        }
        long sec = Long.divideUnsigned(ts, units);
        long frac = Long.remainderUnsigned(ts, units);
        return sec * 1_000_000L + (long) (frac * (1_000_000.0 / units));
    }

    private int enhancedPacket(PacketHandler handler, int body, int end) throws IOException, InterruptedException {
        if (end - body < 20) {
            throw new SavefileException(path + ": corrupt pcapng packet block at offset " + (fileOffset + body - 8));
        }
        int iface = i32(body);
        long ts = ((i32(body + 4) & 0xFFFFFFFFL) << 32) | (i32(body + 8) & 0xFFFFFFFFL);
        int caplen = i32(body + 12);
        int len = i32(body + 16);
        return deliver(handler, iface, ts, body + 20, caplen, len, end);
    }

    private int simplePacket(PacketHandler handler, int body, int end) throws IOException, InterruptedException {
        if (end - body < 4 || interfaces.isEmpty()) {
            throw new SavefileException(path + ": corrupt pcapng simple packet block at offset " + (fileOffset + body - 8));
        }
        int len = i32(body);
        int caplen = Math.min(len, end - body - 4);
        return deliver(handler, 0, -1, body + 4, caplen, len, end);
    }

    private int obsoletePacket(PacketHandler handler, int body, int end) throws IOException, InterruptedException {
        if (end - body < 20) {
            throw new SavefileException(path + ": corrupt pcapng packet block at offset " + (fileOffset + body - 8));
        }
        int iface = u16(body);
        long ts = ((i32(body + 4) & 0xFFFFFFFFL) << 32) | (i32(body + 8) & 0xFFFFFFFFL);
        return deliver(handler, iface, ts, body + 20, i32(body + 12), i32(body + 16), end);
    }

    private int deliver(PacketHandler handler, int iface, long ts, int data, int caplen, int len, int end)
            throws IOException, InterruptedException {
        if (iface < 0 || iface >= interfaces.size()) {
            throw new SavefileException(path + ": pcapng packet for undeclared interface " + iface + " at offset "
                    + (fileOffset + data));
        }
        if (caplen < 0 || caplen > MAX_FRAME || data + caplen > end) {
            throw new SavefileException(path + ": corrupt pcapng packet at offset " + (fileOffset + data)
                    + " (captured length " + Integer.toUnsignedString(caplen) + ") after " + frames + " packets");
        }
        frames++;
        long micros = ts < 0 ? 0 : micros(iface, ts);
        handler.onPacket(buf, data, caplen, Math.max(len, caplen), micros, interfaces.get(iface), iface);
        return 1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
