package jpmacct.kafkabroker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import kafka.Kafka;
import kafka.tools.StorageTool;

import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), listening on
 * 127.0.0.1 only. For the tests and for users who have no broker: {@code bin/kafka-broker [--port 9092]
 * [--dir DIR] [--partitions N]}. It formats its storage on first use and prints Kafka's own
 * "Kafka Server started" line when it accepts clients.
 */
public final class KafkaBroker {
    private KafkaBroker() {
    }

    public static void main(String[] args) throws IOException {
        int port = 9092;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "jpmacct-kafka");
        int partitions = 1;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
                case "--partitions" -> partitions = Integer.parseInt(value(args, ++i, "--partitions"));
                case "--set" -> extra.add(value(args, ++i, "--set"));
                case "-h", "--help" -> {
                    System.out.println("usage: kafka-broker [--port 9092] [--dir DIR] [--partitions N] [--set key=value]...");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        Path props = writeProperties(dir, port, partitions, extra);
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            int rc = StorageTool.execute(new String[] {"format", "--standalone", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", props.toString()}, new PrintStream(System.out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                System.err.println("kafka-broker: formatting " + dir + " failed (" + rc + ")");
                System.exit(rc);
            }
        }
        Kafka.main(new String[] {props.toString()});
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Writes the broker's server.properties under {@code dir}; the controller listens on port + 1. */
    static Path writeProperties(Path dir, int port, int partitions, List<String> extra) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + (port + 1));
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1));
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1));
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", Integer.toString(partitions));
        p.setProperty("auto.create.topics.enable", "true");
        // one node: every internal topic has one replica, and consumer groups form at once
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.segment.bytes", Integer.toString(64 << 20));
        for (String kv : extra) {
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--set expects key=value, got " + kv);
            }
            p.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Path file = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "written by jpmacct kafka-broker");
        }
        return file;
    }
}
