package jpmacct.pmacctd.bpf;

import jpmacct.filter.bpf.BpfCompiler;
import jpmacct.filter.bpf.BpfProgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import jpmacct.core.capture.PacketSource;
import jpmacct.core.capture.SavefileReader;

/** The Java BPF interpreter that filters savefiles agrees with libpcap's own pcap_offline_filter, frame by frame. */
class BpfProgramTest {

    private record Frame(byte[] bytes, int wireLen) {
    }

    private static List<Frame> frames(Path file) throws Exception {
        List<Frame> out = new ArrayList<>();
        try (SavefileReader r = new SavefileReader(file)) {
            while (r.poll((buf, off, caplen, wireLen, ts, link, ifIndex) -> {
                byte[] b = new byte[caplen];
                buf.get(off, b);
                out.add(new Frame(b, wireLen));
            }, 256) != PacketSource.END) {
                // keep reading
            }
        }
        return out;
    }

    private static List<Frame> bundledTraffic(Path dir) throws Exception {
        Path small = dir.resolve("small.pcap");
        try (InputStream in = new GZIPInputStream(BpfProgramTest.class.getResourceAsStream("/conformance/inputs/small.pcap.gz"))) {
            Files.copy(in, small);
        }
        Path edge = dir.resolve("edge.pcap");
        try (InputStream in = BpfProgramTest.class.getResourceAsStream("/conformance/inputs/edge.pcap")) {
            Files.copy(in, edge);
        }
        List<Frame> all = frames(small);
        all.addAll(frames(edge));
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "not port 22", "udp and dst port 53", "icmp or icmp6", "ip6", "vlan",
        "net 192.168.1.0/24", "src host 192.168.1.5", "tcp[tcpflags] & tcp-syn != 0", "ip[6:2] & 0x1fff != 0",
        "greater 1000", "less 100", "ether broadcast", "portrange 1000-2000", "ip and not tcp and not udp"})
    void agreesWithLibpcap(String expression, @TempDir Path dir) throws Exception {
        BpfProgram ours = BpfCompiler.compile(expression, 1, 65535);
        org.pcap4j.core.BpfProgram theirs = Pcaps.compileFilter(65535, DataLinkType.EN10MB, expression,
                BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
        List<Frame> frames = bundledTraffic(dir);
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            boolean expected = theirs.applyFilter(f.bytes(), f.wireLen(), f.bytes().length);
            assertEquals(expected, ours.matches(ByteBuffer.wrap(f.bytes()), 0, f.bytes().length, f.wireLen()),
                    expression + ", frame " + i);
        }
        theirs.free();
        assertTrue(frames.size() > 1000, "ran over the bundled captures");
    }

    @Test
    void aBadExpressionCarriesLibpcapsMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BpfCompiler.compile("port eleventy", 1, 65535));
        assertTrue(e.getMessage().contains("eleventy") || e.getMessage().contains("syntax"), e.getMessage());
    }
}
