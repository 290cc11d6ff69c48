package jpmacct.plugins.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Text into a message's bytes as UTF-8, whatever the text's type, length or characters. */
class MessageBufferTest {

    private static void same(CharSequence... parts) {
        MessageBuffer b = new MessageBuffer();
        StringBuilder all = new StringBuilder();
        for (CharSequence p : parts) {
            b.append(p);
            all.append(p);
        }
        assertArrayEquals(all.toString().getBytes(StandardCharsets.UTF_8), b.toByteArray());
    }

    @Test
    void asciiAndNot() {
        same("{\"ip_src\": \"10.0.0.1\"}");
        same(new StringBuilder("{\"label\": \"caf\u00e9 \u2603\"}"), ", \"writer_id\": \"x\"}");
        same("\u00e9", "a", new StringBuilder("\uD83D\uDE00 after"));
    }

    @Test
    void longerThanItsBuffers() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append(i % 97 == 0 ? '\u00fc' : (char) ('a' + i % 26));
        }
        same(big, "tail", big.toString());
    }
}
