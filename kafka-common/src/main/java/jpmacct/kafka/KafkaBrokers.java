package jpmacct.kafka;

import java.util.ArrayList;
import java.util.List;

/** pmacct's {@code *_kafka_broker_host} and {@code *_kafka_broker_port} as the Java client's {@code bootstrap.servers}. */
public final class KafkaBrokers {
    /** librdkafka's port for a broker named without one. */
    public static final int DEFAULT_PORT = 9092;

    private KafkaBrokers() {
    }

    /**
     * One host gets the port key's port; a comma-separated list is taken as written, as pmacct does (each
     * item may carry its own port, librdkafka's 9092 otherwise). IPv6 literals are bracketed.
     */
    public static String bootstrap(String hosts, int port) {
        String[] items = hosts.split(",");
        if (items.length == 1) {
            return withPort(items[0].trim(), port, true);
        }
        return listed(hosts);
    }

    /**
     * A broker list whose items carry their own ports (tee_receivers' {@code kafka_broker=host:port[,...]}),
     * librdkafka's 9092 for an item without one.
     */
    public static String listed(String hosts) {
        List<String> out = new ArrayList<>();
        for (String item : hosts.split(",")) {
            String h = item.trim();
            if (!h.isEmpty()) {
                out.add(withPort(h, DEFAULT_PORT, false));
            }
        }
        return String.join(",", out);
    }

    private static String withPort(String host, int port, boolean force) {
        if (host.startsWith("[")) {
            return host.contains("]:") ? host : host + ":" + port;
        }
        int colons = host.length() - host.replace(":", "").length();
        if (colons > 1) {
            return "[" + host + "]:" + port;
        }
        if (colons == 1) {
            return force ? host.substring(0, host.indexOf(':')) + ":" + port : host;
        }
        return host + ":" + port;
    }
}
