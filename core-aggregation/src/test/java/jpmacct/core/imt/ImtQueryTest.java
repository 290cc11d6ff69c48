package jpmacct.core.imt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.aggregate.StringDictionary;
import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.Addr;

class ImtQueryTest {

    private static ImtQuery sample() {
        ImtQuery q = new ImtQuery();
        q.op = ImtQuery.Op.COUNTERS;
        q.primitives = List.of(Primitive.SRC_HOST, Primitive.DST_PORT);
        q.matches = List.of("192.168.1.5,443", "2001:db8::1,80");
        q.counter = "all";
        q.sum = true;
        q.topCounter = "packets";
        q.topN = 10;
        q.output = "csv";
        q.separator = ";";
        q.reset = true;
        q.zone = "Europe/Rome";
        return q;
    }

    @Test
    void encodeDecodeRoundTrip() throws Exception {
        ImtQuery q = sample();
        String wire = ImtProtocol.readRequest(new ByteArrayInputStream(ImtProtocol.request(q.encode())));
        ImtQuery back = ImtQuery.decode(wire);
        assertEquals(q.encode(), back.encode());
    }

    /** -s -e / -M -e: the erase key goes on the wire only when set, so older daemons answer every other query. */
    @Test
    void eraseIsSentOnlyWhenSetAndOnlyWithATable() {
        ImtQuery q = new ImtQuery();
        assertFalse(q.encode().contains("erase="));
        q.erase = true;
        assertTrue(q.encode().contains("\nerase=true\n"));
        assertTrue(ImtQuery.decode(q.encode()).erase);
        assertThrows(IllegalArgumentException.class, () -> ImtQuery.decode("op=status\nerase=true\n"));
    }

    @Test
    void decodeRefusesWhatTheClientWouldNotSend() {
        assertThrows(IllegalArgumentException.class, () -> ImtQuery.decode("op=drop_tables\n"));
        assertThrows(IllegalArgumentException.class, () -> ImtQuery.decode("op=show\nfoo=bar\n"));
        assertThrows(IllegalArgumentException.class, () -> ImtQuery.decode("op=show\noutput=xml\n"));
        assertThrows(IllegalArgumentException.class, () -> ImtQuery.decode("op=show\ntopn=-1\n"));
        assertThrows(IllegalArgumentException.class, () -> ImtQuery.decode("op=counters\nprimitives=src_host\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImtQuery.decode("op=counters\nprimitives=src_host\nmatch=10.0.0.300\n"));
        assertEquals("src_host: Invalid IP address: '10.0.0.300'", e.getMessage());
    }

    @Test
    void framingErrorsAreProtocolErrors() {
        assertThrows(ImtProtocol.ProtocolException.class,
                () -> ImtProtocol.readRequest(new ByteArrayInputStream("GET / HTTP/1.0\r\n".getBytes())));
        ImtProtocol.ProtocolException v = assertThrows(ImtProtocol.ProtocolException.class,
                () -> ImtProtocol.readRequest(new ByteArrayInputStream(new byte[] {'J', 'P', 'M', 'I', 7, 0, 0, 0, 0})));
        assertEquals(7, v.version());
        assertThrows(ImtProtocol.ProtocolException.class, () -> ImtProtocol.readRequest(
                new ByteArrayInputStream(new byte[] {'J', 'P', 'M', 'I', 1, 0x7f, 0, 0, 0})));
        assertThrows(EOFException.class, () -> ImtProtocol.readRequest(
                new ByteArrayInputStream(new byte[] {'J', 'P', 'M', 'I', 1, 0, 0, 0, 9, 'o'})));
    }

    /** Bounded fuzzing: mutated requests end in a clean query or a named refusal, never another exception. */
    @Test
    void mutatedRequestsFailCleanly() {
        byte[] original = ImtProtocol.request(sample().encode());
        Random rnd = new Random(42);
        int decoded = 0;
        for (int round = 0; round < 50_000; round++) {
            byte[] m = original.clone();
            for (int e = 1 + rnd.nextInt(3); e > 0 && m.length > 0; e--) {
                int at = rnd.nextInt(m.length);
                if (rnd.nextInt(4) == 0) {
                    m = Arrays.copyOf(m, at);
                } else {
                    m[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : ",;=\n:0a/".charAt(rnd.nextInt(8)));
                }
            }
            try {
                ImtQuery.decode(ImtProtocol.readRequest(new ByteArrayInputStream(m)));
                decoded++;
            } catch (IllegalArgumentException | IOException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "refusals say why");
            }
        }
        assertTrue(decoded > 0, "some mutations are still valid queries");
    }

    @Test
    void matchingComparesTheGivenPrimitivesOnly() {
        KeyLayout layout = new KeyLayout(new Aggregate(EnumSet.of(Primitive.SRC_HOST, Primitive.DST_PORT,
                Primitive.PROTO)), false);
        long[] key = new long[layout.words()];
        Addr.Parsed a = Addr.parse("192.168.1.5");
        for (int i = 0; i < layout.fieldCount(); i++) {
            KeyField f = layout.field(i);
            long v = switch (f) {
                case SRC_FAMILY -> a.family();
                case SRC_LO -> a.lo();
                case DST_PORT -> 443;
                case PROTO -> 6;
                default -> 0;
            };
            layout.put(key, 0, i, v);
        }
        StringDictionary none = new StringDictionary("");
        assertTrue(bound(List.of(Primitive.SRC_HOST), "192.168.1.5", layout, none).test(key, 0));
        assertTrue(bound(List.of(Primitive.PROTO, Primitive.DST_PORT), "tcp,443", layout, none).test(key, 0));
        assertFalse(bound(List.of(Primitive.PROTO), "udp", layout, none).test(key, 0));
        assertTrue(bound(List.of(Primitive.TOS), "0", layout, none).test(key, 0), "not aggregated reads as 0");
        assertFalse(bound(List.of(Primitive.LABEL), "office", layout, none).test(key, 0), "unknown label never matches");
        assertEquals(Arrays.toString(key), Arrays.toString(bound(List.of(Primitive.SRC_HOST,
                Primitive.DST_PORT, Primitive.PROTO), "192.168.1.5,443,6", layout, none).exactKey()), "a full key is looked up");
        assertEquals(null, bound(List.of(Primitive.SRC_HOST), "192.168.1.5", layout, none).exactKey(), "a partial one is scanned");
        assertThrows(IllegalArgumentException.class, () -> MatchSpec.parse(List.of(Primitive.TIMESTAMP_START), "1"));
        assertThrows(IllegalArgumentException.class, () -> MatchSpec.parse(List.of(Primitive.VLAN), "4096"));
    }

    private static MatchSpec.Bound bound(List<Primitive> p, String v, KeyLayout layout, StringDictionary d) {
        return MatchSpec.parse(p, v).bind(layout, d, d);
    }
}
