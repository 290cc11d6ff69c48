package jpmacct.core.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking Redis client speaking RESP2 over a plain socket: commands go out as arrays of bulk strings,
 * replies come back as {@code String} (simple and bulk strings), {@code Long} (integers), {@code List<Object>}
 * (arrays) or null (nil). An error reply is an {@link ErrorReply}; the connection stays usable. Any
 * {@link IOException} (timeouts, the server gone, a reply that is not RESP or is larger than {@link #MAX_REPLY})
 * leaves the connection unusable: close it and connect again. Not thread-safe: one thread talks over one connection.
 */
public final class RespClient implements Closeable {
    /**
     * Largest reply accepted from the server, in bytes of text plus {@link #VALUE_COST} for each value (about what
     * the reply holds in memory); Redis's own limit for a value is 512 MB, a heartbeat's replies take a few bytes.
     */
    static final long MAX_REPLY = 64 << 20;
    /** What a value costs besides its text: the object, its reference, its type byte and CRLF. */
    private static final int VALUE_COST = 32;
    /** Deepest array nesting accepted (Redis's replies to the commands used here are flat). */
    private static final int MAX_DEPTH = 8;

    private final Socket socket;
    private final Replies replies;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.replies = new Replies(new BufferedInputStream(socket.getInputStream(), 8192));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /**
     * Connects within {@code timeoutMillis}; every later reply must arrive within the same time.
     *
     * @param address a resolved address
     */
    public static RespClient connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(address, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return new RespClient(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** AUTH with the server's password (requirepass). */
    public void auth(String password) throws IOException, ErrorReply {
        expectOk(call("AUTH", password));
    }

    /** SELECT the database that later commands of this connection use. */
    public void select(long db) throws IOException, ErrorReply {
        expectOk(call("SELECT", Long.toString(db)));
    }

    /** SETEX: sets {@code key} to {@code value}, expiring in {@code seconds}. */
    public void setex(String key, long seconds, String value) throws IOException, ErrorReply {
        expectOk(call("SETEX", key, Long.toString(seconds), value));
    }

    /** PING; the server answers PONG. */
    public String ping() throws IOException, ErrorReply {
        Object reply = call("PING");
        if (!"PONG".equals(reply)) {
            throw new IOException("protocol error: PING answered " + reply);
        }
        return (String) reply;
    }

    /** Sends one command and reads its reply. */
    public Object call(String... args) throws IOException, ErrorReply {
        write(args);
        out.flush();
        Object reply = replies.read();
        if (reply instanceof ErrorReply e) {
            throw e;
        }
        return reply;
    }

    private static void expectOk(Object reply) throws IOException {
        if (!"OK".equals(reply)) {
            throw new IOException("protocol error: expected OK, got " + reply);
        }
    }

    private void write(String[] args) throws IOException {
        out.write('*');
        writeDecimal(args.length);
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            out.write('$');
            writeDecimal(b.length);
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    private void writeDecimal(long v) throws IOException {
        out.write(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    /**
     * Reads replies from a stream: the reading half of the client, on its own so that the fuzz test can feed it
     * bytes. A reply may take {@link #MAX_REPLY} in all (each value counting {@link #VALUE_COST} on top of its text),
     * so a server cannot make the client hold more however it declares lengths; the end of the stream ends a read.
     */
    static final class Replies {
        private final InputStream in;
        /** What the reply being read may still take. */
        private long budget;

        Replies(InputStream in) {
            this.in = in;
        }

        /**
         * The next reply; an error reply is returned (not thrown) so that one inside an array does not cut the
         * reading short.
         */
        Object read() throws IOException {
            budget = MAX_REPLY;
            return read(0);
        }

        private Object read(int depth) throws IOException {
            int type = in.read();
            if (type < 0) {
                throw new EOFException("Server closed the connection");
            }
            take(VALUE_COST);
            switch (type) {
                case '+':
                    return line();
                case '-':
                    return new ErrorReply(line());
                case ':':
                    return number(line());
                case '$': {
                    long n = length(line(), "bulk string");
                    if (n < 0) {
                        return null;
                    }
                    if (n > budget) {
                        throw new IOException("protocol error: bulk string of " + n + " bytes, over the "
                                + MAX_REPLY + " bytes a reply may take");
                    }
                    take(n);
                    byte[] b = in.readNBytes((int) n); // grows with what arrives, not with what n says
                    if (b.length < n) {
                        throw new EOFException("Server closed the connection");
                    }
                    if (in.read() != '\r' || in.read() != '\n') {
                        throw new IOException("protocol error: bulk string not ended by CRLF");
                    }
                    return new String(b, StandardCharsets.UTF_8);
                }
                case '*': {
                    long n = length(line(), "array");
                    if (n < 0) {
                        return null;
                    }
                    if (depth >= MAX_DEPTH) {
                        throw new IOException("protocol error: arrays nested deeper than " + MAX_DEPTH);
                    }
                    if (n > budget / VALUE_COST) {
                        throw new IOException("protocol error: array of " + n + " elements, over the " + MAX_REPLY
                                + " bytes a reply may take");
                    }
                    List<Object> items = new ArrayList<>((int) Math.min(n, 1024));
                    for (long i = 0; i < n; i++) {
                        items.add(read(depth + 1));
                    }
                    return items;
                }
                default:
                    throw new IOException("protocol error: unexpected reply type '" + (char) type + "'");
            }
        }

        /** A line up to CRLF (simple strings, errors, numbers), at most 64 KiB. */
        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(32);
            for (int c; ; ) {
                c = in.read();
                if (c < 0) {
                    throw new EOFException("Server closed the connection");
                }
                if (c == '\r') {
                    if (in.read() != '\n') {
                        throw new IOException("protocol error: CR without LF");
                    }
                    take(b.size());
                    return b.toString(StandardCharsets.UTF_8);
                }
                if (b.size() >= 65536) {
                    throw new IOException("protocol error: reply line too long");
                }
                b.write(c);
            }
        }

        private void take(long bytes) throws IOException {
            budget -= bytes;
            if (budget < 0) {
                throw new IOException("protocol error: reply larger than the " + MAX_REPLY + " bytes a reply may take");
            }
        }

        /** A bulk string's or an array's length: -1 is nil, other negative lengths are not RESP. */
        private static long length(String text, String what) throws IOException {
            long n = number(text);
            if (n < -1) {
                throw new IOException("protocol error: " + what + " of length " + n);
            }
            return n;
        }

        private static long number(String text) throws IOException {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException("protocol error: '" + text + "' is not a number");
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An error the server answered (e.g. {@code WRONGPASS invalid username-password pair}); the connection stays usable. */
    public static final class ErrorReply extends Exception {
        private static final long serialVersionUID = 1L;

        public ErrorReply(String message) {
            super(message, null, false, false);
        }
    }
}
