package jpmacct.plugins.tee;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jpmacct.core.config.ConfigException;
import jpmacct.core.net.MapLine;
import jpmacct.core.plugin.TagFilter;
import jpmacct.kafka.KafkaBrokers;

/** A parsed tee_receivers file: immutable, replaced whole on reload. */
record TeeReceivers(List<Pool> pools) {
    private static final Set<String> KEYS = Set.of("id", "ip", "balance-alg", "tag", "src_port", "kafka_broker",
            "kafka_topic");
    private static final Set<String> REFUSED = Set.of("zmq_address");

    /** How a pool picks among its receivers; ALL sends to each of them. */
    enum Balance { ALL, RR, HASH_AGENT, HASH_TAG, HASH_CRC32 }

    /** One line of the file: UDP receivers, or a Kafka topic ({@code kafka} non-null, no receivers). */
    record Pool(int id, int line, InetSocketAddress[] receivers, Balance balance, TagFilter tags, int srcPort,
                KafkaTarget kafka) {
        boolean needsTag() {
            return tags != null || balance == Balance.HASH_TAG;
        }
    }

    /** A pool's kafka_broker (as bootstrap.servers) and kafka_topic. */
    record KafkaTarget(String brokers, String topic) {
        /** How the stats line and the counters name it. */
        String describe() {
            return "kafka " + brokers + "/" + topic;
        }
    }

    boolean needsTag() {
        for (Pool p : pools) {
            if (p.needsTag()) {
                return true;
            }
        }
        return false;
    }

    static TeeReceivers load(Path file, int maxPools, int maxReceivers) throws ConfigException {
        List<Pool> pools = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (MapLine.Entry entry : MapLine.readEntries(file, "tee_receivers")) {
            int no = entry.line();
            String where = entry.where();
            Map<String, String> kv = entry.keys();
            for (String k : kv.keySet()) {
                if (REFUSED.contains(k)) {
                    throw new ConfigException(where + ": key '" + k + "' is not supported (no ZeroMQ output)");
                }
                if (!KEYS.contains(k)) {
                    throw new ConfigException(where + ": unknown key '" + k + "' (tee_receivers keys: id, ip, "
                            + "balance-alg, tag, src_port, kafka_broker, kafka_topic)");
                }
            }
            String idText = kv.get("id");
            if (idText == null) {
                throw new ConfigException(where + ": key 'id' missing (every pool needs 'id=N', N > 0)");
            }
            int id = number(where, "id", idText, 1, Integer.MAX_VALUE);
            if (!ids.add(id)) {
                throw new ConfigException(where + ": key 'id': pool " + id + " defined twice");
            }
            TagFilter tags = null;
            if (kv.containsKey("tag")) {
                try {
                    tags = TagFilter.parse(kv.get("tag"));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(where + ": key 'tag': " + e.getMessage());
                }
            }
            Pool pool = kv.containsKey("kafka_broker") || kv.containsKey("kafka_topic")
                    ? new Pool(id, no, new InetSocketAddress[0], Balance.ALL, tags, 0, kafka(where, kv))
                    : udpPool(where, kv, id, no, tags, maxReceivers);
            pools.add(pool);
            if (pools.size() > maxPools) {
                throw new ConfigException(where + ": more than tee_max_receiver_pools (" + maxPools + ") pools");
            }
        }
        if (pools.isEmpty()) {
            throw new ConfigException(file + ": no receiver pool (expected lines 'id=N ip=address:port')");
        }
        return new TeeReceivers(List.copyOf(pools));
    }

