package jpmacct.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a deterministic synthetic capture for benchmarks: IPv4/IPv6, TCP/UDP/ICMP, some 802.1Q, flows with a
 * skewed (Zipf-like) popularity so that aggregation sees heavy and light keys.
 *
 * <p>usage: GenPcap OUT.pcap [packets] [flows] [seed] [min|every]   ("min": minimum-size frames, 64 bytes, IPv4 UDP,
 * for packet-rate tests; "every": the first packets visit every flow once, for tables with exactly that many keys)
 */
public final class GenPcap {
    private GenPcap() {
    }

    private record Flow(boolean v6, int proto, byte[] src, byte[] dst, int sport, int dport, int vlan, int tos) {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long packets = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
        int flowCount = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        String mode = args.length > 4 ? args[4] : "";
        write(out, packets, flowCount, seed, mode.equals("min"), mode.equals("every"));
    }

    public static void write(Path file, long packets, int flowCount, long seed, boolean minimumFrames) throws IOException {
        write(file, packets, flowCount, seed, minimumFrames, false);
    }

    public static void write(Path file, long packets, int flowCount, long seed, boolean minimumFrames, boolean everyFlow)
            throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Flow[] flows = new Flow[flowCount];
        for (int i = 0; i < flowCount; i++) {
            boolean v6 = !minimumFrames && rnd.nextInt(100) < 20;
            int p = rnd.nextInt(100);
            int proto = minimumFrames ? 17 : p < 70 ? 6 : p < 95 ? 17 : (v6 ? 58 : 1);
            byte[] lan = v6 ? v6Addr(0x20010db800010000L, rnd.nextInt(256) + 1) : new byte[] {(byte) 192, (byte) 168, 1, (byte) (rnd.nextInt(254) + 1)};
            byte[] wan = v6 ? v6Addr(0x2a00000000000000L | ((long) rnd.nextInt(1 << 16) << 32), rnd.nextInt()) : new byte[] {
                (byte) (rnd.nextInt(200) + 20), (byte) rnd.nextInt(256), (byte) rnd.nextInt(256), (byte) (rnd.nextInt(254) + 1)};
            boolean out = rnd.nextInt(100) < 60;
            int sport = 1024 + rnd.nextInt(64000);
            int[] common = {80, 443, 443, 53, 22, 25, 123, 8080};
            int dport = rnd.nextInt(10) < 8 ? common[rnd.nextInt(common.length)] : 1 + rnd.nextInt(65534);
            int vlan = !minimumFrames && rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(4000) : 0;
            int tos = new int[] {0, 0, 0, 0x10, 0xb8}[rnd.nextInt(5)];
            flows[i] = out ? new Flow(v6, proto, lan, wan, sport, dport, vlan, tos)
                    : new Flow(v6, proto, wan, lan, dport, sport, vlan, tos);
        }
        double[] cum = new double[flowCount];
        double t = 0;
        for (int i = 0; i < flowCount; i++) {
            t += 1.0 / Math.pow(i + 1, 1.1);
            cum[i] = t;
        }
        ByteBuffer frame = ByteBuffer.allocate(1600).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer hdr = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            hdr.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            os.write(hdr.array());
            long usec = 1_700_000_000L * 1_000_000L;
            for (long n = 0; n < packets; n++) {
                int idx = everyFlow && n < flowCount ? (int) n : Arrays.binarySearch(cum, rnd.nextDouble() * t);
                Flow f = flows[Math.min(flowCount - 1, idx < 0 ? -idx - 1 : idx)];
                int payload = minimumFrames ? 18 : f.proto == 6 ? new int[] {0, 12, 24, 160, 536, 960, 1420}[rnd.nextInt(7)]
                        : new int[] {0, 32, 92, 484}[rnd.nextInt(4)];
                frame.clear();
                frame.put(new byte[] {2, (byte) 0xaa, 0, 0, 0, 1});
                frame.put(new byte[] {2, 0, 0, 0, 0, (byte) (n & 0xff)});
                if (f.vlan != 0) {
                    frame.putShort((short) 0x8100).putShort((short) f.vlan);
                }
                int l4len = (f.proto == 6 ? 20 : 8) + payload;
                if (f.v6) {
                    frame.putShort((short) 0x86DD).putInt((6 << 28) | (f.tos << 20)).putShort((short) l4len)
                            .put((byte) f.proto).put((byte) 64).put(f.src).put(f.dst);
                } else {
                    frame.putShort((short) 0x0800).put((byte) 0x45).put((byte) f.tos).putShort((short) (20 + l4len))
                            .putShort((short) n).putShort((short) 0x4000).put((byte) 64).put((byte) f.proto)
                            .putShort((short) 0).put(f.src).put(f.dst);
                }
                if (f.proto == 6) {
                    frame.putShort((short) f.sport).putShort((short) f.dport).putInt((int) n).putInt(0)
                            .put((byte) 0x50).put((byte) (n % 7 == 0 ? 0x02 : 0x18)).putShort((short) 65535).putInt(0);
                } else if (f.proto == 17) {
                    frame.putShort((short) f.sport).putShort((short) f.dport).putShort((short) l4len).putShort((short) 0);
                } else {
                    frame.put((byte) (f.proto == 1 ? 8 : 128)).put((byte) 0).putShort((short) 0).putInt((int) n);
                }
                frame.position(frame.position() + payload);
                int len = frame.position();
                rec.clear();
                rec.putInt((int) (usec / 1_000_000L)).putInt((int) (usec % 1_000_000L)).putInt(len).putInt(len);
                os.write(rec.array());
                os.write(frame.array(), 0, len);
                usec += 1000 + rnd.nextInt(10);
            }
        }
    }

    private static byte[] v6Addr(long hi, long lo) {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }
}
