package jpmacct.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import com.sun.management.ThreadMXBean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RESP client against the machine's Redis (127.0.0.1:6379) and servers of the test's own. */
class RespClientTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 6379);
    /** Keys of this test, removed after it (the machine's Redis is shared). */
    private final String prefix = "jpmacct-test:" + UUID.randomUUID() + ":";
    private final List<String> written = new ArrayList<>();

    private String key(String name) {
        written.add(prefix + name);
        return prefix + name;
    }

    @AfterEach
    void removeKeys() throws Exception {
        if (written.isEmpty()) {
            return;
        }
        try (RespClient c = RespClient.connect(LOCAL, 3000)) {
            List<String> del = new ArrayList<>(List.of("DEL"));
            del.addAll(written);
            c.call(del.toArray(String[]::new));
        }
    }

    @Test
    void setexWritesAValueThatExpires() throws Exception {
        try (RespClient c = RespClient.connect(LOCAL, 3000)) {
            assertEquals("PONG", c.ping());
            String k = key("cluster+0+process+core+core");
            c.setex(k, 3, "1");
            assertEquals("1", c.call("GET", k));
            long ttl = (Long) c.call("TTL", k);
            assertTrue(ttl >= 1 && ttl <= 3, "TTL " + ttl);
        }
    }

    @Test
    void repliesOfEveryType() throws Exception {
        try (RespClient c = RespClient.connect(LOCAL, 3000)) {
            String k = key("text");
            String text = "héllo\r\n$3\r\n*x"; // UTF-8 and RESP's own markers inside a value
            c.setex(k, 60, text);
            assertEquals(text, c.call("GET", k));
            assertNull(c.call("GET", key("missing")));
            assertEquals(Arrays.asList(text, null), c.call("MGET", k, prefix + "missing"));
            assertEquals(1L, c.call("EXISTS", k));
            assertEquals("", c.call("ECHO", ""));
            String big = "x".repeat(200_000); // longer than the buffers
            c.setex(k, 60, big);
            assertEquals(big, c.call("GET", k));
        }
    }

    @Test
    void anErrorReplyLeavesTheConnectionUsable() throws Exception {
        try (RespClient c = RespClient.connect(LOCAL, 3000)) {
            RespClient.ErrorReply e = assertThrows(RespClient.ErrorReply.class, () -> c.call("NOSUCHCOMMAND"));
            assertTrue(e.getMessage().startsWith("ERR unknown command"), e.getMessage());
            e = assertThrows(RespClient.ErrorReply.class, () -> c.setex(key("k"), -1, "v"));
            assertTrue(e.getMessage().contains("invalid expire time"), e.getMessage());
            assertEquals("PONG", c.ping());
        }
    }

    @Test
    void selectChoosesTheDatabase() throws Exception {
        String k = key("in-db-1");
        try (RespClient c = RespClient.connect(LOCAL, 3000)) {
            c.select(1);
            c.setex(k, 60, "one");
            assertEquals("one", c.call("GET", k));
            c.call("DEL", k);
            c.select(0);
            assertNull(c.call("GET", k));
            RespClient.ErrorReply e = assertThrows(RespClient.ErrorReply.class, () -> c.select(100_000));
            assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        }
    }

    @Test
    void authWithAPassword() throws Exception {
        try (RedisServer server = RedisServer.start("--requirepass", "s3cret")) {
            try (RespClient c = RespClient.connect(server.address(), 3000)) {
                RespClient.ErrorReply e = assertThrows(RespClient.ErrorReply.class, () -> c.setex("k", 5, "v"));
                assertTrue(e.getMessage().startsWith("NOAUTH"), e.getMessage());
                e = assertThrows(RespClient.ErrorReply.class, () -> c.auth("wrong"));
                assertTrue(e.getMessage().startsWith("WRONGPASS"), e.getMessage());
                c.auth("s3cret");
                c.setex("k", 5, "v");
                assertEquals("v", c.call("GET", "k"));
            }
        }
    }

    @Test
    void aServerGoneIsAnIOException() throws Exception {
        RedisServer server = RedisServer.start();
        try (RespClient c = RespClient.connect(server.address(), 3000)) {
            assertEquals("PONG", c.ping());
            server.close();
            IOException e = assertThrows(IOException.class, c::ping);
            assertTrue(e instanceof EOFException || e.getMessage().contains("reset") || e.getMessage().contains("pipe"),
                    e.toString());
        }
        ConnectException refused = assertThrows(ConnectException.class,
                () -> RespClient.connect(server.address(), 3000));
        assertEquals("Connection refused", refused.getMessage());
    }

    /** A peer that is not Redis: its answer is refused, a silent one times out. */
    @Test
    void aPeerThatIsNotRedis() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, LOCAL.getAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = peer.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.read(new byte[64]);
                    out.write("HTTP/1.1 400 Bad Request\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try (Socket silent = peer.accept()) {
                        silent.getInputStream().read(new byte[64]);
                        Thread.sleep(2000);
                    }
                } catch (Exception e) {
                    // the test is over
                }
            });
            answer.start();
            InetSocketAddress at = new InetSocketAddress(LOCAL.getAddress(), peer.getLocalPort());
            try (RespClient c = RespClient.connect(at, 3000)) {
                IOException e = assertThrows(IOException.class, c::ping);
                assertTrue(e.getMessage().startsWith("protocol error: unexpected reply type 'H'"), e.getMessage());
            }
            try (RespClient c = RespClient.connect(at, 300)) {
                assertThrows(SocketTimeoutException.class, c::ping);
            }
            answer.join();
        }
    }

    /** A length the server declares is not allocated before its bytes arrive; the end of the stream ends the read. */
    @Test
    void aHugeDeclaredLengthThenTheServerCloses() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (ServerSocket peer = new ServerSocket(0, 1, LOCAL.getAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = peer.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[64]);
                    out.write("$67000000\r\nabc".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test fails on what the client read
                }
            });
            answer.start();
            InetSocketAddress at = new InetSocketAddress(LOCAL.getAddress(), peer.getLocalPort());
            try (RespClient c = RespClient.connect(at, 3000)) {
                long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                EOFException e = assertThrows(EOFException.class, () -> c.call("GET", "k"));
                long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                assertEquals("Server closed the connection", e.getMessage());
                assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
            }
            answer.join();
        }
    }

    /** Lengths are bounded by what a whole reply may take, however the server spreads them. */
    @Test
    void aReplyLargerThanTheLimit() {
        for (String reply : new String[] {"$" + RespClient.MAX_REPLY + "\r\n", "*" + RespClient.MAX_REPLY / 16 + "\r\n",
            "$9223372036854775807\r\n"}) {
            IOException e = assertThrows(IOException.class, () -> read(reply.getBytes(StandardCharsets.US_ASCII)));
            assertTrue(e.getMessage().startsWith("protocol error: ") && e.getMessage().endsWith(
                    "the " + RespClient.MAX_REPLY + " bytes a reply may take"), e.getMessage());
        }
        // an array of 2000 strings of 64 KiB each: every one within the limit, all of them not
        InputStream endless = new SequenceInputStream(Collections.enumeration(List.of(
                stream("*2000\r\n"), new InputStream() {
                    private final byte[] element = ("$65536\r\n" + "x".repeat(65536) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    private long pos;

                    @Override
                    public int read() {
                        return element[(int) (pos++ % element.length)];
                    }
                })));
        IOException e = assertThrows(IOException.class, () -> new RespClient.Replies(endless).read());
        assertTrue(e.getMessage().startsWith("protocol error: ") && e.getMessage().endsWith(
                "the " + RespClient.MAX_REPLY + " bytes a reply may take"), e.getMessage());
    }

    /** -1 is nil; other negative lengths are not RESP (hiredis refuses them too). */
    @Test
    void negativeLengthsOtherThanNil() throws Exception {
        assertEquals(Arrays.asList(null, null), read("*2\r\n$-1\r\n*-1\r\n".getBytes(StandardCharsets.US_ASCII)));
        IOException e = assertThrows(IOException.class, () -> read("$-2\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("protocol error: bulk string of length -2", e.getMessage());
        e = assertThrows(IOException.class, () -> read("*-5\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("protocol error: array of length -5", e.getMessage());
    }

    private static Object read(byte[] server) throws IOException {
        return new RespClient.Replies(new ByteArrayInputStream(server)).read();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }
}
