package jpmacct.plugins.memory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.imt.ImtProtocol;
import jpmacct.core.imt.ImtQuery;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * The memory plugin's UNIX socket: an acceptor thread and one query thread, so queries never take more than one
 * core from capture and accounting, however many clients ask at once. A client that does not send a
 * whole request within {@link #REQUEST_TIMEOUT_MS} is dropped; a malformed request gets an error response and is
 * counted; at most {@link #MAX_PENDING} connections wait, later ones are told the daemon is busy.
 */
final class ImtServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImtServer.class);
    static final long REQUEST_TIMEOUT_MS = 5_000;
    static final int MAX_PENDING = 64;

    private final Path path;
    private final ServerSocketChannel server;
    private final QueryAnswers answers;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final String mdc;
    private final RateLimitedLog badLog = new RateLimitedLog(LOG, 60_000);
    private final AtomicLong badRequests = new AtomicLong();
    private volatile boolean closed;

    private ImtServer(Path path, ServerSocketChannel server, QueryAnswers answers, String threadName) {
        this.path = path;
        this.server = server;
        this.answers = answers;
        this.mdc = MDC.get("pm");
        this.workers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_PENDING), r -> {
            Thread t = new Thread(r, threadName + " query");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, threadName + " socket");
        acceptor.setDaemon(true);
    }

    /**
     * Binds the socket: created in a private directory, given {@code perms}, then renamed onto {@code path}, so it
     * is never reachable with wider permissions. A stale socket (nobody answers) is replaced; a live one, or a
     * file that is not a socket, is an error.
     */
    static ImtServer open(Path path, long perms, QueryAnswers answers, String threadName) throws IOException {
        Path abs = path.toAbsolutePath();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            String kind = fileKind(abs);
            if (!kind.equals("socket")) {
                throw new IOException("imt_path " + path + " exists and is a " + kind + ", not a socket; refusing to "
                        + "replace it (remove it or choose another imt_path)");
            }
            if (answers(abs)) {
                throw new IOException("imt_path " + path + " is served by another running daemon");
            }
            LOG.info("replacing stale socket {}", path);
        }
        Path dir = Files.createTempDirectory(abs.getParent(), ".imt-",
                PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
        Path tmp = dir.resolve("s");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(tmp), MAX_PENDING);
            Files.setPosixFilePermissions(tmp, permissions(perms));
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
        ImtServer s = new ImtServer(path, ch, answers, threadName);
        s.acceptor.start();
        return s;
    }

    /** What a path is, from its file type bits: socket, regular file, directory, symbolic link, ... */
    private static String fileKind(Path p) throws IOException {
        int type = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
        return switch (type) {
            case 0140000 -> "socket";
            case 0100000 -> "regular file";
            case 0040000 -> "directory";
            case 0120000 -> "symbolic link";
            case 0010000 -> "named pipe";
            default -> "device";
        };
    }

    private static boolean answers(Path p) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Set<PosixFilePermission> permissions(long mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (1L << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private void acceptLoop() {
        if (mdc != null) {
            MDC.put("pm", mdc);
        }
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("imt socket {}: accept failed: {}", path, e.getMessage());
                }
                return;
            }
            try {
                workers.execute(() -> serve(c));
            } catch (RejectedExecutionException e) {
                reply(c, ImtProtocol.ERROR, "daemon busy: too many queries at once; try again");
            }
        }
    }

    private void serve(SocketChannel c) {
        if (mdc != null) {
            MDC.put("pm", mdc);
        }
        try (c) {
            byte[] request = readRequest(c);
            if (request == null) {
                bad("client sent no complete request within " + REQUEST_TIMEOUT_MS + " ms");
                return;
            }
            ImtQuery q;
            try {
                q = ImtQuery.decode(ImtProtocol.readRequest(new ByteArrayInputStream(request)));
            } catch (ImtProtocol.ProtocolException e) {
                bad(e.getMessage());
                int status = e.version() >= 0 ? ImtProtocol.BAD_VERSION : ImtProtocol.ERROR;
                writeAll(c, status, "this daemon speaks protocol version " + ImtProtocol.VERSION);
                return;
            } catch (IOException | IllegalArgumentException e) {
                bad(e.getMessage());
                writeAll(c, ImtProtocol.ERROR, e.getMessage());
                return;
            }
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c), 1 << 16);
            answers.answer(q, out);
            out.flush();
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("query failed", e);
        }
    }

    /** Reads one framed request without blocking past the timeout; null when it does not arrive in time. */
    private static byte[] readRequest(SocketChannel c) throws IOException {
        c.configureBlocking(false);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long deadline = System.currentTimeMillis() + REQUEST_TIMEOUT_MS;
        try (Selector sel = Selector.open()) {
            SelectionKey key = c.register(sel, SelectionKey.OP_READ);
            int need = 9;
            while (got.size() < need) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || sel.select(left) == 0 && System.currentTimeMillis() >= deadline) {
                    return null;
                }
                sel.selectedKeys().clear();
                buf.clear();
                int n = c.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf.array(), 0, n);
                if (got.size() >= 9 && need == 9) {
                    byte[] head = got.toByteArray();
                    int len = ByteBuffer.wrap(head, 5, 4).getInt();
                    need = len < 0 || len > ImtProtocol.MAX_REQUEST ? 9 : 9 + len;
                    if (need == 9) {
                        break; // let the protocol reader name the problem
                    }
                }
            }
            key.cancel();
            sel.selectNow();
        }
        c.configureBlocking(true);
        return got.toByteArray();
    }

    private void bad(String why) {
        long n = badRequests.incrementAndGet();
        badLog.warn("bad", "imt socket " + path + ": bad request (" + why + "); " + n + " so far");
    }

    private static void reply(SocketChannel c, int status, String message) {
        try (c) {
            writeAll(c, status, message);
        } catch (IOException e) {
            // the client is gone; nothing to tell
        }
    }

    private static void writeAll(SocketChannel c, int status, String message) throws IOException {
        c.configureBlocking(true);
        ImtProtocol.writeShort(Channels.newOutputStream(c), status, message);
    }

    long badRequests() {
        return badRequests.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdown();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.getMessage());
        }
    }
}
