package jpmacct.plugins.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.output.Row;
import jpmacct.core.record.Addr;

/** pmacct's variables in topics, routing keys and Kafka keys: what they become, what is refused. */
class NameTemplateTest {

    /** An aggregate with only the fields a test gives. */
    private record Fields(Map<KeyField, Long> values) implements Row {
        @Override
        public long field(KeyField f) {
            return values.getOrDefault(f, 0L);
        }

        @Override
        public long packets() {
            return 0;
        }

        @Override
        public long bytes() {
            return 0;
        }

        @Override
        public long flows() {
            return 0;
        }

        @Override
        public int tcpFlags() {
            return 0;
        }

        @Override
        public String label() {
            return "";
        }

        @Override
        public String classLabel() {
            return "unknown";
        }
    }

    private static Row row() {
        Map<KeyField, Long> m = new EnumMap<>(KeyField.class);
        m.put(KeyField.TAG, 10L);
        m.put(KeyField.TAG2, -1L);
        Addr.Parsed v4 = Addr.parse("192.0.2.1");
        m.put(KeyField.PEER_SRC_FAMILY, (long) v4.family());
        m.put(KeyField.PEER_SRC_HI, v4.hi());
        m.put(KeyField.PEER_SRC_LO, v4.lo());
        Addr.Parsed v6 = Addr.parse("2001:db8::7");
        m.put(KeyField.SRC_FAMILY, (long) v6.family());
        m.put(KeyField.SRC_HI, v6.hi());
        m.put(KeyField.SRC_LO, v6.lo());
        m.put(KeyField.SRC_PORT, 443L);
        m.put(KeyField.PROTO, 6L);
        m.put(KeyField.IN_IFACE, 3L);
        return new Fields(m);
    }

    @Test
    void variablesFromTheAggregateAndThePlugin() {
        NameTemplate t = NameTemplate.parse("acct.$peer_src_ip.$tag-$tag2.$post_tag.$post_tag2_.x", NameTemplate.DESTINATION,
                7, 0);
        assertTrue(t.hasVariables());
        assertEquals("acct.192_0_2_1.10-18446744073709551615.7.0_.x", t.resolve(row()));
        assertEquals("acct.0_0_0_0.0-0.7.0_.x", t.resolve(null), "an aggregate without the fields");
    }

    @Test
    void keysHaveTheFlowsFieldsToo() {
        NameTemplate t = NameTemplate.parse("$src_host:$src_port/$dst_host:$dst_port/$proto/$in_iface",
                NameTemplate.MESSAGE_KEY, 0, 0);
        assertEquals("2001_db8__7:443/0_0_0_0:0/6/3", t.resolve(row()));
    }

    @Test
    void plainNamesStayAsTheyAre() {
        NameTemplate t = NameTemplate.parse("pmacct.acct", NameTemplate.DESTINATION, 0, 0);
        assertFalse(t.hasVariables());
        assertEquals("pmacct.acct", t.resolve(row()));
    }

    @Test
    void unknownVariablesAreRefused() {
        assertEquals("unknown variable '$src_host' (variables here: $peer_src_ip, $tag, $tag2, $post_tag, $post_tag2)",
                assertThrows(IllegalArgumentException.class,
                        () -> NameTemplate.parse("a.$src_host", NameTemplate.DESTINATION, 0, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> NameTemplate.parse("a.$TAG", NameTemplate.DESTINATION, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> NameTemplate.parse("a.$tagx", NameTemplate.DESTINATION, 0, 0));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> NameTemplate.parse("a$", NameTemplate.DESTINATION, 0, 0)).getMessage().startsWith("'$' without"));
    }
}
