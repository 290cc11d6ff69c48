package jpmacct.collector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;

import jpmacct.core.plugin.DatagramConsumer;
import jpmacct.core.runtime.BatchWriter;

/**
 * The collectors' receive path: Netty UDP sockets on one address and port. With the native epoll transport there
 * is one socket per receiving thread, joined with SO_REUSEPORT so the kernel spreads exporters over the threads
 * (one exporter's datagrams stay on one thread); otherwise one NIO socket and thread. Each thread copies each
 * datagram into its own array, hands it to its own {@link DatagramHandler}, and publishes its batch writer's
 * records when they waited long enough (every 20 ms) and when the sockets close.
 */
public final class UdpReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpReceiver.class);
    /** Large enough for any UDP datagram, so none is cut short. */
    private static final int MAX_DATAGRAM = 65536;
    private static final long TICK_MILLIS = 20;
    private static final long DRAIN_QUIET_NANOS = 100_000_000L;
    /** A stopping collector reads what the kernel accepted for at most this long (a flood that goes on ends it). */
    private static final long DRAIN_MAX_NANOS = 5_000_000_000L;

    private final String threadName;
    private final InetAddress bindAddress;
    private final int port;
    private final int receiveBuffer;
    private final int threads;
    private final Supplier<Lane> lanes;
    private boolean configuredBuffer;
    private DatagramConsumer[] consumers = new DatagramConsumer[0];
    private boolean decode = true;
    private final List<Channel> channels = new ArrayList<>();
    private final List<Started> started = new ArrayList<>();

    /** One receiving thread's decoder and the batch writer it decodes into (null when nothing is decoded). */
    public record Lane(DatagramHandler handler, BatchWriter writer) {
    }
    private EventLoopGroup group;
    private volatile int obtainedBuffer;
    /** When the last datagram arrived (any socket), for draining at shutdown. */
    private volatile long lastDatagramNanos;
    private int boundPort;
    private KernelUdpSockets kernel;

    /**
     * @param threadName    receiving threads are named after it ("Core Process [default]")
     * @param receiveBuffer requested SO_RCVBUF in bytes, 0 for the system default
     * @param threads       receiving threads wanted (1 without epoll)
     */
    public UdpReceiver(String threadName, InetAddress bindAddress, int port, int receiveBuffer, int threads,
                       Supplier<Lane> lanes) {
        this.threadName = threadName;
        this.bindAddress = bindAddress;
        this.port = port;
        this.receiveBuffer = receiveBuffer;
        this.threads = Math.max(1, threads);
        this.lanes = lanes;
    }

    /** True where the native epoll transport loads (Linux x86_64 here). */
    public static boolean nativeTransport() {
        return Epoll.isAvailable() && !"nio".equals(System.getProperty("jpmacct.transport"));
    }

    /** The receive buffer size was asked for explicitly: warn when the kernel grants less. */
    public UdpReceiver warnIfBufferCapped() {
        configuredBuffer = true;
        return this;
    }

    /**
     * Plugins that get every datagram unchanged (tee) before it is decoded; set before {@link #start()}.
     *
     * @param decode false when no plugin takes records: datagrams then only go to the consumers
     */
    public UdpReceiver datagramsTo(List<DatagramConsumer> list, boolean decode) {
        consumers = list.toArray(new DatagramConsumer[0]);
        this.decode = decode;
        return this;
    }

    /** Binds the sockets; an address in use or not local fails here, with the address in the message. */
    public void start() throws IOException {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // datagram buffers are released by one handler; sampling them for leaks only costs time
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        boolean epoll = nativeTransport();
        int n = epoll ? threads : 1;
        AtomicInteger seq = new AtomicInteger();
        DefaultThreadFactory factory = new DefaultThreadFactory("rx", true) {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = super.newThread(r);
                int i = seq.incrementAndGet();
                t.setName(n == 1 ? threadName : threadName + " rx" + i);
                return t;
            }
        };
        group = epoll ? new EpollEventLoopGroup(n, factory) : new NioEventLoopGroup(n, factory);
        Bootstrap b = new Bootstrap().group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Lane lane = lanes.get();
                        synchronized (started) {
                            started.add(new Started(lane, ch.eventLoop()));
                        }
                        ch.pipeline().addLast(new Inbound(lane.handler(), UdpReceiver.this, consumers, decode));
                        if (lane.writer() != null) {
                            ch.eventLoop().scheduleAtFixedRate(() -> tick(lane.writer()), TICK_MILLIS, TICK_MILLIS,
                                    TimeUnit.MILLISECONDS);
                        }
                    }
                });
        if (receiveBuffer > 0) {
            b.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        if (epoll && n > 1) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        InetSocketAddress where = new InetSocketAddress(bindAddress, port);
        try {
            for (int i = 0; i < n; i++) {
                ChannelFuture f = b.bind(i == 0 ? where : new InetSocketAddress(bindAddress, boundPort)).sync();
                if (!f.isSuccess()) {
                    throw f.cause();
                }
                Channel ch = f.channel();
                channels.add(ch);
                if (i == 0) {
                    boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
                    obtainedBuffer = ch.config().getOption(ChannelOption.SO_RCVBUF);
                    kernel = new KernelUdpSockets(bindAddress, boundPort);
                }
            }
        } catch (Throwable e) {
            close();
            throw new IOException("cannot listen on " + describe(where) + ": " + e.getMessage(), e);
        }
        LOG.info("receiving on {} ({} socket{}, {} transport, receive buffer obtained={} bytes target={} bytes)",
                describe(new InetSocketAddress(bindAddress, boundPort)), n, n == 1 ? "" : "s", epoll ? "epoll" : "nio",
                obtainedBuffer, receiveBuffer == 0 ? "default" : receiveBuffer);
        if (configuredBuffer && obtainedBuffer < receiveBuffer) {
            LOG.warn("the kernel granted a receive buffer of {} bytes instead of {}: bursts may be dropped by the "
                    + "kernel (counted as kernel drops); raise net.core.rmem_max", obtainedBuffer, receiveBuffer);
        }
    }

    /** The port the sockets are bound to (useful with port 0). */
    public int port() {
        return boundPort;
    }

    /** What the kernel says of the bound sockets (drops, unread bytes); null before {@link #start()}. */
    public KernelUdpSockets kernel() {
        return kernel;
    }

    /** SO_RCVBUF the kernel granted. */
    public int receiveBuffer() {
        return obtainedBuffer;
    }

    private static String describe(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static void tick(BatchWriter writer) {
        try {
            writer.flushIfDue(System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("receive tick failed: {}", e.toString(), e);
        }
    }

    /**
     * Stops receiving once every datagram the kernel accepted has been read (its receive queues are empty; where
     * the kernel does not tell, once the sockets were quiet for 100 ms), at most 5 s on; then each thread
     * publishes what its writer holds before the group ends.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + DRAIN_MAX_NANOS;
        while (!channels.isEmpty() && System.nanoTime() < deadline && !drained()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly();
        }
        channels.clear();
        if (group != null) {
            // flush on each writer's own thread, after its last datagram
            List<Started> hs;
            synchronized (started) {
                hs = new ArrayList<>(started);
            }
            for (Started s : hs) {
                if (s.lane().writer() != null) {
                    s.loop().submit(() -> {
                        s.lane().writer().flush();
                        return null;
                    }).awaitUninterruptibly();
                }
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
    }

    private boolean drained() {
        long unread = kernel == null ? -1 : kernel.unread();
        return unread == 0 || (unread < 0 && System.nanoTime() - lastDatagramNanos >= DRAIN_QUIET_NANOS);
    }

    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final DatagramHandler handler;
        private final UdpReceiver receiver;
        private final DatagramConsumer[] consumers;
        private final boolean decode;
        /** The thread's copy of each datagram: decoders read plain arrays, never Netty buffers. */
        private final byte[] copy = new byte[MAX_DATAGRAM];
        /** One per thread, pointed at each datagram in turn: handing bytes to consumers allocates nothing. */
        private final BufBytes bytes = new BufBytes();
        private long lastStamp;

        Inbound(DatagramHandler handler, UdpReceiver receiver, DatagramConsumer[] consumers,
                boolean decode) {
            super(true);
            this.handler = handler;
            this.receiver = receiver;
            this.consumers = consumers;
            this.decode = decode;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) throws Exception {
            long micros = currentMicros();
            if (micros != lastStamp) { // a volatile write per millisecond, not per datagram
                lastStamp = micros;
                receiver.lastDatagramNanos = System.nanoTime();
            }
            if (consumers.length > 0) {
                bytes.buf = p.content();
                bytes.offset = p.content().readerIndex();
                InetSocketAddress from = p.sender();
                for (DatagramConsumer c : consumers) {
                    c.offer(bytes, p.content().readableBytes(), from.getAddress(), from.getPort());
                }
                bytes.buf = null;
            }
            if (!decode) {
                return;
            }
            ByteBuf content = p.content();
            int length = Math.min(content.readableBytes(), copy.length);
            content.getBytes(content.readerIndex(), copy, 0, length);
            handler.onDatagram(copy, length, p.sender().getAddress(), micros);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a decoder bug must not stop the socket: log and go on with the next datagram
            LOG.error("datagram handling failed: {}", cause.toString(), cause);
        }
    }

    private static final class BufBytes implements DatagramConsumer.DatagramBytes {
        ByteBuf buf;
        int offset;

        @Override
        public void copyTo(byte[] dst, int length) {
            buf.getBytes(offset, dst, 0, length);
        }
    }

    /** Millisecond resolution is enough for arrival times, and costs no allocation. */
    static long currentMicros() {
        return System.currentTimeMillis() * 1_000L;
    }

    private record Started(Lane lane, EventLoop loop) {
    }
}
