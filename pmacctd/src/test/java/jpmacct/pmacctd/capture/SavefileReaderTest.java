package jpmacct.pmacctd.capture;

import jpmacct.core.capture.PacketHandler;
import jpmacct.core.capture.PacketSource;
import jpmacct.core.capture.SavefileException;
import jpmacct.core.capture.SavefileReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavefileReaderTest {
    private static final long TS_SEC = 1_700_000_000L;

    /** What the reader handed over for one frame. */
    record Frame(int caplen, int wireLen, long tsMicros, int linkType, int ifIndex, byte first) {
    }

    private static List<Frame> readAll(Path file) throws IOException, InterruptedException {
        List<Frame> out = new ArrayList<>();
        try (SavefileReader r = new SavefileReader(file)) {
            PacketHandler h = (buf, offset, caplen, wireLen, ts, link, ifIndex) -> {
                assertTrue(caplen >= 0 && offset >= 0 && offset + caplen <= buf.limit(), "frame inside its buffer");
                assertTrue(wireLen >= caplen, "wire length covers the capture");
                out.add(new Frame(caplen, wireLen, ts, link, ifIndex, caplen > 0 ? buf.get(offset) : 0));
            };
            while (r.poll(h, 64) != PacketSource.END) {
                // keep reading
            }
            assertEquals(out.size(), r.frames());
        }
        return out;
    }

    private static ByteBuffer pcapHeader(ByteBuffer b, int magic, int linkType) {
        return b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
    }

    private static ByteBuffer pcapRecord(ByteBuffer b, long sec, int frac, int caplen, int wireLen, int fill) {
        b.putInt((int) sec).putInt(frac).putInt(caplen).putInt(wireLen);
        for (int i = 0; i < caplen; i++) {
            b.put((byte) fill);
        }
        return b;
    }

    private static Path write(Path dir, String name, ByteBuffer b) throws IOException {
        byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void littleEndianMicrosecondPcap(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        pcapHeader(b, 0xA1B2C3D4, 1);
        pcapRecord(b, TS_SEC, 250_000, 60, 1514, 0x11);
        pcapRecord(b, TS_SEC + 1, 0, 42, 42, 0x22);
        List<Frame> f = readAll(write(dir, "le.pcap", b));
        assertEquals(List.of(new Frame(60, 1514, TS_SEC * 1_000_000 + 250_000, 1, 0, (byte) 0x11),
                new Frame(42, 42, (TS_SEC + 1) * 1_000_000, 1, 0, (byte) 0x22)), f);
    }

    @Test
    void bigEndianNanosecondPcap(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.BIG_ENDIAN);
        pcapHeader(b, 0xA1B23C4D, 101);
        pcapRecord(b, TS_SEC, 123_456_789, 20, 20, 0x45);
        List<Frame> f = readAll(write(dir, "be.pcap", b));
        assertEquals(TS_SEC * 1_000_000 + 123_456, f.get(0).tsMicros());
        assertEquals(101, f.get(0).linkType());
    }

    /** A pcapng file with two interfaces of different link types; the packet names its interface. */
    @Test
    void pcapngWithTwoInterfaces(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        for (int link : new int[] {1, 101}) {
            b.putInt(1).putInt(20).putShort((short) link).putShort((short) 0).putInt(0).putInt(20);
        }
        long ts = TS_SEC * 1_000_000 + 7;
        b.putInt(6).putInt(32 + 44).putInt(1).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(41).putInt(41);
        for (int i = 0; i < 44; i++) {
            b.put((byte) (i < 41 ? 0x45 : 0));
        }
        b.putInt(32 + 44);
        List<Frame> f = readAll(write(dir, "two.pcapng", b));
        assertEquals(List.of(new Frame(41, 41, ts, 101, 1, (byte) 0x45)), f);
    }

    @Test
    void frameLargerThanTheReadBufferIsRefusedCleanly(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        pcapHeader(b, 0xA1B2C3D4, 1);
        pcapRecord(b, TS_SEC, 0, 200_000, 200_000, 0x33);
        List<Frame> f = readAll(write(dir, "big.pcap", b));
        assertEquals(200_000, f.get(0).caplen(), "libpcap accepts frames up to 256 KiB");
    }

    /**
     * Bounded mutation fuzzing of the savefile parser: flipped bytes, overwritten length fields and cuts in the bundled
     * capture must end in a clean read or a {@link SavefileException} naming the file, never in another exception.
     */
    @Test
    void mutatedCapturesFailCleanly(@TempDir Path dir) throws Exception {
        byte[] original;
        try (InputStream in = SavefileReaderTest.class.getResourceAsStream("/conformance/inputs/edge.pcap")) {
            original = in.readAllBytes();
        }
        Random rnd = new Random(20261125);
        Path file = dir.resolve("mutated.pcap");
        int clean = 0;
        int refused = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] m = original.clone();
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(m.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> m[at] = (byte) rnd.nextInt(256);
                    case 1 -> ByteBuffer.wrap(m).putInt(Math.min(at, m.length - 4) & ~3, rnd.nextInt());
                    default -> m = Arrays.copyOf(m, at);
                }
            }
            Files.write(file, m);
            try {
                readAll(file);
                clean++;
            } catch (SavefileException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
                refused++;
            }
        }
        assertTrue(clean > 0 && refused > 0, "both outcomes exercised: " + clean + " clean, " + refused + " refused");
    }

    @Test
    void notACapture(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("notes.txt"), "hello, world\n");
        SavefileException e = assertThrows(SavefileException.class, () -> new SavefileReader(f));
        assertTrue(e.getMessage().contains("not a pcap or pcapng capture"), e.getMessage());
    }
}