    private static Pool udpPool(String where, Map<String, String> kv, int id, int no, TagFilter tags,
                                int maxReceivers) throws ConfigException {
        String ip = kv.get("ip");
        if (ip == null || ip.isBlank()) {
            throw new ConfigException(where + ": key 'ip' missing (expected 'ip=address:port[,address:port]', "
                    + "or kafka_broker and kafka_topic)");
        }
        List<InetSocketAddress> receivers = new ArrayList<>();
        for (String r : ip.split(",")) {
            receivers.add(receiver(where, r.strip()));
        }
        if (receivers.size() > maxReceivers) {
            throw new ConfigException(where + ": key 'ip': " + receivers.size() + " receivers, more than "
                    + "tee_max_receivers (" + maxReceivers + ")");
        }
        Balance balance = balance(where, kv.get("balance-alg"));
        int srcPort = kv.containsKey("src_port") ? number(where, "src_port", kv.get("src_port"), 1, 65535) : 0;
        return new Pool(id, no, receivers.toArray(new InetSocketAddress[0]), balance, tags, srcPort, null);
    }

    /**
     * A Kafka pool: kafka_broker and kafka_topic both, none of the keys that only mean something for UDP receivers
     * (pmacct ignores such a line with a warning; here it is refused).
     */
    private static KafkaTarget kafka(String where, Map<String, String> kv) throws ConfigException {
        for (String udpOnly : List.of("ip", "balance-alg", "src_port")) {
            if (kv.containsKey(udpOnly)) {
                throw new ConfigException(where + ": key '" + udpOnly + "': a pool sends to Kafka (kafka_broker, "
                        + "kafka_topic) or to UDP receivers (ip, balance-alg, src_port), not both; Kafka's "
                        + "partitions balance by exporter");
            }
        }
        String broker = kv.get("kafka_broker");
        String topic = kv.get("kafka_topic");
        if (broker == null || broker.isBlank()) {
            throw new ConfigException(where + ": key 'kafka_broker' missing (expected 'kafka_broker=host:port[,host:port]' "
                    + "with kafka_topic)");
        }
        if (topic == null || topic.isBlank()) {
            throw new ConfigException(where + ": key 'kafka_topic' missing (a pool with kafka_broker needs it)");
        }
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new ConfigException(where + ": key 'kafka_topic': '" + topic + "' is not a Kafka topic name (letters, "
                    + "digits, '.', '_', '-')");
        }
        if (!broker.matches("[A-Za-z0-9._:\\[\\],-]+")) {
            throw new ConfigException(where + ": key 'kafka_broker': '" + broker + "' is not a broker list (expected "
                    + "host:port[,host:port])");
        }
        return new KafkaTarget(KafkaBrokers.listed(broker), topic);
    }

    private static Balance balance(String where, String v) throws ConfigException {
        if (v == null) {
            return Balance.ALL;
        }
        switch (v) {
            case "rr": return Balance.RR;
            case "hash-agent": return Balance.HASH_AGENT;
            case "hash-tag": return Balance.HASH_TAG;
            case "hash-crc32": return Balance.HASH_CRC32;
            default:
                throw new ConfigException(where + ": key 'balance-alg': '" + v + "' is not one of rr, hash-agent, "
                        + "hash-tag, hash-crc32");
        }
    }

    private static int number(String where, String key, String v, int min, int max) throws ConfigException {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(where + ": key '" + key + "': '" + v + "' is not a number from " + min + " to " + max);
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}; numeric only, so a reload never waits for DNS. */
    static InetSocketAddress receiver(String where, String text) throws ConfigException {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw badReceiver(where, text);
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!host.matches("[0-9A-Fa-f:.]+") || !host.contains(":")) {
                throw badReceiver(where, text);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw badReceiver(where, text);
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw badReceiver(where, text);
            }
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw badReceiver(where, text);
                }
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw badReceiver(where, text);
        }
        if (p < 1 || p > 65535) {
            throw badReceiver(where, text);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw badReceiver(where, text);
        }
    }

    private static ConfigException badReceiver(String where, String text) {
        return new ConfigException(where + ": key 'ip': '" + text + "' is not a receiver (expected a.b.c.d:port "
                + "or [IPv6 address]:port, port 1-65535)");
    }
}
