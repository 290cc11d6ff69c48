package jpmacct.collector;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.config.KeyDef;
import jpmacct.core.decode.packet.LinkTypes;
import jpmacct.core.metrics.Counter;
import jpmacct.core.runtime.BatchWriter;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.kafka.KafkaBrokers;
import jpmacct.kafka.LibrdkafkaConfig;

/**
 * nfacctd_kafka_* / sfacctd_kafka_*: the exporters' datagrams read from a Kafka topic instead of a UDP socket, in
 * pmacct's tee format (IP and UDP headers naming the exporter, then the datagram; read by
 * {@link SavefileDatagrams} as a raw-IP frame). Each consuming thread is a member of the consumer group with its
 * own decoder and batch writer. Offsets are committed only after the records read up to them were published to
 * the plugins (the writer flushed), every commit interval, when a partition is revoked and at stop: a collector that
 * dies is replaced from its last commit, so records are delivered at least once.
 */
final class KafkaInput extends CollectorInput {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaInput.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final long DEFAULT_COMMIT_MILLIS = 1000;
    private static final long FAULT_LOG_MILLIS = 60_000;

    private final String protocol;
    private final String topic;
    private final String brokers;
    private final String group;
    private final long commitIntervalNanos;
    private final List<Member> members = new ArrayList<>();
    private final RateLimitedLog faults = new RateLimitedLog(LOG, FAULT_LOG_MILLIS);
    private final Counter messages;
    private final Counter malformed;
    private final Counter commitFailures;
    private long reportedMessages;
    private long reportedMalformed;
    private volatile String failure;
    private boolean closed;

    private KafkaInput(DaemonAssembly.Plugins daemon, Decoders decoders, String protocol, String topic,
                       String brokers, String group, long commitIntervalMillis) {
        super(daemon, decoders);
        this.protocol = protocol;
        this.topic = topic;
        this.brokers = brokers;
        this.group = group;
        this.commitIntervalNanos = commitIntervalMillis * 1_000_000L;
        String[] labels = {"topic", topic};
        messages = daemon.metrics().counter("kafka_consumed_messages", "Messages read from the Kafka topic", labels);
        malformed = daemon.metrics().counter("kafka_malformed_messages",
                "Messages of the Kafka topic that are no IP/UDP datagram (pmacct's tee format), skipped", labels);
        commitFailures = daemon.metrics().counter("kafka_commit_failures",
                "Offset commits the group refused or that failed (those records are read again)", labels);
    }

    /** Whether the configuration asks for the Kafka input (either of its two mandatory keys). */
    static boolean configured(DaemonConfig config) {
        return config.isSet(CollectorKeys.KAFKA_BROKER_HOST) || config.isSet(CollectorKeys.KAFKA_TOPIC);
    }

