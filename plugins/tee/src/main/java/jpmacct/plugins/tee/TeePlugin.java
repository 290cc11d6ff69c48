package jpmacct.plugins.tee;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.sun.jna.Memory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.metrics.Counter;
import jpmacct.core.net.Reloadable;
import jpmacct.core.plugin.DatagramConsumer;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.record.Addr;
import jpmacct.core.record.RecordBatch;
import jpmacct.filter.ExporterTags;
import jpmacct.filter.RecordSource;
import jpmacct.kafka.LibrdkafkaConfig;
import jpmacct.plugins.tee.TeeReceivers.Balance;
import jpmacct.plugins.tee.TeeReceivers.Pool;

/**
 * The tee plugin: every datagram the collector receives, unchanged, to pools of receivers. Receiving threads only
 * copy into the ring ({@link #offer}); the sender thread reads it and sends with non-blocking unconnected sockets,
 * so a receiver that is down (ICMP unreachable) or slow costs the collector nothing.
 */
final class TeePlugin implements Plugin, DatagramConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(TeePlugin.class);
    private static final long STATS_INTERVAL_MILLIS = Long.getLong("jpmacct.tee.statsMillis", 60_000);
    private static final long DROP_LOG_INTERVAL_NANOS = 60_000_000_000L;
    /** Ring bytes per slot when sizing the ring from plugin_pipe_size. */
    private static final int SLOT_BUDGET = DatagramRing.INITIAL_SLOT_BYTES;

    private final PluginContext context;
    private final String id;
    private final Reloadable<TeeReceivers> receivers;
    private final String receiversFile;
    private final ExporterTags tags;
    private final boolean transparent;
    private final String sourceIp;
    private final int sendBuffer;
    private final DatagramRing ring;
    private final LongAdder queueDrops = new LongAdder();
    private final CRC32 crc = new CRC32();
    private final Map<String, DatagramChannel> channels = new HashMap<>();
    /** tee_kafka_config_file's producer properties (empty without the key). */
    private final Properties kafkaProperties;
    /** The Kafka pools' senders, by pool id and target: a reload keeps those it does not change. */
    private final Map<String, KafkaPoolSender> kafkaSenders = new HashMap<>();
    /** Counters of every receiver ever configured, by "pool/receiver": a reload keeps the counts. */
    private final Map<String, ReceiverStats> stats = new LinkedHashMap<>();
    private RawIpv4Sender raw;
    private Thread sender;
    private volatile boolean stopping;
    private TeeReceivers inUse;
    private PoolState[] pools = new PoolState[0];
    private long loggedDrops;
    private long lastDropLog;
    private long nextStats;
    private long taken;

    /** What one receiver has been sent; Metrics counters, so a metrics endpoint reads them too. */
    static final class ReceiverStats {
        final String pool;
        final String receiver;
        final Counter datagrams;
        final Counter bytes;
        final Counter errors;
        long[] logged = new long[3];

        ReceiverStats(PluginContext ctx, String pool, String receiver) {
            this.pool = pool;
            this.receiver = receiver;
            String[] labels = {"plugin", ctx.config().name(), "pool", pool, "receiver", receiver};
            datagrams = ctx.metrics().counter("tee_sent_datagrams", "Datagrams the tee sent to a receiver", labels);
            bytes = ctx.metrics().counter("tee_sent_bytes", "Bytes of datagrams the tee sent to a receiver", labels);
            errors = ctx.metrics().counter("tee_send_errors", "Datagrams the tee could not send to a receiver "
                    + "(send buffer full, no route, too big)", labels);
        }
    }

    private static final class ReceiverState {
        final InetSocketAddress address;
        final boolean v4;
        final Memory sockaddr;
        final DatagramChannel channel;
        final ReceiverStats stats;

        ReceiverState(InetSocketAddress address, Memory sockaddr, DatagramChannel channel,
                      ReceiverStats stats) {
            this.address = address;
            this.v4 = address.getAddress() instanceof Inet4Address;
            this.sockaddr = sockaddr;
            this.channel = channel;
            this.stats = stats;
        }
    }

    private static final class PoolState {
        final Pool pool;
        final ReceiverState[] receivers;
        /** A pool that sends to Kafka (then no receivers). */
        final KafkaPoolSender kafka;
        int next;

        PoolState(Pool pool, ReceiverState[] receivers, KafkaPoolSender kafka) {
            this.pool = pool;
            this.receivers = receivers;
            this.kafka = kafka;
        }
    }

    TeePlugin(PluginContext context) throws ConfigException {
        this.context = context;
        PluginConfig pc = context.config();
        this.id = pc.id();
        String file = pc.get(TeeKeys.RECEIVERS);
        if (file == null) {
            throw new ConfigException("( " + id + " ): tee_receivers is required: the file of receiver pools "
                    + "('id=1 ip=127.0.0.1:2101')");
        }
        this.receiversFile = file;
        int maxPools = pc.get(TeeKeys.MAX_RECEIVER_POOLS).intValue();
        int maxReceivers = pc.get(TeeKeys.MAX_RECEIVERS).intValue();
        this.receivers = context.maps().map("tee_receivers", Path.of(file),
                f -> TeeReceivers.load(f, maxPools, maxReceivers), r -> r.pools().size());
        String preTagMap = pc.get(CoreKeys.PRE_TAG_MAP);
        this.tags = preTagMap == null ? null : ExporterTags.of(context.maps(), Path.of(preTagMap),
                context.daemon().kind() == DaemonKind.SFACCTD ? RecordSource.SFLOW : RecordSource.NETFLOW);
        this.transparent = pc.get(TeeKeys.TRANSPARENT);
        this.sourceIp = pc.get(TeeKeys.SOURCE_IP);
        this.sendBuffer = (int) Math.min(Integer.MAX_VALUE, pc.get(TeeKeys.PIPE_SIZE));
        if (sourceIp != null && !sourceIp.matches("[0-9A-Fa-f:.]+")) {
            throw pc.error(TeeKeys.SOURCE_IP, "'" + sourceIp + "' is not a numeric IPv4 or IPv6 address");
        }
        this.kafkaProperties = kafkaProperties(pc);
        long pipe = pc.get(CoreKeys.PLUGIN_PIPE_SIZE);
        this.ring = new DatagramRing((int) Math.max(64, Math.min(1 << 16, pipe / SLOT_BUDGET)));
        context.metrics().gauge("tee_queue_dropped_datagrams", "Datagrams the tee dropped: its queue was full",
                queueDrops::sum, "plugin", pc.name());
        context.metrics().gauge("tee_queue_capacity", "Datagrams the tee's queue holds", ring::capacity,
                "plugin", pc.name());
    }

    /** tee_kafka_config_file read and checked against the producer's configuration now, before any pool needs it. */
    private static Properties kafkaProperties(PluginConfig pc) throws ConfigException {
        String file = pc.get(TeeKeys.KAFKA_CONFIG_FILE);
        if (file == null) {
            return new Properties();
        }
        LibrdkafkaConfig.Loaded loaded = LibrdkafkaConfig.load(Path.of(file), LibrdkafkaConfig.Role.PRODUCER,
                TeeKeys.KAFKA_CONFIG_FILE.name());
        loaded.notes().forEach(LOG::info);
        try {
            new ProducerConfig(KafkaPoolSender.properties(loaded.properties(),
                    new TeeReceivers.KafkaTarget("127.0.0.1:9092", "check"), "check"));
        } catch (KafkaException e) {
            throw pc.error(TeeKeys.KAFKA_CONFIG_FILE, file + ": " + e.getMessage());
        }
        return loaded.properties();
    }

    @Override
    public void start() throws Exception {
        if (transparent && hasUdpPools(receivers.get())) {
            try {
                raw = RawIpv4Sender.open(sendBuffer);
            } catch (IOException e) {
                throw context.config().error(TeeKeys.TRANSPARENT, "tee_transparent needs CAP_NET_RAW (raw socket): "
                        + e.getMessage() + "; run as root or grant CAP_NET_RAW, or set tee_transparent: false");
            }
        }
        refreshPools();
        LOG.info("tee: {} pools, queue of {} datagrams{}", pools.length, ring.capacity(),
                transparent ? ", transparent (IPv4 with the exporter's source address)" : "");
        nextStats = System.currentTimeMillis() + STATS_INTERVAL_MILLIS;
        sender = new Thread(this::sendLoop, context.threadName() + " sender");
        sender.setDaemon(true);
        sender.start();
    }

    private static boolean hasUdpPools(TeeReceivers r) {
        for (Pool p : r.pools()) {
            if (p.kafka() == null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean wantsRecords() {
        return false;
    }

    @Override
    public void onBatch(RecordBatch batch) {
        // records never come here (wantsRecords is false)
    }

    @Override
    public boolean offer(DatagramBytes bytes, int length, InetAddress from, int fromPort) {
        if (ring.offer(bytes, length, from, fromPort)) {
            return true;
        }
        queueDrops.increment(); // logged by the sender thread, so the receiving thread does no more than this
        return false;
    }

    @Override
    public void put(DatagramBytes bytes, int length, InetAddress from, int fromPort) throws InterruptedException {
        while (!ring.offer(bytes, length, from, fromPort, true)) {
            LockSupport.parkNanos(100_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void sendLoop() {
        MDC.put("pm", id);
        try {
            while (true) {
                DatagramRing.Slot s = ring.poll();
                if (s == null) {
                    if (stopping) {
                        return;
                    }
                    logDrops(false);
                    ring.await(50_000_000L);
                    continue;
                }
                if (receivers.get() != inUse) {
                    refreshPools();
                }
                if ((++taken & 4095) == 0) { // a ring that never empties still reports its drops
                    logDrops(false);
                }
                try {
                    send(s);
                } catch (RuntimeException e) {
                    LOG.error("tee: sending failed: {}", e.toString(), e);
                }
                ring.release();
            }
        } finally {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            if (mx.isCurrentThreadCpuTimeSupported()) { // for sizing: what replicating cost
                LOG.info("tee sender CPU time: {} s", String.format(Locale.ROOT, "%.2f",
                        mx.getCurrentThreadCpuTime() / 1e9));
            }
            MDC.remove("pm");
        }
    }

    private void send(DatagramRing.Slot s) {
        long tag = 0;
        boolean tagged = false;
        for (PoolState ps : pools) {
            Pool p = ps.pool;
            if (p.needsTag() && !tagged) {
                tag = tagOf(s.sender);
                tagged = true;
            }
            if (p.tags() != null && !p.tags().accepts(tag)) {
                continue;
            }
            if (ps.kafka != null) {
                ps.kafka.offer(s);
                continue;
            }
            ReceiverState[] rs = ps.receivers;
            int n = rs.length;
            switch (p.balance()) {
                case ALL:
                    for (ReceiverState r : rs) {
                        sendTo(r, s);
                    }
                    break;
                case RR:
                    sendTo(rs[ps.next], s);
                    ps.next = ps.next + 1 == n ? 0 : ps.next + 1;
                    break;
                case HASH_AGENT:
                    sendTo(rs[Math.floorMod(mix(s.sender.hashCode()), n)], s);
                    break;
                case HASH_TAG:
                    sendTo(rs[(int) Long.remainderUnsigned(tag, n)], s);
                    break;
                case HASH_CRC32:
                    sendTo(rs[(int) (crc32(s.sender) % n)], s);
                    break;
                default:
                    throw new IllegalStateException(p.balance().toString());
            }
        }
    }

    /** Spreads nearby addresses (127.0.0.1, .2, ...) over receivers; InetAddress.hashCode is the IPv4 address. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private long crc32(InetAddress a) {
        crc.reset();
        if (a instanceof Inet4Address) {
            int v = a.hashCode();
            crc.update(v >>> 24);
            crc.update(v >>> 16);
            crc.update(v >>> 8);
            crc.update(v);
        } else {
            crc.update(a.getAddress());
        }
        return crc.getValue();
    }

    private long tagOf(InetAddress a) {
        if (tags == null) {
            return 0;
        }
        if (a instanceof Inet4Address) {
            return tags.tag(Addr.V4, 0, a.hashCode() & 0xFFFFFFFFL);
        }
        byte[] b = a.getAddress(); // IPv6 exporters with tag pools: one small copy per datagram
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xFFL);
            lo = (lo << 8) | (b[i + 8] & 0xFFL);
        }
        return tags.tag(Addr.V6, hi, lo);
    }

    private void sendTo(ReceiverState r, DatagramRing.Slot s) {
        boolean sent;
        if (raw != null && r.v4 && s.sender instanceof Inet4Address) {
            sent = raw.send(s.data, s.length, s.sender.hashCode(), s.senderPort, r.address, r.sockaddr) == 0;
        } else if (r.channel == null) {
            sent = false;
        } else {
            ByteBuffer b = s.view;
            b.clear().limit(s.length);
            try {
                sent = r.channel.send(b, r.address) > 0;
            } catch (IOException e) {
                sent = false;
            }
        }
        if (sent) {
            r.stats.datagrams.inc();
            r.stats.bytes.add(s.length);
        } else {
            r.stats.errors.inc();
        }
    }

    /** A new tee_receivers version: the pools rebuilt on the sender thread, between two datagrams. */
    private void refreshPools() {
        TeeReceivers next = receivers.get();
        if (transparent && raw == null && hasUdpPools(next)) {
            try {
                raw = RawIpv4Sender.open(sendBuffer);
            } catch (IOException e) {
                LOG.error("tee: tee_transparent needs CAP_NET_RAW (raw socket): {}; the IPv4 receivers get the "
                        + "datagrams from the tee's own address", e.getMessage());
            }
        }
        List<PoolState> out = new ArrayList<>();
        Map<String, KafkaPoolSender> kafkaInUse = new HashMap<>();
        for (Pool p : next.pools()) {
            if (p.kafka() != null) {
                try {
                    out.add(new PoolState(p, new ReceiverState[0], kafkaSender(p, kafkaInUse)));
                } catch (KafkaException e) {
                    LOG.error("tee: {}:{}: kafka_broker: no producer for {}: {}; the pool sends nothing until "
                            + "tee_receivers is reloaded", receiversFile, p.line(), p.kafka().describe(),
                            e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                }
                continue;
            }
            ReceiverState[] rs = new ReceiverState[p.receivers().length];
            for (int i = 0; i < rs.length; i++) {
                InetSocketAddress a = p.receivers()[i];
                String name = describe(a);
                ReceiverStats st;
                synchronized (stats) { // the plugin thread reads it for the stats line
                    st = stats.computeIfAbsent(p.id() + "/" + name,
                            k -> new ReceiverStats(context, Integer.toString(p.id()), name));
                }
                boolean v4 = a.getAddress() instanceof Inet4Address;
                rs[i] = new ReceiverState(a, raw != null && v4 ? RawIpv4Sender.sockaddr(a) : null,
                        channel(v4, p.srcPort()), st);
            }
            out.add(new PoolState(p, rs, null));
        }
        pools = out.toArray(new PoolState[0]);
        inUse = next;
        List<KafkaPoolSender> unused = new ArrayList<>();
        kafkaSenders.forEach((k, sender) -> {
            if (!kafkaInUse.containsKey(k)) {
                unused.add(sender);
            }
        });
        kafkaSenders.keySet().retainAll(kafkaInUse.keySet());
        if (!unused.isEmpty()) {
            // their producers deliver what they hold (up to 10 s) without holding up this thread
            Thread t = new Thread(() -> unused.forEach(KafkaPoolSender::close), context.threadName() + " kafka close");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The sender of a Kafka pool: the one already running for the same pool id and target, or a new one. */
    private KafkaPoolSender kafkaSender(Pool p, Map<String, KafkaPoolSender> inUse) {
        String key = p.id() + "/" + p.kafka().describe();
        KafkaPoolSender sender = kafkaSenders.get(key);
        if (sender == null) {
            ReceiverStats st;
            synchronized (stats) {
                st = stats.computeIfAbsent(key, k -> new ReceiverStats(context, Integer.toString(p.id()),
                        p.kafka().describe()));
            }
            sender = new KafkaPoolSender(id, context.config().name(), context.threadName() + " kafka pool " + p.id(),
                    p.id(), p.kafka(), kafkaProperties, ring.capacity(), st);
            kafkaSenders.put(key, sender);
        }
        inUse.put(key, sender);
        return sender;
    }

    /** One unconnected non-blocking socket per family and source port (unconnected: ICMP errors never stop it). */
    private DatagramChannel channel(boolean v4, int srcPort) {
        String key = (v4 ? "4/" : "6/") + srcPort;
        DatagramChannel c = channels.get(key);
        if (c != null || channels.containsKey(key)) {
            return c;
        }
        try {
            c = DatagramChannel.open(v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            c.configureBlocking(false);
            if (sendBuffer > 0) {
                c.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
            }
            InetAddress local = null;
            if (sourceIp != null && !transparent) {
                InetAddress s = InetAddress.getByName(sourceIp);
                if ((s instanceof Inet4Address) == v4) {
                    local = s;
                }
            }
            if (local != null || srcPort != 0) {
                c.bind(new InetSocketAddress(local, srcPort));
            }
        } catch (IOException e) {
            LOG.error("tee: cannot open a {} socket{}{}: {}; its receivers count send errors", v4 ? "IPv4" : "IPv6",
                    sourceIp != null ? " from " + sourceIp : "", srcPort != 0 ? " port " + srcPort : "",
                    e.getMessage());
            closeQuietly(c);
            c = null;
        }
        channels.put(key, c);
        return c;
    }

    private void logDrops(boolean always) {
        long now = System.nanoTime();
        long d = queueDrops.sum();
        if (d > loggedDrops && (always || now - lastDropLog >= DROP_LOG_INTERVAL_NANOS)) {
            LOG.warn("tee: queue full, {} datagrams dropped since the last report (raise plugin_pipe_size)",
                    d - loggedDrops);
            loggedDrops = d;
            lastDropLog = now;
        }
    }

    @Override
    public long tickIntervalMillis() {
        return 1000;
    }

    @Override
    public void onTick(long nowMillis) {
        if (nowMillis >= nextStats) {
            logStats(false);
            nextStats = nowMillis + STATS_INTERVAL_MILLIS;
        }
    }

    /** One line per receiver that changed since the last one (all of them at shutdown, as totals). */
    private void logStats(boolean totals) {
        List<ReceiverStats> all;
        synchronized (stats) {
            all = new ArrayList<>(stats.values());
        }
        for (ReceiverStats st : all) {
            long[] now = {st.datagrams.get(), st.bytes.get(), st.errors.get()};
            long[] base = totals ? new long[3] : st.logged;
            if (!totals && now[0] == base[0] && now[2] == base[2]) {
                continue;
            }
            String line = "tee: pool " + st.pool + " receiver " + st.receiver + ": " + (now[0] - base[0])
                    + " datagrams, " + (now[1] - base[1]) + " bytes sent, " + (now[2] - base[2]) + " send errors"
                    + (totals ? " (total)" : "");
            if (now[2] > base[2]) {
                LOG.warn(line);
            } else {
                LOG.info(line);
            }
            st.logged = now;
        }
        long dropped = queueDrops.sum();
        if (totals) {
            LOG.info("tee: queue full drops {} (total)", dropped);
        }
    }

    static String describe(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static void closeQuietly(DatagramChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        if (sender != null) {
            LockSupport.unpark(sender);
            try {
                sender.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (KafkaPoolSender k : kafkaSenders.values()) {
            k.close();
        }
        logDrops(true);
        logStats(true);
        for (DatagramChannel c : channels.values()) {
            closeQuietly(c);
        }
        if (raw != null) {
            raw.close();
        }
    }
}
