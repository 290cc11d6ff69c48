package jpmacct.core.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;

/**
 * Arbitrary server bytes into the client's reply reader ({@link RespClient.Replies}, what {@code call} reads with),
 * reply after reply until the bytes run out: each read gives a reply of the documented types or an
 * {@link IOException} with a message (the end of the bytes an {@link EOFException}, anything else a protocol error);
 * no other exception, no read past the end, and what the reading allocates grows with the bytes given, not with the
 * lengths they declare.
 *
 * <p>Input: the bytes the server sends. A plain {@code mvn test} replays the committed inputs in
 * {@code src/test/resources/jpmacct/core/redis/RespClientFuzzTestInputs/readArbitraryReplies/}; the {@code fuzz-resp}
 * execution of core-aggregation's pom fuzzes for {@code maxDuration}. {@code -Dfuzz.skip=true} leaves that out.
 */
class RespClientFuzzTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** What reading may allocate besides {@link #PER_BYTE} for each byte given: buffers, exceptions, messages. */
    private static final long FIXED = 1 << 20;
    private static final long PER_BYTE = 256;
    private static final int MAX_DEPTH = 8;

    static {
        // loads the classes that reading uses, so that what they allocate once is not counted against an input
        for (String server : new String[] {"+OK\r\n-ERR e\r\n:1\r\n$1\r\nx\r\n*1\r\n$-1\r\n", "?", ":x\r\n"}) {
            RespClient.Replies replies = new RespClient.Replies(new ByteArrayInputStream(server.getBytes(UTF_8)));
            try {
                for (;;) {
                    replies.read();
                }
            } catch (IOException expected) {
                // the end of the bytes, or not RESP
            }
        }
    }

    // the reader's few branches are all reached within a second: 15 s spares CI's time for the larger decoders
    @FuzzTest(maxDuration = "10s")
    // libFuzzer's dictionary syntax: \xNN escapes, which Jazzer passes on as written
    @DictionaryEntries({"\\x0D\\x0A", "+OK\\x0D\\x0A", "-ERR ", ":", "$", "*", "$-1\\x0D\\x0A", "*-1\\x0D\\x0A",
        "67108864", "67108832", "9223372036854775807", "-9223372036854775808"})
    void readArbitraryReplies(byte[] data) {
        RespClient.Replies replies = new RespClient.Replies(new ByteArrayInputStream(data));
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        // every reply takes at least a byte, so more reads than bytes means one read nothing
        for (int reads = 0; ; reads++) {
            if (reads > data.length) {
                fail(reads + " replies from " + data.length + " bytes");
            }
            Object reply;
            try {
                reply = replies.read();
            } catch (EOFException e) {
                assertEquals("Server closed the connection", e.getMessage());
                break;
            } catch (IOException e) {
                assertNotNull(e.getMessage());
                assertTrue(e.getMessage().startsWith("protocol error: "), e.getMessage());
                break;
            }
            check(reply, 0);
        }
        long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated <= FIXED + PER_BYTE * data.length, allocated + " bytes allocated for " + data.length);
    }

    private static void check(Object reply, int depth) {
        assertTrue(depth <= MAX_DEPTH, "depth " + depth);
        if (reply == null || reply instanceof Long || reply instanceof String) {
            return;
        }
        if (reply instanceof RespClient.ErrorReply e) {
            assertFalse(e.getMessage().indexOf('\r') >= 0, "CR in an error line");
            return;
        }
        assertTrue(reply instanceof List<?>, "reply of " + reply.getClass());
        for (Object item : (List<?>) reply) {
            check(item, depth + 1);
        }
    }
}
