package jpmacct.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.kafka.KafkaDatagram;

/** What the tee puts on Kafka is what the Kafka input hands the decoder: the datagram and its exporter. */
class KafkaDatagramTest {
    private record Seen(byte[] datagram, InetAddress sender, long arrival) {
    }

    private static List<Seen> read(byte[]... messages) throws Exception {
        List<Seen> out = new ArrayList<>();
        SavefileDatagrams reader = new SavefileDatagrams((d, length, sender, arrival) ->
                out.add(new Seen(Arrays.copyOf(d, length), sender, arrival)));
        for (byte[] m : messages) {
            reader.onPacket(ByteBuffer.wrap(m), 0, m.length, m.length, 42_000L, LinkTypes.RAW, 0);
        }
        assertEquals(messages.length - out.size(), reader.skipped());
        return out;
    }

    @Test
    void roundTripForBothFamilies() throws Exception {
        byte[] odd = {9, 0, 1, 2, 3};
        byte[] even = new byte[1400];
        even[0] = 10;
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        List<Seen> seen = read(KafkaDatagram.encode(odd, odd.length, v4, 2055),
                KafkaDatagram.encode(even, even.length, v6, 4739));
        assertEquals(2, seen.size());
        assertArrayEquals(odd, seen.get(0).datagram());
        assertEquals(v4, seen.get(0).sender());
        assertEquals(42_000L, seen.get(0).arrival());
        assertArrayEquals(even, seen.get(1).datagram());
        assertEquals(v6, seen.get(1).sender());
        assertArrayEquals("2001:db8:0:0:0:0:0:1".getBytes(), KafkaDatagram.key(v6));
    }

    /** A message that is no IP/UDP datagram (cut, another payload) is skipped and counted, never decoded. */
    @Test
    void otherMessagesAreSkipped() throws Exception {
        byte[] good = KafkaDatagram.encode(new byte[100], 100, InetAddress.getByName("192.0.2.1"), 2055);
        byte[] cut = Arrays.copyOf(good, 60);
        byte[] json = "{\"event_type\": \"purge\"}".getBytes();
        byte[] tcp = good.clone();
        tcp[9] = 6;
        assertEquals(0, read(cut, json, tcp, new byte[0]).size());
    }
}