    /**
     * Checks the keys, reads the consumer's configuration file and builds the consumers (nothing connects yet), so
     * a mistake is reported with its key before the daemon detaches.
     */
    static KafkaInput open(DaemonAssembly.Plugins daemon, Decoders decoders, String protocol) throws ConfigException {
        DaemonConfig config = daemon.config();
        if (!config.isSet(CollectorKeys.KAFKA_BROKER_HOST)) {
            throw error(config, CollectorKeys.KAFKA_TOPIC, "reading Kafka needs "
                    + name(config, CollectorKeys.KAFKA_BROKER_HOST) + " too");
        }
        if (!config.isSet(CollectorKeys.KAFKA_TOPIC)) {
            throw error(config, CollectorKeys.KAFKA_BROKER_HOST, "reading Kafka needs "
                    + name(config, CollectorKeys.KAFKA_TOPIC) + " too");
        }
        for (KeyDef<?> socketKey : List.of(CollectorKeys.IP, CollectorKeys.PORT)) {
            if (config.isSet(socketKey)) {
                throw error(config, CollectorKeys.KAFKA_BROKER_HOST, "a collector reads Kafka or a UDP socket, not "
                        + "both: remove " + name(config, socketKey) + " (" + config.whereSet(socketKey) + ")");
            }
        }
        String topic = config.get(CollectorKeys.KAFKA_TOPIC).trim();
        if (topic.isEmpty() || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw error(config, CollectorKeys.KAFKA_TOPIC, "'" + topic + "' is not a Kafka topic name "
                    + "(letters, digits, '.', '_', '-')");
        }
        String brokers = KafkaBrokers.bootstrap(config.get(CollectorKeys.KAFKA_BROKER_HOST),
                config.get(CollectorKeys.KAFKA_BROKER_PORT).intValue());
        Properties props = new Properties();
        String file = config.get(CollectorKeys.KAFKA_CONFIG_FILE);
        String fileKey = name(config, CollectorKeys.KAFKA_CONFIG_FILE);
        if (file != null) {
            LibrdkafkaConfig.Loaded loaded = LibrdkafkaConfig.load(Path.of(file), LibrdkafkaConfig.Role.CONSUMER, fileKey);
            loaded.notes().forEach(LOG::info);
            props.putAll(loaded.properties());
        }
        if (Boolean.parseBoolean(props.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"))) {
            throw new ConfigException(file + ": " + fileKey + ": enable.auto.commit is not taken: offsets are "
                    + "committed once the records reached the plugins (auto.commit.interval.ms sets how often)");
        }
        long commitMillis = DEFAULT_COMMIT_MILLIS;
        Object interval = props.remove(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG);
        if (interval != null) {
            try {
                commitMillis = Long.parseLong(interval.toString().trim());
            } catch (NumberFormatException e) {
                commitMillis = -1;
            }
            if (commitMillis < 0) {
                throw new ConfigException(file + ": " + fileKey + ": auto.commit.interval.ms: '" + interval
                        + "' is not a number of milliseconds");
            }
        }
        String daemonName = config.daemon().name().toLowerCase(Locale.ROOT);
        String group = props.getProperty(ConsumerConfig.GROUP_ID_CONFIG, "jpmacct-" + daemonName + "-" + topic);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        String clientId = props.getProperty(ConsumerConfig.CLIENT_ID_CONFIG,
                daemonName + "-" + ProcessHandle.current().pid());
        int threads = config.isSet(CollectorKeys.THREADS) ? config.get(CollectorKeys.THREADS).intValue() : 1;
        KafkaInput input = new KafkaInput(daemon, decoders, protocol, topic, brokers, group, commitMillis);
        try {
            for (int i = 0; i < threads; i++) {
                Properties own = new Properties();
                own.putAll(props);
                own.put(ConsumerConfig.CLIENT_ID_CONFIG, threads == 1 ? clientId : clientId + "-" + (i + 1));
                String thread = threads == 1 ? daemon.coreThreadName() : daemon.coreThreadName() + " kafka" + (i + 1);
                input.members.add(input.new Member(new KafkaConsumer<>(own), own.getProperty(ConsumerConfig.CLIENT_ID_CONFIG),
                        thread));
            }
        } catch (KafkaException e) {
            input.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException((file != null ? file + ": " + fileKey + ": " : "") + cause.getMessage());
        }
        return input;
    }

    /** The key as the daemon's configuration spells it (sfacctd_kafka_topic in sfacctd). */
    private static String name(DaemonConfig config, KeyDef<?> key) {
        return config.daemon() == DaemonKind.SFACCTD ? key.name().replaceFirst("^nfacctd_", "sfacctd_") : key.name();
    }

    private static ConfigException error(DaemonConfig config, KeyDef<?> key, String message) {
        return new ConfigException(config.whereSet(key) + ": " + name(config, key) + ": " + message);
    }

    @Override
    public int producers() {
        return members.size();
    }

    @Override
    public boolean waitsForPlugins() {
        // a full plugin queue holds the consumer back: Kafka keeps what is not read yet
        return true;
    }

    @Override
    public boolean start(Writers writers, CoreThread core) {
        for (Member m : members) {
            BatchWriter writer = daemon.recordsWanted() ? writers.newWriter() : null;
            DatagramHandler handler = writer == null ? (datagram, length, sender, arrival) -> { } : decoders.create(writer);
            m.start(writer, new SavefileDatagrams(handler).datagramsTo(daemon.datagramConsumers(), daemon.recordsWanted()));
        }
        if (!daemon.recordsWanted()) {
            LOG.info("no plugin takes records: datagrams are replicated, not decoded (no per-exporter stats)");
        }
        startStats(null);
        return true;
    }

    @Override
    public int run(CoreThread core) throws InterruptedException {
        // pmacct's words (broker:topic), which operators grep for, then what the group adds
        LOG.info("reading {} data from Kafka {}:{} (group {}, {} consumer{})", protocol, brokers, topic, group,
                members.size(), members.size() == 1 ? "" : "s");
        while (!core.stopRequested()) {
            if (failure != null) {
                LOG.error("kafka: {}; stopping", failure);
                return 1;
            }
            core.pause(200);
        }
        return 0;
    }

    @Override
    public void report(boolean last) {
        super.report(last);
        long n = messages.get();
        long bad = malformed.get();
        if (n > reportedMessages || bad > reportedMalformed) {
            LOG.info("kafka: topic {}: {} messages read, {} not IP/UDP datagrams{}", topic, n - reportedMessages,
                    bad - reportedMalformed, last ? "" : "; reading " + reading());
        }
        reportedMessages = n;
        reportedMalformed = bad;
        if (!last && reading().equals("none")) {
            LOG.warn("kafka: no partition of topic {} assigned to this collector: the broker ({}) is away, the topic "
                    + "does not exist, or group {} has more consumers than the topic has partitions", topic, brokers,
                    group);
        }
    }

    /** The partitions this daemon's consumers read, as "flows-0, flows-3", or "none". */
    private String reading() {
        TreeSet<String> all = new TreeSet<>();
        for (Member m : members) {
            all.addAll(m.owned);
        }
        return all.isEmpty() ? "none" : String.join(", ", all);
    }

    /** Stops every consumer: each publishes what it decoded, commits, and leaves the group. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Member m : members) {
            m.stopping = true;
            m.consumer.wakeup();
        }
        for (Member m : members) {
            m.awaitEnd();
        }
    }

    /** One consuming thread: its group member, decoder and batch writer. */
    private final class Member implements Runnable, ConsumerRebalanceListener {
        final KafkaConsumer<byte[], byte[]> consumer;
        final String clientId;
        final String threadName;
        /** What this member reads, for the log and the stats line (read by the core thread). */
        volatile List<String> owned = List.of();
        volatile boolean stopping;
        private BatchWriter writer;
        private SavefileDatagrams datagrams;
        private Thread thread;
        private boolean uncommitted;

        Member(KafkaConsumer<byte[], byte[]> consumer, String clientId, String threadName) {
            this.consumer = consumer;
            this.clientId = clientId;
            this.threadName = threadName;
        }

        void start(BatchWriter w, SavefileDatagrams d) {
            writer = w;
            datagrams = d;
            thread = new Thread(this, threadName);
            thread.start();
        }

        void awaitEnd() {
            if (thread == null) {
                consumer.close(CLOSE_TIMEOUT); // never started (the foreground half of daemonize)
                return;
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            try {
                consumer.subscribe(List.of(topic), this);
                long nextCommit = System.nanoTime() + commitIntervalNanos;
                while (!stopping) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        handle(r);
                    }
                    uncommitted |= !records.isEmpty();
                    long now = System.nanoTime();
                    if (writer != null) {
                        writer.flushIfDue(now);
                    }
                    if (uncommitted && now - nextCommit >= 0) {
                        publish();
                        consumer.commitAsync((offsets, e) -> {
                            if (e != null) {
                                commitFailed(e);
                            }
                        });
                        uncommitted = false;
                        nextCommit = now + commitIntervalNanos;
                    }
                }
            } catch (WakeupException e) {
                // close(): stop reading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (KafkaException e) {
                failure = "consumer " + clientId + ": " + e.getMessage();
            } finally {
                finish();
            }
        }

        private void handle(ConsumerRecord<byte[], byte[]> r) throws InterruptedException {
            messages.inc();
            byte[] v = r.value();
            long skipped = datagrams.skipped();
            if (v != null) {
                long millis = r.timestamp() > 0 ? r.timestamp() : System.currentTimeMillis();
                datagrams.onPacket(ByteBuffer.wrap(v), 0, v.length, v.length, millis * 1000L, LinkTypes.RAW, 0);
            }
            if (v == null || datagrams.skipped() != skipped) {
                malformed.inc();
                faults.warn("malformed", "kafka: message at " + r.topic() + "-" + r.partition() + " offset "
                        + r.offset() + " is no IP/UDP datagram (pmacct's tee format): skipped");
            }
        }

        /** The writer's records to the plugins: everything read so far may be committed after this. */
        private void publish() throws InterruptedException {
            if (writer != null) {
                writer.flush();
            }
        }

        /** Commits what the last poll returned (all of it processed and published); false when that failed. */
        private boolean commitNow() {
            for (int attempt = 0; ; attempt++) {
                try {
                    consumer.commitSync(CLOSE_TIMEOUT);
                    uncommitted = false;
                    return true;
                } catch (WakeupException e) {
                    // close() woke the consumer while it was not polling: the wake-up fires once, here
                    if (attempt > 0) {
                        commitFailed(e);
                        return false;
                    }
                } catch (KafkaException e) {
                    commitFailed(e);
                    return false;
                }
            }
        }

        private void commitFailed(Exception e) {
            commitFailures.inc();
            faults.warn("commit", "kafka: consumer " + clientId + ": committing offsets failed (" + e.getMessage()
                    + "); the records since the last commit will be read again"
                    + (e instanceof RetriableException ? "" : " by the partition's next owner"));
        }

        /** At stop or after a failure: publish, commit what was published, leave the group. */
        private void finish() {
            try {
                publish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (uncommitted) {
                commitNow();
            }
            try {
                consumer.close(CLOSE_TIMEOUT);
            } catch (KafkaException e) {
                LOG.warn("kafka: consumer {}: leaving the group: {}", clientId, e.getMessage());
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                owned = names(consumer.assignment());
                LOG.info("kafka: consumer {}: assigned {}; reading {}", clientId, names(partitions), owned);
            }
        }

        /** Handed to another member: what was read from them is published and committed first. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            String how = "records published, offsets committed";
            try {
                publish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (uncommitted && !commitNow()) {
                how = "commit failed: their records since the last commit are read again";
            }
            List<String> left = new ArrayList<>(owned);
            left.removeAll(names(partitions));
            owned = List.copyOf(left);
            LOG.info("kafka: consumer {}: revoked {} ({}); reading {}", clientId, names(partitions), how, owned);
        }

        /** The group moved on without this member (a missed heartbeat): committing is no longer possible. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            try {
                publish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<String> left = new ArrayList<>(owned);
            left.removeAll(names(partitions));
            owned = List.copyOf(left);
            LOG.warn("kafka: consumer {}: lost {} to the group; what was read since the last commit is read again "
                    + "by their new owner", clientId, names(partitions));
        }
    }

    private static List<String> names(Collection<TopicPartition> partitions) {
        TreeSet<String> s = new TreeSet<>();
        for (TopicPartition p : partitions) {
            s.add(p.topic() + "-" + p.partition());
        }
        return List.copyOf(s);
    }
}
